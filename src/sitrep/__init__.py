"""sitrep: dated news reports about armed conflict in, geocoded and source-attributed event records out.

The Python API in a few names::

    from sitrep import Document, extract

    records = extract(Document(text=report, date="2023-02-15"))
    for r in records:
        print(r.to_json())

:class:`~sitrep.pipeline.Pipeline` runs the stages over one document or a batch
(``extract_many(docs, workers=2)``); :mod:`sitrep.store` keeps records;
:mod:`sitrep.export` writes CSV (ACLED columns), GeoJSON and JSON Lines.
"""

from __future__ import annotations

from sitrep.model import Aid, Analysis, Claim, Document, Event, Evidence, Place, Record
from sitrep.pipeline import Pipeline, extract

__all__ = [
    "Aid",
    "Analysis",
    "Claim",
    "Document",
    "Event",
    "Evidence",
    "Pipeline",
    "Place",
    "Record",
    "extract",
]
