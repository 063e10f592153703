"""Finding toponym spans: a dictionary scan over token n-grams, longest match first.

Cyrillic tokens are also tried in their nominative forms, guessed by replacing
case endings (Бахмуті -> Бахмут, Авдіївкою -> Авдіївка, Донецкой -> Донецкая);
only forms that occur in some index key are kept, so the scan stays a few
dictionary look-ups per capitalised token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import product

from sitrep.gazetteer.text import is_cyrillic, norm_token, tokens

MAX_TOKENS = 6

# inflected ending -> nominative endings (Ukrainian and Russian together)
_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ового", ("ів",)), ("овому", ("ів",)), ("овим", ("ів",)), ("єву", ("їв",)), ("ках", ("ки",)),
    ("євом", ("їв",)), ("овом", ("ів", "")), ("ією", ("ія",)), ("кою", ("ка",)), ("кой", ("ка",)),
    ("ого", ("ий", "е", "ое", "ой")), ("ому", ("ий", "е", "ой")), ("ові", ("ів", "")), ("єві", ("їв",)),
    ("ова", ("ів", "")), ("єва", ("їв",)), ("ову", ("ів", "")), ("ці", ("ка", "ця", "к")), ("ені", ("інь",)), ("ами", ("и",)), ("ями", ("і",)), ("ки", ("ка",)),
    ("ку", ("ка",)), ("ке", ("ка",)), ("ом", ("", "е")), ("ем", ("", "е")), ("ою", ("а", "я")),
    ("ею", ("я", "а")), ("ью", ("ь",)), ("ой", ("а", "ая", "ий", "ый", "ое")), ("ей", ("я",)), ("ої", ("а",)),
    ("ій", ("а", "ий", "ія")), ("ії", ("ія",)), ("ию", ("ия",)), ("ии", ("ия",)), ("ую", ("ая", "а")),
    ("і", ("", "а", "я", "е", "ь", "о")), ("и", ("а", "", "ь", "ы")), ("у", ("", "а")), ("ю", ("я", "ь")),
    ("а", ("", "е", "о")), ("я", ("ь", "е")), ("е", ("", "а", "ь")), ("ы", ("а",)),
)


@lru_cache(maxsize=100_000)
def forms(norm: str, known: frozenset[str]) -> tuple[str, ...]:
    """``norm`` and the nominative forms of a Cyrillic token that some key contains."""
    if not is_cyrillic(norm):
        return (norm,)
    out = [norm] if norm in known else []
    for suf, reps in _ENDINGS:
        if norm.endswith(suf) and len(norm) - len(suf) >= 2:
            stem = norm[: -len(suf)]
            for r in reps:
                for c in (stem + r, *_alternations(stem, r)):
                    if c in known and c not in out:
                        out.append(c)
    return tuple(out) or (norm,)


# Ukrainian consonant alternation before the locative ending -і: Ріг -> Розі, Бік -> Боці
_SOFTENED = {"з": "г", "ц": "к", "с": "х"}


def _alternations(stem: str, ending: str) -> tuple[str, ...]:
    """Nominatives a Ukrainian locative stem hides: з/ц/с before -і are г/к/х, and the vowel о (or е) of the
    closed last syllable is then і (Розі -> Ріг). Only with the consonant: a bare о -> і would read "Сході"
    as the village Схід."""
    if ending or stem[-1:] not in _SOFTENED:
        return ()
    st = stem[:-1] + _SOFTENED[stem[-1]]
    k = max(st.rfind("о"), st.rfind("е"))
    return (st, st[:k] + "і" + st[k + 1 :]) if k > 0 and k >= len(st) - 3 else (st,)


_ELIDED_GAP = re.compile(r"^[ \u00a0](?:[dlDL]|qu)['’]$")


def _joinable(gap: str) -> bool:
    """Whether two tokens separated by ``gap`` may belong to one name ("Ivano-Frankivsk", "Côte d'Ivoire")."""
    if len(gap) <= 2:
        return all(ch in " -.'’\u00a0" for ch in gap) and gap.count(".") <= 1
    return bool(_ELIDED_GAP.match(gap))


def spans(text: str, keys: dict[str, int], known: frozenset[str],
          toks: list[tuple[int, int, str]] | None = None) -> Iterator[tuple[int, int, int, str]]:
    """(first token, last token + 1, key value, key) of each longest match, left to right (``toks``: the
    :func:`~sitrep.gazetteer.text.tokens` of ``text``, when the caller has them)."""
    toks = tokens(text) if toks is None else toks
    normed = [forms(norm_token(t[2]), known) for t in toks]
    i = 0
    while i < len(toks):
        if (not toks[i][2][0].isupper() and normed[i][0] not in _LOWER_STARTS) or _party_label(text, toks[i]):
            i += 1
            continue
        hit = None
        last = i
        while last + 1 < len(toks) and last + 1 - i < MAX_TOKENS and (
            _joinable(text[toks[last][1] : toks[last + 1][0]]) or _initials(text, toks[last], toks[last + 1])
        ):
            last += 1
        for j in range(last + 1, i, -1):
            if j < len(toks) and _cut_compound(text, toks, j) and (
                normed[j][0] not in keys or f"{normed[j - 1][0]} {normed[j][0]}" in keys
            ):
                continue  # never end inside a hyphenated compound ("La Grande" of "La Grande-Bretagne")
            hyphenated = j - i >= 2 and text[toks[j - 2][1] : toks[j - 1][0]] == "-"
            for combo in product(*normed[i:j]):
                key = " ".join(combo)
                val = keys.get(key)
                if val is None and hyphenated:
                    key, val = _clipped(key, keys)
                if val is not None:
                    hit = (i, j, val, key)
                    break
            if hit:
                break
        if hit:
            yield hit
            i = hit[1]
        else:
            i += 1


# a US lawmaker's party before the hyphen of the home state or town: "Rep. Jane Doe, D-N.Y.", "(R-Ky.)"
PARTIES = frozenset({"D", "R", "I", "DFL"})


def _party_label(text: str, tok: tuple[int, int, str]) -> bool:
    start, end, raw = tok
    return raw in PARTIES and text[end : end + 1] == "-" and text[max(0, start - 2) : start] in (", ", " (", "(")


def _initials(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    """Whether two single capitals joined by "&" make one name ("T&T" for Trinidad and Tobago)."""
    return text[left[1] : right[0]] == "&" and len(left[2]) == 1 == len(right[2]) and (left[2] + right[2]).isupper()


# "Novgorod-Siversk" for "Novhorod-Siverskyi": the press clips the adjective ending of a compound name
_CLIPPED_TAILS = ("yi", "iy", "ii", "yy", "ij", "yj", "y", "i")


def _clipped(key: str, keys: dict[str, int]) -> tuple[str, int | None]:
    """The key that ``key`` (a hyphenated compound) clips, and its value, or ``(key, None)``."""
    if not key.isascii() or not key.endswith("k"):
        return key, None
    for tail in _CLIPPED_TAILS:
        val = keys.get(key + tail)
        if val is not None:
            return key + tail, val
    return key, None


# "Kiev-Obolonskyi", "Kyiv-Sviatoshynskyi": a city and one of its districts, not one compound name
DISTRICT = re.compile(r"\w+(?:skyi|skyy|skiy|skij|ckyi|sky|kyi)$", re.I)


def _cut_compound(text: str, toks: list[tuple[int, int, str]], j: int) -> bool:
    """Whether a match ending before token ``j`` would cut a hyphenated compound name in two.

    A short abbreviation after the hyphen ("Watertown-ML", "Canada-U.S.") makes no compound name.
    """
    return (
        text[toks[j - 1][1] : toks[j][0]] == "-"
        and toks[j][2][0].isupper()
        and not DISTRICT.fullmatch(toks[j][2])
        and not (toks[j][2].isupper() and len(toks[j][2]) <= 3)
    )


# lowercase words that may open an administrative phrase ("région de Louhansk", "oblast of Kherson")
_LOWER_STARTS = frozenset({"region", "oblast", "province", "raion", "district", "mer"})  # "mer Noire"
