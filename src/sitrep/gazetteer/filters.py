"""Guards against false toponyms: short names, common words, sentence-initial capitals, demonyms."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from sitrep import rx
from sitrep.gazetteer.match import DISTRICT, PARTIES
from sitrep.gazetteer.sources import word_list
from sitrep.gazetteer.text import is_cyrillic, key_of, norm_token
from sitrep.model import Place
from sitrep.stages.morph import agrees, common_word

if TYPE_CHECKING:
    from sitrep.gazetteer import Gazetteer, Toponym

_SHORT_CAPS = frozenset({"us", "usa", "uk", "uae", "drc", "u s", "u k", "u s a"})
_BIG = 50_000
_HUGE = 1_000_000
_NOT_SETTLEMENT = frozenset({"country", "admin1", "region", "admin2", "hromada"})


def _words(name: str) -> frozenset[str]:
    """The words of ``gazetteer/data/<name>``, each normalised as a token is ("Sgt." keeps its full stop)."""
    return word_list(name, norm_token)


def _trigger_file_patterns(parts: tuple[str, ...], *, skip: tuple[str, ...] = ()) -> re.Pattern[str]:
    """One pattern of the ``parts`` ("weapons", "triggers") of every language's ``triggers.json`` but ``skip``."""
    from sitrep.lang import LANGUAGES, load

    pats = [str(e["pattern"]) for lang in LANGUAGES if lang not in skip
            for part in parts for e in (load(lang, "triggers") or {}).get(part, []) if e.get("pattern")]
    return rx.compile("|".join(f"(?:{p})" for p in pats), re.I)


@cache
def _weapons_and_triggers() -> re.Pattern[str]:
    """The weapon and trigger patterns of every language (``lang/<iso>/triggers.json``): none names a place.

    "launched 'Iskander' missiles" names a missile, not Iskandar of Uzbekistan; "Tornado", "Grad" alike.
    """
    return _trigger_file_patterns(("weapons", "triggers"))


@cache
def _weapon_word(*, named_after: bool = False) -> re.Pattern[str]:
    """One word that is a weapon noun in some language ("missiles", "drones", "ракети", "ракетами"); with
    ``named_after``, only in the languages that name the model after the noun ("des missiles Totchka"; English
    puts it before: "Tochka missiles", and "shelled with artillery Pivdenne" names a town)."""
    return _trigger_file_patterns(("weapons",), skip=("en",) if named_after else ())


_TOKEN = re.compile(r"[^\W\d_][\w-]*|[^\w\s]")
_JOINTS = frozenset({",", "et", "and", "or", "ou", "та", "і", "й", "и", "або", "или"})
_QUOTES = frozenset("«»\"'“”‘’")
_LIST_GOES_ON = re.compile(r"[»\"”']?(?:\s*,\s*|\s+(?:et|and|or|ou|та|і|й|и|або|или)\s+)[«\"“']?[^\W\d_]")
_TYPE = frozenset({"type", "типу", "типа", "de", "du", "of", "the"})


def weapon_listed(text: str, start: int, end: int) -> bool:
    """Whether the span is a name in a list after a weapon noun: "missiles Totchka, Vampire et Vilkha",
    "ракети «Іскандер» і «Вільха»" name weapons, not the villages that share them. Unquoted, only names in a
    list after a noun of a language that names models after it ("shelled with artillery Pivdenne" names a
    town); in Ukrainian and Russian only quoted names ("атакували дронами Харків" names a city)."""
    if is_cyrillic(text[start:end]) and not (text[start - 1 : start] in _QUOTES and text[end : end + 1] in _QUOTES):
        return False
    near = _TOKEN.findall(text, max(0, start - 30), start)[-3:]
    last = next((t for t in reversed(near) if t not in _QUOTES), "")
    if last.lower() not in _JOINTS and last.lower() not in _TYPE and not _weapon_word().fullmatch(last):
        return False  # most names follow a preposition: nothing to walk back over
    quoted = text[start - 1 : start] in _QUOTES and text[end : end + 1] in _QUOTES
    toks = _TOKEN.findall(text, max(0, start - 150), start)
    i = len(toks) - 1
    for step in range(7):
        while i >= 0 and toks[i] in _QUOTES:
            i -= 1
        while i >= 0 and toks[i].lower() in _TYPE:
            i -= 1  # "missiles de type Totchka"
        if i < 0:
            return False
        if _weapon_word().fullmatch(toks[i]):
            return quoted or ((step > 0 or _LIST_GOES_ON.match(text, end) is not None)
                              and _weapon_word(named_after=True).fullmatch(toks[i]) is not None)
        if toks[i].lower() not in _JOINTS:
            return False
        i -= 1  # the joint, then the name listed before it
        while i >= 0 and toks[i] in _QUOTES:
            i -= 1
        if i < 0 or not toks[i][:1].isalpha():
            return False
        i -= 1
    return False


