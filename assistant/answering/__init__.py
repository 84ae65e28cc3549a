"""Understanding a question and answering it: reading the question, finding and ranking sentences,
deciding whether the sources answer, making verbatim quotes, the answer's shape; stance toward a topic;
and the evaluation and fitting of these on gold questions."""
