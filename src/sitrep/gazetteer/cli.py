"""``sitrep gazetteer build|info|lookup|import`` and ``sitrep geoparse``: thin commands over the gazetteer."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from sitrep.cli import Subparsers, _positive_int, command, input_options, output_options
from sitrep.export import spreadsheet_safe
from sitrep.gazetteer import Gazetteer, build, geoparse, import_geonames


@command("gazetteer")
def add_gazetteer(sub: Subparsers) -> None:
    p = sub.add_parser("gazetteer", help="build, inspect and query the place index")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    b = actions.add_parser("build", help="(re)compile the place index from the installed packages")
    b.set_defaults(run=lambda a: _print(build()))
    i = actions.add_parser("info", help="counts, version, path and load time of the place index")
    i.set_defaults(run=lambda a: _print(Gazetteer.default().info()))
    lk = actions.add_parser("lookup", help="the places a name may stand for, best first")
    lk.add_argument("name")
    lk.add_argument("--lang", help="language of the name (en, fr, uk, ru)")
    lk.add_argument("--limit", type=_positive_int, default=10)
    lk.set_defaults(run=_lookup)
    im = actions.add_parser("import", help="add a GeoNames dump (UA.zip, allCountries.zip or .txt) to the index")
    im.add_argument("file")
    im.set_defaults(run=lambda a: _print(import_geonames(a.file)))


@command("geoparse")
def add_geoparse(sub: Subparsers) -> None:
    p = sub.add_parser(
        "geoparse",
        parents=[input_options(), output_options(GEOPARSE_FORMATS, "jsonl")],
        help="every toponym of the inputs with its span, place, coordinates and candidates",
        description="Every toponym of the inputs with its span, chosen place, coordinates and the candidates "
        "weighed. JSON Lines by default; csv and table give one flat row per toponym.",
    )
    p.set_defaults(run=_geoparse)


GEOPARSE_FORMATS = ("jsonl", "json", "csv", "table")
_FLAT = ("doc_id", "start", "end", "text", "place", "feature", "admin1", "country", "latitude", "longitude",
         "geo_precision", "geonameid", "source", "confidence", "in_name", "candidates")
_TABLE = (("doc_id", 20), ("text", 18), ("place", 18), ("admin1", 16), ("country", 14), ("latitude", 9),
          ("longitude", 9), ("confidence", 10))


def _print(info: object) -> int:
    json.dump(info, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
    return 0


def _lookup(args: argparse.Namespace) -> int:
    places = Gazetteer.default().lookup(args.name, lang=args.lang, limit=args.limit)
    for place in places:
        sys.stdout.write(json.dumps({**place.to_json(), "feature": place.feature, "source": place.source},
                                    ensure_ascii=False) + "\n")
    return 0 if places else 1


def _geoparse(args: argparse.Namespace) -> int:
    from sitrep.cli import _output, _say
    from sitrep.errors import ExtractionError
    from sitrep.ingest import iter_documents

    failed = 0

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal failed
        for item in iter_documents(args.inputs, date=args.date, lang=args.lang):
            if isinstance(item, Exception):
                _say(str(item))
                failed += 1
                continue
            try:
                found = geoparse(item.text, lang=item.lang)
            except Exception as e:  # a bug on this document: said at its position, the others go on
                _say(str(ExtractionError(item.origin or item.doc_id, f"geoparse failed: {type(e).__name__}: {e}")))
                failed += 1
                continue
            for top in found:
                yield {"doc_id": item.doc_id, **top}

    with _output(args.output) as out:
        _write_toponyms(rows(), args.format, out)
    return 1 if failed else 0


def _write_toponyms(rows: Iterable[dict[str, Any]], fmt: str, out: TextIO) -> None:
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "json":
        out.write("[")
        for i, row in enumerate(rows):
            out.write((",\n" if i else "\n") + json.dumps(row, ensure_ascii=False))
        out.write("\n]\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=_FLAT, lineterminator="\r\n", extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
    else:
        out.write("  ".join(name.ljust(w) for name, w in _TABLE).rstrip() + "\n")
        for row in rows:
            cells = ("" if row[name] is None else str(row[name]) for name, _ in _TABLE)
            out.write("  ".join(c[:w].ljust(w) for c, (_, w) in zip(cells, _TABLE, strict=True)).rstrip() + "\n")
