"""Lemmas of Ukrainian and Russian words, for matching inflected names against a gazetteer.

``lemmas("Києві", "uk")`` gives every dictionary form the word may come from
(pymorphy3 with its uk/ru dictionaries, all parses, then simplemma), so a
caller can try each: pymorphy3's first parse is often wrong for place names
(Києві → кий, Краматорську → краматорський) while the right lemma is among the
others. Results are cached per word. Other languages go to simplemma only.
Nothing here downloads anything; the analysers load on first use (~0.2 s).
"""

from __future__ import annotations

from contextlib import suppress
from functools import cache, lru_cache
from typing import Any

_PYMORPHY = ("uk", "ru")


@cache
def _analyser(lang: str) -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


@lru_cache(maxsize=65536)
def lemmas(word: str, lang: str) -> tuple[str, ...]:
    """Candidate lemmas of ``word`` (lower case, most likely first, no duplicates), the word itself included."""
    import simplemma

    out: list[str] = []
    if lang in _PYMORPHY:
        out += [p.normal_form for p in _analyser(lang).parse(word)]
    with suppress(ValueError):  # simplemma does not know the language
        out.append(simplemma.lemmatize(word, lang=lang).lower())
    out.append(word.lower())
    return tuple(dict.fromkeys(w.replace("ё", "е") if lang == "ru" else w for w in out))


def lemma(word: str, lang: str) -> str:
    """The most likely lemma of ``word``."""
    return lemmas(word, lang)[0]



@lru_cache(maxsize=65536)
def common_word(word: str) -> bool:
    """Whether a Cyrillic ``word`` is, in one of its dictionary forms, an ordinary word listed in
    ``gazetteer/data/common_words.txt`` that villages also bear as names ("Республіки", "Військові", "Кияни")."""
    from sitrep.gazetteer.sources import common_words

    stop = common_words()
    low = word.lower()
    if low in stop:
        return True
    # pymorphy3's parses only: simplemma's dictionaries take seconds to load, too slow for a guard
    return any(p.normal_form.replace("ё", "е") in stop for lang in ("uk", "ru") for p in _analyser(lang).parse(low))


_NOT_NOUN = frozenset({"PREP", "CONJ", "PRCL", "VERB", "INFN", "ADVB", "NPRO", "PRED", "INTJ", "GRND", "PRTS"})


@lru_cache(maxsize=65536)
def agrees(adjective: str, noun: str) -> bool:
    """Whether a Cyrillic ``adjective`` can qualify ``noun`` (an adjective and a noun of one case and number,
    and one gender in the singular): "Кримському мосту", not "Кримському загинув"."""
    for lang in _PYMORPHY:
        an = _analyser(lang)
        adjs = [p.tag for p in an.parse(adjective.lower()) if p.tag.POS == "ADJF"]
        parses = an.parse(noun.lower())
        if any(p.tag.POS in _NOT_NOUN for p in parses):
            return False  # "Макарів під Києвом": a preposition, whatever else the word may be
        nouns = [p.tag for p in parses if p.tag.POS == "NOUN"]
        for a in adjs:
            for n in nouns:
                if a.case == n.case and a.number == n.number and (
                    a.number == "plur" or a.gender is None or n.gender is None or a.gender == n.gender
                ):
                    return True
    return False


@lru_cache(maxsize=65536)
def first_name(word: str, lang: str) -> bool:
    """Whether a Ukrainian or Russian word is, in one of its dictionary forms, a first name ("Андрій", "Ігоря"):
    the first word of "Андрій Коваленко" names a person even where a village bears the same name."""
    if lang not in _PYMORPHY:
        return False
    return any("Name" in p.tag for p in _analyser(lang).parse(word))


@lru_cache(maxsize=65536)
def personal(name: str, lang: str) -> bool:
    """Whether capitalised Ukrainian or Russian words read as a person's name: a first name first, or a surname
    last ("Олександр Мельник", "Плетенчук"); "Вооруженные Силы" is none. Other languages cannot tell: True."""
    if lang not in _PYMORPHY:
        return True
    words = name.split()
    return first_name(words[0], lang) or any("Surn" in p.tag for p in _analyser(lang).parse(words[-1]))


@lru_cache(maxsize=65536)
def modifier(word: str, lang: str) -> bool:
    """Whether a Ukrainian or Russian word reads first as an adjective or participle, never as a name's word
    ("Объединенной", "Об'єднаного"):
    the first word of a body's name, never a person's."""
    if lang not in _PYMORPHY:
        return False
    parses = _analyser(lang).parse(word)
    return bool(parses) and parses[0].tag.POS in ("ADJF", "PRTF") and not any(
        t in p.tag for p in parses for t in ("Name", "Surn", "Patr"))