@lru_cache(maxsize=50_000)
def weapon_or_trigger(raw: str) -> bool:
    """Whether the whole span is a weapon's name or an event trigger of some language (one alternation of
    several hundred patterns, tried once per name: the same names come back in every report)."""
    return _weapons_and_triggers().fullmatch(raw.strip("'\"‘’“”«»")) is not None


def _word_before(text: str, start: int) -> str:
    """The word just before ``start`` when only spaces (and a full stop) separate them, else ""."""
    i = start
    while i > 0 and text[i - 1] in " \u00a0":
        i -= 1
    if i == start or start - i > 2:
        return ""
    if i > 0 and text[i - 1] == ".":
        i -= 1
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "-"):
        j -= 1
    return text[j:i]


def _capitalised_after(text: str, end: int) -> str:
    """The capitalised word right after ``end`` (one space between), else ""."""
    if end + 1 >= len(text) or text[end] != " " or not text[end + 1].isupper():
        return ""
    j = end + 1
    while j < len(text) and (text[j].isalpha() or text[j] in "'’-"):
        j += 1
    return text[end + 1 : j]


def person_name(text: str, start: int, end: int, key: str, given: frozenset[str] = frozenset()) -> bool:
    """Whether ``text[start:end]`` is part of a person's name rather than a place.

    A title before it ("Sen.", "Officer"), a given name before it ("Rick Perry", "Mike McDaniel", also past a
    middle initial: "John E. Watson"), or a curated given name that a capitalised surname follows ("Joe Biden").
    ``given`` adds the index's given names (the census's common ones) to the curated list.
    """
    before = _word_before(text, start)
    dot = bool(before) and text[max(0, start - 3) : start].rstrip(" \u00a0").endswith(".")
    if dot and len(before) > 4:
        before = ""  # "the Ministry of Justice. Azerbaijan": a sentence ends after a title's full word
    if before and norm_token(before) in _words("titles.txt"):
        lead = text[max(0, start - len(before) - 3) : start - len(before) - 1].strip()
        if len(before) > 1 or (before == "M" and not lead.endswith(".")):  # "M. Macron", not "p.m. Russia"
            return True
    curated = _words("given_names.txt")
    if len(before) == 1 and before.isupper() and text[start - 2 : start] == ". ":
        before = _word_before(text, start - 3)  # "John E. Watson": the given name before the initial
    elif dot:
        before = ""  # "said Myles. Canadian Blood Services": a given name ends the sentence before
    if before and before[0].isupper() and (
        norm_token(before) in curated or (not before.isupper() and norm_token(before) in given)
    ):
        return True
    if " " not in key and key in curated:
        nxt = _capitalised_after(text, end)
        if nxt and not nxt.isupper():
            return True
    return False


# a capitalised military unit word after a name makes the name part of the unit's ("Tank Division"); with
# "of" after it, the unit is a civil agency's ("West Virginia Division of Highways", "the Army Corps of
# Engineers"), whose place the geoparsing corpora count: it is kept, marked as inside a name
_UNIT_AFTER = re.compile(
    r" (?:Division|[Bb]rigade|[Rr]egiment|[Bb]att?all?ion|Corps|Fleet|Flotilla|Squadron)\b(?! of )"
)
# a unit word before it ("le bataillon Azov", "the regiment Kraken"): the name is the unit's
_UNIT_BEFORE = re.compile(r"(?:[Bb]ataillon|[Bb]att?all?ion|[Rr][ée]giment|[Bb]rigade)s? (?:de |d['’])?$")
_AGENCY_AFTER = re.compile(r" (?:Division|Corps|Department|Bureau|Office|Board) of [A-Z]")

