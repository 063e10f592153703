"""Adding a GeoNames dump (UA.zip, allCountries.zip or a .txt in the 19-column format) to the local index."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sitrep.errors import GazetteerError
from sitrep.gazetteer import index
from sitrep.gazetteer.text import indexable, is_cyrillic, key_of

_FEATURE = {"A": "admin", "P": "settlement"}
_ADMIN = {"ADM1": "admin1", "ADM2": "admin2", "ADM3": "hromada", "PCLI": "country"}


def _rows(file: Path) -> Iterator[list[str]]:
    if file.suffix == ".zip":
        with zipfile.ZipFile(file) as z:
            names = [n for n in z.namelist() if n.endswith(".txt") and not n.lower().startswith("readme")]
            if not names:
                raise GazetteerError(f"{file}: no .txt table inside the zip")
            with z.open(names[0]) as f:
                yield from (line.rstrip("\n").split("\t") for line in io.TextIOWrapper(f, encoding="utf-8"))
    else:
        with open(file, encoding="utf-8") as f:
            yield from (line.rstrip("\n").split("\t") for line in f)


def import_dump(file: str, *, path: str | None = None) -> dict[str, Any]:
    """Add the populated places (P) and administrative units (A) of a GeoNames dump to the index."""
    from sitrep.gazetteer import Gazetteer

    src = Path(file)
    if not src.exists():
        raise GazetteerError(f"{file}: no such GeoNames dump")
    target = Path(path) if path else index.default_path()
    data = index.load(target)
    if data is None:
        data = index.compile_index()
    t0 = time.perf_counter()
    known = {int(t.split("\x1f")[4]) for t in data["text"] if t.split("\x1f")[4]}
    keys: dict[str, int] = data["keys"]
    multi: list[tuple[int, ...]] = data["multi"]
    lat, lon, pop, prec = data["lat"], data["lon"], data["pop"], data["prec"]
    cyr: set[str] = set(data["cyr_tokens"])
    added = 0
    for n, row in enumerate(_rows(src), 1):
        if len(row) != 19:
            raise GazetteerError(f"{file}:{n}: expected 19 tab-separated columns, found {len(row)}")
        gid, name, _ascii, alts, la, lo, fclass, fcode, cc = row[:9]
        if fclass not in _FEATURE or not gid.isdigit() or int(gid) in known:
            continue
        feature = _ADMIN.get(fcode, "settlement" if fclass == "P" else "")
        if not feature:
            continue
        i = len(data["text"])
        data["text"].append("\x1f".join((name, cc, "", "", gid, feature, f"geonames-dump:{gid}")))
        lat.append(float(la))
        lon.append(float(lo))
        pop.append(int(row[14] or 0))
        prec.append(3 if feature in ("admin1", "country") else 2 if feature != "settlement" else 1)
        for j, nm in enumerate([name, *(a for a in alts.split(",") if a)]):
            if not indexable(nm) or len(key_of(nm)) < 3:
                continue
            code = i * 8 + (0 if j == 0 else 1)
            k = key_of(nm)
            if is_cyrillic(k):
                cyr.update(k.split(" "))
            have = keys.get(k)
            if have is None:
                keys[k] = code
            else:
                codes = (have,) if have >= 0 else multi[-1 - have]
                if code not in codes:
                    multi.append((*codes, code))
                    keys[k] = -len(multi)
        known.add(int(gid))
        added += 1
    data["cyr_tokens"] = frozenset(cyr)
    data.setdefault("imported", []).append({"file": str(src), "places": added})
    index.save(data, target)
    Gazetteer._default = None
    info = Gazetteer.open(target).info()
    info["added"] = added
    info["import_seconds"] = round(time.perf_counter() - t0, 2)
    return info
