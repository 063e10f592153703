"""Text normalisation, tokenisation and transliteration for place names.

Index keys are normalised token sequences: lower case, Latin diacritics
removed, apostrophes dropped, ``ё`` read as ``е``, tokens joined by one space.
Transliteration generates the spellings a reader meets in news: the official
Ukrainian romanisation (KMU 2010), Russian-based English (BGN-style, with the
simpler ``e``/``i`` variants seen in the press), French and German.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ`][^\W\d_]+)*")
_APOS = str.maketrans("", "", "'’ʼ`")
CYRILLIC = re.compile(r"[\u0400-\u052f]")
_LATIN_OR_CYR = re.compile(r"^[\sA-Za-z\u00c0-\u024f\u0400-\u052f'’ʼ`.\-]+$|^[A-Z]&[A-Z]$")  # "T&T"


@lru_cache(maxsize=200_000)
def norm_token(token: str) -> str:
    """The index form of one token."""
    out = []
    for ch in token.lower().translate(_APOS):
        if "\u0400" <= ch <= "\u052f":
            out.append("е" if ch == "ё" else ch)
        elif ch.isascii():
            out.append(ch)
        else:
            base = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in base if not unicodedata.combining(c)) or ch)
    return "".join(out).replace("ß", "ss")


_ELISION = re.compile(r"^(?:[ldjnsctm]|qu|jusqu|lorsqu|puisqu)['’]", re.I)


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, raw token) for every word of ``text``.

    In Latin script a French elision ("l'Ukraine", "d'Avdiivka") and an English possessive ("China's") are
    not part of the word; apostrophes inside Cyrillic or romanised names ("Слов'янськ", "Kam'yanka") are.
    """
    return [(m.start(), m.end(), t) if ("'" not in (t := m.group()) and "’" not in t) or len(t) <= 2
            else _unelided(m.start(), m.end(), t) for m in TOKEN.finditer(text)]


def _unelided(s: int, e: int, t: str) -> tuple[int, int, str]:
    """A token with an apostrophe, less a Latin elision before it and a possessive after it."""
    if not CYRILLIC.search(t):
        el = _ELISION.match(t)
        if el and len(t) > el.end():
            s, t = s + el.end(), t[el.end() :]
        if len(t) > 2 and t[-1] == "s" and t[-2] in "'’":
            e, t = e - 2, t[:-2]
    return s, e, t


@lru_cache(maxsize=100_000)
def key_of(name: str) -> str:
    """The index key of a whole name ("Ivano-Frankivs'k" -> "ivano frankivsk"); the same names come back in
    every text (each candidate's own name is keyed when it is weighed), so each is keyed once."""
    return " ".join(norm_token(t) for _, _, t in tokens(name))


def indexable(name: str) -> bool:
    """Latin or Cyrillic names only: the languages sitrep reads."""
    return bool(name) and bool(_LATIN_OR_CYR.match(name)) and len(name) <= 60


def is_cyrillic(name: str) -> bool:
    return bool(CYRILLIC.search(name))


_VOWELS = set("аеєиіїоуюяыэ")

# KMU 2010 (Cabinet of Ministers resolution no. 55): (initial form, other form)
_KMU: dict[str, tuple[str, str]] = {
    "а": ("a", "a"), "б": ("b", "b"), "в": ("v", "v"), "г": ("h", "h"), "ґ": ("g", "g"),
    "д": ("d", "d"), "е": ("e", "e"), "є": ("ye", "ie"), "ж": ("zh", "zh"), "з": ("z", "z"),
    "и": ("y", "y"), "і": ("i", "i"), "ї": ("yi", "i"), "й": ("y", "i"), "к": ("k", "k"),
    "л": ("l", "l"), "м": ("m", "m"), "н": ("n", "n"), "о": ("o", "o"), "п": ("p", "p"),
    "р": ("r", "r"), "с": ("s", "s"), "т": ("t", "t"), "у": ("u", "u"), "ф": ("f", "f"),
    "х": ("kh", "kh"), "ц": ("ts", "ts"), "ч": ("ch", "ch"), "ш": ("sh", "sh"),
    "щ": ("shch", "shch"), "ь": ("", ""), "ю": ("yu", "iu"), "я": ("ya", "ia"),
    "ъ": ("", ""), "ы": ("y", "y"), "э": ("e", "e"), "ё": ("yo", "io"),
}

_BGN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}