# an institution of the place right after a sentence-initial name: "Oxford Crown Court heard", "Limerick
# hospitals recorded": the name is the place's, though a word ("oxford") too
_INSTITUTION_AFTER = re.compile(
    r" (?:[A-Z][a-z]+ )?(?:[Cc]ourts?|[Hh]ospitals?|[Cc]ouncil|[Pp]olice|[Uu]niversity|[Cc]ity [Hh]all|[Ss]chools?"
    r"|[Aa]irport|[Mm]ayor|[Ss]heriff['’]s)\b"
)

# a newspaper's or a court's name: "The New York Times", "the Kyiv Independent", "Oxford Crown Court". The
# place is named, but as part of another name: geoparsing reports it so marked, the events never take it
_NAME_AFTER = re.compile(
    r" (?:Times|Post|Herald|Tribune|Independent|Journal|Gazette|Telegraph|Chronicle|Observer"
    r"|(?:Crown|Superior|Circuit|District|Magistrates['’]?) Court)\b"
)


def in_name(text: str, start: int, end: int) -> bool:
    """Whether the place name ``text[start:end]`` opens the name of a newspaper, a court or an agency."""
    return ((_NAME_AFTER.match(text, end) is not None or _AGENCY_AFTER.match(text, end) is not None)
            and not is_cyrillic(text[start:end]))


