"""What both stages read text with: terms and stems, word lists, the dependency parse and its facts,
the cast of actors, stance words, and the embedding model (and its batching of concurrent questions)."""
