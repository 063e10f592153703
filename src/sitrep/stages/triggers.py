"""Event triggers, weapons and modality markers, from ``lang/<iso>/triggers.json`` and ``modality.json``.

A trigger mention's value is its ACLED sub-event type; its attrs hold the
lexicon entry's id, weight and whether it is generic (a weapon named in the
same clause then decides the sub-event type). Weapon mentions name the weapon
and the sub-event type it implies. Modality mentions mark future, hypothetical,
negated, generic and objective statements, so the records stage can tell what
happened from what was said might happen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, ClassVar

from sitrep import lang as langdata
from sitrep.errors import LanguageDataError
from sitrep.model import EVENT_TYPES, Analysis, Mention
from sitrep.stages import scan_document
from sitrep.stages.lexicon import Lexicon

SUB_TO_TYPE = {sub: etype for etype, subs in EVENT_TYPES.items() for sub in subs}


@dataclass(frozen=True)
class _Entry:
    id: str
    pattern: re.Pattern[str]
    sub_event_type: str
    weight: int = 1
    generic: bool = False
    weapon: str = ""


@cache
def lexicon(lang: str) -> tuple[list[_Entry], list[_Entry], list[tuple[str, re.Pattern[str]]]]:
    data = langdata.load(lang, "triggers")
    triggers = []
    for t in data.get("triggers", []):
        sub = t["sub_event_type"]
        if sub not in SUB_TO_TYPE:
            raise LanguageDataError(f"lang/{lang}/triggers.json: {t['id']}: unknown sub-event type {sub!r}")
        triggers.append(
            _Entry(
                id=t["id"],
                pattern=langdata.pattern(lang, "triggers", t["pattern"]),
                sub_event_type=sub,
                weight=int(t.get("weight", 1)),
                generic=bool(t.get("generic", False)),
            )
        )
    weapons = [
        _Entry(
            id=w["weapon"],
            pattern=langdata.pattern(lang, "triggers", w["pattern"]),
            sub_event_type=w["sub_event_type"],
            weapon=w["weapon"],
        )
        for w in data.get("weapons", [])
    ]
    modality: list[tuple[str, re.Pattern[str]]] = []
    for kind, pats in langdata.load(lang, "modality").items():
        if kind.startswith("_") or not pats:
            continue
        alt = "|".join(sorted(pats, key=len, reverse=True))
        modality.append((kind, langdata.pattern(lang, "modality", alt)))
    return triggers, weapons, modality


_Kind = tuple[str, Any, str, tuple[tuple[str, Any], ...]]  # mention kind, value, rule, attrs


@cache
def _scanner(lang: str) -> tuple[Lexicon, list[_Kind]]:
    """All of a language's trigger, weapon and modality patterns as one :class:`Lexicon`, and what each
    pattern's mentions are."""
    triggers, weapons, modality = lexicon(lang)
    patterns = [t.pattern for t in triggers] + [w.pattern for w in weapons] + [p for _, p in modality]
    kinds: list[_Kind] = [
        ("trigger", t.sub_event_type, f"triggers:{lang}:{t.id}", (("id", t.id), ("weight", t.weight), ("generic", t.generic)))
        for t in triggers
    ]
    kinds += [("weapon", w.weapon, f"weapons:{lang}:{w.id}", (("sub_event_type", w.sub_event_type),)) for w in weapons]
    kinds += [("modality", kind, f"modality:{lang}:{kind}", ()) for kind, _ in modality]
    return Lexicon(patterns), kinds


def scan(text: str, lang: str, *, offset: int = 0, sentence: int = 0) -> list[Mention]:
    """Trigger, weapon and modality mentions of one sentence (or of a run of sentences, from ``offset``)."""
    lex, kinds = _scanner(lang)
    out = [
        Mention(kind, offset + m.start(), offset + m.end(), m.group(0), sentence, value, rule, attrs)
        for (kind, value, rule, attrs), found in zip(kinds, lex.matches(text), strict=True)
        for m in found
    ]
    return _drop_nested(out)


def _drop_nested(mentions: list[Mention]) -> list[Mention]:
    """Of two triggers over the same words, keep the longer (then the heavier) one."""
    trig = sorted(
        (m for m in mentions if m.kind == "trigger"),
        key=lambda m: (-(m.end - m.start), -m.attr("weight", 0)),
    )
    kept: list[Mention] = []
    for m in trig:
        if not any(k.start <= m.start and m.end <= k.end for k in kept):
            kept.append(m)
    return kept + [m for m in mentions if m.kind != "trigger"]


class Triggers:
    name: ClassVar[str] = "triggers"
    requires: ClassVar[tuple[str, ...]] = ("sentences",)
    assigns: ClassVar[tuple[str, ...]] = ("triggers", "weapons", "modality")

    def __call__(self, analysis: Analysis) -> Analysis:
        return replace(analysis, mentions=analysis.add(scan_document(analysis, scan)))
