"""Run the pipeline over gold files or the project's corpus and score what it predicts."""

from __future__ import annotations

import json
import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, get_args

from sitrep.errors import EvaluationError
from sitrep.evaluate.gold import CorpusReport, Dataset, GoldRow, Half, PageRow, ToponymRow, half, load
from sitrep.evaluate.metrics import Observation, aggregate
from sitrep.evaluate.pages import score_page
from sitrep.evaluate.report import ALL, Report, Section
from sitrep.evaluate.scoring import (
    RowResult,
    event_keys,
    score_gold_row,
    score_pair,
    score_report,
    score_toponyms,
)
from sitrep.model import Document, Record, record_from_json

log = logging.getLogger(__name__)

Predict = Callable[[Document], list[Record]]
Geoparse = Callable[..., list[dict[str, Any]]]


def default_geoparse() -> Geoparse:
    """``sitrep.gazetteer.geoparse``, or a clear error when the gazetteer does not provide it."""
    try:
        from sitrep import gazetteer
    except ImportError as e:
        raise EvaluationError(
            "toponym gold needs sitrep.gazetteer.geoparse(text, lang=...), but sitrep.gazetteer "
            f"cannot be imported ({e})"
        ) from e
    fn = getattr(gazetteer, "geoparse", None)
    if not callable(fn):
        raise EvaluationError(
            "toponym gold needs sitrep.gazetteer.geoparse(text, lang=...) returning dicts with "
            "start, end, latitude, longitude; this sitrep.gazetteer has no geoparse function"
        )
    return fn


def stored_predictions(path: str | Path) -> Predict:
    """A predictor that replays records saved as JSON Lines (one record's ``to_json`` a line).

    Records are looked up by the document's ``doc_id`` (the gold row's ``id``); a
    document with no saved record gets none.
    """
    by_doc: dict[str, list[Record]] = defaultdict(list)
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise EvaluationError(f"{p}: cannot read predictions ({e.strerror})") from e
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = record_from_json(json.loads(line))
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise EvaluationError(f"{p}:{lineno}: not a saved record ({e})") from e
        by_doc[record.doc_id].append(record)

    def predict(doc: Document) -> list[Record]:
        return list(by_doc.get(doc.doc_id, ()))

    return predict


def _page_result(row: PageRow, records: list[Record]) -> RowResult:
    events = [r.to_json() for r in records if r.kind == "event"]
    gold = {"events": [vars_(e) for e in row.events], "not_event_locations": list(row.not_event_locations)}
    return RowResult(
        id=row.id,
        lang=row.lang,
        observations=tuple(score_page(row, records)),
        text=row.text,
        gold=gold,
        prediction=events,
        records=len(records),
    )


def vars_(obj: Any) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in obj.__slots__}


def _document(row: Any) -> Document:
    if isinstance(row, CorpusReport):
        return Document(text=row.text, date=row.date, lang=row.lang, doc_id=row.id)
    return Document(text=row.text, date=row.doc_date, lang=row.lang, doc_id=row.id)


def _predict_all(docs: Sequence[Document], predict: Predict | None, workers: int) -> list[list[Record]]:
    if predict is not None:
        return [list(predict(d)) for d in docs]
    from sitrep.pipeline import default_pipeline  # built once per process, shared by every dataset

    out: list[list[Record]] = []
    for _, result in default_pipeline().extract_many(docs, workers=workers):
        if isinstance(result, Exception):  # a stage failed on this text: scored as no records
            log.warning("%s", result)
            result = []
        out.append(result)
    return out


def _select(
    rows: tuple[Any, ...], limit: int | None, sample: int | None, seed: int, only: Half | None = None
) -> list[Any]:
    chosen = [r for r in rows if only is None or half(_group(r)) == only]
    if sample is not None and sample < len(chosen):
        chosen = random.Random(seed).sample(chosen, sample)
        if any(hasattr(r, "meta") and r.meta.get("parallel_group") for r in chosen):
            chosen = _whole_groups(rows, chosen)
    if limit is not None:
        chosen = chosen[:limit]
    return chosen


def _group(row: Any) -> str:
    """What a row's half is drawn from: its translation group for parallel rows (a pair stays whole)."""
    meta = getattr(row, "meta", None) or {}
    return str(meta.get("parallel_group") or row.id)


def _whole_groups(rows: tuple[Any, ...], chosen: list[Any]) -> list[Any]:
    """A sample of parallel rows widened to whole translation groups (so pairs stay pairs)."""
    groups = {r.meta["parallel_group"] for r in chosen}
    return [r for r in rows if r.meta.get("parallel_group") in groups]


def _is_miss(ob: Observation) -> bool:
    if ob.hit is None or not ob.gated:
        return False
    return ob.hit if ob.better == "lower" else not ob.hit


def _sections(
    dataset: str, results: Sequence[RowResult], extra: Sequence[tuple[str, Observation]] = ()
) -> list[Section]:
    """The figures of all rows, per language, and again for each fixed half (``dataset:tune``,
    ``dataset:check``) when the rows fall in both. ``extra`` holds (group, observation) pairs of
    dataset-level figures (translation pairs)."""
    out = _lang_sections(dataset, results, [ob for _, ob in extra])
    halves: dict[Half, list[RowResult]] = defaultdict(list)
    for r in results:
        halves[half(r.group or r.id)].append(r)
    if len(halves) > 1:
        for name in get_args(Half):
            pairs = [ob for group, ob in extra if half(group) == name]
            out += _lang_sections(f"{dataset}:{name}", halves[name], pairs)
    return out


