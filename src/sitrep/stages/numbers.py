"""Numbers: casualty counts and sums of money, in digits or in words.

Reads ``lang/<iso>/numbers.json`` (number words, approximate words, scale
words, lower-bound phrases, casualty words) and ``lang/<iso>/aid.json``
(currencies). Casualty mentions carry ``type`` (killed, injured, hospitalised,
missing), ``lower_bound`` and ``who`` (civilians, soldiers or None); money
mentions carry the amount as a float and the ISO currency code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import ClassVar

from sitrep import lang as langdata
from sitrep.model import Analysis, Mention

_DIGITS = r"\d{1,3}(?:[  ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"


@dataclass(frozen=True, slots=True)
class Number:
    start: int
    end: int
    value: float
    lower_bound: bool = False
    approximate: bool = False


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Grammar:
    number: re.Pattern[str]
    words: dict[str, int]
    approx: dict[str, int]
    scales: dict[str, float]
    lower: re.Pattern[str]
    after: dict[str, re.Pattern[str]]  # NUMBER … casualty word
    before: dict[str, re.Pattern[str]]  # casualty verb … NUMBER
    article_one: re.Pattern[str] | None
    one_after: re.Pattern[str] | None  # casualty word … singular person noun: "загинув чоловік"
    not_count: re.Pattern[str] | None  # what after a number makes it an age, a calibre, an hour…
    soldiers: re.Pattern[str]
    civilians: re.Pattern[str]
    currency: list[tuple[re.Pattern[str], str]]
    ages: re.Pattern[str] | None
    one: list[tuple[str, re.Pattern[str]]]  # "killed the deputy head": one person, no number written
    # "destroyed up to 40 servicemen", "lost over 130 servicemen": a verb that counts people only when a person
    # noun follows the number (not "destroyed 70 military units")
    verb_persons: dict[str, re.Pattern[str]]
    persons_after: re.Pattern[str]


@cache
def grammar(lang: str) -> _Grammar:
    data = langdata.load(lang, "numbers")
    aid = langdata.load(lang, "aid")
    words = {k.lower(): int(v) for k, v in data.get("words", {}).items()}
    approx = {k.lower(): int(v) for k, v in data.get("approximate", {}).items()}
    scales = {k.lower(): float(v) for k, v in data.get("scales", {}).items()}
    word_alt = _alt({**words, **approx}) or "(?!)"
    scale_alt = _alt(scales) or "(?!)"
    number = re.compile(
        rf"(?<![\w.,])(?:(?P<d>{_DIGITS})|(?P<w>{word_alt}))(?:[ \u00a0]?(?P<s>{scale_alt}))?(?![\w]|-[^\W\d])", re.I
    )
    lower = re.compile(rf"(?:{_alt(data.get('lower_bound', [])) or '(?!)'})\s*$", re.I)
    persons = _alt(data.get("persons", [])) or "(?!)"
    # words between a number and its casualty word, and an aside: "seven people, including three children, died"
    filler = rf"(?:(?:{persons}|[\w'’-]{{1,14}})(?:\s+|\s*,\s*including\s+[^,.;:]{{1,40}},\s*)){{0,4}}?"
    after: dict[str, re.Pattern[str]] = {}
    before: dict[str, re.Pattern[str]] = {}
    for kind, pats in data.get("casualties", {}).items():
        alt = _alt(pats)
        after[kind] = re.compile(rf"^\s*{filler}(?:{alt})\b", re.I)
        before[kind] = re.compile(rf"\b(?:{alt})\s+(?:(?:{_alt(data.get('lower_bound', [])) or '(?!)'})\s+)?$", re.I)
    one = data.get("article_one", [])
    cas_alt = _alt([p for pats in data.get("casualties", {}).values() for p in pats])
    article_one = (
        re.compile(rf"\b(?:{_alt(one)})\s+(?:\w+\s+){{0,3}}?(?P<kw>{cas_alt})\b", re.I) if one else None
    )
    after_one = data.get("one_after", [])
    one_after = (
        re.compile(rf"\b(?P<kw>{cas_alt})\s+(?:[\w'’-]+\s+){{0,2}}?(?:{_alt(after_one)})\b", re.I)
        if after_one
        else None
    )
    not_count = re.compile(rf"(?:{_alt(data['not_count'])})(?![\w])", re.I) if data.get("not_count") else None
    soldiers = re.compile(rf"\b(?:{_alt(data.get('soldiers', [])) or '(?!)'})\b", re.I)
    civilians = re.compile(rf"\b(?:{_alt(data.get('civilians', ['civilians?', 'civils?'])) or '(?!)'})\b", re.I)
    currency = [
        (re.compile(pat, re.I), code) for pat, code in aid.get("currencies", {}).items()
    ]
    ages = re.compile(rf"(?:{_alt(data['ages'])})", re.I) if data.get("ages") else None
    one_patterns = [
        (kind, re.compile(rf"(?<![\w-])(?:{p})(?![\w])", re.I))
        for kind, pats in data.get("one", {}).items()
        for p in pats
    ]
    lower_alt = _alt(data.get("lower_bound", [])) or "(?!)"
    not_after = _alt(data.get("not_persons_after", [])) or "(?!)"
    verb_persons = {
        # the count may close a list: "destroyed two HIMARS launchers and more than 50 military personnel"
        kind: re.compile(
            rf"\b(?:{_alt(verbs)})\s+(?:[^.;:!?\d]{{0,60}}?(?:,|\band\b)\s+)?(?:(?:{lower_alt})\s+)?$", re.I
        )
        for kind, verbs in data.get("verb_persons", {}).items()
    }
    # what must follow the number for such a verb to count it: a person noun that is not "military units"
    persons_after = re.compile(rf"^\s+(?:[\w'’-]+\s+){{0,2}}?(?:{persons})\b(?!\s+(?:{not_after})\b)", re.I)
    return _Grammar(
        number, words, approx, scales, lower, after, before, article_one, one_after, not_count, soldiers, civilians,
        currency, ages, one_patterns, verb_persons, persons_after,
    )


@cache
def casualty_words(lang: str) -> re.Pattern[str]:
    """Any casualty word of ``lang`` ("killed", "wounded", "dead"), counted or not."""
    pats = [p for ps in langdata.load(lang, "numbers").get("casualties", {}).values() for p in ps]
    return re.compile(rf"(?<![\w-])(?:{_alt(pats) or '(?!)'})(?![\w])", re.I)


def _digits_value(raw: str) -> float:
    raw = raw.replace(" ", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw):
        return float(raw.replace(",", ""))
    return float(raw.replace(",", "."))


def find_numbers(text: str, lang: str) -> list[Number]:
    """Every number in ``text`` with its span, value and any lower-bound phrase before it."""
    g = grammar(lang)
    found: list[Number] = []
    for m in g.number.finditer(text):
        if m.group("d"):
            value = _digits_value(m.group("d"))
            approx = False
        else:
            w = m.group("w").lower()
            approx = w in g.approx
            value = float(g.approx[w] if approx else g.words[w])
        start, end = m.start(), m.end()
        if m.group("s"):
            word = m.group("s").lower()
            if m.group("w") and word in ("m", "b"):
                end = m.start("s")
            else:
                value *= g.scales[word]
        if not math.isfinite(value):
            continue  # a run of hundreds of digits counts nothing
        lb = bool(g.lower.search(text[max(0, start - 25) : start]))
        found.append(Number(start, end, value, lower_bound=lb, approximate=approx))
    return found


def _who(g: _Grammar, span: str) -> str | None:
    if g.soldiers.search(span):
        return "soldiers"
    if g.civilians.search(span):
        return "civilians"
    return None


def casualties(text: str, lang: str, *, offset: int = 0, sentence: int = 0) -> list[Mention]:
    """Casualty mentions of one sentence: "trois morts", "11 injured", "killing three people"."""
    g = grammar(lang)
    original = text
    if g.ages is not None:
        # "a 53-year-old civilian", "âgé de 53 ans": an age is not a count, and must not stop one
        text = g.ages.sub(lambda m: "x" * len(m.group(0)), text)
    out: list[Mention] = []
    taken: set[int] = set()
    for num in find_numbers(text, lang):
        if num.value != int(num.value) or num.value > 100000:
            continue
        if g.not_count is not None and g.not_count.match(text, num.end):
            continue
        tail = text[num.end : num.end + 80]
        # wide enough for "the death toll in the centre of Donetsk … rose to two"; the patterns end at the number
        head = text[max(0, num.start - 130) : num.start]
        counted = _verb_persons(g, text, num, head, tail, offset, sentence)
        if counted is not None:
            out.append(counted)
            taken.add(num.start)
            continue
        for kind in g.after:
            m = g.after[kind].match(tail)
            if m and not re.search(r"[.;:!?]|\d", tail[: m.start() + len(m.group(0))].rstrip()[:-1] or ""):
                span = text[num.start : num.end + m.end()]
                out.append(_mention(kind, num, span, offset, sentence, _who(g, span), "after"))
                taken.add(num.start)
                break
            b = g.before[kind].search(head)
            if b:
                span = text[num.start - (len(head) - b.start()) : num.end]
                who = _who(g, text[num.end : num.end + 30])
                out.append(_mention(kind, num, span, offset, sentence, who, "before", start=num.start - (len(head) - b.start())))
                taken.add(num.start)
                break
    # "killed the deputy head", "Horlivka resident injured in shelling … dies": before the article patterns, so the
    # outcome at the end wins over "a woman injured" at the start
    for kind, pat in g.one:
        for m in pat.finditer(text):
            if any(c.attr("type") == kind and c.start - offset <= m.start() < c.end - offset for c in out):
                continue
            if kind == "killed":
                # "A woman injured in the shelling … dies": the one hurt at the start is the one dead at the end
                hurt = [c for c in out if c.attr("type") == "injured" and c.value == 1
                        and m.start() <= c.start - offset and c.end - offset <= m.end()]
                out = [c for c in out if c not in hurt]
                taken -= {c.start - offset for c in hurt}
            if any(m.start() <= t < m.end() for t in taken):
                continue
            one = Number(m.start(), m.end(), 1.0)
            out.append(_mention(kind, one, m.group(0), offset, sentence, _who(g, m.group(0)), "one"))
            taken.add(m.start())
    for pattern, rule in ((g.article_one, "article"), (g.one_after, "one-after")):
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            if any(m.start() <= t < m.end() for t in taken) or _overlaps(out, offset + m.start(), offset + m.end()):
                continue
            kw = m.group("kw").lower()
            kind = next((k for k, p in g.after.items() if p.match(" " + kw)), "killed")
            one = Number(m.start(), m.end(), 1.0)
            out.append(_mention(kind, one, m.group(0), offset, sentence, _who(g, m.group(0)), rule))
            taken.add(m.start())
    return [replace(c, text=original[c.start - offset : c.end - offset]) for c in out]


def _verb_persons(
    g: _Grammar, text: str, num: Number, head: str, tail: str, offset: int, sentence: int
) -> Mention | None:
    """ "eliminated 106 invaders", "lost more than 300 people": a count of people after a verb of losses."""
    for kind, pat in g.verb_persons.items():
        b = pat.search(head)
        if b is None:
            continue
        p = g.persons_after.match(tail)
        if p is None:
            continue
        start = num.start - (len(head) - b.start())
        span = text[start : num.end + p.end()]
        return _mention(kind, num, span, offset, sentence, _who(g, span), "verb-persons", start=start)
    return None


def _overlaps(found: list[Mention], start: int, end: int) -> bool:
    """Whether [start, end) overlaps a casualty already found (so "18 человек ранены" stays one count)."""
    return any(m.start < end and start < m.end for m in found)


def _mention(
    kind: str,
    num: Number,
    span: str,
    offset: int,
    sentence: int,
    who: str | None,
    rule: str,
    *,
    start: int | None = None,
) -> Mention:
    s = num.start if start is None else start
    return Mention(
        kind="casualty",
        start=offset + s,
        end=offset + s + len(span),
        text=span,
        sentence=sentence,
        value=int(num.value),
        rule=f"numbers:{kind}:{rule}",
        attrs=(("type", kind), ("lower_bound", num.lower_bound or num.approximate), ("who", who)),
    )


def money(text: str, lang: str, *, offset: int = 0, sentence: int = 0) -> list[Mention]:
    """Sums of money: "27,4 milliards de dollars", "$241 million", "€1bn"."""
    g = grammar(lang)
    out: list[Mention] = []
    for num in find_numbers(text, lang):
        start, end, code = num.start, num.end, None
        for pat, cur in g.currency:
            m = pat.match(text, num.end)
            if m:
                code, end = cur, m.end()
                break
            h = re.search(rf"(?:{pat.pattern})$", text[max(0, num.start - 6) : num.start], re.I)
            if h:
                code, start = cur, num.start - (min(6, num.start) - h.start())
                break
        if code is None:
            continue
        out.append(
            Mention(
                kind="money",
                start=offset + start,
                end=offset + end,
                text=text[start:end],
                sentence=sentence,
                value=num.value,
                rule="numbers:money",
                attrs=(("currency", code), ("lower_bound", num.lower_bound)),
            )
        )
    return out


class Numbers:
    name: ClassVar[str] = "numbers"
    requires: ClassVar[tuple[str, ...]] = ("sentences",)
    assigns: ClassVar[tuple[str, ...]] = ("casualties", "money")

    def __call__(self, analysis: Analysis) -> Analysis:
        found: list[Mention] = []
        for s in analysis.sentences:
            lang = s.lang or analysis.lang
            found += casualties(s.text, lang, offset=s.start, sentence=s.index)
            found += money(s.text, lang, offset=s.start, sentence=s.index)
        return replace(analysis, mentions=analysis.add(found))