def dateline(text: str, start: int, end: int) -> bool:
    """Whether the capitals ``text[start:end]`` open a news dateline ("LONDON (Reuters) -", "PARIS, Mo. —")."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].strip()
    if before and not before.endswith((".", "!", "?", "”", '"')):
        return False
    if _DATELINE_TAIL.match(text, end) is not None:
        return True
    # "LONDON The Latest on...": the report's first word, in capitals, before ordinary capitalised words
    return not text[:start].strip() and re.match(r" [A-Z][a-z]", text[end : end + 3]) is not None


_DATELINE_TAIL = re.compile(r"(?:, (?:[A-Z][\w.]*\.?)(?: [A-Z][\w.]*){0,2})?(?: ?\([\w .&-]{1,30}\))? ?[-—–]{1,2} ")


# nouns whose adjective names a raion, oblast, hromada or front (read by other rules): "Київському районі"
_UNIT_NOUN = re.compile(r"(?:район|област|громад|напрям|направлен|фронт|округ|кра[йюї]|сільрад|міськрад)", re.I)


def _qualifies_noun(text: str, start: int, end: int) -> bool:
    """Whether the adjective ``text[start:end]`` qualifies the lower-case noun right after it."""
    m = re.match(r" ([а-яіїєґё][\w'’-]*)", text[end : end + 40])
    if m is None or _UNIT_NOUN.match(m.group(1)):
        return False
    return agrees(text[start:end], m.group(1))


def _mostly_caps(window: str) -> bool:
    letters = "".join(filter(str.isalpha, window))
    return len(letters) >= 12 and sum(map(str.isupper, letters)) / len(letters) > 0.85


def caps_text(text: str, start: int, end: int) -> bool:
    """Whether the span sits in all-capital text (a headline), where capitals say nothing about names.

    The text around the span is in capitals, or its line is ("L'ASSAUT RUSSE SUR BAKHMUT" between paragraphs).
    """
    if _mostly_caps(text[max(0, start - 40) : end + 40]):
        return True
    line = text[text.rfind("\n", 0, start) + 1 : (text.find("\n", end) + 1 or len(text) + 1) - 1]
    return _mostly_caps(line)


def acronym(text: str, start: int, end: int) -> bool:
    """Whether the capitals ``text[start:end]`` read as an acronym in running text.

    Not when a dateline's dash follows ("2009 NEWARK --"), nor when they open a sentence with a state after
    them ("MAINEVILLE, Ohio (AP)"), nor when the text
    also writes the word as a name ("AMHERST - ..." beside "Amherst").
    """
    if re.match(r" ?[-—–]{1,2} ", text[end : end + 4]) or (sentence_initial(text, start)
                                                           and re.match(r", [A-Z]", text[end : end + 3])):
        return False
    return not _written_alone(text, text[start:end].title(), "")


def written_lower(text: str, raw: str) -> bool:
    """Whether the capitals ``raw`` are also written in lower case, as an ordinary word, elsewhere in the text.

    "SUR" in a French headline is the word "sur" of the report's sentences, not Sur in Oman.
    """
    return _written_alone(text, raw.lower(), "./@-")  # not "gov.bc.ca"


def _word_char(ch: str) -> bool:
    """What ``\\w`` matches."""
    return ch.isalnum() or ch == "_"


def _written_alone(text: str, word: str, joiners: str) -> bool:
    """Whether ``word`` occurs in ``text`` with no word character nor one of ``joiners`` right before or after
    it (the search of ``(?<![\\w…])word(?![\\w…])``, without compiling a pattern for each word)."""
    if not word:
        joined = re.escape(joiners)
        return re.search(rf"(?<![\w{joined}])(?![\w{joined}])", text) is not None
    at = text.find(word)
    while at >= 0:
        before = text[at - 1] if at else ""
        after = text[at + len(word)] if at + len(word) < len(text) else ""
        if not (before and (_word_char(before) or before in joiners)) and not (
                after and (_word_char(after) or after in joiners)):
            return True
        at = text.find(word, at + 1)
    return False


def compound_part(gaz: Gazetteer, text: str, start: int, end: int) -> bool:
    """Whether the span is the front or back of a hyphenated compound ("La Grande" of "La Grande-Bretagne").

    A compound of two names ("Amsterdam-London") is not one: the other part is a name too.
    """
    if end + 1 < len(text) and text[end] == "-" and text[end + 1].isupper():
        j = end + 1
        while j < len(text) and (text[j].isalpha() or (text[j] == "." and text[j - 1].isupper())):
            j += 1
        tail = text[end + 1 : j]
        if tail.replace(".", "").isupper() and len(tail.replace(".", "")) <= 3:
            return False  # "Watertown-ML", "Canada-U.S.": a name and an abbreviation
        last = norm_token(text[start:end].split(" ")[-1])
        return (norm_token(tail) not in gaz._keys or f"{last} {norm_token(tail)}" in gaz._keys) and not DISTRICT.fullmatch(tail)
    if end + 1 < len(text) and text[end] == "-" and text[end + 1].islower():
        # "Quarante-six", "Vingt-trois": a number word of a compound, not the commune; "Kharkiv-based" is left to
        # the roles, and a name that goes on ("Rostov-na-Donu") was matched whole
        lower = _LETTERS.match(text, end + 1)
        word = lower.group(0) if lower else ""
        nxt = end + 1 + len(word)
        return (bool(word) and len(word) <= 6 and word in _words("number_units.txt")
                and not (nxt < len(text) and text[nxt] == "-"))
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha():
        i = start - 1
        while i > 0 and text[i - 1].isalpha():
            i -= 1
        if text[i : start - 1] in PARTIES:
            return False  # "D-Charleston", "DFL-Duluth": a lawmaker's party and home town
        return text[i].isupper() and norm_token(text[i : start - 1]) not in gaz._keys
    return False


_LETTERS = re.compile(r"[^\W\d_]+")


# Ukrainian and Russian prepositions that put the next word in a place's role
_PLACE_PREPOSITION = re.compile(
    r"(?<!\w)(?:в|у|під|біля|поблизу|поруч із|на|до|з|із|зі|від|около|возле|под|вблизи|из|со|по)\s+$", re.I
)


# lower-case words that belong in a place's name: "Donetsk oblast", "Luhansk region", "région de Louhansk"
_ELIDED = re.compile(r"^(?:d|l)['’][A-ZÀ-Ý]")  # "d'Odessa", "d'Azov": a name after an elided article
_ADMIN_WORDS = frozenset({"oblast", "oblast'", "region", "région", "regions", "régions", "province", "provinces",
                          "raion", "rayon", "district", "county", "city", "oblasts", "hromada", "hromadas",
                          "community", "communities", "territorial", "state", "governorate", "prefecture",
                          "mountains", "municipality"})  # "Washington state", "Kasserine governorate"


def _bare_abbreviation(t: Toponym) -> bool:
    return len(t.key) == 2 and t.text.isupper() and bool(t.kinds) and all(k == 6 for k in t.kinds)


def abbreviations_in_context(toponyms: list[Toponym], text: str) -> list[Toponym]:
    """``toponyms`` with each two-capital abbreviation ("BC", "SA", "WA") kept only for a country the text names.

    The country is named by the likeliest place of another span ("Castlegar" for "BC") or by a candidate's own
    full name written out ("South Africa" for "SA"); with neither, the capitals are an acronym.
    """
    if not any(_bare_abbreviation(t) for t in toponyms):
        return toponyms
    named = {t.candidates[0].iso2 for t in toponyms if not _bare_abbreviation(t) and t.candidates}
    out = []
    for t in toponyms:
        if _bare_abbreviation(t):
            keep = [(p, k) for p, k in zip(t.candidates, t.kinds, strict=True) if p.iso2 in named or p.name in text]
            if not keep:
                continue
            t = replace(t, candidates=tuple(p for p, _ in keep), kinds=tuple(k for _, k in keep))
        out.append(t)
    return out


_REGION_AFTER = re.compile(r", ((?:[A-Z][a-z]*\.?){1,2}(?: [A-Z][a-z]+\.?)?)")


def _region_after(gaz: Gazetteer, text: str, end: int) -> tuple[frozenset[str], frozenset[str]]:
    """The first-level regions and the countries (ISO codes) that a comma at ``end`` introduces ("Lombard, Ill.")."""
    m = _REGION_AFTER.match(text, end)
    if m is None:
        return frozenset(), frozenset()
    found = gaz.lookup(m.group(1), limit=5)
    return (frozenset(p.admin1 for p in found if p.feature == "admin1" and p.admin1),
            frozenset(p.iso2 for p in found if p.feature == "country" and p.iso2))


def sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start].rstrip(" \t\"'«“‘(—–-")
    return not before or before[-1] in ".!?:\n" or "\n" in text[max(0, start - 2) : start]


@dataclass(frozen=True, slots=True)
class Deferred:
    """A common word dropped as a toponym that the rest of the text may still vouch for as a town."""

    start: int
    end: int
    key: str
    pairs: tuple[tuple[Place, int], ...]  # its candidates with their name kinds


# a preposition of place, or a settlement noun with "of", right before a name: "in Lombard", "the city of Van"
_PLACE_BEFORE = re.compile(
    r"(?<![\w-])(?:[Ii]n|[Nn]ear|[Aa]t|[Ff]rom|[Oo]utside|[Aa]round|[Tt]hrough|[Nn]ow|(?:city|town|village|"
    r"township|suburb|community|borough) of)\s+$"
)


# a name going on after the word: "Stevens & Wilkinson", "Section 2AA", "Hurricane Katrina"
_NAME_GOES_ON = re.compile(r" ?&| [A-Z0-9]")


def vouched_towns(toponyms: list[Toponym], deferred: list[Deferred], text: str) -> list[Toponym]:
    """The deferred common words that name a town of a state (or first-level region) the kept spans name.

    One occurrence must follow a preposition of place ("in Lombard", "from Butte", "the city of Van") and not
    be a word of the calendar or an institution ("in March", "in Congress"); then every other occurrence of
    the word in the text counts too ("the Lombard Historical Society"). Only the towns of the named states stay
    candidates.
    """
    from sitrep.gazetteer import Toponym

    if not deferred:
        return toponyms
    named = {(p.iso2, p.admin1) for t in toponyms if not t.in_name for p in t.candidates[:1]
             if p.admin1 and p.feature != "country"}
    states = {(p.iso2, p.admin1) for t in toponyms if not t.in_name for p in t.candidates[:1] if p.feature == "admin1"}
    not_towns = _words("not_towns.txt")
    by_key: dict[str, tuple[tuple[Place, int], ...]] = {}
    for d in deferred:
        if d.key in by_key or d.key in not_towns or _NAME_GOES_ON.match(text, d.end):
            continue
        if not _PLACE_BEFORE.search(text[max(0, d.start - 20) : d.start].replace("(", " ")):
            continue
        pairs = tuple((p, k) for p, k in d.pairs if p.feature == "settlement" and (p.iso2, p.admin1) in named)
        # the towns of a state named as such ("W.Va."), before those of a state only a town of it implies
        pairs = tuple((p, k) for p, k in pairs if (p.iso2, p.admin1) in states) or pairs
        if pairs:
            by_key[d.key] = pairs
    if not by_key:
        return toponyms
    taken = [Toponym(d.start, d.end, text[d.start : d.end], tuple(p for p, _ in by_key[d.key]), d.key,
                     tuple(k for _, k in by_key[d.key])) for d in deferred if d.key in by_key]
    return sorted(toponyms + taken, key=lambda t: t.start)


def keep(
    gaz: Gazetteer, text: str, start: int, end: int, key: str, places: tuple[Place, ...], kinds: tuple[int, ...],
    *, demonyms: bool, deferred: list[Deferred] | None = None,
) -> tuple[tuple[Place, ...], tuple[int, ...]]:
    """The candidates of the span ``text[start:end]`` that survive the guards (maybe none).

    A common word that names only small towns ("Lombard", "Hurricane") is dropped, but put on ``deferred``
    when given: :func:`vouched_towns` takes it back when the rest of the text names the town's state.
    """
    raw = text[start:end]
    if norm_token(raw) in _words("function_words.txt"):
        return (), ()  # "Біля 5:30 ворог атакував", "Около полуночи": a preposition opening a sentence
    pairs = [(p, k) for p, k in zip(places, kinds, strict=True) if demonyms or k != 5]
    if not pairs:
        return (), ()
    cyr = is_cyrillic(raw)
    if cyr and any(p.feature == "admin1" and k == 3 for p, k in pairs):
        # "Харківщина", "Донеччина": the region's own popular name, not the hamlets that share it
        pairs = [(p, k) for p, k in pairs if p.feature in _NOT_SETTLEMENT or p.population >= _BIG]
    letters = key.replace(" ", "")
    if (compound_part(gaz, text, start, end) or person_name(text, start, end, key, gaz._given)
            or weapon_or_trigger(raw) or weapon_listed(text, start, end)):
        return (), ()
    if not cyr and (_UNIT_AFTER.match(text, end) or _UNIT_BEFORE.search(text[max(0, start - 16) : start])):
        return (), ()  # "4th Guards Tank Division", "The New York Times": part of a unit's or paper's name
    if cyr and " " not in key and _qualifies_noun(text, start, end):
        # "на Кримському мосту": an adjective of a common noun, not the village Кримське
        pairs = [(p, k) for p, k in pairs if p.feature in _NOT_SETTLEMENT]
        if not pairs:
            return (), ()
    if not cyr and " " in raw and any(
        w[:1].islower() and len(w) > 3 and w.lower().strip(".,'’") not in _ADMIN_WORDS and not _ELIDED.match(w)
        for w in raw.split()[1:]
    ):
        return (), ()  # "Les attaques ont frappé…" is no "Les Attaques": a name's longer words are capitalised
    if not cyr and raw.isupper() and len(letters) >= 3 and dateline(text, start, end):
        return tuple(p for p, _ in pairs), tuple(k for _, k in pairs)  # "CHARLESTON, W.Va. --": a place, whatever
    if not cyr and raw.isupper() and len(letters) >= 2 and key not in _SHORT_CAPS and written_lower(text, raw):
        return (), ()  # a word in capitals: "SUR" of a headline whose sentences say "sur"
    if not cyr and raw.isupper() and len(letters) >= 3 and caps_text(text, start, end):
        # in a headline only long Ukrainian names, regions and big cities are trusted
        pairs = [(p, k) for p, k in pairs if p.feature in _NOT_SETTLEMENT or (p.iso2 == "UA" and len(letters) >= 5)
                 or (p.population >= 100_000 and len(letters) >= 5)]
    elif not cyr and raw.isupper() and len(letters) >= 4 and acronym(text, start, end):
        # capitals in running text are an acronym ("OTAN", "NATO"), not a village: only regions and big places
        pairs = [(p, k) for p, k in pairs if p.feature in _NOT_SETTLEMENT or p.population >= _BIG]
    # abbreviations ("Ky.", "W.Va.", "NSW") count only with their full stops or in capitals
    if any(k == 6 for _, k in pairs):
        dotted = "." in raw or text[end : end + 1] == "."
        # two capitals only when so written ("BC", not the "GA" of "Ga."), and see ``abbreviations_in_context``
        if not (dotted or (raw.isupper() and (len(letters) >= 3 or key in gaz._capitals))):
            pairs = [(p, k) for p, k in pairs if k != 6]
    if not cyr and len(letters) <= 3:
        if key in _SHORT_CAPS:
            if not raw.replace(".", "").replace(" ", "").isupper():
                return (), ()
        elif not raw.isupper() or len(letters) < 3:
            regions, countries = _region_after(gaz, text, end)
            placed = len(letters) == 3 and (
                _PLACE_BEFORE.search(text[max(0, start - 20) : start]) is not None or bool(regions or countries))
            # "the city of Van, Turkey", "in Van": a three-letter town of 50,000 people after a preposition of
            # place or before its country; else only a huge one or a region
            pairs = [(p, k) for p, k in pairs if p.population >= _HUGE or p.feature in _NOT_SETTLEMENT
                     or (placed and (p.population >= _BIG or p.admin1 in regions or p.iso2 in countries))]
        else:
            pairs = [(p, k) for p, k in pairs if p.population >= _BIG or p.feature in _NOT_SETTLEMENT]
    if not cyr and " " not in key and key in gaz._common:
        if raw.isupper() and len(raw) > 3:
            return (), ()
        # a word that is also a big place's name ("Paris", "Reading") is a toponym only when a big place bears
        # it; then its smaller namesakes stay candidates too (Paris, Tennessee), for the context to choose
        floor = _HUGE if sentence_initial(text, start) and not _INSTITUTION_AFTER.match(text, end) else _BIG
        if not any(p.population >= floor or p.feature in _NOT_SETTLEMENT for p, _ in pairs):
            # "Lombard, Ill.", "Hurricane, West Virginia": the state or country after a comma vouches for the town
            regions, countries = _region_after(gaz, text, end)
            town = [(p, k) for p, k in pairs if p.admin1 in regions or p.iso2 in countries]
            if not town:
                if deferred is not None and not sentence_initial(text, start) and not raw.isupper():
                    deferred.append(Deferred(start, end, key, tuple(pairs)))
                return (), ()
            pairs = town
    elif cyr and " " not in key and not _PLACE_PREPOSITION.search(text[max(0, start - 12) : start]) and common_word(raw):
        # an ordinary word that is also a village's name ("Республіки", "Військові"), with no preposition of place
        pairs = [(p, k) for p, k in pairs if p.population >= _BIG or p.feature in _NOT_SETTLEMENT]
    elif cyr and sentence_initial(text, start) and " " not in key and len(letters) <= 4:
        pairs = [(p, k) for p, k in pairs if p.population >= _BIG or p.feature in _NOT_SETTLEMENT]
    return tuple(p for p, _ in pairs), tuple(k for _, k in pairs)


# a list of county names before the plural noun: "Clarke, Madison, Oconee and Oglethorpe counties"
_NAME = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2}"
_COUNTY_LIST = re.compile(rf"(?<![\w-])((?:{_NAME}, )*{_NAME},? (?:and|or) {_NAME}) (counties|parishes|Counties|Parishes)\b")
_COUNTY_WORDS = {"counties": ("county", "parish", "borough"), "parishes": ("parish",)}


def county_lists(gaz: Gazetteer, toponyms: list[Toponym], text: str) -> list[Toponym]:
    """``toponyms`` with the names of a list of US counties read as those counties.

    "Clarke, Madison, Oconee and Oglethorpe counties" names four counties, none with its word "County": each
    name is looked up with it, and when one state has them all only its counties stay candidates. A span
    already found on such a name (the town of Madison) gives way to the county.
    """
    from sitrep.gazetteer import Toponym

    found: list[tuple[int, int, str, list[Place]]] = []
    for m in _COUNTY_LIST.finditer(text):
        words = _COUNTY_WORDS[m.group(2).lower()]
        names = []
        pos = m.start(1)
        for part in re.split(r",? (?:and|or) |, ", m.group(1)):
            pos = text.index(part, pos)
            names.append((pos, pos + len(part), part))
            pos += len(part)
        hits = []
        for s, e, part in names:
            for w in words:
                val = gaz._keys.get(f"{key_of(part)} {w}")
                if val is not None:
                    places = [p for p in gaz._ranked(val, cap=False)[0] if p.feature == "admin2" and p.iso2 == "US"]
                    if places:
                        hits.append((s, e, f"{key_of(part)} {w}", places))
                        break
        if len(hits) < max(2, len(names) - 1):
            continue  # a list of counties has the names of counties
        # the state that has most of the names ("Cooke, Grayson and Love counties": Texas, then Oklahoma's Love)
        states = Counter(a for *_, ps in hits for a in {p.admin1 for p in ps})
        top = max(states.values())
        for s, e, key, places in hits:
            found.append((s, e, key, [p for p in places if states[p.admin1] == top] or places))
    if not found:
        return toponyms
    out = [t for t in toponyms if not any(s < t.end and t.start < e for s, e, *_ in found)]
    out += [Toponym(s, e, text[s:e], tuple(places), key, (0,) * len(places)) for s, e, key, places in found]
    return sorted(out, key=lambda t: t.start)


_COUNTY_KEY = re.compile(r"^(.+) (county|parish)$")


def named_counties(gaz: Gazetteer, toponyms: list[Toponym], text: str) -> list[Toponym]:
    """``toponyms`` with the bare name of a US county that the text names in full read as that county.

    After "Pointe Coupee Parish", "the Pointe Coupee Sheriff's Office" names the parish; after "DuPage County",
    "DuPage" does. Only a bare name that names no region nor a place of 50,000 people is so read, and not
    where it is a person's ("Sheriff Douglas").
    """
    from sitrep.gazetteer import Toponym

    counties: dict[str, Toponym] = {}
    for t in toponyms:
        m = _COUNTY_KEY.match(t.key)
        if m and not t.in_name and t.candidates and t.candidates[0].feature == "admin2" and t.candidates[0].iso2 == "US":
            counties.setdefault(m.group(1), t)
    if not counties:
        return toponyms
    added: list[Toponym] = []
    for base, county in counties.items():
        val = gaz._keys.get(base)
        if val is not None and any(p.feature != "settlement" or p.population >= _BIG for p in gaz._ranked(val)[0]):
            continue
        raw = county.text[: len(county.text) - len(county.key) + len(base)].strip()
        if not raw[:1].isupper():
            continue
        for m in re.finditer(rf"(?<![\w-]){re.escape(raw)}(?![\w-])", text):
            s, e = m.start(), m.end()
            if re.match(r" (?:County|Parish|county|parish)\b", text[e : e + 8]) or any(
                t.start < e and s < t.end for t in toponyms
            ) or person_name(text, s, e, base, gaz._given):
                continue
            added.append(Toponym(s, e, raw, county.candidates, base, county.kinds))
    if not added:
        return toponyms
    return sorted(toponyms + added, key=lambda t: t.start)
