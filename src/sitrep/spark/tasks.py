"""What runs on the executors: reading input files, telling languages, extracting a partition.

Each executor's Python process builds the pipeline once, on the first partition it extracts, and
loads the place index from the copy Spark shipped with the job (``SparkContext.addFile``), found
with ``SparkFiles``; when that copy is missing the task fails with a :class:`GazetteerError` rather
than compiling an index of its own. Later partitions in the same process reuse both (Spark reuses
its Python workers: ``spark.python.worker.reuse``, on by default).

The elements passed between the stages of the job are plain tuples (:data:`Item`):

- ``("doc", uid, Document, digest)``: a report read (``uid`` is where it was read, unique in a run);
- ``("error", where, url, kind, reason)``: an input that could not be read or extracted;
- ``("skip", where, url, kind, reason)``: a page that is not an article, a language sitrep does not read.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sitrep.errors import GazetteerError, InputError
from sitrep.lang import LANGUAGES
from sitrep.model import Document
from sitrep.pipeline import Pipeline
from sitrep.spark.schema import document_row, record_row, urls_of

log = logging.getLogger(__name__)

Item = tuple[Any, ...]

#: below this probability an unsupported language is not trusted and the pipeline reads the report anyway
LANGUAGE_CONFIDENCE = 0.9

_PIPELINE: Pipeline | None = None
_LANGID: Any = None


def digest(text: str) -> str:
    """The exact-duplicate key: the text case-folded with its white space collapsed."""
    return hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()


def read_file(path: str, date: str | None = None, lang: str | None = None) -> Iterator[Item]:
    """The items of one input file: its reports, its errors, the pages and languages skipped."""
    from sitrep.ingest import iter_documents
    from sitrep.ingest.warc import Skipped, is_warc, read_warc

    if is_warc(path):
        try:
            with open(path, "rb") as f:
                items: Iterable[Any] = list(read_warc(path, f, lang=lang))
        except OSError as e:
            yield ("error", path, None, "InputError", f"cannot read: {e.strerror or e}")
            return
    else:
        items = iter_documents([path], date=date, lang=lang)
    for item in items:
        if isinstance(item, Skipped):
            yield ("skip", item.where, item.url, "not an article", item.reason)
        elif isinstance(item, InputError):
            yield ("error", item.where, None, type(item).__name__, item.message)
        else:
            unsupported = unsupported_language(item)
            if unsupported:
                yield ("skip", item.origin, item.url, "language", unsupported)
            else:
                yield ("doc", item.origin or item.doc_id, item, digest(item.text))


def unsupported_language(doc: Document) -> str | None:
    """The language of ``doc`` when it is one sitrep does not read (the given one, else a confident guess)."""
    if doc.lang:
        return None if doc.lang in LANGUAGES else doc.lang
    global _LANGID
    if _LANGID is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        _LANGID = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    lang, prob = _LANGID.classify(doc.text[:4000])
    if lang in LANGUAGES or prob < LANGUAGE_CONFIDENCE:
        return None
    return str(lang)


def pipeline(index_name: str | None, builds: Any = None) -> Pipeline:
    """This process's pipeline, built on first use with the place index shipped as ``index_name``."""
    global _PIPELINE
    if _PIPELINE is None:
        if index_name is not None:
            use_shipped_index(index_name)
        _PIPELINE = Pipeline()
        if builds is not None:
            builds.add(1)
        log.info("pipeline built in process %d", os.getpid())
    return _PIPELINE


def use_shipped_index(name: str) -> None:
    from pyspark import SparkFiles

    path = Path(SparkFiles.get(name))
    if not path.is_file():
        raise GazetteerError(
            f"{path}: the place index shipped with the job is not on this executor; "
            f"pass it with --files (spark-submit) or let `sitrep spark` ship it"
        )
    os.environ["SITREP_CACHE"] = str(path.parent)


def extract_partition(
    docs: Iterable[tuple[Document, str, list[dict[str, str | None]]]],
    *,
    index_name: str | None,
    builds: Any = None,
) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """``(table, row)`` for each record and document of a partition; a document that fails is an error row."""
    pipe: Pipeline | None = None
    for doc, key, duplicates in docs:
        if pipe is None:
            pipe = pipeline(index_name, builds)
        try:
            records = pipe.extract(doc)
        except Exception as e:  # one report that breaks a stage must not fail the job: it is reported
            log.exception("%s: extraction failed", doc.origin)
            yield "errors", (doc.origin, doc.url, "ExtractionError", f"{type(e).__name__}: {e}")
            continue
        urls = urls_of(doc, duplicates)
        events = aid = 0
        for record in records:
            if record.kind == "aid":
                aid += 1
                yield "aid", record_row(record, urls)
            else:
                events += 1
                yield "events", record_row(record, urls)
        yield "documents", document_row(doc, digest=key, events=events, aid=aid, duplicates=duplicates)
