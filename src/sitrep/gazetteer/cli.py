"""``sitrep gazetteer build|info|lookup|import`` and ``sitrep geoparse``: thin commands over the gazetteer."""

from __future__ import annotations

import argparse
import json
import sys

from sitrep.cli import Subparsers, command, input_options
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
    lk.add_argument("--limit", type=int, default=10)
    lk.set_defaults(run=_lookup)
    im = actions.add_parser("import", help="add a GeoNames dump (UA.zip, allCountries.zip or .txt) to the index")
    im.add_argument("file")
    im.set_defaults(run=lambda a: _print(import_geonames(a.file)))


@command("geoparse")
def add_geoparse(sub: Subparsers) -> None:
    p = sub.add_parser(
        "geoparse",
        parents=[input_options()],
        help="every toponym of the inputs with its span, place, coordinates and candidates (JSON Lines)",
    )
    p.set_defaults(run=_geoparse)


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
    from sitrep.ingest import iter_documents

    failed = 0
    for item in iter_documents(args.inputs, date=args.date, lang=args.lang):
        if isinstance(item, Exception):
            sys.stderr.write(f"sitrep: {item}\n")
            failed += 1
            continue
        for top in geoparse(item.text, lang=item.lang):
            sys.stdout.write(json.dumps({"doc_id": item.doc_id, **top}, ensure_ascii=False) + "\n")
    return 1 if failed else 0
