"""Language identification: which of sitrep's languages a report (or a sentence) is written in.

Cyrillic texts are told apart by evidence only one of Ukrainian and Russian
gives: the letters і ї є ґ and the apostrophe inside a word (об'єкт, п’ять)
against ы э ъ ё, and frequent function words (що, та, від, це, вже… against
что, и, от, это, уже…). That settles even one-line posts; when a Cyrillic text
carries no such evidence at all ("Бахмут, Авдіївка"), py3langid, restricted to
uk and ru, decides. Latin texts are decided by a vote of frequent function
words, French against English.

A language given with the input wins for the document. :func:`sentence_lang`
lets a sentence override its document's language only on clear evidence, so
a Russian quotation in a Ukrainian report is read with the Russian lexicon.
"""

from __future__ import annotations

import logging
import pickle
import re
from dataclasses import replace
from functools import cache
from typing import Any, ClassVar

from sitrep.lang import LANGUAGES
from sitrep.model import Analysis

log = logging.getLogger(__name__)

_UK = re.compile(r"[іїєґІЇЄҐ]")
_RU = re.compile(r"[ыэъёЫЭЪЁ]")
_UK_APOS = re.compile(r"(?<=[бпвмфрБПВМФР])['’ʼ](?=[яюєїЯЮЄЇ])")
_CYR = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ]+")  # runs of letters: counted by their lengths
_LAT = re.compile(r"[A-Za-zÀ-ÿ]+")
# Words frequent in one language and absent (or rare) in the other.
_UK_WORDS = re.compile(
    r"(?<![\w'’])(що|щоб|та|від|під|це|вже|було|був|була|були|як|як(?:ий|а|е|і)|або|якщо|ще|цього|його|її|"
    r"вони|він|вона|й|із|зі|з|також|після|коли|де|тому|може|можуть|нього|цей|ця|цю|цих|ми|ніж|чи|теж|лише|тільки|"
    r"ворог|загинул[иа]|поранен[іо])(?![\w'’])",
    re.I,
)
_RU_WORDS = re.compile(
    r"(?<![\w'’])(что|чтобы|и|от|под|это|уже|было|был|была|были|как|как(?:ой|ая|ое|ие)|или|если|ещё|еще|его|её|ее|"
    r"они|он|она|из|со|к|также|после|когда|где|поэтому|может|могут|него|этот|эта|эту|этих|мы|чем|ли|тоже|лишь|только|который|которая|"
    r"которые|которых|враг|погибл[иа]|ранены)(?![\w'’])",
    re.I,
)
# French and English function words, counted in one pass: the words of the two lists are whole words (or an
# elision, "d'", "l'"), none inside another list's, so one scan finds what a scan for each finds
_FR_EN = re.compile(
    r"\b(?:(le|la|les|des|du|une|et|est|dans|pour|sur|qui|que|à|été|ont|selon|avec|au|aux|d'|l')"
    r"|(the|and|of|in|was|were|is|are|to|for|on|that|with|by|said|has|have))\b",
    re.I,
)


def _cyrillic_scores(text: str) -> tuple[float, float]:
    """Evidence for Ukrainian and for Russian: distinctive letters count 2, function words 1."""
    uk = 2.0 * len(_UK.findall(text)) + 2.0 * len(_UK_APOS.findall(text))
    ru = 2.0 * len(_RU.findall(text))
    uk += len(_UK_WORDS.findall(text))
    ru += len(_RU_WORDS.findall(text))
    return uk, ru


@cache
def _langid() -> Any:
    """py3langid restricted to uk and ru, loaded once per process and only when needed.

    Its model ships compressed (LZMA), which takes about half a second to open; the identifier restricted to
    uk and ru is kept in the cache directory (``$SITREP_CACHE``) and read from there in about a tenth of that.
    """
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from sitrep.cache import cache_dir, write_atomically

    model = MODEL_DIR / MODEL_FILE
    stat = model.stat()
    kept = cache_dir() / f"langid-uk-ru-{stat.st_size}-{int(stat.st_mtime)}.pickle"
    try:
        with open(kept, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    full.set_languages(["uk", "ru"])
    # only what classifying between uk and ru needs (not the model of every language, kept to switch back)
    ident = LanguageIdentifier(full.nb_ptc, full.nb_pc, full.nb_classes, full.tk_nextmove, full.tk_output,
                               norm_probs=True, tk_row=full.tk_row)
    try:
        write_atomically(kept, pickle.dumps(ident, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as e:
        log.debug("%s: not written (%s)", kept, e)
    return ident


def _letters(text: str) -> tuple[int, int]:
    """How many Cyrillic and how many Latin letters ``text`` holds."""
    return sum(map(len, _CYR.findall(text))), sum(map(len, _LAT.findall(text)))


_SAMPLE = 4000  # the first characters of a text that tell its language


def identify_scored(text: str) -> tuple[str, float]:
    """The language of ``text`` and the margin of evidence behind it (0 when nothing told them apart)."""
    sample = text[:_SAMPLE]
    return _scored(sample, *_letters(sample))


def _scored(sample: str, cyr: int, lat: int) -> tuple[str, float]:
    if cyr > lat or (cyr and cyr >= 0.4 * (cyr + lat) and max(_cyrillic_scores(sample)) >= 2):
        uk, ru = _cyrillic_scores(sample)
        if uk != ru:
            return ("uk" if uk > ru else "ru"), abs(uk - ru)
        lang, _prob = _langid().classify(sample)
        return str(lang), 0.0
    words = _FR_EN.findall(sample)
    fr = sum(1 for french, _ in words if french)
    en = len(words) - fr
    return ("fr" if fr > en else "en"), float(abs(fr - en))


def identify(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language among fr, en, uk, ru."""
    return identify_scored(text)[0]


def _script(lang: str) -> str:
    return "cyrillic" if lang in ("uk", "ru") else "latin"


def sentence_lang(text: str, default: str, *, margin: float = 2.0) -> str:
    """The language of one sentence of a document in ``default``.

    A sentence in the other script switches as soon as it holds a few letters;
    within a script it switches only on a margin of evidence of at least
    ``margin`` (two distinctive letters, or two function words), so a short
    line with no evidence ("Херсон.") keeps the document's language.
    """
    cyr, lat = _letters(text)
    whole = len(text) <= _SAMPLE  # a sentence is its own sample: its letters need not be counted again
    if default not in LANGUAGES:
        return _scored(text, cyr, lat)[0] if whole else identify(text)
    script = "cyrillic" if cyr > lat else "latin"
    if max(cyr, lat) < 3:
        return default
    if script != _script(default):
        return _scored(text, cyr, lat)[0] if whole else identify(text)
    if script == "cyrillic":
        uk, ru = _cyrillic_scores(text)
        if uk - ru >= margin:
            return "uk"
        if ru - uk >= margin:
            return "ru"
        return default
    lang, score = _scored(text, cyr, lat) if whole else identify_scored(text)
    return lang if score >= margin else default


class Language:
    name: ClassVar[str] = "language"
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ("lang",)

    def __call__(self, analysis: Analysis) -> Analysis:
        given = (analysis.document.lang or "").lower()[:2]
        lang = given if given in LANGUAGES else identify(analysis.document.text)
        return replace(analysis, lang=lang)
