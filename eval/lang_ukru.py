"""Measure Ukrainian/Russian language identification and uk/en trigger agreement.

    PYTHONPATH=src python eval/lang_ukru.py /work/shared/gold/dev

Reads ``warline_raw_en_uk.dev.jsonl`` (uk, ru and parallel en/uk texts) and the
Russian rows of ``ucdp_ged_ukraine.dev.jsonl``; prints accuracy of
:func:`sitrep.stages.language.identify` against py3langid, per sentence too, and
the agreement of trigger sub-event types between each en text and its uk version.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from sitrep.stages import language, numbers, sentences, triggers


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _langid_uk_ru(text: str) -> str:
    return str(language._langid().classify(text)[0])


def main(gold: Path) -> None:
    warline = _rows(gold / "warline_raw_en_uk.dev.jsonl")
    ucdp = _rows(gold / "ucdp_ged_ukraine.dev.jsonl")
    cyr = [(r["text"], r["lang"]) for r in warline if r["lang"] in ("uk", "ru")]
    cyr += [(r["text"], "ru") for r in ucdp if r.get("lang") == "ru"]
    cyr = [(t, g) for t, g in cyr if len(language._CYR.findall(t)) >= 3]  # drops rows such as "1"
    for name, fn in (("sitrep.identify", language.identify), ("py3langid uk/ru", _langid_uk_ru)):
        t = time.perf_counter()
        ok = Counter()
        total = Counter()
        for text, gold_lang in cyr:
            total[gold_lang] += 1
            ok[gold_lang] += fn(text) == gold_lang
        dt = time.perf_counter() - t
        print(f"{name:16} documents: " + ", ".join(f"{k} {ok[k]}/{total[k]}" for k in sorted(total)) + f"  ({dt:.2f} s)")
        ok.clear()
        total.clear()
        for text, gold_lang in cyr:
            for s, e in sentences.split(text):
                sent = text[s:e]
                if len(language._CYR.findall(sent)) < 3:
                    continue
                total[gold_lang] += 1
                ok[gold_lang] += fn(sent) == gold_lang
        print(f"{name:16} sentences: " + ", ".join(f"{k} {ok[k]}/{total[k]}" for k in sorted(total)))
    # sentence_lang must not move sentences of English documents
    moved = sum(
        language.sentence_lang(r["text"][s:e], "en") != "en"
        for r in warline
        if r["lang"] == "en"
        for s, e in sentences.split(r["text"])
    )
    print(f"English warline sentences moved off 'en' by sentence_lang: {moved}")
    # trigger agreement en vs uk
    by_group: dict[str, dict[str, str]] = {}
    for r in warline:
        parts = r["id"].split(":")
        if len(parts) == 3 and parts[2] in ("en", "uk"):
            by_group.setdefault(parts[1], {})[parts[2]] = r["text"]
    pairs = [(g["en"], g["uk"]) for g in by_group.values() if "en" in g and "uk" in g]
    exact = both_empty = en_typed = shared = 0
    en_only: Counter[str] = Counter()
    uk_only: Counter[str] = Counter()
    for en, uk in pairs:
        a = {m.value for m in triggers.scan(en, "en") if m.kind == "trigger"}
        b = {m.value for m in triggers.scan(uk, "uk") if m.kind == "trigger"}
        exact += a == b
        both_empty += not a and not b
        en_typed += bool(a)
        shared += bool(a & b)
        en_only.update(a - b)
        uk_only.update(b - a)
    print(f"en/uk pairs: {len(pairs)}; same sub-event type set: {exact} ({exact / len(pairs):.1%}); both empty: {both_empty}")
    print(f"of the {en_typed} pairs whose en text has a trigger, uk shares at least one type in {shared} ({shared / en_typed:.1%})")
    print("types only in en:", dict(en_only.most_common()))
    print("types only in uk:", dict(uk_only.most_common()))

    # Russian UCDP rows: every one is a coded event with fatalities
    ru_rows = [r for r in ucdp if r.get("lang") == "ru"]
    with_trigger = with_count = 0
    for r in ru_rows:
        found = triggers.scan(r["text"], "ru")
        with_trigger += any(m.kind == "trigger" for m in found)
        counts = {m.value for m in numbers.casualties(r["text"], "ru") if m.attr("type") == "killed"}
        with_count += r["gold"].get("fatalities") in counts
    print(f"UCDP ru rows: {len(ru_rows)}; with a trigger: {with_trigger}; killed count equal to gold fatalities: {with_count}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/gold/dev"))
