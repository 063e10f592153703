"""Persons and organisations in Ukrainian and Russian sentences.

No Ukrainian NER model installs offline, so persons come from patterns: a
title or a claimant body from ``lang/<iso>/claims.json`` (``roles`` and
``bodies``) followed by a capitalised name — "голова Харківської ОВА Олег
Синєгубов", "Президент України Володимир Зеленський". The body itself is an
organisation mention. For Russian, natasha's NER (slovnet, shipped inside the
wheel) adds the persons and organisations it finds; it loads lazily, on the
first Russian sentence only (about 0.6 s), and when natasha is not installed
the patterns alone answer.

Mentions: kind ``person`` or ``org``, value the name as written, rule naming
the pattern (``names:role:<role>``, ``names:body:<claimant>``) or ``natasha``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable
from dataclasses import replace
from functools import cache
from typing import Any

from sitrep import lang as langdata
from sitrep import rx
from sitrep.errors import LanguageDataError
from sitrep.model import Mention

log = logging.getLogger(__name__)

_UPPER = "A-ZА-ЯЁІЇЄҐ"
_LOWER = "a-zа-яёіїєґ'’ʼ"
# One to three capitalised words, case-sensitive even inside an IGNORECASE pattern.
_NAME = rf"(?-i:(?P<name>[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?(?:\s+[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?){{1,2}}))"


@cache
def _patterns(lang: str) -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    data = langdata.load(lang, "claims")
    out: list[tuple[str, str, re.Pattern[str]]] = []
    for kind, key, label in (("role", "roles", "role"), ("body", "bodies", "claimant")):
        for entry in data.get(key, []):
            # named groups of the lexicon (region…) would clash when alternated; make them plain groups
            pat = re.sub(r"\(\?P<\w+>", "(?:", entry["pattern"])
            try:
                compiled = rx.compile(rf"(?<![\w-])(?P<title>{pat})(?:\s*[,–—-]\s*|\s+){_NAME}", re.I)
            except re.error as e:
                raise LanguageDataError(f"lang/{lang}/claims.json: bad pattern {entry['pattern']!r}: {e}") from e
            out.append((kind, str(entry.get(label) or ""), compiled))
    return tuple(out)


# the first two words of a ``_NAME``: a sentence without them names no one by a title
_NAME_START = re.compile(rf"(?-i:[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?\s+[{_UPPER}][{_LOWER}]+)")


def by_patterns(text: str, lang: str, *, offset: int = 0, sentence: int = 0) -> list[Mention]:
    """Persons introduced by a title or a body, and those bodies as organisations."""
    found: dict[tuple[int, int, str], Mention] = {}
    if _NAME_START.search(text) is None:
        return []
    for kind, label, pat in _patterns(lang):
        for m in pat.finditer(text):
            s, e = m.span("name")
            found.setdefault(
                (s, e, "person"),
                Mention(
                    kind="person",
                    start=offset + s,
                    end=offset + e,
                    text=m.group("name"),
                    sentence=sentence,
                    value=m.group("name"),
                    rule=f"names:{kind}:{label}",
                    attrs=(("title", m.group("title")),),
                ),
            )
            if kind == "body":
                ts, te = m.span("title")
                found.setdefault(
                    (ts, te, "org"),
                    Mention("org", offset + ts, offset + te, m.group("title"), sentence, label, f"names:body:{label}"),
                )
    return sorted(found.values(), key=lambda x: (x.start, x.end))


@cache
def _natasha() -> tuple[Any, Any] | None:
    try:
        from natasha import NewsNERTagger, Segmenter
    except ImportError:
        log.info("natasha is not installed; Russian names come from patterns only")
        return None
    return Segmenter(), NewsNERTagger(_embedding())


def _embedding() -> Any:
    """natasha's news embedding, read without the norms and similarity table navec works out on loading (about
    half a second, half of natasha's load): the name tagger only looks its vectors up. Where navec reads its
    file otherwise than as this expects, natasha's own loader."""
    from natasha import NewsEmbedding

    try:
        import numpy as np
        from natasha.data import NEWS_EMBEDDING
        from navec import Navec
        from navec.meta import Meta
        from navec.navec import META, PQ_, VOCAB
        from navec.pq import PQ
        from navec.tar import Tar
        from navec.vocab import Vocab

        class Vectors(PQ):
            def precompute(self) -> None:  # norms and the similarity table: not used to tag names
                self.qdims = np.arange(self.qdim)

        with Tar(NEWS_EMBEDDING) as tar:
            meta = Meta.from_file(tar.load(META))
            Meta.check_protocol(meta.protocol)
            return Navec(meta, Vocab.from_file(tar.load(VOCAB)), Vectors.from_file(tar.load(PQ_)))
    except (ImportError, AttributeError, KeyError, OSError, ValueError) as e:
        log.debug("navec read by natasha's own loader (%s)", e)
        return NewsEmbedding()


