"""Building the index: reading sources into text, chunking, the embedded text, attribution of each
sentence, the build folder (store.py) and its bulk form on Ray, the library of uploaded documents and
the jobs and watcher that rebuild it."""
