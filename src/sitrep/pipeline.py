"""The extraction pipeline: ordered stages passing one :class:`~sitrep.model.Analysis`.

Each stage declares what it ``requires`` (names other stages ``assign``) and
what it ``assigns``; :class:`Pipeline` checks the order when it is built, so a
misplaced stage fails at construction rather than with a wrong record later.

The default order::

    language → sentences → entities → triggers → numbers → places → dates → claims → records
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import ClassVar, Protocol

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
        return list(self.analyse(document).records)

    def extract_many(
        self, documents: Iterable[Document], *, workers: int = 1
    ) -> Iterator[tuple[Document, list[Record] | ExtractionError]]:
        """Yield each document with its records, in input order.

        A document on which a stage fails comes with an :class:`~sitrep.errors.ExtractionError`
        instead of its records; the others are extracted as usual. With ``workers`` > 1
        the documents are spread over that many processes, each of which builds its own
        pipeline once.
        """
        if workers <= 1:
            for doc in documents:
                yield doc, self._contained(doc)
            return
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
            docs = list(documents)
            chunk = max(1, min(32, len(docs) // (workers * 4) or 1))
            for doc, result in zip(docs, pool.map(_worker_extract, docs, chunksize=chunk), strict=True):
                yield doc, result.error(doc) if isinstance(result, Failure) else result

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


def _describe(e: BaseException) -> str:
    text = str(e)
    if len(text) > 200:
        text = text[:200] + "…"
    return f"{type(e).__name__}: {text} (a bug in sitrep: please report it with this document)"


_WORKER: Pipeline | None = None


def _init_worker() -> None:
    global _WORKER
    die_with_parent()  # a worker never outlives the command (kill -9 of the parent included)
    _WORKER = Pipeline()


def _worker_extract(doc: Document) -> list[Record] | Failure:
    global _WORKER
    if _WORKER is None:  # set by the initializer; built here only if a pool skipped it
        _WORKER = Pipeline()
    try:
        return _WORKER.extract(doc)
    except ExtractionError as e:
        return Failure(e.message)


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

