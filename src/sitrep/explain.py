"""``sitrep explain``: why each record of a report exists, sentence by sentence.

For each sentence: what it names (event words, places, counts, speakers), what the records stage decided —
the event it opened, the event it joined and why, or why it tells none — and, for each slot of an event,
the candidate that won and why (why this number is the killed, why this place is the event's and that one
a reference point, who is the claimant). Then the records, each with the sentences it was told in.

It is for an analyst auditing a record and for a developer reading a miss.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from typing import Any, TextIO

from sitrep.cli import Subparsers, _output, _print_error, command, input_options
from sitrep.model import Analysis, Event, Record, Step

KINDS = ("trigger", "place", "casualty", "weapon", "actor", "claim", "modality", "date")


def _mention(m: Any) -> str:
    value = m.value
    if m.kind == "place":
        value = f"{value.name}, {value.admin1 or value.country or '?'}"
    elif m.kind == "claim":
        value = ", ".join(x for x in (value.claimant, value.claimant_role, value.channel, value.relay) if x)
        return f"speaker {value or '?'} [{m.rule}]"
    elif m.kind == "date":
        value = f"{value.value} (precision {value.precision})"
    return f"{m.kind} '{m.text}' = {value}" + (f" [{m.rule}]" if m.rule else "")


def explain(analysis: Analysis) -> dict[str, Any]:
    """The explanation of one analysed report, as data (``sitrep explain --format json`` prints it)."""
    by_sentence: dict[int, list[Step]] = defaultdict(list)
    for step in analysis.trace:
        by_sentence[step.sentence].append(step)
    sentences = []
    for s in analysis.sentences:
        mentions = [_mention(m) for kind in KINDS for m in analysis.of_kind(kind, s.index)]
        sentences.append({
            "index": s.index + 1,
            "text": s.text,
            "lang": s.lang,
            "found": mentions,
            "decisions": [{"action": st.action, "detail": st.detail} for st in by_sentence.get(s.index, ())],
        })
    return {
        "doc_id": analysis.document.doc_id,
        "date": analysis.document.date,
        "lang": analysis.lang,
        "sentences": sentences,
        "records": [_record(r, analysis) for r in analysis.records],
    }


def _record(r: Record, analysis: Analysis) -> dict[str, Any]:
    told = sorted({_sentence_of(analysis, e.start) for e in r.evidence})
    out: dict[str, Any] = {"kind": r.kind, "event_id": r.event_id, "notes": r.notes, "told_in_sentences": told}
    if isinstance(r, Event):
        loc = r.location
        out["place"] = None if loc is None else f"{loc.name} ({loc.source or loc.feature}, precision {loc.geo_precision})"
        if loc is None:
            out["no_place"] = "the report gives no place for this event"
    return out


def _sentence_of(analysis: Analysis, pos: int) -> int:
    return next((s.index + 1 for s in analysis.sentences if s.start <= pos < s.end), 0)


def render(data: dict[str, Any], out: TextIO) -> None:
    out.write(f"# {data['doc_id']}  date {data['date'] or '?'}  lang {data['lang']}\n\n")
    for s in data["sentences"]:
        out.write(f"[{s['index']}] {s['text'].strip()}\n")
        for f in s["found"]:
            out.write(f"      found   {f}\n")
        for d in s["decisions"]:
            out.write(f"    {d['action']:>7}   {d['detail']}\n")
        out.write("\n")
    out.write("Records:\n")
    for r in data["records"]:
        where = r.get("place") or r.get("no_place", "")
        out.write(f"  - {r['notes']}\n    place: {where}; told in sentences {r['told_in_sentences']}\n")


def explain_inputs(args: argparse.Namespace, out: TextIO) -> int:
    """Explain every document of the inputs; a bad input is reported and the others explained."""
    import json

    from sitrep.errors import ExtractionError, InputError
    from sitrep.ingest import iter_documents
    from sitrep.pipeline import default_pipeline

    pipe = default_pipeline()
    failed = 0
    for item in iter_documents(args.inputs, date=args.date, lang=args.lang):
        if isinstance(item, InputError):
            _print_error(item)
            failed += 1
            continue
        try:
            analysis = pipe.analyse(item)
        except ExtractionError as e:  # a stage failed on this document: said at its position, the rest go on
            _print_error(e)
            failed += 1
            continue
        data = explain(analysis)
        if args.format == "json":
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            render(data, out)
    return 1 if failed else 0


@command("explain")
def add_explain(sub: Subparsers) -> None:
    p = sub.add_parser(
        "explain",
        parents=[input_options()],
        help="show, sentence by sentence, why each record exists",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or JSON Lines")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(run=run_explain)


def run_explain(args: argparse.Namespace) -> int:
    with _output(args.output) as out:
        return explain_inputs(args, out)