def by_natasha(text: str, *, offset: int = 0, sentence: int = 0) -> list[Mention]:
    """Persons (PER) and organisations (ORG) natasha finds in a Russian text."""
    models = _natasha()
    if models is None:
        return []
    from natasha import Doc

    segmenter, tagger = models
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    kinds = {"PER": "person", "ORG": "org"}
    return [
        Mention(kinds[s.type], offset + s.start, offset + s.stop, s.text, sentence, s.text, "natasha")
        for s in doc.spans
        if s.type in kinds
    ]


# Two capitalised words in a row ("Денис Пушилин", "В. Гладков"), the least a personal name needs.
_NAME_PAIR = re.compile(rf"(?-i:[{_UPPER}](?:[{_LOWER}]+|\.)\s*[{_UPPER}][{_LOWER}]{{2,}})")


@cache
def _reporting(lang: str) -> re.Pattern[str] | None:
    verbs = langdata.load(lang, "claims").get("verbs", [])
    return re.compile(rf"(?<![\w-])(?:{'|'.join(verbs)})(?![\w])", re.I) if verbs else None


def wants_natasha(text: str, lang: str, found: list[Mention]) -> bool:
    """Whether natasha should look at a sentence: Russian, reporting a statement, holding two capitalised
    words in a row, and with no person the patterns already found. That keeps Russian throughput close to
    the other languages'."""
    verb = _reporting(lang)
    return (
        lang == "ru"
        and not any(f.kind == "person" for f in found)
        and verb is not None
        and verb.search(text) is not None
        and _NAME_PAIR.search(text) is not None
    )


def by_natasha_batch(items: list[tuple[str, int, int]]) -> list[Mention]:
    """natasha over several sentences (text, offset, index) in one call: one tagging pass per report
    instead of one per sentence."""
    if not items:
        return []
    joined, starts = "", []
    for text, _, _ in items:
        starts.append(len(joined))
        joined += text + "\n"
    out = []
    for m in by_natasha(joined):
        k = max(i for i, st in enumerate(starts) if st <= m.start)
        text, offset, sentence = items[k]
        if m.end - starts[k] <= len(text):
            shift = offset - starts[k]
            out.append(replace(m, start=m.start + shift, end=m.end + shift, sentence=sentence))
    return out


def entities(text: str, lang: str, *, offset: int = 0, sentence: int = 0) -> list[Mention]:
    """Person and organisation mentions of one sentence; natasha joins in for Russian (see
    :func:`wants_natasha`)."""
    found = by_patterns(text, lang, offset=offset, sentence=sentence)
    if wants_natasha(text, lang, found):
        found += new_mentions(found, by_natasha(text, offset=offset, sentence=sentence))
    return sorted(found, key=lambda x: (x.start, x.end))


def new_mentions(
    found: Iterable[Mention], more: Iterable[Mention], *, kinds: Collection[str] | None = None
) -> list[Mention]:
    """What a second finder adds to a first: the mentions of ``more`` (only those of ``kinds``, when
    given), in their order, that overlap no mention of their own kind in ``found``."""
    seen = [f for f in found if kinds is None or f.kind in kinds]
    return [
        m
        for m in more
        if (kinds is None or m.kind in kinds)
        and not any(f.kind == m.kind and f.start < m.end and m.start < f.end for f in seen)
    ]
