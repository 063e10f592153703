"""How far the UCDP headlines allow fatalities and claimants to be right at all.

    PYTHONPATH=src python eval/ucdp_ceiling.py [/work/shared/gold/dev/ucdp_ged_ukraine.dev.jsonl]

UCDP codes one event per day and place and often splits a day's tally into events of one or two deaths, while
the headlines behind an event mostly give the day's tally, or no count at all. This script reads only the texts
and the gold (never the pipeline) and counts, per group (2022–2023, all years, each language):

fatalities (``fatalities.in_range``: the prediction, 0 when absent, lies in [``meta.low``, ``meta.high``]):
  - ``zero``: ``low`` is 0, so stating nothing is right;
  - ``stated``: a count the text states lies in the range: a number (digits, or a number word of
    ``lang/<iso>/numbers.json``) or an ordinal ("the body of the third victim") within a few words of a
    casualty word, or a singular person told dead ("a woman died", "the death of a mercenary",
    "Kyrylo Bayev … died", "погиб ополченец") when the range holds 1;
  - ``loose``: any number anywhere in the text lies in the range, or the text tells of any death and the range
    holds 1 (an upper bound: most of these numbers count strikes, regions or units, not deaths).
  The ceiling is ``zero`` or ``stated``; ``loose`` bounds it from above.

claimants (``claimant.found``: a predicted claimant or role matches one part of ``gold.source`` with
``sitrep.evaluate.metrics.claimant_found``):
  - ``named``: the text attributes something to a speaker (" - GUR" at the end of a headline, "said", "reported",
    "according to", "the republic reported", "заявили в ДНР", "по данным" …): an upper bound;
  - ``as written``: a speaker span so attributed, as written, is accepted by the scorer (a lower bound of what a
    system that names speakers as written reaches; canonical names can do better or worse).
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sitrep import lang as langdata
from sitrep.evaluate.metrics import claimant_found

GOLD = Path("/work/shared/gold/dev/ucdp_ged_ukraine.dev.jsonl")
RECENT = ("2022", "2023")
_CYR = re.compile(r"[а-яё]", re.I)

# casualty words (deaths and tallies of losses), kept apart from the pipeline's lexicons on purpose
_DEATH = {
    "en": r"killed|kills?|killing|dead|died|dies|death|deaths|death toll|bodies|body|victims?|perished|lives|"
    r"fatalit(?:y|ies)|slain|shot dead|murder(?:ed)?|liquidated|(?:increased|increases|rose|rises|has risen|climbed|reached) to",
    "ru": r"погиб\w*|гибел\w*|убит\w*|убил\w*|жертв\w*|скончал\w*|умер\w*|тел[оа]\w*|(?:возросло|выросло) до",
}
# verbs of losses count people only when a person noun follows the number ("destroyed 40 invaders", not "two howitzers")
_LOSS = {
    "en": re.compile(r"\b(?:lost|losses|destroyed|eliminated|liquidated|neutrali[sz]ed)\b", re.I),
    "ru": re.compile(r"(?<![\w-])(?:потер\w*|уничтож\w*|ликвидир\w*)", re.I),
}
_PERSONS_AFTER = {
    "en": re.compile(r"^\s+(?:[\w'’-]+\s+){0,2}?(?:people|persons|civilians|soldiers|servicemen|troops|military personnel|"
                     r"invaders|occupiers|Russians|fighters|militants|mercenaries|men|personnel|residents|children)\b", re.I),
    "ru": re.compile(r"^\s+(?:\w+\s+){0,2}?(?:человек|люд\w+|военн\w+|военнослужащ\w+|бойц\w+|солдат\w*|боевик\w*)",
                     re.I),
}
_ORDINALS = {
    "en": {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
           "tenth": 10},
    "ru": {"второй": 2, "второго": 2, "третий": 3, "третьего": 3, "третьей": 3, "четвертый": 4, "четвертого": 4,
           "пятый": 5, "пятого": 5},
}
_PERSON_EN = (
    r"civilian|man|woman|boy|girl|child|teenager|soldier|serviceman|servicewoman|resident|official|officer|"
    r"policeman|volunteer|journalist|medic|rescuer|pensioner|driver|commandant|commander|deputy|head|mayor|"
    r"worker|farmer|victim|person|fighter|militiaman|mercenary|doctor|operator|priest|rebel|citizen|pilot"
)
_SINGULAR = {
    "en": re.compile(
        rf"(?i:\b(?:{_PERSON_EN})\b[^.;:!?\d]{{0,100}}?\b(?:died|dies|has died|was killed|killed|shot dead|liquidated)\b"
        rf"(?!\s+(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|more|people|civilians|residents)\b)"
        rf"|\bdeath of (?:a|an|the)\b|\bkill(?:ed|ing) (?:a |an |the |one )?(?:[\w'’-]+ )?(?:{_PERSON_EN})\b"
        rf"|\bone (?:dead|killed)\b|\bthere (?:is|was) a dead\b|\ba dead (?:man|woman|person|body)\b)"
        r"|\b[A-Z][a-z]+ [A-Z][a-z]+\b[^.;:]{0,80}?\b(?:died|was killed|dies)\b",
    ),
    "ru": re.compile(
        r"\b(?:погиб|убит|скончался|гибели)\s+(?:\w+\s+){0,2}?(?:ополченец|ополченца|военный|военного|"
        r"военнослужащий|военнослужащего|мирный житель|мирного жителя|человек|мужчина|мужчины|женщина|женщины|"
        r"реб[её]нок|реб[её]нка|боец|бойца)\b"
        r"|\b(?:один|одна|ополченец|военный|военнослужащий|мужчина|женщина|реб[её]нок)\s+(?:\w+\s+){0,2}?"
        r"(?:погиб|погибла|убит|убита|скончался|скончалась)\b",
        re.I,
    ),
}
_ATTRIBUTION = {
    "en": [
        re.compile(r"\s[-–—]\s*(?P<who>[^-–—]{2,80})$"),  # "… - Russian Defense Ministry"
        re.compile(r"(?:,|^)\s*(?P<who>(?:the |a )?[\w'’\". -]{2,60}?)\s+(?:said|says|say|reported|reports|"
                   r"claimed|claims|announced|stated|told)\b", re.I),
        re.compile(r"\b(?:according to|reported (?:in|by)|quoting|citing)\s+(?P<who>[\w'’\". -]{2,60})", re.I),
        re.compile(r"^(?P<who>[\w'’\". ]{2,40}?)\s+(?:summary|report|data)\b", re.I),
        re.compile(r"^(?P<who>[\w'’.\" ]{2,40}?)(?:\s*@\w+)", re.I),
    ],
    "ru": [
        re.compile(r"\b(?:сообщил\w*|заявил\w*|рассказал\w*|передает|передаёт)\s+(?:в|во)\s+(?P<who>[\w -]{2,40})",
                   re.I),
        re.compile(r"\bпо данным\s+(?P<who>[\w -]{2,60})", re.I),
        re.compile(r"(?P<who>[\w -]{2,60}?)\s+(?:сообщил\w*|заявил\w*)\b", re.I),
        re.compile(r"\s[-–—]\s*(?P<who>[^-–—]{2,80})$"),
    ],
}


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _lang(line: str) -> str:
    return "ru" if len(_CYR.findall(line)) >= 3 else "en"


def _number_words(lang: str) -> dict[str, int]:
    data = langdata.load(lang, "numbers")
    # an article is a number only with a person noun, which the singular patterns look for ("in a day" is none)
    return {k.lower(): int(v) for k, v in data.get("words", {}).items() if k.lower() not in ("a", "an")}


def _numbers(line: str, lang: str) -> list[tuple[int, int, int]]:
    """(start, end, value) of every number written in digits or words, and of every ordinal."""
    words = {**_number_words(lang), **_ORDINALS[lang]}
    alt = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    out = []
    for m in re.finditer(rf"(?<![\w.,])(?:(?P<d>\d{{1,3}}(?:,\d{{3}})+|\d+)|(?P<w>{alt}))(?![\w])", line, re.I):
        value = int(m.group("d").replace(",", "")) if m.group("d") else words[m.group("w").lower()]
        out.append((m.start(), m.end(), value))
    return out


def stated_counts(text: str) -> set[int]:
    """Counts of dead the text states: a number within four words of a casualty word, or 1 for a singular death."""
    counts: set[int] = set()
    for line in text.splitlines():
        lang = _lang(line)
        death = re.compile(rf"(?<![\w-])(?:{_DEATH[lang]})(?![\w])", re.I)
        cues = [(m.start(), m.end()) for m in death.finditer(line)]
        for start, end, value in _numbers(line, lang):
            for cs, ce in cues:
                between = line[end:cs] if cs >= end else line[ce:start]
                if len(between.split()) <= 5 and not re.search(r"[.;:!?]", between):
                    counts.add(value)
            loss = [m for m in _LOSS[lang].finditer(line[:start]) if len(line[m.end() : start].split()) <= 8]
            if loss and _PERSONS_AFTER[lang].match(line[end:]):
                counts.add(value)
        if cues and _SINGULAR[lang].search(line):
            counts.add(1)
    return counts


def loose_counts(text: str) -> set[int]:
    counts = {v for line in text.splitlines() for _, _, v in _numbers(line, _lang(line))}
    if any(re.search(rf"(?<![\w-])(?:{_DEATH[_lang(ln)]})(?![\w])", ln, re.I) for ln in text.splitlines()):
        counts.add(1)
    return counts


def speakers(text: str) -> list[str]:
    """Spans the text presents as the source of what it says."""
    found = []
    for line in text.splitlines():
        for pat in _ATTRIBUTION[_lang(line)]:
            found += [m.group("who").strip(" .,\"'") for m in pat.finditer(line.strip())]
    return [s for s in found if len(s) >= 2]


def _share(hits: Iterable[bool]) -> str:
    h = list(hits)
    return f"{sum(h) / len(h):.3f} ({sum(h)}/{len(h)})" if h else "-"


def main(path: Path = GOLD) -> None:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(path):
        groups["all"].append(row)
        groups[f"lang={row.get('lang')}"].append(row)
        if (row.get("doc_date") or row["gold"].get("date") or "")[:4] in RECENT:
            groups["2022-2023"].append(row)
    for name in ("2022-2023", "all", *sorted(k for k in groups if k.startswith("lang="))):
        rows = groups[name]
        fat = [r for r in rows if r["meta"].get("low") is not None and r["meta"].get("high") is not None]
        zero, stated, loose = [], [], []
        for r in fat:
            lo, hi = r["meta"]["low"], r["meta"]["high"]
            z = lo == 0
            zero.append(z)
            stated.append(z or any(lo <= c <= hi for c in stated_counts(r["text"])))
            loose.append(z or any(lo <= c <= hi for c in loose_counts(r["text"])))
        cl = [r for r in rows if r["gold"].get("source")]
        named = [bool(speakers(r["text"])) for r in cl]
        written = [claimant_found(speakers(r["text"]), r["gold"]["source"]) for r in cl]
        print(f"{name}: {len(rows)} rows")
        print(f"  fatalities.in_range ceiling (zero or stated)  {_share(stated)}")
        print(f"    of which low = 0                           {_share(zero)}")
        print(f"    loose upper bound (any number in range)    {_share(loose)}")
        print(f"  claimant.found: text names a speaker        {_share(named)}")
        print(f"    a speaker as written is accepted           {_share(written)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else GOLD)
