"""Reprints: the same report found at many URLs is extracted once.

Two reports are **exact duplicates** when their texts are equal once case-folded with white space
collapsed (:func:`sitrep.spark.tasks.digest`), and **near duplicates** when the Jaccard similarity
of their sets of word 5-shingles is at least the threshold (0.9 by default: a reprint with its own
headline, byline or closing line). Near duplicates are found with MinHash locality-sensitive
hashing: each report's MinHash signature (datasketch, 128 permutations) is cut into 16 bands of 8
rows; reports sharing a band's values are candidates, shuffled together by Spark, and a candidate
pair is kept when the share of equal signature values (the estimate of their Jaccard similarity)
reaches the threshold. With 16 × 8 bands a pair at 0.9 similarity is a candidate with probability
0.98, a pair at 0.5 with probability 0.06.

Each group of duplicates (joined transitively) keeps one report, the earliest by report date, then
by URL, then by id, so a re-run keeps the same one; the others become its ``duplicates`` (their
id, URL, outlet, where they were read, ``exact`` or ``near``) and their URLs join its ``urls``.
The groups are joined on the driver from the pairs found, so the duplicates (not the reports) must
fit in the driver's memory: about 200 bytes each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from sitrep.model import Document

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
DEFAULT_THRESHOLD = 0.9
_ALL_PAIRS_UP_TO = 50  # larger buckets are checked against their first member only

_WORD = re.compile(r"\w+")

Order = tuple[str, str, str, str]


def order_key(doc: Document, uid: str) -> Order:
    """Which of a group of duplicates is kept: the smallest key (earliest report, then URL, id, place read)."""
    return (doc.date or "9999", doc.url or "", doc.doc_id, uid)


def signature(text: str) -> bytes:
    """The MinHash signature of the word 5-shingles of ``text`` (``NUM_PERM`` 32-bit values)."""
    import numpy as np
    from datasketch import MinHash

    words = _WORD.findall(text.casefold())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    m = MinHash(num_perm=NUM_PERM, seed=19)
    m.update_batch([s.encode("utf-8") for s in shingles])
    return bytes(np.asarray(m.hashvalues, dtype=np.uint32).tobytes())


def similarity(a: bytes, b: bytes) -> float:
    import numpy as np

    return float(np.mean(np.frombuffer(a, dtype=np.uint32) == np.frombuffer(b, dtype=np.uint32)))


def bands(sig: bytes) -> Iterator[tuple[int, bytes]]:
    width = ROWS * 4
    for b in range(BANDS):
        yield b, sig[b * width : (b + 1) * width]


def buckets(doc: Document, uid: str, text_digest: str) -> Iterator[tuple[bytes, tuple[Order, str, bytes]]]:
    """The buckets a report goes to: its digest's (key starting ``x``) and one per band (``b`` and the band)."""
    sig = signature(doc.text)
    member = (order_key(doc, uid), uid, sig)
    yield b"x" + text_digest.encode("ascii"), member
    for b, band in bands(sig):
        yield b"b" + bytes([b]) + band, member


def bucket_pairs(
    key: bytes, members: Iterable[tuple[Order, str, bytes]], threshold: float
) -> Iterator[tuple[Order, str, Order, str]]:
    """The duplicate pairs of one bucket: all of a digest bucket against its first member; in a band
    bucket, the pairs whose signatures agree at ``threshold`` or more (smaller key first)."""
    ms = sorted(members)
    if len(ms) < 2:
        return
    if key.startswith(b"x"):
        for kb, ub, _ in ms[1:]:
            yield ms[0][0], ms[0][1], kb, ub
        return
    heads = ms if len(ms) <= _ALL_PAIRS_UP_TO else ms[:1]
    for i, (ka, ua, sa) in enumerate(heads):
        for kb, ub, sb in ms[i + 1 :]:
            if similarity(sa, sb) >= threshold:
                yield ka, ua, kb, ub


def groups(pairs: Iterable[tuple[Order, str, Order, str]]) -> dict[str, str]:
    """For each duplicate's uid, the uid of the report kept for its group.

    The groups are the connected components of the pairs; each keeps the report of smallest key.
    """
    parent: dict[str, str] = {}
    key: dict[str, Order] = {}

    def find(u: str) -> str:
        root = u
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(u, u) != root:
            parent[u], u = root, parent[u]
        return root

    for ka, ua, kb, ub in pairs:
        key[ua], key[ub] = ka, kb
        ra, rb = find(ua), find(ub)
        if ra == rb:
            continue
        if key[rb] < key[ra]:
            ra, rb = rb, ra
        parent[rb] = ra
    return {u: find(u) for u in key if find(u) != u}


def duplicate_info(doc: Document, uid: str, *, exact: bool) -> dict[str, Any]:
    """What the documents table keeps of a reprint: its id, URL, outlet, where it was read, how it matched."""
    return {"doc_id": doc.doc_id, "url": doc.url, "source": doc.source, "origin": uid,
            "match": "exact" if exact else "near"}
