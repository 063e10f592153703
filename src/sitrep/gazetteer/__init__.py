"""The embedded gazetteer: building the place index and geoparsing text with it.

``Gazetteer.default()`` loads the compiled index from the cache directory
(``$SITREP_CACHE`` or ``~/.cache/sitrep``), compiling it first when it is
missing or of another version. ``find`` returns toponym spans with ranked
candidates; ``resolve`` picks one place per span using the other places of the
text; ``geoparse`` does both and returns JSON-ready dicts.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitrep.gazetteer import index
from sitrep.gazetteer.front import front_bonus, front_slack
from sitrep.gazetteer.match import forms, spans
from sitrep.gazetteer.text import key_of, norm_token, tokens
from sitrep.model import Place

__all__ = ["Gazetteer", "Resolved", "Toponym", "build", "evaluate_geoparse", "geoparse", "import_geonames"]

log = logging.getLogger(__name__)

_KIND_BONUS = {0: 0.3, 1: 0.1, 2: 0.22, 3: 0.3, 4: 0.35, 5: 0.0, 6: 0.3, 7: -0.8}
_CITY = 150_000
_WAR = frozenset({"UA", "RU"})  # where hamlets near the front share the names of regional cities
_CITY_BONUS = 0.8
_FEATURE_BONUS = {"country": 0.75, "admin1": 0.55, "region": 0.6, "admin2": 0.3, "hromada": 0.2}


@dataclass(frozen=True, slots=True)
class Toponym:
    """A span of text that names a known place."""

    start: int
    end: int
    text: str
    candidates: tuple[Place, ...]  # ranked best first
    key: str  # the normalised index key that matched
    kinds: tuple[int, ...] = ()  # per candidate, how its name matched (index.KINDS)
    in_name: bool = False  # part of a newspaper's or a court's name ("The Washington Post"): no event's place


@dataclass(frozen=True, slots=True)
class Resolved:
    toponym: Toponym
    place: Place
    confidence: float
    alternatives: int  # how many candidates were weighed
    ranked: tuple[tuple[Place, float], ...] = ()  # the best candidates with their final scores, best first


class Gazetteer:
    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self, data: dict[str, Any], *, path: Path | None = None, load_seconds: float = 0.0) -> None:
        self._d = data
        self._keys: dict[str, int] = data["keys"]
        self._multi: list[tuple[int, ...]] = data["multi"]
        self._known: frozenset[str] = data["cyr_tokens"]
        self._common: frozenset[str] = data["common"]
        self._capitals: frozenset[str] = data.get("capitals", frozenset())
        self._given: frozenset[str] = data.get("given", frozenset())
        self._countries: dict[str, str] = data["countries"]
        self.path = path
        self.load_seconds = load_seconds
        self._place = lru_cache(maxsize=50_000)(self._make_place)
        # the same names and places come back in every report: their ranked candidates and priors are kept
        self.prior = lru_cache(maxsize=200_000)(self._prior)  # type: ignore[method-assign]
        self._ranked = lru_cache(maxsize=50_000)(self._rank)  # type: ignore[method-assign]

    @classmethod
    def open(cls, path: str | Path | None = None) -> Gazetteer:
        """The index at ``path`` (default: the cache), compiled first when missing or stale."""
        p = Path(path) if path else index.default_path()
        t0 = time.perf_counter()
        data = index.load(p)
        if data is None:
            log.info("compiling the gazetteer index into %s", p)
            data = index.compile_index()
            index.save(data, p)
            t0 = time.perf_counter()
            data = index.load(p) or data
        return cls(data, path=p, load_seconds=time.perf_counter() - t0)

    @classmethod
    def default(cls) -> Gazetteer:
        with cls._lock:
            if cls._default is None or cls._default.path != index.default_path():
                cls._default = cls.open()
            return cls._default

    # -- places ---------------------------------------------------------------------------------
    def _codes(self, val: int) -> tuple[int, ...]:
        return (val,) if val >= 0 else self._multi[-1 - val]

    def _make_place(self, i: int) -> Place:
        name, iso2, admin1, admin2, gid, feature, source = self._d["text"][i].split("\x1f")
        return Place(
            name=name, country=self._countries.get(iso2) if iso2 else None, iso2=iso2 or None,
            admin1=admin1 or None, admin2=admin2 or None, latitude=self._d["lat"][i],
            longitude=self._d["lon"][i], geo_precision=self._d["prec"][i],
            geonameid=int(gid) if gid else None, feature=feature, population=self._d["pop"][i], source=source,
        )

    def prior(self, place: Place, kind: int) -> float:
        """How likely a name of this kind names this place, before any context."""
        return self._prior(place, kind)

    def _prior(self, place: Place, kind: int) -> float:
        exact = 0.15 if place.geo_precision == 1 and place.feature == "settlement" else 0.0
        front = front_bonus(place.latitude, place.longitude, slack_km=front_slack(place)) if place.iso2 == "UA" else 0.0
        # a regional city ("в Хмельницькому") is what its name means before a hamlet near the front of that name
        city = _CITY_BONUS if place.feature == "settlement" and place.population >= _CITY and place.iso2 in _WAR else 0.0
        return (index.log_pop(place.population) / 7.0 * 0.6 + _KIND_BONUS.get(kind, 0.0)
                + _FEATURE_BONUS.get(place.feature, 0.0) + exact + front + city)

    def _ranked(self, val: int, *, cap: bool = True) -> tuple[tuple[Place, ...], tuple[int, ...]]:
        """The places of index value ``val``, most likely first, and how their names matched."""
        return self._rank(val, cap=cap)

    def _rank(self, val: int, *, cap: bool = True) -> tuple[tuple[Place, ...], tuple[int, ...]]:
        pairs = [(self._place(c >> 3), c & 7) for c in self._codes(val)]
        pairs.sort(key=lambda pk: -self.prior(*pk))
        if cap and len(pairs) > 25:  # keep the regions a qualifier position may call for
            pairs = pairs[:25] + [pk for pk in pairs[25:] if pk[0].feature != "settlement"]
        return tuple(p for p, _ in pairs), tuple(k for _, k in pairs)

    def _with_case_forms(self, raw: str, key: str, places: tuple[Place, ...],
                         kinds: tuple[int, ...]) -> tuple[tuple[Place, ...], tuple[int, ...]]:
        """A Cyrillic word that is a name as written and also a case form of others: "у Антонівці" is the village
        Antonivtsi or the locative of Antonivka, and the context chooses (the namesakes of each form join)."""
        others = [f for f in forms(norm_token(raw), self._known) if f != key and f in self._keys]
        if not others:
            return places, kinds
        seen = set(map(id, places))
        more = [(p, k) for f in others for p, k in zip(*self._ranked(self._keys[f]), strict=True) if id(p) not in seen]
        return places + tuple(p for p, _ in more), kinds + tuple(k for _, k in more)

    def lookup(self, name: str, *, lang: str | None = None, limit: int = 10) -> list[Place]:
        """Places called ``name`` (any spelling or inflected form), most likely first."""
        toks = [forms(norm_token(t), self._known) for t in key_of(name).split(" ") if t]
        for combo in _combos(toks):
            val = self._keys.get(" ".join(combo))
            if val is not None:
                return list(self._ranked(val)[0][:limit])
        return []

    # -- geoparsing -----------------------------------------------------------------------------
    def find(self, text: str, *, lang: str, demonyms: bool = False) -> list[Toponym]:
        """Every toponym span of ``text``, longest match first, left to right.

        Places named inside a newspaper's or a court's name ("The Washington Post") come marked ``in_name``;
        they are left out of the qualifying of the other spans, and the events never take them.
        """
        from sitrep.gazetteer.filters import (
            Deferred,
            abbreviations_in_context,
            county_lists,
            in_name,
            keep,
            named_counties,
            vouched_towns,
        )

        out = []
        deferred: list[Deferred] = []
        named = []
        toks = tokens(text)
        vals: dict[int, int] = {}
        for i, j, val, key in spans(text, self._keys, self._known, toks):
            start, end = toks[i][0], toks[j - 1][1]
            places, kinds = self._ranked(val)
            if j == i + 1 and " " not in key:
                places, kinds = self._with_case_forms(toks[i][2], key, places, kinds)
            places, kinds = keep(self, text, start, end, key, places, kinds, demonyms=demonyms, deferred=deferred)
            if not places:
                continue
            if in_name(text, start, end):
                named.append(Toponym(start, end, text[start:end], places, key, kinds, in_name=True))
            else:
                out.append(Toponym(start, end, text[start:end], places, key, kinds))
                vals[start] = val
        out = abbreviations_in_context(out, text)
        if deferred:
            out = vouched_towns(out, deferred, text)
        if "ounties" in text or "arishes" in text:
            out = county_lists(self, out, text)
        if "County" in text or "Parish" in text:
            out = named_counties(self, out, text)
        if len(out) > 1:
            from sitrep.gazetteer.qualify import qualify

            def every(t: Toponym) -> Toponym:
                """``t`` with all its namesakes, not only the likeliest: the region named beside it chooses."""
                if vals.get(t.start) != self._keys.get(t.key):
                    return t  # a town or a county the rest of the text chose
                places, kinds = keep(self, text, t.start, t.end, t.key, *self._ranked(vals[t.start], cap=False),
                                     demonyms=demonyms)
                return replace(t, candidates=places, kinds=kinds) if places else t

            out = qualify(out, text, every=every)
        if named:
            out = sorted(out + named, key=lambda t: t.start)
        return out

    def resolve(self, toponyms: Sequence[Toponym], *, text: str, lang: str) -> list[Resolved]:
        from sitrep.gazetteer.resolve import resolve

        return resolve(self, toponyms, text=text, lang=lang)

    def info(self) -> dict[str, object]:
        feats: dict[str, int] = {}
        for row in self._d["text"]:
            f = row.split("\x1f")[5]
            feats[f] = feats.get(f, 0) + 1
        return {
            "version": self._d["version"], "path": str(self.path), "built": self._d["built"],
            "build_seconds": self._d["build_seconds"], "load_seconds": round(self.load_seconds, 3),
            "places": len(self._d["text"]), "keys": len(self._keys), "features": feats,
            "imported": self._d.get("imported", []),
        }


_LATLON = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)\s*,\s*([-+]?\d+(?:\.\d+)?)\s*")


def point_of(value: str) -> tuple[float, float]:
    """``lat,lon``, or the coordinates of the best match for a place name; ValueError when neither."""
    m = _LATLON.fullmatch(value)
    if m:
        lat, lon = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"{value}: not a latitude,longitude pair")
        return lat, lon
    for place in Gazetteer.default().lookup(value):
        if place.latitude is not None and place.longitude is not None:
            log.info("%s: %s, %s (%.4f, %.4f)", value, place.name, place.admin1, place.latitude, place.longitude)
            return place.latitude, place.longitude
    raise ValueError(f"{value!r}: no place of that name with coordinates in the gazetteer")


def _combos(toks: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [()]
    for f in toks:
        out = [o + (x,) for o in out for x in f][:32]
    return out


def build(path: str | None = None) -> dict[str, object]:
    """(Re)compile the index into ``path`` (default: the cache) and return its info."""
    p = Path(path) if path else index.default_path()
    data = index.compile_index()
    index.save(data, p)
    Gazetteer._default = None
    return Gazetteer.open(p).info()


def geoparse(text: str, *, lang: str | None = None, demonyms: bool = True) -> list[dict[str, Any]]:
    """Every toponym of ``text`` with its span, chosen place, coordinates, precision and candidates: how many
    were weighed (``candidates``) and the best of them with their scores (``considered``, the chosen first).

    Demonyms ("Russian", "Palestinians") count as toponyms of their country here, as in the geoparsing
    corpora; the places stage leaves them out, since an event never happens in an adjective.
    """
    from sitrep.normalize import normalize
    from sitrep.stages.language import identify

    seen = normalize(text)  # found in the normalised text, reported at their spans in ``text``
    lang = lang or identify(seen.text)
    gaz = Gazetteer.default()
    out = []
    for r in gaz.resolve(gaz.find(seen.text, lang=lang, demonyms=demonyms), text=seen.text, lang=lang):
        start, end = seen.span(r.toponym.start, r.toponym.end)
        out.append({
            "start": start, "end": end, "text": text[start:end], "key": r.toponym.key,
            "place": r.place.name, "feature": r.place.feature, "admin1": r.place.admin1,
            "country": r.place.country, "latitude": r.place.latitude, "longitude": r.place.longitude,
            "geo_precision": r.place.geo_precision, "geonameid": r.place.geonameid, "source": r.place.source,
            "confidence": round(r.confidence, 3), "in_name": r.toponym.in_name, "candidates": r.alternatives,
            "considered": [
                {"name": p.name, "feature": p.feature, "admin1": p.admin1, "admin2": p.admin2, "country": p.country,
                 "latitude": p.latitude, "longitude": p.longitude, "geo_precision": p.geo_precision,
                 "score": round(score, 3)}
                for p, score in r.ranked
            ],
        })
    return out


def import_geonames(file: str, *, path: str | None = None) -> dict[str, object]:
    from sitrep.gazetteer.geonames import import_dump

    return import_dump(file, path=path)


def evaluate_geoparse(rows: Sequence[dict[str, Any]], *, km: float = 161.0, demonyms: bool = True) -> dict[str, Any]:
    from sitrep.gazetteer.evaluate import evaluate

    return evaluate(rows, km=km, demonyms=demonyms)
