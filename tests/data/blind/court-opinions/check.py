#!/usr/bin/env python3
"""Check gold.jsonl against sources/ (the Printz v. United States opinions); see ../check_corpus.py.

    python3 check.py [--gold gold.jsonl]
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from check_corpus import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(HERE))
