"""The places stage: every toponym of the report, resolved to a gazetteer place."""

from __future__ import annotations

import bisect
from dataclasses import replace
from typing import ClassVar

from sitrep.gazetteer import Gazetteer
from sitrep.model import Analysis, Mention


class Places:
    name: ClassVar[str] = "places"
    requires: ClassVar[tuple[str, ...]] = ("sentences",)
    assigns: ClassVar[tuple[str, ...]] = ("places",)

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gaz = gazetteer

    def __call__(self, analysis: Analysis) -> Analysis:
        gaz = self._gaz or Gazetteer.default()
        text = analysis.document.text
        # a place inside a newspaper's or a court's name ("The Kyiv Independent") is no event's place
        found = [t for t in gaz.find(text, lang=analysis.lang) if not t.in_name]
        starts = [s.start for s in analysis.sentences]
        mentions = []
        for r in gaz.resolve(found, text=text, lang=analysis.lang):
            t = r.toponym
            k = bisect.bisect_right(starts, t.start) - 1
            sentence = analysis.sentences[k].index if k >= 0 else 0
            mentions.append(
                Mention(
                    kind="place", start=t.start, end=t.end, text=t.text, sentence=sentence, value=r.place,
                    rule=f"gazetteer:{t.key}",
                    attrs=(("confidence", r.confidence), ("alternatives", r.alternatives),
                           ("feature", r.place.feature)),
                )
            )
        return replace(analysis, mentions=analysis.add(mentions))