_FR_UK: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "j",
    "з": "z", "и": "y", "і": "i", "ї": "ï", "й": "ï", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "ou", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "tch", "ш": "ch", "щ": "chtch", "ь": "", "ю": "iou", "я": "ia", "ъ": "", "ы": "y",
    "э": "e", "ё": "io",
}
_FR_RU = {**_FR_UK, "г": "g", "и": "i", "я": "ya", "ю": "you", "е": "e", "й": "ï"}
# the Ukrainian agencies' own French: Ukrainian vowels, but "g" for г and "y" in the iotated letters
# ("Гуляйполе" -> "Goulyaïpole", "П'ятихатки" -> "Pyatykhatky", "Шалигинська" -> "Chalygynska")
_FR_UA = {**_FR_UK, "г": "g", "я": "ya", "ю": "you", "є": "ye", "ї": "yi"}
_SS = re.compile(r"(?<=[аеєиіїоуюяыэ])с(?=[аеєиіїоуюяыэ])", re.I)
_DROP_Y = re.compile(r"(?<=[аеєиіїоуюя])й(?=[бвгґджзклмнпрстфхцчшщ])", re.I)

_DE: dict[str, str] = {
    "а": "a", "б": "b", "в": "w", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "je", "ж": "sch",
    "з": "s", "и": "y", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z",
    "ч": "tsch", "ш": "sch", "щ": "schtsch", "ь": "", "ю": "ju", "я": "ja", "ъ": "", "ы": "y",
    "э": "e", "ё": "jo",
}


def _apply(name: str, table: dict[str, str]) -> str:
    out = []
    for ch in name:
        low = ch.lower()
        rep = table.get(low)
        if rep is None:
            out.append("" if ch in "'’ʼ`" else ch)
        else:
            out.append(rep.capitalize() if ch != low else rep)
    return "".join(out)


_SOFT_O = re.compile(r"ь(?=о)")
_Y_FORMS = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def kmu(name: str, *, y_forms: bool = False, short_i: bool = False) -> str:
    """Ukrainian Cyrillic to Latin, KMU 2010 ("Запоріжжя" -> "Zaporizhzhia", "Згурівка" -> "Zghurivka").

    With ``y_forms`` the iotated letters keep their initial forms everywhere ("Зоряне" -> "Zoryane"), as
    English-language monitors often write them; with ``short_i`` as well, "й" stays "i" after a vowel
    ("Червоний Маяк" -> "Chervonyi Mayak").
    """
    out = []
    prev = " "
    for ch in name:
        low = ch.lower()
        pair = _KMU.get(low)
        if pair is None:
            out.append("" if ch in "'’ʼ`" else ch)
        else:
            rep = ("gh" if low == "г" and prev.lower() == "з" else pair[0] if not prev.isalpha() or
                   (y_forms and low in _Y_FORMS and not (short_i and low == "й")) else pair[1])
            out.append(rep.capitalize() if ch != low else rep)
        prev = ch
    return "".join(out)


def bgn(name: str) -> str:
    """Russian Cyrillic to Latin, BGN/PCGN style ("Николаев" -> "Nikolayev")."""
    out = []
    prev = " "
    for ch in name:
        low = ch.lower()
        if low == "е" and (not prev.isalpha() or prev.lower() in _VOWELS or prev.lower() in "ъь"):
            rep = "ye"
        else:
            rep = _BGN.get(low, "" if ch in "'’ʼ`" else ch)
        out.append(rep.capitalize() if ch != low else rep)
        prev = ch
    return "".join(out)


def spellings(name: str) -> set[str]:
    """Latin spellings of a Cyrillic name (the name itself is not included)."""
    if not is_cyrillic(name):
        return set()
    out = {kmu(name), bgn(name), _apply(name, _BGN), _apply(name, _FR_UK), _apply(name, _FR_RU),
           _apply(name, _DE)}
    out.add(_apply(name, {**_BGN, "й": "i"}))
    out.add(kmu(name).replace("ii", "iy"))
    out.add(kmu(name, y_forms=True))
    out.add(kmu(name.translate(_APOS)))  # KMU proper: "Знам'янка" -> "Znamianka", not "Znamyanka"
    out.add(kmu(name).replace("iia", "ia"))  # "Надія" -> "Nadia", as the press shortens "-iia"
    out.add(kmu(name, y_forms=True, short_i=True))
    # the English press's own shortcuts: "щ" as "sch" ("Щербинівка" -> "Scherbynivka") and "ьо" as "yo"
    # ("Верхньокам'янка" -> "Verkhnyokamianka")
    plain = kmu(_SOFT_O.sub("y", name).translate(_APOS))
    out.update({plain, plain.replace("shch", "sch").replace("Shch", "Sch"), kmu(name).replace("shch", "sch")})
    for fr in (_FR_UK, _FR_UA, _FR_RU):
        out.add(_apply(name, fr))
        out.add(_apply(_DROP_Y.sub("", name), fr))  # "Гуляйполе" -> "Goulyapole": й before a consonant unwritten
        # French doubles an s between vowels to keep it unvoiced: "Часів Яр" -> "Tchassiv Iar"
        out.add(_apply(_SS.sub("сс", name), fr))
    return {s for s in out if s and not is_cyrillic(s)}
