"""Hromadas named by a list of their adjectives, placed at each hromada's centre (precision 2).

Roundups list the communities shelled by their adjectives: "les communes de Krasnopilska, Myropilska et
Bilopilska", "the Krasnopilska and Myropilska hromadas", "у Краснопільській, Миропільській та Білопільській
громадах". A bare adjective names no place the gazetteer knows (or a namesake village), so each adjective of
such a list is looked up with the unit's noun and, among namesake hromadas of several oblasts, the one in the
oblast most of the list shares is kept. The nouns are language data (``lang/<iso>/units.json``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache

from sitrep import lang as langdata
from sitrep.gazetteer import Gazetteer
from sitrep.gazetteer.text import is_cyrillic
from sitrep.model import Analysis, Mention, Place

# a hromada's adjective: capitalised, Latin ("Krasnopilska", "Seredyno-Boudska") or Cyrillic, any case ending
_ADJ = r"[A-ZА-ЯІЇЄҐЁ][\w'’]+(?:-[A-ZА-ЯІЇЄҐЁ][\w'’]+)?"
# the nominative feminine of such an adjective ("-ska", "-ська", "-ская"): "Nova Sloboda community" has none
_ADJ_RE = re.compile(_ADJ)
_FEMININE = re.compile(r"(?:ska|cka|zka|ська|цька|зька|ская|цкая)$", re.I)


@dataclass(frozen=True)
class _Lists:
    before: re.Pattern[str] | None  # noun, then the list
    after: tuple[re.Pattern[str], re.Pattern[str]] | None  # a list, and the noun right after it
    endings: tuple[tuple[str, str], ...]  # inflected feminine ending -> nominative


@cache
def _lists(lang: str) -> _Lists:
    data = langdata.load(lang, "units")
    nouns = data.get("hromada", {})
    conj = data.get("and") or "and"
    items = rf"{_ADJ}(?:\s*,\s*(?:(?:{conj})\s+)?{_ADJ}|\s+(?:{conj})\s+{_ADJ})*"
    before = re.compile(rf"(?i:{nouns['before']})({items})") if nouns.get("before") else None
    # each list is read once, to its end, and taken when the noun follows it: one pattern for both would read a
    # list again from each of its items when no noun follows, in time growing with the square of its length
    after = ((re.compile(rf"(?<![\w-])({items})"), re.compile(rf"\s+(?i:{nouns['after']})(?![\w])"))
             if nouns.get("after") else None)
    endings = tuple(sorted(data.get("adjective_endings", {}).items(), key=lambda kv: -len(kv[0])))
    return _Lists(before=before, after=after, endings=endings)


def _nominative(adj: str, endings: tuple[tuple[str, str], ...]) -> str:
    for ending, nominative in endings:
        if adj.endswith(ending) and len(adj) - len(ending) >= 3:
            return adj[: -len(ending)] + nominative
    return adj


def _listed(text: str, lists: _Lists) -> list[list[tuple[int, int, str]]]:
    """Each list of adjectives next to a hromada noun: (start, end, adjective as written) per item."""
    found = list(lists.before.finditer(text)) if lists.before is not None else []
    if lists.after is not None:
        items, noun = lists.after
        found += (m for m in items.finditer(text) if noun.match(text, m.end()))
    return [[(m.start(1) + a.start(), m.start(1) + a.end(), a.group(0)) for a in _ADJ_RE.finditer(m.group(1))]
            for m in found]


def _choose(found: list[list[Place]], raions: set[tuple[str | None, str | None]]) -> list[Place | None]:
    """One hromada per adjective: among namesakes, the one in a raion the report names ("атака на Синельниківський
    район … у Покровській громаді"), else in the oblast that most of the list shares."""
    votes = Counter(o for cands in found for o in {p.admin1 for p in cands})
    return [max(cands, key=lambda p: ((p.admin1, p.admin2) in raions, votes[p.admin1])) if cands else None
            for cands in found]


def hromadas(an: Analysis, gazetteer: Gazetteer, changed: dict[int, Mention | None]) -> list[Mention]:
    """Hromadas named by lists of adjectives: the place mention over each adjective becomes the hromada
    (``changed``, keyed by the mention's id; None drops it), or a hromada mention is returned where there was
    none."""
    text = an.document.text
    lists = _lists(an.lang)
    places = an.of_kind("place")
    raions = {(p.value.admin1, p.value.admin2) for p in places if p.value.feature == "admin2"}
    added: list[Mention] = []
    for items in _listed(text, lists):
        names = [_nominative(adj, lists.endings) for _, _, adj in items]
        found = [[p for p in gazetteer.lookup(f"{name} {'громада' if is_cyrillic(name) else 'hromada'}", limit=5)
                  if p.feature == "hromada"]
                 if _FEMININE.search(name) else [] for name in names]
        chosen = _choose(found, raions)
        for (start, end, adj), name, hromada in zip(items, names, chosen, strict=True):
            if hromada is None:
                over = next((p for p in places if p.start < end and start < p.end), None)
                if over is not None and len(items) > 1 and any(chosen) and _FEMININE.search(name):
                    # "Шалыгинскую, Николаевскую, Белопольскую … громады": an adjective of the list names a
                    # hromada the gazetteer lacks, not the namesake village elsewhere
                    changed[id(over)] = None
                continue
            sentence = next((s.index for s in an.sentences if s.start <= start < s.end), 0)
            mention = Mention("place", start, end, adj, sentence, hromada, "gazetteer:hromada",
                              (("confidence", 0.8), ("alternatives", 1), ("feature", "hromada")))
            over = next((p for p in places if p.start < end and start < p.end), None)
            if over is not None:
                changed[id(over)] = replace(mention, start=over.start, end=over.end, text=over.text)
            else:
                added.append(mention)
    return added
