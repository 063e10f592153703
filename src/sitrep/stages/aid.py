"""Aid records: pledges and deliveries of support, with donor, amount, currency, category and status.

A sentence that names a sum of money (from the numbers stage) and an aid verb of ``lang/<iso>/aid.json``
("engagé", "pledged", "виділили") gives one record per sum; the donor is the state named before it, the
category and the status come from the same file's word lists, the items from the weapons named alongside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import cast

from sitrep import lang as langdata
from sitrep.model import Aid, AidStatus, Analysis, Evidence, Sentence
from sitrep.stages.claims import claims_for
from sitrep.stages.dates import default_when


@dataclass(frozen=True)
class _Lexicon:
    verbs: re.Pattern[str] | None
    categories: tuple[tuple[str, re.Pattern[str]], ...]
    status: tuple[tuple[str, re.Pattern[str]], ...]


@cache
def _lexicon(lang: str) -> _Lexicon:
    aid = langdata.load(lang, "aid")
    return _Lexicon(
        verbs=langdata.pattern(lang, "aid", "|".join(aid["verbs"])) if aid.get("verbs") else None,
        categories=tuple((c, langdata.pattern(lang, "aid", "|".join(p))) for c, p in aid.get("categories", {}).items()),
        status=tuple((st, langdata.pattern(lang, "aid", "|".join(p))) for st, p in aid.get("status", {}).items()),
    )


def is_aid_sentence(an: Analysis, s: Sentence) -> bool:
    """A sentence about sums given or pledged ("$2.6 billion … including artillery shells") reports no attack."""
    if not an.of_kind("money", s.index):
        return False
    verbs = _lexicon(s.lang or an.lang).verbs
    return verbs is not None and verbs.search(s.text) is not None


def aid(an: Analysis) -> list[Aid]:
    out: list[Aid] = []
    for s in an.sentences:
        money = an.of_kind("money", s.index)
        if not money:
            continue
        lex = _lexicon(s.lang or an.lang)
        if lex.verbs is None or not lex.verbs.search(s.text):
            continue
        states = an.of_kind("state", s.index)
        for m in money:
            donors = [st for st in states if st.start < m.start and st.value not in ("Ukraine", "Russia")]
            donor = donors[0].value if donors else None
            category = next((c for c, pat in lex.categories if pat.search(s.text)), "military")
            status = next((st for st, pat in lex.status if pat.search(s.text)), "pledged")
            items = tuple(dict.fromkeys(w.value for w in an.of_kind("weapon", s.index)))
            when = default_when(an.document.date)
            claims = claims_for(an, s)
            record = Aid(
                doc_id=an.document.doc_id,
                donor=donor,
                recipient="Ukraine",
                amount=m.value,
                currency=m.attr("currency"),
                category=category,
                status=cast(AidStatus, status),
                event_date=when.value or None,
                time_precision=when.precision if when.value else None,
                items=items,
                claims=claims,
                evidence=(Evidence(sentence=s.text, start=m.start, end=m.end, trigger=m.text, rule=m.rule),),
                confidence=0.7 if donor else 0.5,
            )
            amount = f"{m.value:,.0f} {record.currency}"
            note = f"{donor or 'An unnamed donor'} {status} {amount} of {category} aid to Ukraine."
            out.append(replace(record, notes=note))
    return out
