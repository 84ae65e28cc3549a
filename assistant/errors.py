"""The library's exceptions. Each edge (CLI, API, web) translates them once.

AssistantError
├── SourceError          a source file could not be read (carries path and reason)
├── IndexMissingError    no index has been built yet
├── IndexMismatchError   the index on disk does not fit the settings or is damaged
├── IndexBusyError       another process is building the index
├── StoreError           the vector store (Milvus) could not be reached or refused a request
├── ModelError           the embedding model could not be loaded
├── InvalidQuestionError the question is empty, too long or otherwise unusable
└── UploadError          an uploaded document refused (wrong kind, broken, too big), with an HTTP status
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: a problem the user can act on, with a one-line message."""


class SourceError(AssistantError):
    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class IndexMissingError(AssistantError):
    pass


class IndexMismatchError(AssistantError):
    pass


class IndexBusyError(AssistantError):
    pass


class StoreError(AssistantError):
    pass


class ModelError(AssistantError):
    pass


class InvalidQuestionError(AssistantError):
    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class UploadError(AssistantError):
    """An upload refused, with the reason a user can act on and the HTTP status it maps to."""

    def __init__(self, problem: str, status: int = 422):
        super().__init__(problem)
        self.problem = problem
        self.status = status
