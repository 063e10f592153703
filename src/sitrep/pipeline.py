"""The extraction pipeline: ordered stages passing one :class:`~sitrep.model.Analysis`.

Each stage declares what it ``requires`` (names other stages ``assign``) and
what it ``assigns``; :class:`Pipeline` checks the order when it is built, so a
misplaced stage fails at construction rather than with a wrong record later.

The default order::

    language → sentences → entities → triggers → numbers → places → dates → claims → records
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import ClassVar, Protocol

from sitrep import rx
from sitrep.errors import ExtractionError, PipelineError
from sitrep.lifeline import die_with_parent
from sitrep.model import Analysis, Document, Record
from sitrep.normalize import normalize

log = logging.getLogger(__name__)


class Stage(Protocol):
    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    assigns: ClassVar[tuple[str, ...]]

    def __call__(self, analysis: Analysis) -> Analysis: ...


def default_stages() -> list[Stage]:
    from sitrep.stages import claims, dates, entities, language, numbers, places, records, sentences, triggers

    return [
        language.Language(),
        sentences.Sentences(),
        entities.Entities(),
        triggers.Triggers(),
        numbers.Numbers(),
        places.Places(),
        dates.Dates(),
        claims.Claims(),
        records.Records(),
    ]


class Pipeline:
    """Runs the stages in order over one document or a batch."""

    def __init__(self, stages: Iterable[Stage] | None = None) -> None:
        self.stages = list(stages) if stages is not None else default_stages()
        assigned: set[str] = set()
        for stage in self.stages:
            missing = [r for r in stage.requires if r not in assigned]
            if missing:
                raise PipelineError(
                    f"stage {stage.name!r} requires {', '.join(missing)}, "
                    f"which no earlier stage assigns (order: {', '.join(s.name for s in self.stages)})"
                )
            assigned.update(stage.assigns)

    def analyse(self, document: Document) -> Analysis:
        """Run every stage over ``document``, normalised (:mod:`sitrep.normalize`); the analysis returned is
        of ``document`` as given, its offsets pointing into the text as written.

        An exception escaping a stage is a bug in that stage: it is raised as an
        :class:`~sitrep.errors.ExtractionError` naming the document and the stage.
        """
        seen = normalize(document.text)  # the stages read NFC text without invisible characters
        analysis = Analysis(document=document if seen.identity else replace(document, text=seen.text))
        for stage in self.stages:
            try:
                analysis = stage(analysis)
            except Exception as e:
                raise ExtractionError(
                    document.origin or document.doc_id, f"stage {stage.name!r} failed: {_describe(e)}"
                ) from e
            analysis = replace(analysis, done=analysis.done | {stage.name})
        return seen.restore(analysis, document)  # offsets into the text as written

    def extract(self, document: Document) -> list[Record]:
        """The records of ``document``; one longer than :data:`WINDOW` characters is read in windows."""
        if len(document.text) <= WINDOW:
            return list(self.analyse(document).records)
        spans = windows(document.text)
        log.warning(
            "%s: %s characters, read in %d windows of at most %s: events are not joined across windows",
            document.origin or document.doc_id, f"{len(document.text):,}", len(spans), f"{WINDOW:,}",
        )
        records: list[Record] = []
        for start, end in spans:
            part = replace(document, text=document.text[start:end])
            records += (shifted(r, start) for r in self.analyse(part).records)
        return records

    def extract_many(
        self, documents: Iterable[Document], *, workers: int = 1
    ) -> Iterator[tuple[Document, list[Record] | ExtractionError]]:
        """Yield each document with its records, in input order.

        A document on which a stage fails comes with an :class:`~sitrep.errors.ExtractionError`
        instead of its records; the others are extracted as usual. With ``workers`` > 1 the documents are spread over that many processes, each of which builds its own
        pipeline (and loads the place index) once. They are read as they come, in chunks of about
        :data:`CHUNK_CHARS` characters (balanced by length, not by count, so that one worker does not get all
        the long reports), with at most two chunks per worker in flight: a batch of any size is streamed,
        never held whole in memory, and its results come back as soon as the earliest chunk is done.
        """
        if workers <= 1:
            for doc in documents:
                yield doc, self._contained(doc)
            return
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
            pending: deque[tuple[list[Document], Future[list[list[Record] | Failure]]]] = deque()
            for chunk in chunks(documents):
                pending.append((chunk, pool.submit(_worker_extract_chunk, chunk)))
                while pending and (len(pending) >= 2 * workers or pending[0][1].done()):
                    done, future = pending.popleft()
                    yield from _results(done, future.result())
            while pending:
                done, future = pending.popleft()
                yield from _results(done, future.result())

    def _contained(self, doc: Document) -> list[Record] | ExtractionError:
        try:
            return self.extract(doc)
        except ExtractionError as e:
            log.debug("%s", e, exc_info=e.__cause__)
            return e


@dataclass(frozen=True, slots=True)
class Failure:
    """What a worker sends back for a document a stage failed on (an exception may not pickle)."""

    message: str

    def error(self, doc: Document) -> ExtractionError:
        return ExtractionError(doc.origin or doc.doc_id, self.message)


def _results(
    docs: list[Document], results: list[list[Record] | Failure]
) -> Iterator[tuple[Document, list[Record] | ExtractionError]]:
    for doc, result in zip(docs, results, strict=True):
        yield doc, result.error(doc) if isinstance(result, Failure) else result


def _describe(e: BaseException) -> str:
    text = str(e)
    if len(text) > 200:
        text = text[:200] + "…"
    return f"{type(e).__name__}: {text} (a bug in sitrep: please report it with this document)"


# A report longer than this is read in windows of at most this many characters, cut at a paragraph break,
# else a line break, else the end of a sentence, else a space: one window holds a very long wire story
# (those of the development gold have at most 9,148 characters), and each stage's work per window is bounded,
# so a report of any length costs time in proportion to its length.
WINDOW = 20_000
_CUTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?…][\"»”')\]]*\s"), re.compile(r"\s"))


def windows(text: str, *, size: int = WINDOW) -> list[tuple[int, int]]:
    """Spans of ``text`` of at most ``size`` characters that cover it, each cut at the best break in the
    second half of its reach."""
    out = []
    start = 0
    while len(text) - start > size:
        cut = start + size
        for pattern in _CUTS:
            last = None
            for last in pattern.finditer(text, start + size // 2, start + size):  # noqa: B007
                pass
            if last is not None:
                cut = last.end()
                break
        out.append((start, cut))
        start = cut
    out.append((start, len(text)))
    return out


def shifted(record: Record, offset: int) -> Record:
    """``record`` of a window that begins at ``offset``, its evidence pointing into the whole text (and its
    id made from those offsets)."""
    if not offset:
        return record
    evidence = tuple(replace(e, start=e.start + offset, end=e.end + offset) for e in record.evidence)
    return replace(record, evidence=evidence, event_id="")


CHUNK_CHARS = 30_000  # about five reports: small enough to balance two workers, large enough to pay for the trip
CHUNK_DOCS = 64


def chunks(documents: Iterable[Document], *, chars: int = CHUNK_CHARS) -> Iterator[list[Document]]:
    """``documents`` in consecutive chunks of about ``chars`` characters (at most :data:`CHUNK_DOCS` documents)."""
    chunk: list[Document] = []
    size = 0
    for doc in documents:
        chunk.append(doc)
        size += len(doc.text)
        if size >= chars or len(chunk) >= CHUNK_DOCS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


_WORKER: Pipeline | None = None


def _init_worker() -> None:
    global _WORKER
    die_with_parent()  # a worker never outlives the command (kill -9 of the parent included)
    _WORKER = Pipeline()


def _worker_extract_chunk(docs: list[Document]) -> list[list[Record] | Failure]:
    global _WORKER
    if _WORKER is None:  # set by the initializer; built here only if a pool skipped it
        _WORKER = Pipeline()
    out: list[list[Record] | Failure] = []
    for doc in docs:
        try:
            out.append(_WORKER.extract(doc))
        except ExtractionError as e:
            out.append(Failure(e.message))
    rx.save()  # a worker ends without atexit: the patterns it compiled are kept now
    return out


_DEFAULT: Pipeline | None = None


def default_pipeline() -> Pipeline:
    """The process-wide default pipeline, built on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT


def extract(document: Document | str, *, date: str | None = None, lang: str | None = None) -> list[Record]:
    """Records of one document (or of a text with its report date)."""
    if isinstance(document, str):
        document = Document(text=document, date=date, lang=lang)
    return default_pipeline().extract(document)

