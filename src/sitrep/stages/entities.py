"""Entities: actors, states and persons, from ``lang/<iso>/actors.json`` and ``claims.json``.

- ``actor`` mentions name an armed or civilian party in ACLED's spelling
  (value: the ACLED actor name; attrs: side, agent);
- ``state`` mentions name a state or alliance (value: its English name), used
  for donors of aid and for claimants speaking for a state;
- ``person`` mentions are capitalised names next to a role word ("Pavlo
  Kyrylenko", "Hanna Malyar"); attrs hold the role and the region named with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, ClassVar

from sitrep import lang as langdata
from sitrep import rx
from sitrep.model import Analysis, Mention
from sitrep.stages import names
from sitrep.stages.lexicon import Lexicon

SLAVIC = frozenset({"uk", "ru"})
# what this stage takes from the Ukrainian/Russian name finders (names.py): their persons only
PERSONS = frozenset({"person"})

# A personal name: two to three capitalised words (Latin or Cyrillic), allowing hyphens and apostrophes; each
# word has a small letter, so an acronym is no name's word ("речниця Херсонської ОВА Анастасія Шевченко")
_WORD = r"[A-ZÀ-ÝА-ЯЁІЇЄҐ](?=[\w'’-]*[a-zà-ÿа-яёіїєґ])[\w'’-]+"
_NAME = rf"(?:{_WORD})(?:\s+{_WORD}){{1,2}}"


@dataclass(frozen=True)
class _Pattern:
    pattern: re.Pattern[str]
    value: str
    attrs: tuple[tuple[str, Any], ...]


@cache
def lexicon(lang: str) -> tuple[list[_Pattern], list[_Pattern], list[_Pattern]]:
    data = langdata.load(lang, "actors")
    actors = [
        _Pattern(
            langdata.pattern(lang, "actors", a["pattern"]),
            a["actor"],
            (("side", a.get("side")), ("agent", bool(a.get("agent")))),
        )
        for a in data.get("actors", [])
    ]
    states = [
        _Pattern(rx.compile(rf"(?<![\w-])(?:{s['pattern']})(?![\w])"), s["name"], ())
        for s in data.get("states", [])
    ]
    roles = [
        _Pattern(langdata.pattern(lang, "claims", r["pattern"]), r["role"], (("side", r.get("side")),))
        for r in langdata.load(lang, "claims").get("roles", [])
    ]
    return actors, states, roles


def _region(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    return groups.get("region") or groups.get("region2")


@cache
def _lexicon(lang: str) -> Lexicon:
    """The actor, state and role patterns of ``lang`` (in that order), matched together in one pass."""
    return Lexicon([p.pattern for part in lexicon(lang) for p in part])


def scan(text: str, lang: str, *, offset: int = 0, sentence: int = 0) -> list[Mention]:
    actors, states, roles = lexicon(lang)
    out: list[Mention] = []
    # the matches come by pattern, in the order of the lists: the actors', then the states', then the roles'
    by_role: list[tuple[int, re.Match[str]]] = []
    for k, m in _lexicon(lang).found(text):
        if k < len(actors):
            a = actors[k]
            out.append(Mention("actor", offset + m.start(), offset + m.end(), m.group(0), sentence, a.value,
                               "actors:" + lang, a.attrs))
        elif k < len(actors) + len(states):
            out.append(Mention("state", offset + m.start(), offset + m.end(), m.group(0), sentence,
                               states[k - len(actors)].value, "states:" + lang))
        else:
            by_role.append((k - len(actors) - len(states), m))
    for k, m in by_role:
        r = roles[k]
        person = _person_near(text, m.start(), m.end())
        attrs = (("role", r.value), ("region", _region(m)), *r.attrs)
        if person is not None:
            ps, pe = person
            out.append(Mention("person", offset + ps, offset + pe, text[ps:pe], sentence, text[ps:pe],
                               "roles:" + lang, attrs))
        out.append(Mention("role", offset + m.start(), offset + m.end(), m.group(0), sentence, r.value,
                           "roles:" + lang, attrs))
    return out


_AFTER = re.compile(rf"^,?\s*(?P<name>{_NAME})")
# the wire's apposition: the role, what it heads, a comma, the name ("le gouverneur de la région, Vadym Filashkin",
# "le chef de l'administration militaire de la région de Zaporijjia, Ivan Fedorov", "the head of the regional
# military administration, Oleh Syniehubov"): up to eight words of no punctuation between
_QUALIFIED = re.compile(rf"^(?:\s+[\w'’-]+){{1,8}}?\s*,\s*(?P<name>{_NAME})(?=\s*(?:,|$|[.;:!?]|\s+(?-i:[a-zà-ÿ])))")
_BEFORE = re.compile(rf"(?P<name>{_NAME}),?\s*(?:the\s+|an?\s+|le\s+|la\s+|une?\s+)?$")


def _person_near(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A personal name right after a role ("governor Pavlo Kyrylenko"), after the role and what it heads
    ("le gouverneur de la région, Vadym Filashkin") or right before it ("Kyrylenko, governor")."""
    m = _AFTER.match(text[end : end + 60]) or _QUALIFIED.match(text[end : end + 140])
    if m:
        return end + m.start("name"), end + m.end("name")
    head = text[max(0, start - 60) : start]
    b = _BEFORE.search(head)
    if b:
        base = max(0, start - 60)
        return base + b.start("name"), base + b.end("name")
    return None


class Entities:
    name: ClassVar[str] = "entities"
    requires: ClassVar[tuple[str, ...]] = ("sentences",)
    assigns: ClassVar[tuple[str, ...]] = ("actors", "states", "persons")

    def __call__(self, analysis: Analysis) -> Analysis:
        found: list[Mention] = []
        tagger: list[tuple[str, int, int]] = []  # Russian sentences for natasha, tagged in one pass
        for s in analysis.sentences:
            lang = s.lang or analysis.lang
            mine = scan(s.text, lang, offset=s.start, sentence=s.index)
            if lang in SLAVIC:
                # persons found by the Ukrainian/Russian name finders that no role pattern already gave
                named = names.by_patterns(s.text, lang, offset=s.start, sentence=s.index)
                mine += names.new_mentions(mine, named, kinds=PERSONS)
                if names.wants_natasha(s.text, lang, [*mine, *named]):
                    tagger.append((s.text, s.start, s.index))
            found += mine
        found += names.new_mentions(found, names.by_natasha_batch(tagger), kinds=PERSONS)
        return replace(analysis, mentions=analysis.add(found))
