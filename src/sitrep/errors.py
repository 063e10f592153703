"""Errors raised by sitrep.

The hierarchy::

    SitrepError
    ├── InputError            a report could not be read (names the file and line)
    │   ├── MissingInput
    │   ├── EmptyInput
    │   ├── BinaryInput
    │   ├── DecodeError
    │   ├── MalformedRecord
    │   ├── DuplicateId       two reports of one batch share an id
    │   └── ExtractionError   a stage failed on one document (a bug; the batch goes on)
    ├── PipelineError         stages declared inconsistent contracts
    ├── LanguageDataError     a lang/<iso>/ file is missing or malformed
    ├── GazetteerError        the place index is missing, stale or unreadable
    ├── StoreError            the database could not be opened, migrated or written
    ├── EvaluationError       a gold file, corpus report or score-floor file is wrong
    └── SourcesError          the sources file is wrong, or a source cannot be read
        └── FetchError        a source's address could not be fetched (after retries)
"""

from __future__ import annotations


class SitrepError(Exception):
    """Base class of every error sitrep raises on purpose."""


class InputError(SitrepError):
    """A report could not be read. ``where`` is ``file`` or ``file:line``."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


class MissingInput(InputError):
    pass


class EmptyInput(InputError):
    pass


class BinaryInput(InputError):
    pass


class DecodeError(InputError):
    pass


class MalformedRecord(InputError):
    pass


class DuplicateId(InputError):
    pass


class ExtractionError(InputError):
    """A pipeline stage raised on one document: a bug, reported at the document's position."""


class PipelineError(SitrepError):
    pass


class LanguageDataError(SitrepError):
    pass


class GazetteerError(SitrepError):
    pass


class StoreError(SitrepError):
    pass


class EvaluationError(SitrepError):
    """An evaluation input (gold file, corpus report, baseline) is unreadable, or a floor would be lowered."""


class SourcesError(SitrepError):
    """The sources file is missing or wrong (names the file and line), or a source cannot be read."""


class FetchError(SourcesError):
    """An address could not be fetched. ``transient`` when trying again later may succeed."""

    def __init__(self, url: str, message: str, *, transient: bool = True, status: int | None = None) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.message = message
        self.transient = transient
        self.status = status
