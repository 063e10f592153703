"""Tolls: the killed and injured a record takes from the casualty counts of its report.

:mod:`sitrep.stages.numbers` finds the counts of each sentence; this module chooses, for one event, which of
them are its own:

- a count for a whole country ("погибли 5 человек по всей Украине", "across the country") or for many months
  ("з початку вторгнення загинули 500 мешканців області") is no one event's;
- a day's tally ("за добу", "over the past day") belongs to an event placed at a region or to the one event
  its sentence tells; told with no place, only a single victim is kept ("a woman died over the past day");
- when a sentence tells several events, a count belongs to the place of its own clause ("20 погибли в Киеве,
  11 – в Днепропетровской области"), else to the place just before it;
- the sentences that go on about the event give the kinds it does not give itself ("Постраждали четверо
  людей.", "Загиблих немає."), even across a paragraph break, up to the next sentence that names a place or
  tells an event of its own; after a sentence telling several events, only "nobody hurt", which is said of each;
- people hit by a blast with no outcome told ("трое мужчин подорвались на мине") are injured, less the dead;
- a toll told as risen ("кількість загиблих зросла до 5", "the death toll rose to 8") replaces the earlier one:
  the latest toll wins; otherwise the largest count of a kind wins, so "12 injured, including 3 children"
  is 12, never 15.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

from sitrep.model import Analysis, Mention, Place
from sitrep.stages.numbers import more_words, place_words, update_words

KINDS = ("killed", "injured")
TALLY = frozenset({"roundup", "unlocated"})
_CLAUSE = re.compile(r"[,;:]")
_REACH = 3  # how many sentences past the event's a count may be told in, across paragraphs


@dataclass(frozen=True)
class Toll:
    """The counts chosen for one event, and the mentions they came from (for ``sitrep explain``)."""

    killed: int | None
    injured: int | None
    lower_bound: bool
    counted: tuple[Mention, ...]


def toll(
    an: Analysis,
    sentence: int,
    *,
    place: Place | None,
    place_mention: Mention | None,
    siblings: Sequence[Mention | None],
    sole: bool,
    takes: bool = True,
    follow: Callable[[], Sequence[int]],
    framed: Collection[int],
) -> Toll:
    """The toll of the event told in ``sentence`` at ``place``.

    ``siblings`` are the place mentions of every event of that sentence (this one's included), ``sole`` whether
    this event is the only one of its sentence that can have victims, ``takes`` whether it can have victims at
    all, ``follow`` gives the sentences that go on about it in its paragraph (asked only when needed), ``framed`` the sentences that tell events
    of their own. A later count is given to the sole event of a sentence; a later "nobody hurt" to each."""
    mine = _counts(an, sentence)
    text, start = an.sentences[sentence].text, an.sentences[sentence].start
    placed = [p for p in siblings if p is not None]
    if len(siblings) > 1 and place_mention is not None and placed:
        mine = [c for c in mine if _owner(c, placed, text, start) is place_mention]
    if {m.value for m in an.of_kind("modality", sentence)} & TALLY:
        regional = place is not None and place.feature != "country" and (place.feature == "admin1" or sole)
        if not regional:
            # a day's tally is not one event's count, but a single victim is one event, and so is a count told
            # with its own place ("за добу … вбили 3 цивільних: 2 у Торецьку та 1 у Покровську")
            mine = [c for c in mine if (c.value == 1 and not c.attr("lower_bound"))
                    or (place_mention is not None and _clause(text, c.start - start) == _clause(text, place_mention.start - start))]
            if not mine:
                return Toll(None, None, False, ())
    later = [c for j in range(sentence + 1, min(len(an.sentences), sentence + 1 + _REACH)) for c in _counts(an, j)]
    if sole and later:
        for j in _going_on(an, sentence, follow(), framed):
            mine = _told_later(an, mine, _counts(an, j))
    elif takes and any(c.value == 0 for c in later):
        # "ВСУ обстреляли Горловку и Донецк. Пострадавших нет.": nobody hurt is said of every place told
        for j in _going_on(an, sentence, follow(), framed):
            mine = _told_later(an, mine, [c for c in _counts(an, j) if c.value == 0])
    return _choose(an, mine)


def _counts(an: Analysis, sentence: int) -> list[Mention]:
    return [c for c in an.of_kind("casualty", sentence) if c.attr("scope") is None]


def _clause(text: str, at: int) -> int:
    """Which clause of ``text`` (cut at commas, semicolons and colons) offset ``at`` is in."""
    return len(_CLAUSE.findall(text, 0, max(0, at)))


def _owner(c: Mention, places: list[Mention], text: str, start: int) -> Mention | None:
    """The place a count of a sentence telling several events belongs to: the one of its clause, else the one
    just before it; a count told before all of them is none's."""
    own = [p for p in places if _clause(text, p.start - start) == _clause(text, c.start - start)]
    if own:
        return min(own, key=lambda p: abs(p.start - c.start))
    before = [p for p in places if p.start <= c.start]
    # "вбили 3 цивільних: 2 у Торецьку та 1 у Покровську": a count before every place is theirs together
    return before[-1] if before else None


def _going_on(an: Analysis, sentence: int, follow: Sequence[int], framed: Collection[int]) -> list[int]:
    """The sentences after ``sentence`` that only go on about its event: those of ``follow``, then, across
    paragraphs, the next ones that name no place (known to the gazetteer or not), tell no event and are no tally,
    up to :data:`_REACH`."""
    out = [j for j in follow if j not in framed]
    last = max(follow, default=sentence)
    for j in range(last + 1, min(len(an.sentences), sentence + 1 + _REACH)):
        s = an.sentences[j]
        if j in framed or an.of_kind("place", j) or an.of_kind("trigger", j):
            break
        if place_words(s.lang or an.lang).search(s.text):
            break  # "В Грайворонском округе погиб мужчина": another place, one the gazetteer may not know
        if {m.value for m in an.of_kind("modality", j)} & TALLY:
            break
        out.append(j)
    return out


def _told_later(an: Analysis, mine: list[Mention], later: list[Mention]) -> list[Mention]:
    """``mine`` with the counts of a later sentence: the kinds it did not give, any toll told as risen, and counts
    told as more ("Згодом стало відомо ще про двох поранених": one and two more are three)."""
    have = {c.attr("type") for c in mine}
    risen = [c for c in later if c.attr("type") in have & set(KINDS) and _risen(an, c)]
    gone = {c.attr("type") for c in risen}
    out = [c for c in mine if c.attr("type") not in gone]
    for c in later:
        kind = c.attr("type")
        if c in risen or kind not in have:
            out.append(c)
        elif kind in KINDS and c.value and _more(an, c):
            # "получили ранения четыре человека: двое мужчин … Ещё двое пострадавших …": more than the count told
            # last, which may be a part of the total before it
            top = max((m for m in out if m.attr("type") == kind), key=lambda m: (m.sentence, m.start))
            out = [m for m in out if m is not top] + [replace(c, value=top.value + c.value, rule=c.rule + "+more")]
    return out


def _more(an: Analysis, c: Mention) -> bool:
    """Whether ``c`` is told as more than a count before it ("ще двоє", "two more", "another")."""
    s = an.sentences[c.sentence]
    near = s.text[max(0, c.start - s.start - 20) : c.end - s.start]
    return bool(more_words(s.lang or an.lang).search(near))


def _risen(an: Analysis, c: Mention) -> bool:
    """Whether ``c`` is told as a toll that rose ("кількість загиблих зросла до 5", "le bilan s'est alourdi à")."""
    s = an.sentences[c.sentence]
    lead = s.text[max(0, c.start - s.start - 80) : c.end - s.start]
    return bool(update_words(s.lang or an.lang).search(lead))


def _choose(an: Analysis, mine: list[Mention]) -> Toll:
    """The toll of a kind: the latest risen toll, else the largest count. People hit by a blast with no outcome
    told ("на мине подорвались три человека") are injured, less those said to have died."""
    out: dict[str, int | None] = {}
    lower = False
    for kind in (*KINDS, "blast"):
        counts = [c for c in mine if c.attr("type") == kind]
        risen = [c for c in counts if _risen(an, c)] if len(counts) > 1 else []
        pick = risen[-1] if risen else max(counts, key=lambda c: c.value, default=None)
        out[kind] = None if pick is None else int(pick.value)
        if kind == "killed" and pick is not None:
            lower = bool(pick.attr("lower_bound"))
    blast, killed = out["blast"], out["killed"]
    if out["injured"] is None and blast and blast > (killed or 0):
        out["injured"] = blast - (killed or 0)
    return Toll(out["killed"], out["injured"], lower, tuple(mine))
