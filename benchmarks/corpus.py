"""The benchmark's corpus: report-sized documents in which no sentence is repeated.

Each document gathers consecutive texts of one source until it reaches about ``size`` characters (6,000 by
default, a long wire story); a sentence already used anywhere in the corpus is left out, so no cache of any
kind can make a repeated sentence cheap. The sources, taken in turns so that a smaller ``count`` keeps the mix:

- the development gold in ``../shared/gold/dev/`` when present (read by path, never copied): the English news
  articles of the geoparsing gold, the Ukrainian, English and Russian texts of Warline, the ACLED notes and
  the UCDP headlines (English and Russian);
- the project's own corpus (``eval/corpus/<lang>/*.json``) and the example report, in all four languages.

Without the gold only the project's corpus is left: a few documents, which the benchmark says.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"


def _shared() -> Path:
    """``../shared`` beside the checkout (or beside the folder of worktrees it sits in)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared").is_dir():
            return base / "shared"
    return ROOT.parent / "shared"


GOLD = _shared() / "gold" / "dev"
EXAMPLE = _shared() / "examples" / "000_483b72b96b9df30c.txt"

# (file, language or None for every row): the order in which sources take turns
_GOLD_SOURCES = (
    ("geoparse_gold_en.dev.jsonl", None),
    ("warline_raw_en_uk.dev.jsonl", "uk"),
    ("acled_peacerep_sample.dev.jsonl", None),
    ("warline_raw_en_uk.dev.jsonl", "en"),
    ("ucdp_ged_ukraine.dev.jsonl", None),
    ("acled_looting_property_destruction.dev.jsonl", None),
)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")


def _gold_texts(name: str, lang: str | None) -> Iterator[tuple[str, str | None]]:
    path = GOLD / name
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if lang is None or row.get("lang") == lang:
                yield row["text"], row.get("doc_date")


def _own_texts() -> Iterator[tuple[str, str | None]]:
    for path in sorted(CORPUS.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        yield data["text"], data.get("date")
    if EXAMPLE.is_file():
        head, _, text = EXAMPLE.read_text(encoding="utf-8").strip().partition("\n")
        yield text, head.split()[-1] if head.startswith("date") else None


def _packed(texts: Iterator[tuple[str, str | None]], size: int, seen: set[str]) -> Iterator[tuple[str, str | None]]:
    """Documents of about ``size`` characters from ``texts`` (a text's sentences joined, texts by paragraph
    breaks), without a sentence seen before."""
    paragraphs: list[str] = []
    length = 0
    date: str | None = None
    for text, when in texts:
        kept: list[str] = []
        for m in _SENTENCE.finditer(text):
            sentence = m.group(0).strip()
            key = " ".join(sentence.lower().split())
            if len(key) < 3 or key in seen:
                continue
            seen.add(key)
            kept.append(sentence)
            length += len(sentence) + 1
            if length >= size:
                paragraphs.append(" ".join(kept))
                yield "\n\n".join(paragraphs), date or when
                paragraphs, kept, length, date = [], [], 0, None
        if kept:
            paragraphs.append(" ".join(kept))
            date = date or when
    if length >= size // 2:
        yield "\n\n".join(paragraphs), date


def documents(count: int, *, size: int = 6000) -> list[Any]:
    """Up to ``count`` documents of about ``size`` characters, the same on every run."""
    from sitrep.model import Document

    seen: set[str] = set()
    sources = [_packed(_own_texts(), size, seen)]
    sources += [_packed(_gold_texts(name, lang), size, seen) for name, lang in _GOLD_SOURCES]
    docs: list[Any] = []
    while sources and len(docs) < count:
        for source in list(sources):
            item = next(source, None)
            if item is None:
                sources.remove(source)
                continue
            text, date = item
            docs.append(Document(text=text, date=date, doc_id=f"bench-{len(docs):03d}"))
            if len(docs) == count:
                break
    return docs
