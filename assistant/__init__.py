"""Offline question answering over policy documents, with verbatim cited quotes.

Importing this package is cheap: models and indexes load only when asked for.
"""

__version__ = "0.1.0"
