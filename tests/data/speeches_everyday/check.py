#!/usr/bin/env python3
"""Check gold.jsonl next to this script against its sources/; see ../check_everyday.py."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from check_everyday import check  # noqa: E402

check(HERE, os.path.join(HERE, "..", "corpora", "speeches", "sources"), "ds")