def _lang_sections(
    dataset: str, results: Sequence[RowResult], extra: Sequence[Observation] = ()
) -> list[Section]:
    by_lang: dict[str, list[RowResult]] = defaultdict(list)
    for r in results:
        by_lang[r.lang].append(r)
    out = [
        Section(
            dataset,
            ALL,
            len(results),
            tuple(aggregate([*(o for r in results for o in r.observations), *extra])),
        )
    ]
    if len(by_lang) > 1:
        for lang in sorted(by_lang):
            rs = by_lang[lang]
            out.append(
                Section(dataset, lang, len(rs), tuple(aggregate(o for r in rs for o in r.observations)))
            )
    return out


def _score_dataset(
    ds: Dataset, rows: list[Any], predict: Predict | None, workers: int, geoparse: Geoparse | None
) -> tuple[list[RowResult], list[tuple[str, Observation]], list[dict[str, Any]]]:
    """Row results, dataset-level observations (translation pairs) and the pairs that differ."""
    if ds.kind == "toponyms":
        fn = geoparse or default_geoparse()
        top_rows: list[ToponymRow] = rows
        return [score_toponyms(r, fn(r.text, lang=r.lang)) for r in top_rows], [], []
    predictions = _predict_all([_document(r) for r in rows], predict, workers)
    if ds.kind == "corpus":
        return [score_report(r, p) for r, p in zip(rows, predictions, strict=True)], [], []
    if ds.kind == "pages":
        page_rows: list[PageRow] = rows
        return [_page_result(r, p) for r, p in zip(page_rows, predictions, strict=True)], [], []
    results = [
        replace(score_gold_row(r, p), group=str(r.meta.get("parallel_group") or ""))
        for r, p in zip(rows, predictions, strict=True)
    ]
    extra: list[tuple[str, Observation]] = []
    misses: list[dict[str, Any]] = []
    if ds.kind == "parallel":
        by_group: dict[str, dict[str, list[Record]]] = defaultdict(dict)
        gold_rows: list[GoldRow] = rows
        for r, p in zip(gold_rows, predictions, strict=True):
            suffix = r.id.rsplit(":", 1)[-1]
            by_group[r.meta["parallel_group"]][suffix] = p
        for group, versions in by_group.items():
            if "en" in versions and "uk" in versions:
                ob = score_pair(group, versions["en"], versions["uk"])
                if ob is not None:
                    extra.append((group, ob))
                    if not ob.hit:
                        misses.append(
                            {
                                "id": group,
                                "dataset": ds.name,
                                "lang": "en-uk",
                                "missed": [ob.metric],
                                "gold": sorted(map(list, event_keys(versions["en"]))),
                                "prediction": sorted(map(list, event_keys(versions["uk"]))),
                            }
                        )
    return results, extra, misses


def evaluate(
    paths: Iterable[str | Path],
    *,
    limit: int | None = None,
    sample: int | None = None,
    seed: int = 0,
    predict: Predict | None = None,
    errors_path: str | Path | None = None,
    workers: int = 1,
    geoparse: Geoparse | None = None,
    only: Half | None = None,
) -> Report:
    """Score the pipeline (or ``predict``) on every dataset under ``paths``.

    ``limit`` keeps the first N rows of each dataset, ``sample`` N random rows
    (seeded by ``seed``; parallel files keep whole translation groups).
    ``errors_path`` receives one JSON line per document with a miss (``missed`` lists the
    metrics), and one per translation pair whose versions differ (en keys as ``gold``, uk as
    ``prediction``).
    ``geoparse`` replaces ``sitrep.gazetteer.geoparse`` for toponym gold. ``only`` keeps one fixed
    half of each dataset (``tune`` or ``check``, see :func:`sitrep.evaluate.gold.half`).
    """
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    sections: list[Section] = []
    misses: list[dict[str, Any]] = []
    docs = 0
    for path in paths:
        for ds in load(Path(path)):
            rows = _select(ds.rows, limit, sample, seed, only)
            if not rows:
                continue
            log.info("scoring %s: %d rows", ds.name, len(rows))
            results, extra, pair_misses = _score_dataset(ds, rows, predict, workers, geoparse)
            docs += len(results)
            sections += _sections(ds.name, results, extra)
            for r in results:
                missed = sorted({ob.metric for ob in r.observations if _is_miss(ob)})
                if missed:
                    misses.append(
                        {
                            "id": r.id,
                            "dataset": ds.name,
                            "lang": r.lang,
                            "missed": missed,
                            "text": r.text,
                            "gold": r.gold,
                            "prediction": r.prediction,
                            "records": r.records,
                        }
                    )
            misses += pair_misses
    if errors_path is not None:
        with Path(errors_path).open("w", encoding="utf-8") as fh:
            for m in misses:
                fh.write(json.dumps(m, ensure_ascii=False) + "\n")
    info = {
        "paths": [str(p) for p in paths],
        "documents": docs,
        "seconds": round(time.perf_counter() - started, 2),
        "limit": limit,
        "sample": sample,
        "seed": seed,
        "half": only,
        "misses": len(misses),
    }
    return Report(tuple(sections), info)
