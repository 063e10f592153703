"""The README's table of the real-report figures, from ``sitrep evaluate --json`` of the pages gold.

    sitrep evaluate eval/.pages/pages_dev.jsonl --json > pages.json
    python eval/pages_table.py pages.json
"""

from __future__ import annotations

import json
import sys

ROWS = (
    ("records per report (annotated events)", "pages.records_per_report", "pages.events_per_report"),
    ("recall (gold events with a record near them)", "pages.recall", None),
    ("precision (records near a gold event)", "pages.precision", None),
    ("records with no place", "pages.unlocated", None),
    ("non-event places given an event", "pages.non_event_place", None),
    ("killed exact", "pages.killed_exact", None),
    ("injured exact", "pages.injured_exact", None),
    ("claimant found", "pages.claimant_found", None),
)


def main(path: str) -> None:
    data = json.load(open(path, encoding="utf-8"))
    sections = {(s["dataset"].split(":")[-1] if ":" in s["dataset"] else "all", s["lang"]): s for s in data["sections"]}
    cols = [("all", "all"), ("tune", "all"), ("check", "all"), ("all", "en"), ("all", "fr"), ("all", "uk"), ("all", "ru")]
    head = ["", *(f"{h} ({sections[(h, lang)]['docs']})" if lang == "all" else lang for h, lang in cols if (h, lang) in sections)]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for label, metric, beside in ROWS:
        cells = []
        for key in cols:
            if key not in sections:
                continue
            m = sections[key]["metrics"].get(metric)
            if m is None or m["value"] is None:
                cells.append("–")
                continue
            value = f"{m['value']:.1f}" if "per_report" in metric else f"{m['value']:.2f}"
            if beside:
                value += f" ({sections[key]['metrics'][beside]['value']:.1f})"
            cells.append(value)
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
