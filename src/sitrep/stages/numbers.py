"""Numbers: casualty counts and sums of money, in digits or in words.

Reads ``lang/<iso>/numbers.json`` (number words, approximate words, scale
words, lower-bound phrases, casualty words) and ``lang/<iso>/aid.json``
(currencies). Casualty mentions carry ``type`` (killed, injured, hospitalised,
missing), ``lower_bound`` and ``who`` (civilians, soldiers or None), and ``scope`` "country" when the
sentence counts for a whole country ("по всій Україні", "across the country") or "cumulative" for many months
("з початку вторгнення", "since the start of the war"); money
mentions carry the amount as a float and the ISO currency code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import ClassVar

from sitrep import lang as langdata
from sitrep import rx
from sitrep.model import Analysis, Mention

# how far before a count its casualty word may stand: "the death toll from … on the city of Belgorod just north of
# Ukraine's border has risen to 22"
_HEAD = 200
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
    any_one: re.Pattern[str]  # the patterns of ``one`` in one, to try them only where one matches
    # "destroyed up to 40 servicemen", "lost over 130 servicemen": a verb that counts people only when a person
    # noun follows the number (not "destroyed 70 military units")
    verb_persons: dict[str, re.Pattern[str]]
    persons_after: re.Pattern[str]
    things_after: re.Pattern[str]  # "10 apartment buildings": what a number counts when it counts no one
    list_more: re.Pattern[str]  # "двое мужчин и …": a person noun, then "and" before the next count of a list
    own_word: re.Pattern[str]  # a casualty word right after a person noun: the count it follows is its own
    not_before: re.Pattern[str] | None  # "house No. 5", "будинок 12": a number that names, not counts
    years_before: re.Pattern[str] | None  # "in 2022", "з 2014": a year, not a count
    none: re.Pattern[str] | None  # "nobody was hurt": a count of 0, of the kind its group names
    gates: dict[str, tuple[str, ...]]  # words one of which a sentence must hold for a pattern to be tried
    none_negated: re.Pattern[str] | None  # "не обійшлося без жертв": it did not go without victims
    died_later: re.Pattern[str] | None  # "later died in hospital": one hurt is one dead
    # "27 червня", "June 27", "le 7 mai": a day of a month, not a count (the month names of ``dates.json``)
    month_after: re.Pattern[str]
    month_before: re.Pattern[str]
    # "загинули чоловік та жінка", "ранены женщина и двое мужчин": the separator, then one person named alone
    list_sep: re.Pattern[str]
    single: re.Pattern[str]
    single_before: re.Pattern[str]  # a person named alone, then "and" or a comma: "a man and " (a woman …)
    cas_before: re.Pattern[str]  # a casualty word ending a text
    blast_died: re.Pattern[str]  # "… підірвався на міні та загинув": those hit by the blast died
    country: re.Pattern[str] | None  # "по всій Україні", "across the country": a count for a whole country
    cumulative: re.Pattern[str] | None  # "з початку вторгнення", "since the start of the war": a count of many days
    # "20 погибли в Киеве, 11 – в Днепропетровской области", "у Херсоні – 3": a count whose casualty word is
    # the one told before it, for another place (a preposition, then a capitalised name)
    gap_after: re.Pattern[str]
    gap_before: re.Pattern[str]
    # "погибли два человека, женщина 1987 года рождения и ее дочь госпитализированы с ранениями": a casualty word
    # later in the clause of the last person listed, with no count before it, is that person's own
    own_later: re.Pattern[str]
    # "trois enfants et " before "un homme étaient morts": a count of persons listed before one named alone
    counted_before: re.Pattern[str]
    # "Среди погибших — трое детей", "Three children were among those killed": a part of a toll, not a toll
    subset: re.Pattern[str]


@cache
def grammar(lang: str) -> _Grammar:
    data = langdata.load(lang, "numbers")
    aid = langdata.load(lang, "aid")
    words = {k.lower(): int(v) for k, v in data.get("words", {}).items()}
    approx = {k.lower(): int(v) for k, v in data.get("approximate", {}).items()}
    scales = {k.lower(): float(v) for k, v in data.get("scales", {}).items()}
    word_alt = _alt({**words, **approx}) or "(?!)"
    # "twenty-five": a unit after a hyphen goes on the number (see :func:`_compound`)
    units = _alt(dict.fromkeys(w for w, v in words.items() if 1 <= v <= 9 and len(w) > 2)) or "(?!)"  # in data order
    scale_alt = _alt(scales) or "(?!)"
    # "at 14:30", "о 5:40": a clock time is no number of anything, nor a day of "2025-09-24"; "3-х" is three
    number = rx.compile(
        rf"(?<![\w.,:№#])(?<!\d\d\d\d-)(?<!\d\d\d\d-\d\d-)(?:(?P<d>{_DIGITS})|(?P<w>{word_alt}))(?:[ \u00a0]?(?P<s>{scale_alt}))?(?![\w]|-(?!(?:х|ух|ох|ех|ёх|{units})(?![\w]))[^\W\d]|:\d)",
        re.I,
    )
    lower = rx.compile(rf"(?:{_alt(data.get('lower_bound', [])) or '(?!)'})\s*$", re.I)
    persons = _alt(data.get("persons", [])) or "(?!)"
    # words between a number and its casualty word, and an aside: "seven people, including three children, died",
    # "douze personnes, dont trois enfants, ont été blessées"
    asides = _alt(data.get("asides", [])) or "(?!)"
    filler = rf"(?:(?:{persons}|[\w'’-]{{1,14}})(?:\s+|\s*,\s*(?:{asides})\s+[^,.;:]{{1,40}},\s*)){{0,4}}?"
    after: dict[str, re.Pattern[str]] = {}
    before: dict[str, re.Pattern[str]] = {}
    for kind, pats in data.get("casualties", {}).items():
        alt = _alt(pats)
        # "3 – injured", "поранені – 3", "Killed: 2": a dash or a colon may stand between the word and the count
        after[kind] = rx.compile(rf"^(?:\s*[–—-])?\s*{filler}(?:{alt})\b", re.I)
        # "Загиблих уже п'ятеро": an adverb may stand between the word and the count
        # "Жертвами удара стали 5 человек", "Пострадавшими оказались четверо": a copula, after a word or two
        before[kind] = rx.compile(
            rf"\b(?:{alt})\s*[–—:-]?\s*(?:(?:[\w'’-]+\s+){{0,2}}?(?:{_alt(data.get('copulas', [])) or '(?!)'})\s+)?"
            rf"(?:(?:{_alt(data.get('adverbs', [])) or '(?!)'})\s+)?"
            rf"(?:(?:{_alt(data.get('lower_bound', [])) or '(?!)'})\s+)?$",
            re.I,
        )
    one = data.get("article_one", [])
    cas_alt = _alt([p for pats in data.get("casualties", {}).values() for p in pats])
    article_one = (
        rx.compile(rf"\b(?:{_alt(one)})\s+(?:[\w'’-]+\s+){{0,3}}?(?P<kw>{cas_alt})\b", re.I) if one else None
    )
    after_one = data.get("one_after", [])
    one_after = (
        rx.compile(rf"\b(?P<kw>{cas_alt})\s+(?:[\w'’-]+\s+){{0,2}}?(?:{_alt(after_one)})\b", re.I)
        if after_one
        else None
    )
    not_count = rx.compile(rf"(?:{_alt(data['not_count'])})(?![\w])", re.I) if data.get("not_count") else None
    soldiers = rx.compile(rf"\b(?:{_alt(data.get('soldiers', [])) or '(?!)'})\b", re.I)
    civilians = rx.compile(rf"\b(?:{_alt(data.get('civilians', ['civilians?', 'civils?'])) or '(?!)'})\b", re.I)
    currency = [
        (rx.compile(pat, re.I), code) for pat, code in aid.get("currencies", {}).items()
    ]
    ages = rx.compile(rf"(?:{_alt(data['ages'])})", re.I) if data.get("ages") else None
    one_patterns = [
        (kind, rx.compile(rf"(?<![\w-])(?:{p})(?![\w])", re.I))
        for kind, pats in data.get("one", {}).items()
        for p in pats
    ]
    any_one = rx.compile(
        rf"(?<![\w-])(?:{'|'.join(f'(?:{p})' for pats in data.get('one', {}).values() for p in pats) or '(?!)'})(?![\w])",
        re.I,
    )
    lower_alt = _alt(data.get("lower_bound", [])) or "(?!)"
    not_after = _alt(data.get("not_persons_after", [])) or "(?!)"
    verb_persons = {
        # the count may close a list: "destroyed two HIMARS launchers and more than 50 military personnel"
        kind: rx.compile(
            rf"\b(?:{_alt(verbs)})\s+(?:[^.;:!?\d]{{0,60}}?(?:,|\band\b)\s+)?(?:(?:{lower_alt})\s+)?$", re.I
        )
        for kind, verbs in data.get("verb_persons", {}).items()
    }
    # what must follow the number for such a verb to count it: a person noun that is not "military units"
    persons_after = rx.compile(rf"^\s+(?:[\w'’-]+\s+){{0,2}}?(?:{persons})\b(?!\s+(?:{not_after})\b)", re.I)
    # "Два райони області постраждали": a thing counted right after the number ("мешканців області" are people)
    not_next = _alt(data.get("not_persons_next", [])) or "(?!)"
    things_after = rx.compile(rf"^\s*(?:(?:[\w'’-]+\s+){{0,2}}?(?:{not_after})|(?:{not_next}))(?![\w])", re.I)
    own_word = rx.compile(rf"\s+(?:[\w'’-]+\s+)?(?:{cas_alt or '(?!)'})(?![\w])", re.I)
    list_more = rx.compile(
        rf"\s+(?:[\w'’-]+\s+)?(?:{persons})(?:\s*,\s*|\s+(?:{_alt(data.get('and', [])) or '(?!)'})\s+)", re.I
    )
    not_before = rx.compile(rf"(?:{_alt(data['not_count_before'])})\s*$", re.I) if data.get("not_count_before") else None
    years_before = (
        rx.compile(rf"(?<![\w-])(?:{_alt(data['years_before'])})\s+$", re.I) if data.get("years_before") else None
    )
    # one pattern, a group for each kind: "hurt" (killed and injured), "killed", "injured"
    kinds = {kind: _alt(pats) for kind, pats in data.get("none", {}).items() if pats}
    none = (
        rx.compile(rf"(?<![\w-])(?:{'|'.join(f'(?P<{k}>{alt})' for k, alt in kinds.items())})(?![\w])", re.I)
        if kinds
        else None
    )
    none_negated = (
        rx.compile(rf"(?<![\w-])(?:{_alt(data['none_negated'])})\s+$", re.I) if data.get("none_negated") else None
    )
    died_later = (
        rx.compile(rf"(?<![\w-])(?:{_alt(data['died_later'])})(?![\w])", re.I) if data.get("died_later") else None
    )
    months = _alt(langdata.load(lang, "dates").get("months", {})) or "(?!)"
    month_after = rx.compile(rf"\s*(?:of\s+)?(?:{months})(?![\w])", re.I)
    month_before = rx.compile(rf"(?<![\w])(?:{months})\.?\s*$", re.I)
    and_alt = _alt(data.get("and", [])) or "(?!)"
    list_sep = rx.compile(rf"\s*,\s*(?:(?:{and_alt})\s+)?|\s+(?:{and_alt})\s+", re.I)
    single = rx.compile(
        rf"(?:{_alt([*data.get('one_after', []), *data.get('article_one', [])]) or '(?!)'})(?![\w])", re.I
    )
    # "погибли два мирных жителя, еще один был ранен": the person before is the noun of another count
    cas_before = rx.compile(rf"(?<![\w-])(?:{cas_alt or '(?!)'})\s+(?:[\w'’-]+\s+){{0,2}}$", re.I)
    killed_alt = _alt(data.get("casualties", {}).get("killed", [])) or "(?!)"
    blast_died = rx.compile(rf"[^.;:!?]{{0,40}}?(?:\s|,)(?:{and_alt})\s+(?:[\w'’-]+\s+)?(?:{killed_alt})(?![\w])", re.I)
    singles = _alt([*data.get("one_after", []), *data.get("article_one", [])]) or "(?!)"
    single_before = rx.compile(rf"(?<![\w])(?:{singles})(?:\s*,\s*(?:(?:{and_alt})\s+)?|\s+(?:{and_alt})\s+)$", re.I)
    country = rx.compile(rf"(?<![\w-])(?:{_alt(data['country'])})(?![\w])", re.I) if data.get("country") else None
    cumulative = (
        rx.compile(rf"(?<![\w-])(?:{_alt(data['cumulative'])})(?![\w])", re.I) if data.get("cumulative") else None
    )
    preps = _alt(data.get("place_prepositions", [])) or "(?!)"
    gap_after = rx.compile(rf"\s*[–—-]?\s*(?:{preps})\s+[A-ZА-ЯІЇЄҐÀ-Ý]")  # noqa: RUF001
    gap_before = rx.compile(
        rf"(?:[,;:]\s*(?:(?:{and_alt})\s+)?|\s(?:{and_alt})\s+|(?<![\w])(?:{preps})\s+[A-ZА-ЯІЇЄҐÀ-Ý][\w'’-]*(?:\s+[\w'’-]+){{0,2}}\s*[–—:-]\s*)$"  # noqa: RUF001
    )
    return _Grammar(
        number, words, approx, scales, lower, after, before, article_one, one_after, not_count, soldiers, civilians,
        currency, ages, one_patterns, any_one, verb_persons, persons_after, things_after, list_more, own_word, not_before,
        years_before, none, {k: tuple(w.casefold() for w in ws) for k, ws in data.get("gates", {}).items()},
        none_negated, died_later, month_after, month_before, list_sep, single, single_before, cas_before, blast_died, country, cumulative, gap_after, gap_before,
        re.compile(rf"[^,.;:!?\d]*?(?<![\w-])(?:{cas_alt or '(?!)'})(?![\w])", re.I),
        re.compile(rf"(?<![\w.,])(?P<n>\d{{1,3}}|{word_alt})\s+(?:[\w'’-]+\s+)?(?:{persons})(?:\s*,\s*(?:(?:{and_alt})\s+)?|\s+(?:{and_alt})\s+)$", re.I),
        re.compile(rf"(?<![\w-])(?:{_alt(data.get('subset', [])) or '(?!)'})(?![\w])", re.I),
    )


@cache
def casualty_words(lang: str) -> re.Pattern[str]:
    """Any casualty word of ``lang`` ("killed", "wounded", "dead"), counted or not."""
    pats = [p for ps in langdata.load(lang, "numbers").get("casualties", {}).values() for p in ps]
    return rx.compile(rf"(?<![\w-])(?:{_alt(pats) or '(?!)'})(?![\w])", re.I)


def _digits_value(raw: str) -> float:
    raw = raw.replace(" ", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw):
        return float(raw.replace(",", ""))
    return float(raw.replace(",", "."))


@lru_cache(maxsize=64)  # a sentence is read for casualties and then for money
def find_numbers(text: str, lang: str) -> tuple[Number, ...]:
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
        here = Number(start, end, value, lower_bound=lb, approximate=approx)
        if found and m.group("w") and not approx and _compound(found[-1], here, text):
            found[-1] = replace(found[-1], end=end, value=found[-1].value + value)
            continue
        found.append(here)
    return tuple(found)


def _compound(a: Number, b: Number, text: str) -> bool:
    """Whether the number words ``a`` and ``b`` are one number: "двадцять п'ять", "сорок три", "twenty-five",
    "сто двадцать" (tens then units, hundreds then tens or units, a space or a hyphen between)."""
    if text[a.end : b.start] not in (" ", "-") or a.approximate or not text[a.start].isalpha():
        return False
    tens = a.value % 100
    if a.value >= 1000 or not b.value:
        return False
    return (tens >= 20 and tens % 10 == 0 and b.value < 10) or (tens == 0 and a.value >= 100 and b.value < 100)


def _who(g: _Grammar, span: str) -> str | None:
    if g.soldiers.search(span):
        return "soldiers"
    if g.civilians.search(span):
        return "civilians"
    return None


def _ages(g: _Grammar, text: str) -> tuple[str, int, list[tuple[int, int, int]]]:
    """``text`` with every age masked ("a 53-year-old civilian", "âgé de 53 ans", "жінки 62, 83 і 84 років": an age
    is not a count, and must not stop one), how many people the ages name (three in "жінки 62, 83 і 84 років"), and
    each list of ages with where it starts and ends and how many it names ("79-річна, 78-річна та 60-річна": 3)."""
    if g.ages is None:
        return text, 0, []
    people = 0
    masked = list(text)
    runs: list[tuple[int, int, int]] = []
    for m in g.ages.finditer(text):
        # the ages listed before this one: "62, 83 і 84 років", "of 60 and 72"
        window = max(0, m.start() - 40)
        lead = _AGE_LIST.search(text[window : m.start()])
        start = window + lead.start() if lead else m.start()
        n = 1 + (len(re.findall(r"\d+", lead.group(0))) if lead else 0)
        people += n
        masked[start : m.end()] = "x" * (m.end() - start)
        if runs and g.list_sep.fullmatch(text, runs[-1][1], start):
            runs[-1] = (runs[-1][0], m.end(), runs[-1][2] + n)
        else:
            runs.append((start, m.end(), n))
    return "".join(masked), people, runs


_AGE_LIST = re.compile(r"(?:(?<![\w,.])\d{1,3}\s*(?:,|\band\b|\bet\b|\bі\b|\bта\b|\bй\b|\bи\b)\s*)+$", re.I)


def _gapped(
    g: _Grammar, text: str, numbers: tuple[Number, ...], taken: set[int], found: list[Mention], offset: int,
    sentence: int,
) -> list[Mention]:
    """ "20 человек погибли в Киеве, 11 – в Днепропетровской области", "загинули двоє у Херсоні, у Бериславі – 1":
    a count for another place whose casualty word is left out is of the kind counted just before it."""
    out: list[Mention] = []
    counted = [c for c in found if c.value and c.attr("type") in ("killed", "injured")]
    for num in numbers if counted else ():
        if num.start in taken or num.value != int(num.value) or num.value > 100000 or _day_of_month(g, text, num):
            continue
        before = [c for c in counted if c.end - offset <= num.start]
        if not before:
            continue
        head = text[max(0, num.start - 60) : num.start]
        tail = text[num.end :]
        if not (g.gap_before.search(head) and (head.rstrip().endswith(("–", "—", "-", ":")) or g.gap_after.match(tail))):  # noqa: RUF001
            continue
        last = before[-1]
        span = text[num.start : num.end]
        out.append(_mention(str(last.attr("type")), num, span, offset, sentence, last.attr("who"), "gap"))
    return out


def _victims_before(g: _Grammar, text: str, start: int) -> tuple[int, int]:
    """The persons named one by one before ``start`` ("a man and " before "a woman were injured", "Чоловік та "
    before "жінка отримали поранення"): where the list starts and how many it adds."""
    n, first = 0, start
    while True:
        window = max(0, start - 60)
        m = g.single_before.search(text[window:start])
        if m is None:
            break
        start, n = window + m.start(), n + 1
    if start < first or g.single.match(text, first):
        counted = g.counted_before.search(text[max(0, start - 60) : start])
        if counted is not None:
            word = counted.group("n").lower()
            n += int(word) if word.isdigit() else g.words.get(word, g.approx.get(word, 0))
            start = max(0, start - 60) + counted.start()
    if n and g.cas_before.search(text[max(0, start - 30) : start]):
        return first, 0  # "killed a man, and a woman was injured": the man is the object of another word
    return start, n


def _day_of_month(g: _Grammar, text: str, num: Number) -> bool:
    """Whether ``num`` is the day of a date: "27 червня", "7 мая", "on June 27", "le 7 mai"."""
    if not 1 <= num.value <= 31 or not text[num.start : num.end].isdigit():
        return False
    return bool(g.month_after.match(text, num.end) or g.month_before.search(text[max(0, num.start - 16) : num.start]))


def _list_of_victims(g: _Grammar, text: str, num: Number, numbers: tuple[Number, ...]) -> tuple[list[Number], int]:
    """The counts a casualty word puts before a list of victims: "погибли двое мужчин и одна женщина" is three,
    "killing two soldiers and three civilians" five. Returns the counts and where the list ends."""
    person = g.persons_after.match(text[num.end :])
    if g.list_more.match(text, num.end) is None or person is None:
        return [num], num.end
    more, end = _more_victims(g, text, num.end + person.end(), numbers)
    return [num, *more], end if more else num.end


def _more_victims(g: _Grammar, text: str, end: int, numbers: tuple[Number, ...]) -> tuple[list[Number], int]:
    """The victims listed after one ending at ``end``: "… та жінка", "… и двое мужчин", ", two soldiers and a
    civilian": each a count with a person noun, or one person named alone. A count with a casualty word of its
    own ("загинув 1 чоловік, 3 людини поранено") ends the list. Returns the counts and where the list ends."""
    listed: list[tuple[Number, int, bool]] = []  # each count, where it ends, whether a comma came before it
    first = end

    def ended() -> tuple[list[Number], int]:
        if listed and g.own_later.match(text, end):
            # "погибли два человека, женщина … и ее дочь госпитализированы с ранениями": the persons from the last
            # comma on are the subject of the later word
            while listed and not listed.pop()[2]:
                pass
        return [n for n, _, _ in listed], (listed[-1][1] if listed else first)

    while True:
        sep = g.list_sep.match(text, end)
        if sep is None:
            return ended()
        pos = sep.end()
        nxt = next((n for n in numbers if n.start == pos and n.value == int(n.value)), None)
        if nxt is not None:
            person = g.persons_after.match(text[nxt.end :])
            if person is None:
                return ended()
            item, stop = nxt, nxt.end + person.end()
        else:
            one = g.single.match(text, pos)
            if one is None:
                return ended()
            item, stop = Number(pos, one.end(), 1.0), one.end()
        comma = "," in sep.group(0)
        if g.own_word.match(text, stop):
            # "загинув чоловік, жінка та дитина поранені": the items joined to this one by "and" are its own
            while not comma and listed:
                _, _, comma = listed.pop()
            return [n for n, _, _ in listed], (listed[-1][1] if listed else first)
        listed.append((item, stop, comma))
        end = stop


def _gated(g: _Grammar, key: str, text: str) -> bool:
    """Whether ``text`` holds one of the words without which the patterns of ``key`` cannot match (a substring
    test is far quicker than a pattern tried at every position of every sentence)."""
    words = g.gates.get(key)
    if not words:
        return True
    low = text.casefold()
    return any(w in low for w in words)


def _zeros(g: _Grammar, text: str) -> list[tuple[str, int, int]]:
    """ "nobody was hurt", "без жертв", "обошлось без пострадавших", "pas de victimes": (kind, start, end) of each 0."""
    out: list[tuple[str, int, int]] = []
    if g.none is None or not _gated(g, "none", text):
        return out
    for m in g.none.finditer(text):
        if g.none_negated is not None and g.none_negated.search(text[max(0, m.start() - 30) : m.start()]):
            continue  # "не обійшлося без жертв": there were victims
        kind = m.lastgroup or ""
        out += [(k, m.start(), m.end()) for k in (("killed", "injured") if kind == "hurt" else (kind,))]
    return out


def casualties(text: str, lang: str, *, offset: int = 0, sentence: int = 0) -> list[Mention]:
    """Casualty mentions of one sentence: "trois morts", "11 injured", "killing three people", "nobody was hurt"."""
    g = grammar(lang)
    original = text
    text, aged, runs = _ages(g, text)
    out: list[Mention] = []
    taken: set[int] = set()
    zeros = _zeros(g, text)
    for kind, zs, ze in zeros:
        if not any(c.attr("type") == kind for c in out):
            out.append(_mention(kind, Number(zs, ze, 0.0), text[zs:ze], offset, sentence, None, "none"))
        taken.update(range(zs, ze))
    numbers = find_numbers(text, lang)
    for num in numbers:
        if num.value != int(num.value) or num.value > 100000 or num.start in taken:
            continue
        if g.not_count is not None and g.not_count.match(text, num.end):
            continue
        # a toll told as risen may name its noun far before: "Количество погибших … в Пологовском районе … возросло до"
        risen = update_words(lang).search(text, max(0, num.start - 30), num.start) is not None
        head = text[max(0, num.start - (_HEAD if risen else 130)) : num.start]
        if g.not_before is not None and g.not_before.search(head[-24:]):
            continue  # "будинок № 5", "house 12"
        if 1900 <= num.value <= 2100 and g.years_before is not None and g.years_before.search(head[-16:]):
            continue  # "in 2022"
        if _day_of_month(g, text, num):
            continue  # "27 червня", "on June 27"
        tail = text[num.end : num.end + 80]
        # wide enough for "the death toll in the centre of Donetsk … rose to two"; the patterns end at the number
        counted = _verb_persons(g, text, num, head, tail, offset, sentence)
        if counted is not None:
            out.append(counted)
            taken.add(num.start)
            continue
        things = g.things_after.match(tail)
        for kind in g.after:
            m = g.after[kind].match(tail)
            # "сотни раненых и много погибших": the count is of the first casualty word after it, not a later one
            first = casualty_words(lang).search(tail, 0, m.end()) if m else None
            if m and g.subset.search(tail, tail.rfind(",", 0, m.end()) + 1, m.end()):
                m = None  # "Three children were among those killed" (not "Five people, among them two children, …")
            if (m and not re.search(r"[.;:!?]|\d", tail[: m.start() + len(m.group(0))].rstrip()[:-1] or "")
                    and not (things and things.end() <= m.end()) and not (first and first.end() < m.end())):
                start, ahead = _victims_before(g, text, num.start) if num.value == 1 else (num.start, 0)
                # "Two soldiers and a civilian were killed": the count listed first is part of this one
                out = [c for c in out if not (c.attr("type") == kind and start <= c.start - offset < num.start)]
                span = text[start : num.end + m.end()]
                out.append(_mention(kind, replace(num, value=1.0 + ahead) if ahead else num, span, offset, sentence,
                                    _who(g, span), "after:list" if ahead else "after", start=start))
                taken.add(num.start)
                break
            b = g.before[kind].search(head)
            if b and g.subset.search(head, max(0, b.start() - 12), b.start()):
                b = None  # "Среди погибших — трое детей": a part of the toll
            if b and not things:  # "постраждало понад 10 багатоповерхівок": buildings, not people
                listed, end = _list_of_victims(g, text, num, numbers)
                taken.update(n.start for n in listed)
                total = replace(num, value=sum(n.value for n in listed), end=end)
                span = text[num.start - (len(head) - b.start()) : end]
                who = _who(g, text[num.end : num.end + 30])
                out.append(_mention(kind, total, span, offset, sentence, who, "before", start=num.start - (len(head) - b.start())))
                taken.add(num.start)
                break
    out += _aged_victims(g, text, runs, out, offset, sentence)
    # "killed the deputy head", "Horlivka resident injured in shelling … dies": before the article patterns, so the
    # outcome at the end wins over "a woman injured" at the start
    for kind, pat in g.one if g.any_one.search(text) else ():
        for m in pat.finditer(text):
            if any(c.attr("type") == kind and c.start - offset <= m.start() < c.end - offset for c in out):
                continue
            if kind == "killed":
                # "A woman injured in the shelling … dies": the one hurt at the start is the one dead at the end
                # (or "received injuries incompatible with life": the injury is the death)
                hurt = [c for c in out if c.attr("type") == "injured" and c.value == 1
                        and c.start - offset < m.end() and m.start() < c.end - offset]
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
            if rule == "one-after" and kind == "hospitalised":
                # "В больнице скончался мужчина", "У лікарні помер чоловік": died in hospital is one dead
                near = [w.group(0) for w in casualty_words(lang).finditer(text, m.start(), m.end())][-1:]
                if near and g.after["killed"].match(" " + near[0]):
                    kind = "killed"
            more, end = _more_victims(g, text, m.end(), numbers) if rule == "one-after" else ([], m.end())
            # "A man and a woman were injured": the persons listed before the one the casualty word follows
            start, ahead = (m.start(), 0) if rule == "one-after" else _victims_before(g, text, m.start())
            if rule == "article":  # "Чоловік та жінка отримали поранення": the list inside the match
                ahead += max(0, len(g.single.findall(text, m.start(), m.start("kw"))) - 1)
            one = Number(start, end, 1.0 + ahead + sum(n.value for n in more))
            out.append(_mention(kind, one, text[start:end], offset, sentence, _who(g, text[start:end]),
                                rule + (":list" if more or ahead else "")))
            taken.update([m.start(), *(n.start for n in more)])
    out = _listed(out, aged) + _gapped(g, text, numbers, taken, out, offset, sentence)
    if not any(c.attr("type") == "killed" for c in out):
        # "Тракторист підірвався на міні та загинув": as many dead as were hit
        for c in [c for c in out if c.attr("type") == "blast"]:
            d = g.blast_died.match(text, c.end - offset)
            if d is not None:
                died = Number(c.start - offset, d.end(), float(c.value))
                out.append(_mention("killed", died, text[c.start - offset : d.end()], offset, sentence, c.attr("who"),
                                    "blast-died"))
    dead = any(c.attr("type") == "killed" and c.value for c in out)
    later = g.died_later.search(text) if not dead and g.died_later and _gated(g, "died_later", text) else None
    if later is not None:
        # "He later died in hospital": one dead, whom :func:`died_later` no longer counts injured
        out.append(_mention("killed", Number(later.start(), later.end(), 1.0), later.group(0), offset, sentence, None,
                            "later"))
    # "погибли 5 человек по всей Украине", "с начала вторжения погибли 500 жителей": a country's tally or one of
    # many months, which no one event carries
    scope: tuple[tuple[str, str], ...] = ()
    if out and g.country is not None and _gated(g, "country", text) and g.country.search(text):
        scope = (("scope", "country"),)
    elif out and g.cumulative is not None and _gated(g, "cumulative", text) and g.cumulative.search(text):
        scope = (("scope", "cumulative"),)
    return [replace(c, text=original[c.start - offset : c.end - offset], attrs=c.attrs + scope) for c in out]


def _aged_victims(
    g: _Grammar, text: str, runs: list[tuple[int, int, int]], found: list[Mention], offset: int, sentence: int
) -> list[Mention]:
    """ "Поранення дістали 79-річна, 78-річна, 35-річна та 60-річна жінки": a casualty word, then victims named by
    their ages alone, are as many as the ages."""
    out: list[Mention] = []
    for start, end, n in runs:
        if n < 2 or _overlaps(found, offset + start, offset + end) or g.persons_after.match(text[end:]) is None:
            continue
        head = text[max(0, start - _HEAD) : start]
        kind = next((k for k, b in g.before.items() if b.search(head)), None)
        if kind is not None:
            b = g.before[kind].search(head)
            first = start - (len(head) - b.start()) if b else start
            out.append(_mention(kind, Number(start, end, float(n)), text[first:end], offset, sentence, None,
                                "before:ages", start=first))
    return out


def _listed(found: list[Mention], aged: int) -> list[Mention]:
    """ "A man of 60 and a woman of 72 were injured", "Поранені чоловік 45 років та жінка 60 років": victims listed
    by age, with no number but "a"/"un" written, are as many as the ages; only when the sentence counts one kind of
    harm."""
    hurt = [c for c in found if c.attr("type") in ("killed", "injured") and c.value != 0]
    if aged < 2 or len({c.attr("type") for c in hurt}) != 1 or not all(c.value == 1 for c in hurt):
        return found
    first = hurt[0]
    return [replace(first, value=aged, rule=first.rule.rsplit(":", 1)[0] + ":ages") if c is first else c
            for c in found if c is first or c not in hurt]


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


@lru_cache(maxsize=256)
def _ending(pattern: str) -> re.Pattern[str]:
    """A currency pattern anchored at the end of the text ("$" before "241 million"), compiled once."""
    return rx.compile(rf"(?:{pattern})$", re.I)


@cache
def _endings(lang: str) -> tuple[re.Pattern[str], ...]:
    """:func:`_ending` of each currency pattern of ``lang``, in order."""
    return tuple(_ending(pat.pattern) for pat, _ in grammar(lang).currency)


def money(text: str, lang: str, *, offset: int = 0, sentence: int = 0) -> list[Mention]:
    """Sums of money: "27,4 milliards de dollars", "$241 million", "€1bn"."""
    g = grammar(lang)
    out: list[Mention] = []
    endings = _endings(lang)
    for num in find_numbers(text, lang):
        start, end, code = num.start, num.end, None
        before = text[max(0, num.start - 6) : num.start]
        for (pat, cur), ending in zip(g.currency, endings, strict=True):
            m = pat.match(text, num.end)
            if m:
                code, end = cur, m.end()
                break
            h = ending.search(before)
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
        counts: list[list[Mention]] = []
        for s in analysis.sentences:
            lang = s.lang or analysis.lang
            counts.append(casualties(s.text, lang, offset=s.start, sentence=s.index))
            found += money(s.text, lang, offset=s.start, sentence=s.index)
        for s in analysis.sentences:
            died_later(counts, s.index, s.text, s.lang or analysis.lang, start=s.start)
        found += [c for mine in counts for c in mine]
        return replace(analysis, mentions=analysis.add(found))


def died_later(counts: list[list[Mention]], i: int, text: str, lang: str, *, start: int = 0) -> None:
    """ "A man was wounded in the shelling. He later died in hospital": the one hurt is counted dead, not
    injured. ``counts`` holds each sentence's casualty mentions; sentence ``i`` (beginning at ``start``; or the
    one before it, when ``i`` names no one hurt) loses as many injured as ``i`` says died later (:func:`casualties`
    counts them killed): the count told with the words of dying later; none when the sentence counts its dead
    apart from those words ("7 tués et 22 blessés … un garçon blessé il y a deux jours a succombé": he is one of
    the 7, and the 22 a tally of their own)."""
    g = grammar(lang)
    dead = [c for c in counts[i] if c.attr("type") == "killed" and c.value]
    later = g.died_later.search(text) if dead and g.died_later is not None and _gated(g, "died_later", text) else None
    if later is None:
        return
    told = [c.value for c in dead if c.start - start < later.end() and later.start() - _NEAR < c.end - start]
    if not told:
        return  # "7 tués et 22 blessés … un garçon blessé il y a deux jours a succombé": one of the 7, not of the 22
    n = max(told)
    for j in (i, i - 1):
        hurt = [c for c in counts[j] if c.attr("type") == "injured" and c.value] if j >= 0 else []
        if not hurt:
            continue
        counts[j][:] = [c for c in counts[j] if c not in hurt] + [
            replace(c, value=c.value - n) for c in hurt if c.value > n
        ]
        return


_NEAR = 40  # how far before the words of dying later their count may stand ("двое мужчин … скончались в больнице")


@cache
def update_words(lang: str) -> re.Pattern[str]:
    """The words of ``lang`` that tell a toll risen or revised ("rose to", "зросла до", "s'est alourdi à")."""
    pats = langdata.load(lang, "numbers").get("update", [])
    return rx.compile(rf"(?<![\w-])(?:{_alt(pats) or '(?!)'})(?![\w])", re.I)


@cache
def more_words(lang: str) -> re.Pattern[str]:
    """The words of ``lang`` that add a count to one told before ("ще двоє поранених", "two more", "another")."""
    pats = langdata.load(lang, "numbers").get("more", [])
    return rx.compile(rf"(?<![\w-])(?:{_alt(pats) or '(?!)'})(?![\w])", re.I)


@cache
def place_words(lang: str) -> re.Pattern[str]:
    """A place preposition before a capitalised word ("В Грайворонском округе", "у Бериславі", "in Kupiansk"): a
    place named, whether or not the gazetteer knows it."""
    preps = _alt(langdata.load(lang, "numbers").get("place_prepositions", [])) or "(?!)"
    return rx.compile(rf"(?<![\w-])(?i:{preps})\s+[A-ZА-ЯІЇЄҐÀ-Ý]")  # noqa: RUF001
