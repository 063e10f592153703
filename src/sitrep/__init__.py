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

import os

from sitrep.model import Aid, Analysis, Claim, Document, Event, Evidence, Place, Record
from sitrep.pipeline import Pipeline, extract

# The numeric work per report is tiny (natasha's embeddings for a few Russian sentences), so BLAS thread
# pools only compete with the worker processes that spread documents over the cores: without this, two
# workers run five times slower per document than one. Nothing above imports numpy, so this runs before
# it is first imported; a user's own setting wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

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
