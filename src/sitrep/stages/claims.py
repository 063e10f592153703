"""Claims: who says so, through which channel, relayed by whom, and whether it was verified.

Reads ``lang/<iso>/claims.json``. For each sentence that reports a statement
(a reporting verb such as "a déclaré", "said", "according to"), the claimant is
the body named there (ministry, general staff, military administration), else
a person with a role ("Pavlo Kyrylenko, governor of Donetsk region"), else a
state. A sentence with a reporting verb but no claimant ("a-t-elle déclaré",
"he added"), or a quotation with no verb, continues the previous claim, and
what it adds (the channel, a hedge) is added to that claim everywhere it is
used. Hedges such as "could not independently verify" make the claim
``unverified``; a denial makes it ``disputed``. The outlet that relays the
report (named in the text, or the document's ``source``) is the ``relay``.

Headlines name their source at the end, without a verb before it: "… dies -
mayor", "… - Russian Defense Ministry", "…, the DPR reported", "…: officials"
(``tails`` in ``claims.json``). The speaker so written becomes the claimant:
a known body or person (``bodies``, ``persons``) under its canonical name with
the words written kept as ``claimant_role``, "the republic" resolved to the
republic the headline names, else the words themselves.

Each claim-bearing sentence gets one ``claim`` mention whose value is a
:class:`~sitrep.model.Claim`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, ClassVar, cast

from sitrep import lang as langdata
from sitrep import rx
from sitrep.errors import LanguageDataError
from sitrep.gazetteer.text import bgn, is_cyrillic, kmu
from sitrep.model import Analysis, Claim, Mention, Sentence, Verification
from sitrep.stages import paragraph_of
from sitrep.stages.lexicon import Lexicon, Openings
from sitrep.stages.morph import first_name, modifier, personal
from sitrep.stages.numbers import casualty_words

_QUOTE = re.compile(r"[\"«“„]([^\"»”“]{8,})[\"»”“]")


@dataclass(frozen=True)
class _Lexicon:
    verbs: re.Pattern[str] | None
    bodies: list[tuple[re.Pattern[str], dict[str, Any]]]
    any_body: re.Pattern[str]  # all the bodies' patterns in one
    tail_bodies: list[tuple[re.Pattern[str], dict[str, Any]]]  # every body, with those only a headline tail names
    persons: list[tuple[re.Pattern[str], dict[str, Any]]]
    roles: list[tuple[re.Pattern[str], dict[str, Any]]]
    tails: list[tuple[re.Pattern[str], bool]]  # (pattern, strong)
    tail_stop: frozenset[str]
    reports: re.Pattern[str] | None  # "summary", "report": "… - summary of OVA", "OVA summary: …"
    labels: list[tuple[re.Pattern[str], dict[str, Any]]]  # a headline's front label that names its source
    heads: Openings  # the bodies' patterns, then the labels': those tried where a line begins
    channels_at: Lexicon  # the channels' patterns in one pass
    verification_at: Lexicon  # the verification statuses' patterns in one pass
    speakers: re.Pattern[str] | None
    channels: list[tuple[re.Pattern[str], str]]
    relays: re.Pattern[str] | None
    verification: list[tuple[re.Pattern[str], str]]
    others: re.Pattern[str]
    according: frozenset[str]  # "selon", "according to": the speaker follows
    attribution: re.Pattern[str] | None  # a line that names the report's source: "Джерело: …", "Об этом сообщил …"
    not_names: frozenset[str]  # capitalised words that start no personal name ("The", "Le", "Telegram")
    outlets: re.Pattern[str] | None  # "видання «Думська»", "the newspaper X": an outlet named as what it is
    background: re.Pattern[str] | None  # "As Ukrinform reported earlier", "Раніше ми писали": the outlet's own back story


def _tail_pattern(lang: str, pattern: str) -> re.Pattern[str]:
    try:
        return rx.compile(rf"(?:{pattern})\s*[.!…]?[\"»”]?\s*$")
    except re.error as e:
        raise LanguageDataError(f"lang/{lang}/claims.json: bad tail pattern {pattern!r}: {e}") from e


@cache
def lexicon(lang: str) -> _Lexicon:
    data = langdata.load(lang, "claims")
    verbs = data.get("verbs", [])
    relays = data.get("relays", [])
    all_bodies = [(langdata.pattern(lang, "claims", b["pattern"]), b) for b in data.get("bodies", [])]
    tails = data.get("tails", {})
    speakers = tails.get("speakers", [])
    # "a ensuite précisé", "a par ailleurs indiqué": adverbs between an auxiliary and its participle, one
    # alternative for every auxiliary and participle of the list
    adverbs = "|".join(sorted(data.get("adverbs", []), key=len, reverse=True))
    auxiliaries = data.get("auxiliaries", []) if adverbs else []
    participles = sorted(dict.fromkeys(v.split(" ", 1)[1] for v in verbs for aux in auxiliaries if v.startswith(f"{aux} ")),
                         key=len, reverse=True)
    if participles:
        verbs = [*verbs, rf"(?:{'|'.join(auxiliaries)})\s+(?:(?:{adverbs})\s+){{1,2}}(?:{'|'.join(participles)})"]
    bodies = [(pat, b) for pat, b in all_bodies if not b.get("tail_only")]
    channels = [(langdata.pattern(lang, "claims", p), name) for p, name in data.get("channels", {}).items()]
    verification = [(langdata.pattern(lang, "claims", "|".join(pats)), status)
                    for status, pats in data.get("verification", {}).items()]
    verb_pattern = langdata.pattern(lang, "claims", "|".join(sorted(verbs, key=len, reverse=True))) if verbs else None
    labels = [(langdata.pattern(lang, "claims", b["pattern"]), b) for b in data.get("labels", [])]
    return _Lexicon(
        verbs=verb_pattern,
        bodies=bodies,
        any_body=langdata.pattern(
            lang, "claims", "|".join(f"(?:{b['pattern']})" for b in data.get("bodies", []) if not b.get("tail_only"))
            or "(?!)"
        ),
        tail_bodies=all_bodies,
        persons=[(langdata.pattern(lang, "claims", p["pattern"]), p) for p in data.get("persons", [])],
        roles=[(langdata.pattern(lang, "claims", r["pattern"]), r) for r in data.get("roles", [])],
        tails=[
            (_tail_pattern(lang, p), strong)
            for strong, key in ((True, "strong"), (False, "weak"))
            for p in tails.get(key, [])
        ],
        tail_stop=frozenset(w.casefold() for w in tails.get("stop", [])),
        reports=langdata.pattern(lang, "claims", "|".join(tails["reports"])) if tails.get("reports") else None,
        labels=labels,
        heads=Openings([pat for pat, _ in [*bodies, *labels]]),
        channels_at=Lexicon([pat for pat, _ in channels]),
        verification_at=Lexicon([pat for pat, _ in verification]),
        speakers=langdata.pattern(lang, "claims", "|".join(speakers)) if speakers else None,
        channels=channels,
        relays=rx.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(r) for r in relays)})(?![\w])") if relays else None,
        verification=verification,
        # "… could not verify this and other battlefield reports": the hedge covers every claim of the report
        others=langdata.pattern(lang, "claims", "|".join(data.get("other_reports", [])) or "(?!)"),
        according=frozenset(w.casefold() for w in data.get("according", [])),
        attribution=(
            rx.compile(rf"\s*[-–—•]?\s*(?:{'|'.join(data['attribution'])})", re.I) if data.get("attribution") else None
        ),
        not_names=frozenset(w.casefold() for w in [*data.get("not_names", []), *tails.get("stop", [])]),
        outlets=(
            langdata.pattern(lang, "claims", rf"(?:{data['outlets']})\s+[«\"“]?(?P<outlet>[^»\"”,.;:]{{2,40}}?)[»\"”]?(?=[,.;:]|\s*$)")
            if data.get("outlets") else None
        ),
        background=langdata.pattern(lang, "claims", "|".join(data["background"])) if data.get("background") else None,
    )


@dataclass(frozen=True)
class _Said:
    """What one sentence says about its claim before chains are resolved."""

    key: str | None  # the claimant's identity, None when the sentence continues the previous claim
    claim: Claim
    anaphoric: bool


def _widest(found: list[tuple[re.Match[str], dict[str, Any]]]) -> list[tuple[re.Match[str], dict[str, Any]]]:
    """The bodies named, without those whose words lie inside another's: "Kherson regional prosecutor's office"
    is not also the Prosecutor General that "prosecutor" names alone."""
    return [(m, b) for m, b in found
            if not any(o.start() <= m.start() and m.end() <= o.end() and o.end() - o.start() > m.end() - m.start()
                       for o, _ in found)]


def _reporting_verb(an: Analysis, s: Sentence, lex: _Lexicon) -> re.Match[str] | None:
    """The reporting verb whose speaker tells the sentence's event: the first, unless a later "selon", "according
    to" closes the clause that holds the victims ("Peskov a dénoncé une attaque contre Belgorod, où trois
    personnes ont été tuées selon le gouverneur")."""
    if lex.verbs is None:
        return None
    if not an.of_kind("casualty", s.index):
        return lex.verbs.search(s.text)
    verbs = list(lex.verbs.finditer(s.text))
    if len(verbs) < 2:
        return verbs[0] if verbs else None
    counts = [m.start - s.start for m in an.of_kind("casualty", s.index)]
    later = [v for v in verbs[1:] if v.group(0).casefold() in lex.according
             and any(verbs[0].end() <= c < v.start() for c in counts)]
    return later[-1] if later else verbs[0]


def _claimant(an: Analysis, s: Sentence, lex: _Lexicon) -> tuple[str | None, dict[str, Any]]:
    text = s.text
    verb = _reporting_verb(an, s, lex)
    # one pass for "is any body named here", the bodies one by one only when one is
    found = _widest([(m, b) for pat, b in lex.bodies for m in pat.finditer(text)]) if lex.any_body.search(text) else []
    spans = [(m.start(), m.end()) for m, _ in found]
    bodies = [(m.start(), b) for m, b in found if not _other_side(an, s, m, b)]
    persons = an.of_kind("person", s.index)
    if persons:
        p = min(persons, key=lambda m: abs(m.start - s.start - (verb.start() if verb else 0)))
        # the body the person heads is named with the person ("начальник Запорізької ОВА Іван Федоров"), not
        # the one the person speaks of ("… des bombardements des forces ukrainiennes")
        side = _region_side(region_name(p.attr("region")) if p.attr("region") else None) or p.attr("side")
        said_at = verb.start() if verb and verb.start() > p.end - s.start else len(text)
        body = next((b for pos, b in sorted(bodies, key=lambda t: t[0])
                     if -60 <= pos - (p.start - s.start) <= p.end - p.start + 60 and pos < said_at
                     and (side is None or b.get("side") in (None, side))), None)
        return _person_fields(p, body, lang=s.lang or an.lang)
    own = _own_outlet(s, verb, lex) if verb else None
    if own is not None:
        return own
    named = _named_at_verb(an, s, verb, spans) if verb else None
    if named is not None:
        return named
    if verb and not _inverted(verb, text, lex):
        # "l'Ukraine a accusé Vladimir Poutine d'avoir craché au visage de l'ONU": after a verb that is not
        # inverted stands what is said or whom it is said of, not who says it
        bodies = [(pos, b) for pos, b in bodies if pos < verb.start()] or (
            [] if any(m.start - s.start < verb.start() for m in an.of_kind("state", s.index)) else bodies
        )
    if verb and verb.group(0).casefold() in lex.according:
        # "…, selon les autorités locales": after "selon", "according to", the speaker follows; the forces that
        # struck before it say nothing
        bodies = [(pos, b) for pos, b in bodies if pos >= verb.end()]
    if bodies and verb:
        # the body nearest the reporting verb speaks; its role keeps the words the report used for it
        pos, b = min(bodies, key=lambda t: abs(t[0] - verb.start()))
        written = next((m.group(0) for pat, bb in lex.bodies if bb is b for m in [pat.search(text, pos)] if m), None)
        claimant, role = _body_named(an, s, pos, b, written)
        return _body_key(claimant, role), {"claimant": claimant, "claimant_role": role, "side": b.get("side")}
    if verb:
        # a state speaks only as the subject of the verb ("Moscou affirme", "Russia said") or right after "selon" /
        # "according to" ("Selon Kiev"); not the state that attacked, nor one in a quotation or after a preposition
        states = [
            m for m in an.of_kind("state", s.index)
            if (m.start - s.start < verb.start() and not _QUOTED_OR_GOVERNED.search(text[: m.start - s.start]))
            or (verb.group(0).casefold() in lex.according and 0 <= m.start - s.start - verb.end() <= 2)
        ]
        if states:
            st = min(states, key=lambda m: abs(m.start - s.start - verb.start()))
            # "Selon Kiev": the words written stay with the role
            role = "government" if st.text.casefold() == st.value.casefold() else f"government ({st.text})"
            return f"{st.value}, {role}", {"claimant": st.value, "claimant_role": role, "side": st.value}
    return None, {}


# what before a state name shows it is not the speaker: an open quotation, a preposition, a possessive
_QUOTED_OR_GOVERNED = re.compile(
    r"(?:[\"«“„][^\"»”]*|(?<![\w-])(?:by|on|in|at|to|from|against|of|over|par|sur|contre|de|du|des|à|en|по|на|в|у|"
    r"з|із|від|проти|против|через|від|of)\s+(?:the\s+|la\s+|le\s+|l['’])?)$",
    re.I,
)
_NAME_AFTER = re.compile(
    r"\s*(?:(?:M\.|Mme|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+)?(?P<name>[A-ZÀ-ÝА-ЯЁІЇЄҐ][\w'’-]+(?:\s+[A-ZÀ-ÝА-ЯЁІЇЄҐ][\w'’-]+){0,2})"
)
_NAME_BEFORE = re.compile(
    r"(?:^|[\s\"»”,(])(?:(?:M\.|Mme|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+)?(?P<name>[A-ZÀ-ÝА-ЯЁІЇЄҐ][\w'’-]+(?:\s+[A-ZÀ-ÝА-ЯЁІЇЄҐ][\w'’-]+){0,2}),?\s*$"
)


_NAME_ANY = re.compile(r"(?P<name>[A-ZÀ-ÝА-ЯЁІЇЄҐ][\w'’-]+(?:\s+[A-ZÀ-ÝА-ЯЁІЇЄҐ][\w'’-]+){1,2})")
# "Oleg Kryuchkov, an official with the Crimean administration, said": the name before an apposition
_APPOSED = re.compile(
    r"(?P<name>[A-ZÀ-ÝА-ЯЁІЇЄҐ][\w'’-]+(?:\s+[A-ZÀ-ÝА-ЯЁІЇЄҐ][\w'’-]+){1,2}),\s+(?:an?|the|un|une|le|la|l['’])\s*"
    r"[^,;:.!?\"«»“”]{3,90},\s*$"
)
_APPOSED_BARE = re.compile(
    r"(?P<name>[A-ZÀ-ÝА-ЯЁІЇЄҐ][\w'’-]+(?:\s+[A-ZÀ-ÝА-ЯЁІЇЄҐ][\w'’-]+){1,2}),\s+(?P<title>[^,;:.!?\"«»“”]{3,90}),\s*$"
)
# a personal name as written: two or three capitalised words in lower case after their capital ("Євген Євтушенко"),
# not an acronym ("Нікопольської РВА")
_PERSONAL = re.compile(
    r"(?<![\w'’-])[A-ZÀ-ÝА-ЯЁІЇЄҐ][a-zà-ÿа-яёіїєґ'’ʼ]+(?:-[A-ZÀ-ÝА-ЯЁІЇЄҐ][a-zà-ÿа-яёіїєґ'’ʼ]+)?"
    r"(?:\s+[A-ZÀ-ÝА-ЯЁІЇЄҐ][a-zà-ÿа-яёіїєґ'’ʼ]+(?:-[A-ZÀ-ÝА-ЯЁІЇЄҐ][a-zà-ÿа-яёіїєґ'’ʼ]+)?){1,2}(?![\w'’-])"
)


def _inverted(verb: re.Match[str], text: str, lex: _Lexicon) -> bool:
    """Whether the speaker follows the verb: after "selon", "according to", "Source:", or in an inversion after a
    quotation or a comma ("…", a écrit NAME; …, said NAME)."""
    return (verb.group(0).casefold() in lex.according or verb.group(0).rstrip().endswith(":")
            or bool(re.search(r"[,\"»”:–—-]\s*$", text[: verb.start()])))


def _body_named(an: Analysis, s: Sentence, pos: int, body: dict[str, Any], written: str | None) -> tuple[str, str | None]:
    """A body as claimant and role: an administration named with its city or region; the words written kept in
    the role when they say more than the body's usual name ("military unit (3-й окремої штурмової бригади)")."""
    role = body.get("role")
    claimant = body["claimant"]
    if claimant.casefold().startswith(("city ", "regional ", "district ")):
        before = _place_before(an, s, pos, town=not claimant.startswith("Regional "))
        place = before or _place_after(an, s, pos + len(written or ""))
        if place is not None:
            # "Херсонська МВА", "Kherson City Military Administration": the body of that city or region
            claimant = f"{place[0]} {claimant}"
            if place[1] not in (written or ""):
                written = f"{place[1]} {written}" if before else f"{written} ({place[1]})"
        else:
            seat = _seat(an, s, city=claimant.casefold().startswith("city "))
            claimant = f"{seat} {claimant}" if seat else claimant
    if written and written.casefold() not in (claimant.casefold(), (role or "").casefold()):
        role = f"{role} ({written})" if role else written
    return claimant, role


def _body_key(claimant: str, role: str | None) -> str:
    """The identity of a body's claim: a generic body ("military unit") is told apart by the words written."""
    return f"{claimant} ({role})" if claimant == claimant.casefold() and role else claimant


# what may stand between a body and the place it is of: "administration militaire de la région de Soumy",
# "the military administration of the Sumy region", "адміністрації Сумської області"
_OF_PLACE = re.compile(r"\s*(?:(?:of|the|de|du|des|la|le|l['’]|d['’]|région|region|oblast|province|ville|city)\s*)*$", re.I)


def _place_after(an: Analysis, s: Sentence, end: int) -> tuple[str, str] | None:
    """The city or region a body's name ends with ("the military administration of the Sumy region",
    "l'administration militaire de la région de Soumy"): its English name and the words written."""
    for p in an.of_kind("place", s.index):
        start = p.start - s.start
        if start >= end and start - end <= 30 and _OF_PLACE.fullmatch(" " + s.text[end:start]):
            place = p.value
            return (place.admin1 or place.name if place.feature == "admin1" else place.name), p.text
    return None


def _seat(an: Analysis, s: Sentence, *, city: bool) -> str | None:
    """The city (or, for a region's administration, the region) of an administration named without it ("the
    regional military administration reported"): the one Ukrainian city or region the sentence, else the one
    before it in its paragraph, names."""
    text = an.document.text
    para = paragraph_of(text, s.start)
    for t in (s, an.sentences[s.index - 1] if s.index > 0 else None):
        if t is None or paragraph_of(text, t.start) != para:
            break
        places = [p.value for p in an.of_kind("place", t.index) if p.value.iso2 == "UA"]
        seats = {p.name if city else p.admin1 for p in places if p.name and p.admin1 and (not city or p.feature != "admin1")}
        if len(seats) == 1:
            return next(iter(seats))
        if seats:
            return None
    return None


# the endings of a town's adjective: "Нікопольська РВА" is Nikopol's, "Ізюмської МВА" Izium's
_TOWN_ADJECTIVE = re.compile(r"(?:ськ|цьк|ск|цк)(?:а|ій|ої|у|ий|ого|ому|ая|ой|ую|ий|ого|ом)$")


def town_name(adjective: str) -> str | None:
    """The English name of the Ukrainian town an adjective names ("Нікопольській" -> Nikopol, "Покровської" ->
    Pokrovsk): the town of the stem, or of the stem with its "-ськ" ("Куп'янськ", "Покровськ"), the larger."""
    m = _TOWN_ADJECTIVE.search(adjective)
    if m is None:
        return None
    from sitrep.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    stem = adjective[: m.start()]
    found = [p for written in (stem, stem + adjective[m.start(): m.start() + 3].rstrip("аоуиіїєяеёй"))
             for p in gaz.lookup(written, limit=3) if p.iso2 == "UA" and p.feature == "settlement"]
    return max(found, key=lambda p: p.population).name if found else None


def _place_before(an: Analysis, s: Sentence, pos: int, *, town: bool = False) -> tuple[str, str] | None:
    """The city or region a body's name starts with ("Херсонська МВА", "Sumy Regional Military Administration"):
    its English name and the word written, when the word right before ``pos`` names one; with ``town``, a town's
    adjective names the town ("Нікопольська РВА": Nikopol)."""
    m = re.search(r"([A-ZА-ЯЁІЇЄҐ][\w'’-]+)\s+$", s.text[:pos])
    if m is None:
        return None
    word = m.group(1)
    if is_cyrillic(word):
        region = (town_name(word) if town else None) or region_name(word)
        return (region, word) if region != kmu(word) else None
    start = s.start + m.start(1)
    placed = any(p.start <= start < p.end for p in an.of_kind("place", s.index))
    return (word, word) if placed else None


OWN_REPORTING = "outlet (its own reporting)"


def _own_outlet(s: Sentence, verb: re.Match[str], lex: _Lexicon) -> tuple[str, dict[str, Any]] | None:
    """An outlet named as what it is right after the reporting verb, in the clause that says who tells it ("Про це
    пише видання «Думська», передають …", "Об этом пишет издание «Страна»"): its own reporting, not a relay."""
    if lex.outlets is None:
        return None
    clause = re.split(r"[,;–—]", s.text[verb.end():], maxsplit=1)[0]
    m = lex.outlets.match(clause.strip())
    if m is None:
        return None
    name = m.group("outlet").strip()
    return name, {"claimant": name, "claimant_role": OWN_REPORTING, "side": None}


def _named_at_verb(
    an: Analysis, s: Sentence, verb: re.Match[str], spans: list[tuple[int, int]]
) -> tuple[str, dict[str, Any]] | None:
    """A person named right after the reporting verb or right before it, with no role word near the name:
    "a écrit Maria Zakharova sur Telegram", "selon Alexandre Bogomaz", "Fedorov added", "Source: Ivan Fedorov".
    A surname alone is the person the report named in full before. Not a place, a state, a party or a body
    (``spans``: where the sentence names bodies)."""
    text = s.text
    lex = lexicon(s.lang or an.lang)
    found = []
    # the speaker follows the verb only after "selon", "according to", or in an inversion after a quotation or a
    # comma ("…", a écrit NAME; …, said NAME); "l'Ukraine a accusé Vladimir Poutine" accuses him, he says nothing
    a = _NAME_AFTER.match(text, verb.end()) if _inverted(verb, text, lex) else None
    if a and modifier(a.group("name").split()[0], s.lang or an.lang):
        if verb.group(0).casefold() in lex.according:
            # "По данным Объединенной пресс-службы …, …": a body the lexicon does not know, as the report names it
            phrase = re.split(r"[,;:–—]", text[a.start("name"):], maxsplit=1)[0].strip()
            known = any(a.start("name") <= bs < a.start("name") + len(phrase) for bs, _ in spans)
            if 1 < len(phrase.split()) <= 8 and not known:
                return phrase, {"claimant": phrase, "claimant_role": None, "side": None}
        a = None
    if a:
        found.append((a.start("name"), a.end("name")))
    if verb.group(0).rstrip().endswith(":"):
        # "Source: Telegram channel of Valentyn Reznichenko, the head of …": any name of the source line
        found += [(m.start("name"), m.end("name")) for m in _NAME_ANY.finditer(text, verb.end())]
    elif (lex.attribution is not None and lex.attribution.match(text)) or _inverted(verb, text, lex):
        # "Про це повідомив голова Нікопольської РВА Євген Євтушенко", "…, повідомив командир батальйону «Луганськ-1»
        # Олександр Мельник": the personal names of the clause after the verb, the first that is one
        clause = verb.end() + len(re.split(r"[,;–—]", text[verb.end():], maxsplit=1)[0])
        for m in _PERSONAL.finditer(text, verb.end(), clause):
            # "a déploré sur Telegram Vadym Filachkine": a channel's name is no part of the person's
            words = list(re.finditer(r"\S+", m.group(0)))
            while len(words) > 2 and words[0].group(0).casefold() in lex.not_names:
                words = words[1:]
            if personal(" ".join(w.group(0) for w in words), s.lang or an.lang):
                found.append((m.start() + words[0].start(), m.end()))
    # "Fedorov added"; "Serhii Popko, the head of the Kyiv City Military Administration, said"
    found += [(b.start("name"), b.end("name")) for pat in (_NAME_BEFORE, _APPOSED) for b in [pat.search(text, 0, verb.start())] if b]
    bare = _APPOSED_BARE.search(text, 0, verb.start())
    if bare and any(pat.match(bare.group("title")) for pat, _ in lex.roles):
        # "Yevhen Yevtushenko, head of the Nikopol district military administration, said": a title, no article
        found.append((bare.start("name"), bare.end("name")))
    for start, end in found:
        name = text[start:end]
        if name.split()[0].casefold() in lex.not_names:
            continue
        # a place, state or party where the name starts ("Kherson Oblast"); a surname that is also a village's name
        # ("За словами Ігоря Терехова") is still a person's
        first = start + len(name.split()[0])
        if not (" " in name and first_name(name.split()[0], s.lang or an.lang)) and any(
            m.kind in ("place", "state", "actor") and m.start - s.start < (first if " " in name else end)
            and start < m.end - s.start for m in an.mentions if m.sentence == s.index
        ):
            continue
        if any(bs < end and start < be for bs, be in spans) or any(pat.search(name) for pat, _ in lex.channels):
            continue
        if lex.relays is not None and lex.relays.search(name):
            continue  # "Про це пише Українська правда": an outlet, not a person
        if len(name.split()) == 1 and re.search(r"(?<![\w'’])(?:de|la|le|du|des|the|of|l['’]|d['’])\s*$", text[:start], re.I):
            continue  # "le ministère russe de la Défense a déclaré": a word of a title, not a name
        earlier = _named_before(an, name, s.start + start) or _titled_after(an, name, s.start + end)
        if earlier is not None:
            return _person_fields(earlier, lang=s.lang or an.lang)
        if len(name.split()) == 1:
            name = _full_name_before(an.document.text[: s.start + start], name) or name
        if len(name.split()) == 1 and lex.speakers is not None and lex.speakers.fullmatch(name):
            continue  # "Officials said", "Police reported": no one's name
        if len(name.split()) == 1 and not text[:start].strip(" \"'«“„-—–"):
            continue  # "Также сообщается, что …", "Ainsi, …": a word capitalised as the sentence's first
        written = latin_name(name, s.lang or an.lang)
        return written, {"claimant": written, "claimant_role": None, "side": None}
    return None


def _other_side(an: Analysis, s: Sentence, m: re.Match[str], body: dict[str, Any]) -> bool:
    """Whether the words around a body's name give it to the other side: "Russia's general staff" is not the
    Ukrainian General Staff that "general staff" names when nothing qualifies it."""
    side = body.get("side")
    if side not in ("Ukraine", "Russia"):
        return False
    for st in an.of_kind("state", s.index):
        start, end = st.start - s.start, st.end - s.start
        if st.value in ("Ukraine", "Russia") and st.value != side and (0 <= m.start() - end <= 3 or 0 <= start - m.end() <= 3):
            return True
    return False


_TAIL_BLOCKERS = frozenset({"trigger", "casualty", "weapon", "money"})


def latin_name(name: str, lang: str) -> str:
    """A person's name in Latin letters, as the English-language record gives it: Ukrainian names by the
    official romanisation ("Роман Мрочко" -> "Roman Mrochko"), Russian ones BGN-style ("Денис Пушилин" ->
    "Denis Pushilin"); a name already in Latin letters as it is."""
    if not is_cyrillic(name):
        return name
    return bgn(name) if lang == "ru" else kmu(name)


def region_name(region: str) -> str:
    """The English name of the oblast or city a role names in Cyrillic, in any case ("начальник Донецької ОВА":
    "Донецької" is Donetsk; "мер Харкова": Kharkiv); a name in Latin letters as it is."""
    if not is_cyrillic(region):
        return region
    from sitrep.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    for written in (f"{region} області", f"{region} области", region):
        found = gaz.lookup(written, limit=1)
        if found and found[0].iso2 == "UA":
            place = found[0]
            return place.admin1 if place.feature == "admin1" and place.admin1 else place.name
        if found and found[0].iso2 == "RU" and found[0].feature == "admin1":
            return found[0].name  # "губернатора Белгородской области": Belgorod Oblast
    return kmu(region)


def _person_fields(p: Mention, body: dict[str, Any] | None = None, *, lang: str = "") -> tuple[str, dict[str, Any]]:
    """A person as claimant: the name, the role (of its region, with the body it heads), the side."""
    role = p.attr("role")
    region = region_name(p.attr("region")) if p.attr("region") else None
    role_text = f"{role} of {region}" if region and role else role
    if body is not None:
        role_text = f"{role_text}, {body['claimant']}" if role_text else body["claimant"]
    name = latin_name(p.value, lang)
    side = _region_side(region) or p.attr("side") or (body or {}).get("side")
    return name, {"claimant": name, "claimant_role": role_text, "side": side}


@cache
def _region_side(region: str | None) -> str | None:
    """The side a regional official speaks for when the region is in Russia ("the governor of Belgorod"); None
    when the region does not say."""
    if not region:
        return None
    from sitrep.gazetteer import Gazetteer

    found = Gazetteer.default().lookup(region, limit=1)
    return "Russia" if found and found[0].iso2 == "RU" else None


def _named_before(an: Analysis, who: str, start: int) -> Mention | None:
    """The person named earlier in the report whose surname ``who`` is: "– зазначив Кириленко" after
    "очільник ОВА Павло Кириленко" (case endings aside: "Живицького" is Живицький)."""
    last = who.split()[-1].casefold()
    for p in sorted(an.of_kind("person"), key=lambda m: -m.start):
        if p.start >= start:
            continue
        surname = p.value.split()[-1].casefold()
        n = min(len(surname), len(last)) - 2
        if len(p.value.split()) > 1 and n >= 4 and surname[:n] == last[:n]:
            return p
    return None


def _titled_after(an: Analysis, who: str, end: int) -> Mention | None:
    """The person whom the report names with a title later on ("Олег Синєгубов повідомив …" and, further down,
    "начальник Харківської ОВА Олег Синєгубов"): the title says whom the name speaks for."""
    last = who.split()[-1].casefold()
    for p in an.of_kind("person"):
        surname = p.value.split()[-1].casefold()
        n = min(len(surname), len(last)) - 2
        if p.start >= end and p.attr("role") and len(p.value.split()) > 1 and n >= 4 and surname[:n] == last[:n]:
            return p
    return None


_GIVEN_THEN = re.compile(r"(?<![\w-])[A-ZÀ-ÝА-ЯЁІЇЄҐ][\w'’-]+\s+")  # a capitalised word, the spaces after it
_WORD_REST = re.compile(r"[\w'’-]*")


def _full_name_before(text: str, surname: str) -> str | None:
    """The whole name the report gave earlier to the person now named by surname ("Mme Zakharova" after "Maria
    Zakharova"; "Пушилина" after "Денис Пушилин"): the last capitalised word followed by the surname's stem."""
    stem = surname[: max(4, len(surname) - 2)]
    found = None
    after = 0
    for m in _GIVEN_THEN.finditer(text):  # one compiled pattern, not one per surname
        if m.start() >= after and text.startswith(stem, m.end()):
            end = _WORD_REST.match(text, m.end() + len(stem))
            after = end.end() if end else m.end() + len(stem)
            found = text[m.start() : after]
    return found


def _tail(an: Analysis, s: Sentence, lex: _Lexicon) -> tuple[str, dict[str, Any]] | None:
    """The speaker a headline names at its end ("… - Basurin", "…, the DPR reported"), resolved."""
    for pat, strong in lex.tails:
        m = pat.search(s.text)
        if m is None:
            continue
        raw = m.group("who")
        who = _bare_speaker(raw.strip(" \"'«»“”"), lex)
        if not who:
            continue
        if not who[0].isupper() and re.fullmatch(r"\s*[-–—]\s*", s.text[m.start() : m.start("who")]) and not any(
                pat.search(who) for pat, _ in (*lex.roles, *lex.bodies)) and not (
                lex.speakers is not None and lex.speakers.match(who)):
            continue  # "…, в Белгородской — пять": a count after a dash, not who says it ("… - mayor" is)
        start = s.start + m.start("who") + raw.find(who)
        if not _speaker_like(an, s, who, start, lex):
            continue
        resolved = _resolve(an, who, start, lex)
        if resolved is None and not strong:
            continue
        if resolved is None:
            named = _TRAILING_NAME.fullmatch(_written(who))
            if named is not None:
                # "голова Ради оборони Кривого Рогу Олександр Вілкул": the person, the rest as the role
                name = latin_name(named.group("name"), s.lang or an.lang)
                return name, {"claimant": name, "claimant_role": named.group("role").strip() or None, "side": None}
            written = _written(who)
            return written, {"claimant": written, "claimant_role": written, "side": None}
        return resolved
    return None


_CHANNEL_LEAD = re.compile(
    r"(?:\s+(?:in|on|via|at|through|his|her|its|their|official|в|во|у|на|через|своем|своём|своєму|своїй|своей|"
    r"офіційн\w*|официальн\w*|sur|dans|son|sa|ses|leur))+\s*$",
    re.I,
)


def _bare_speaker(who: str, lex: _Lexicon) -> str:
    """The speaker's words without the reporting verb before them or the channel after them: "пояснив Прокудін"
    is Прокудін, "Маляр в телеграме" is Маляр."""
    verb = lex.verbs.match(who) if lex.verbs is not None else None
    if verb is not None and verb.end() < len(who):
        who = who[verb.end() :].strip()
    for pat, _ in lex.channels:
        c = pat.search(who)
        if c is None:
            continue
        if c.start() > 0 and not _CHANNEL_LEAD.fullmatch(" " + who[: c.start()]):
            who = _CHANNEL_LEAD.sub("", who[: c.start()])
        elif c.start() < len(who):
            # "в своем Telegram-канале губернатор Вячеслав Гладков": the channel first, the speaker after it
            rest = re.match(r"[\w'’-]*\s*(?P<who>.*)", who[c.end() :], re.S)
            if rest is not None and rest.group("who"):
                who = rest.group("who")
    return who.strip(" ,")


_TRAILING_NAME = re.compile(r"(?P<role>.*?)\s*(?P<name>[A-ZА-ЯЁІЇЄҐ][\w'’-]+\s+[A-ZА-ЯЁІЇЄҐ][\w'’-]+)")


def _written(who: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", who, flags=re.I)


_ACRONYM = re.compile(r"[A-ZА-ЯЁІЇЄҐ]{1,2}")  # "MO", "HQ": too short to name a body on their own


def _role_written(written: str, body: dict[str, Any]) -> str | None:
    """The speaker's words as written ("GUR", "JFO HQ", "RF Ministry of Defense"), or for a bare two-letter
    acronym ("MO", "HQ") the body's role with the acronym: "ministry (MO)"."""
    role = body.get("role")
    if _ACRONYM.fullmatch(written) and role and written.casefold() not in role.casefold():
        return f"{role} ({written})"
    return written


def _republic_before(an: Analysis, start: int, lex: _Lexicon) -> tuple[str, str] | None:
    """The republic a headline names last before ``start``: its name and the words written for it."""
    before = an.document.text[:start]
    found = [
        (m.start(), a["claimant"], m.group(0))
        for _, b in lex.tail_bodies
        for a in b.get("antecedents", [])
        for m in re.finditer(rf"(?<![\w-])(?:{a['pattern']})(?![\w])", before, re.I)
    ]
    if not found:
        return None
    _, name, written = max(found, key=lambda t: t[0])
    return name, written


def _speaker_like(an: Analysis, s: Sentence, who: str, start: int, lex: _Lexicon) -> bool:
    """Whether the words after a headline's dash or before its "reported" can name a speaker."""
    words = who.split()
    if not words or len(words) > 8 or re.search(r"\d", who):
        return False
    if lex.reports is not None and len(words) > 2 and re.fullmatch(
        rf"(?:{lex.reports.pattern})\s+(?:of|from|by)\s+\S.*", who, re.I
    ):
        return _resolve(an, who, start, lex) is not None  # "… - summary of OVA"
    if words[0].casefold() in lex.tail_stop or (len(words) > 1 and _written(who).split()[0].casefold() in lex.tail_stop):
        return False
    if lex.relays is not None and lex.relays.fullmatch(who):
        return False  # "… – РБК-Україна": the outlet relays, the report's source speaks
    if casualty_words(s.lang or an.lang).search(who):
        return False  # "… - civilians killed and wounded", "… - one dead, nine wounded"
    end = start + len(who)
    mine = [m for m in an.mentions if m.sentence == s.index and m.start < end and start < m.end]
    # "…, they destroyed a barge": the tail tells of the event itself
    if any(m.kind in _TAIL_BLOCKERS for m in mine):
        return False
    # "… positions in Donetsk - Kirovskyi, Donetsk region": places alone name no speaker
    rest = list(who)
    for m in mine:
        if m.kind == "place":
            rest[max(0, m.start - start) : m.end - start] = " " * (min(end, m.end) - max(start, m.start))
    return any(ch.isalpha() for ch in rest)


def _resolve(an: Analysis, who: str, start: int, lex: _Lexicon) -> tuple[str, dict[str, Any]] | None:
    """A known person, body or role in the speaker's words; None when it is none of them."""
    written = _written(who)
    for pat, p in lex.persons:
        if pat.search(who):
            return p["name"], {"claimant": p["name"], "claimant_role": p.get("role"), "side": p.get("side")}
    end = start + len(who)
    # a person named in the speaker's words ("…, повідомив очільник ОВА Павло Кириленко") speaks, not the body
    inside = [m for m in an.of_kind("person") if start <= m.start and m.end <= end + 1]
    if inside:
        body = next((b for pat, b in lex.tail_bodies if pat.search(who)), None)
        return _person_fields(inside[0], body, lang=an.lang)
    bodies = _widest([(m, b) for pat, b in lex.tail_bodies for m in [pat.search(who)] if m])
    for found, b in sorted(bodies, key=lambda t: t[0].start() - t[0].end()):
        republic = _republic_before(an, start, lex) if b.get("antecedents") else None
        if republic is not None:
            # "the republic reported": the republic as the headline writes it before ("DPR", "LNR")
            return republic[0], {"claimant": republic[0], "claimant_role": republic[1], "side": b.get("side")}
        s = next((t for t in an.sentences if t.start <= start < t.end), None)
        if s is not None and (b["claimant"].casefold().startswith(("city ", "regional ", "district ")) or b["claimant"] == b["claimant"].casefold()):
            # "…, сообщает Сумская областная военная администрация": the body of that region, the words as written
            claimant, role = _body_named(an, s, start - s.start + found.start(), b, found.group(0))
            if len(written) > len(found.group(0)):
                role = _role_written(written, b)
            return _body_key(claimant, role), {"claimant": claimant, "claimant_role": role, "side": b.get("side")}
        return b["claimant"], {"claimant": b["claimant"], "claimant_role": _role_written(written, b),
                               "side": b.get("side")}
    generic = _ACRONYM.fullmatch(written) or (lex.speakers is not None and lex.speakers.search(written))
    republic = _republic_before(an, start, lex) if generic else None
    if republic is not None:
        # "… in the DPR - HQ", "… the LPR - People's Militia": the body of the republic the headline names
        qualified = f"{written} of the {republic[1]}"
        for pat, b in lex.tail_bodies:
            m = pat.search(qualified)
            if m and m.start() < len(written) and not b.get("tail_only"):
                return b["claimant"], {"claimant": b["claimant"], "claimant_role": _role_written(written, b),
                                       "side": b.get("side")}
    for pat, r in lex.roles:
        if pat.search(who):
            trailing = _TRAILING_NAME.fullmatch(written)
            if trailing is not None and trailing.group("role").strip():
                # "речник ОСУВ «Хортиця» Назар Волошин": the person, the title as the role
                name = latin_name(trailing.group("name"), an.lang)
                return name, {"claimant": name, "claimant_role": trailing.group("role").strip(), "side": r.get("side")}
            return written, {"claimant": written, "claimant_role": r.get("role"), "side": None}
    if lex.speakers is not None and lex.speakers.search(who):
        return written, {"claimant": written, "claimant_role": written, "side": None}
    # a surname alone ("Marochko"), unless it is a place, a state or a party; the person it names when the
    # report gave the whole name before
    named = len(who.split()) <= 2 and re.fullmatch(r"(?:[A-ZÀ-ÝА-ЯЁІЇЄҐ][\w'’-]+\s?){1,2}", who)
    earlier = (_named_before(an, who, start) or _titled_after(an, who, start + len(who))) if named else None
    if earlier is not None:
        return _person_fields(earlier, lang=an.lang)
    if named and not any(
        m.kind in ("place", "state", "actor") and m.start >= start and m.end <= end + 1
        for m in an.mentions
    ):
        full = _full_name_before(an.document.text[:start], who) if len(who.split()) == 1 else None
        name = latin_name(full or who, an.lang)
        return name, {"claimant": name, "claimant_role": None, "side": None}
    return None


def _still_open(text: str, inside: bool) -> bool:
    """Whether a quotation is still open after ``text``: straight double quotes toggle it, « » and “ ” open
    and close it."""
    last = max(map(text.rfind, "«“„»”"))  # the last quotation mark that opens or closes: it decides, then
    if last >= 0:  # each straight quote after it turns it
        inside = text[last] in "«“„"
    return inside != (text.count('"', last + 1) % 2 == 1)


def _says(an: Analysis, s: Sentence, lex: _Lexicon) -> _Said | None:
    text = s.text
    verb = lex.verbs.search(text) if lex.verbs else None
    quote_only = bool(re.match(r"^\s*[\"«“„]", text))
    head = _header(text, lex, labels=True)
    tail = _tail(an, s, lex)
    if not verb and not quote_only and head is None and tail is None:
        return None
    if tail is not None and tail[1].get("side") is None and verb is not None and any(
        (p.start - s.start < verb.start() or p.end - s.start <= text.rfind(",")) and p.value != tail[0]
        for p in an.of_kind("person", s.index)
    ):
        # "Про це заявив радник глави МВС Вадим Денисенко …, повідомляє РБК-Україна": the person named before the
        # tail speaks; the outlet at the end relays
        tail = None
    named: tuple[str | None, dict[str, Any]] | None = None
    if tail is not None and tail[1].get("side") is None and (
            re.fullmatch(r"[A-ZА-ЯІЇЄҐЁ]{2,6}", tail[0]) or (lex.relays is not None and lex.relays.fullmatch(tail[0]))):
        # "This was reported by the head of the RMA Serhiy Lysak, according to UNN": an outlet at the end relays
        # the one the sentence names as speaking
        named = _claimant(an, s, lex)
        if named[0] is not None and named[0] != tail[0]:
            tail = None
    key, fields = tail if tail is not None else (named or _claimant(an, s, lex))
    if key is None and head is not None:
        key, fields = head["claimant"], {"claimant": head["claimant"], "claimant_role": head.get("role"),
                                         "side": head.get("side")}
    # the first pattern of each list that matches (a lexicon's matches come by pattern, in order)
    channels, statuses = lex.channels_at.found(text), lex.verification_at.found(text)
    channel = lex.channels[channels[0][0]][1] if channels else None
    verification = lex.verification[statuses[0][0]][1] if statuses else "reported"
    q = _QUOTE.search(text)
    claim = Claim(
        claimant=fields.get("claimant"),
        claimant_role=fields.get("claimant_role"),
        side=fields.get("side"),
        channel=channel,
        relay=None,
        verification=cast(Verification, verification),
        quote=(q.group(1).strip() if q else text.strip())[:500],
    )
    return _Said(key=key, claim=claim, anaphoric=key is None)


def _header(text: str, lex: _Lexicon, *, labels: bool = False) -> dict[str, Any] | None:
    """The body a post opens with, before a colon: "Повітряні сили: …", "Минобороны России: …", "OVA summary: …".
    With ``labels``, also a headline's front label that stands for its source ("South: …" for the southern
    command's daily report); such a label speaks for its own line only."""
    report = rf"(?:\s+(?:{lex.reports.pattern}))?" if lex.reports is not None else ""
    bodies = len(lex.bodies)
    for k in lex.heads.candidates(text[:1]):  # only the patterns that can begin with the line's first character
        if k >= bodies and not labels:
            break
        pat, body = lex.bodies[k] if k < bodies else lex.labels[k - bodies]
        m = pat.match(text)
        if m and re.match(rf"{report}\s*:", text[m.end() :], re.I):
            return body
    return None


def publisher(source: str, lang: str) -> Claim:
    """The claim of a report that names no source: its publisher speaks, under the body's usual name when the
    publisher is one of the lexicon's bodies ("ДСНС" -> State Emergency Service of Ukraine)."""
    for pat, body in lexicon(lang).bodies:
        m = pat.search(source)
        if m and len(m.group(0)) >= 0.6 * len(source.strip()):
            return Claim(claimant=body["claimant"], claimant_role=body.get("role"), side=body.get("side"))
    return Claim(claimant=source, claimant_role="publisher")


# a post signed with its author's name on its last line: "… Загинула одна людина. Олег Синєгубов"
_SIGNATURE = re.compile(r"^(?:—|–|-)?\s*([A-ZА-ЯЁІЇЄҐ][\w'’-]+(?:\s+[A-ZА-ЯЁІЇЄҐ][\w'’-]+){1,2})\.?$")


def signature(an: Analysis) -> Claim | None:
    """The author who signs a post: its last sentence is nothing but a personal name (not a place)."""
    if len(an.sentences) < 2:
        return None
    last = an.sentences[-1]
    m = _SIGNATURE.match(last.text.strip())
    if m is None or an.of_kind("place", last.index) or an.of_kind("trigger", last.index):
        return None
    return Claim(claimant=latin_name(m.group(1), last.lang or an.lang), claimant_role="author of the post")


def _merge(old: Claim, new: Claim) -> Claim:
    return replace(
        old,
        channel=old.channel or new.channel,
        verification=new.verification if new.verification != "reported" else old.verification,
    )


# the roles of those who head an administration, by the kind of administration
_HEADS = {
    "City Military Administration": ("head of city military administration", "mayor"),
    "Regional Military Administration": ("head of military administration", "governor"),
}


def _headed(an: Analysis, claim: Claim) -> Claim:
    """An administration's claim, told by the one person the report names as its head ("Запорізька ОВА" and,
    elsewhere, "начальник ОВА Іван Федоров"): that person, with the administration in the role."""
    kind = next((k for k in _HEADS if claim.claimant and claim.claimant.endswith(k)), None)
    if kind is None:
        return claim
    heads = {p.value: p for p in an.of_kind("person") if p.attr("role") in _HEADS[kind]}
    if len(heads) != 1:
        return claim
    name, fields = _person_fields(next(iter(heads.values())), lang=an.lang)
    role = fields["claimant_role"]
    return replace(claim, claimant=name, claimant_role=f"{role}, {claim.claimant}" if role else claim.claimant,
                   side=claim.side or fields["side"])


def attribute(an: Analysis) -> list[Mention]:
    lex = lexicon(an.lang)
    text = an.document.text
    relay_match = lex.relays.search(text) if lex.relays else None
    relay = relay_match.group(0) if relay_match else an.document.source
    doc_wide_unverified = any(
        pat.search(s.text) and lexicon(s.lang or an.lang).others.search(s.text)
        for s in an.sentences
        for pat, status in lex.verification
        if status == "unverified"
    )
    chains: dict[str, Claim] = {}
    per_sentence: list[tuple[Sentence, str, str | None]] = []
    last: str | None = None
    inside = False  # within a quotation opened in an earlier sentence
    for s in an.sentences:
        said = _says(an, s, lexicon(s.lang or an.lang))
        quoted, inside = inside, _still_open(s.text, inside)
        if said is None and quoted and last is not None:
            # a sentence of a quotation that runs over several sentences speaks for the quoted source
            per_sentence.append((s, last, s.text.strip()[:500]))
            continue
        if said is None:
            continue
        key = said.key if not said.anaphoric else last
        if key is None and said.anaphoric:
            # "Об этом сообщил он сам", "he said" with no speaker before: the person the report named last
            named = [p for p in an.of_kind("person") if p.end <= s.start]
            if named:
                key, fields = _person_fields(named[-1], lang=s.lang or an.lang)
                said = replace(said, key=key, claim=replace(said.claim, claimant=fields.get("claimant"),
                                                            claimant_role=fields.get("claimant_role"),
                                                            side=fields.get("side")))
        if key is None:
            continue
        chains[key] = _merge(chains[key], said.claim) if key in chains else said.claim
        per_sentence.append((s, key, said.claim.quote))
        last = key
    chains = {key: _headed(an, claim) for key, claim in chains.items()}
    # a post that opens with "Body:" speaks for that body in every later sentence of its paragraph
    said_in = {s.index for s, _, _ in per_sentence}
    for s, key, _quote in list(per_sentence):
        if _header(s.text, lexicon(s.lang or an.lang)) is None:
            continue
        para = paragraph_of(text, s.start)
        for t in an.sentences[s.index + 1 :]:
            if paragraph_of(text, t.start) != para:
                break
            if t.index not in said_in:
                per_sentence.append((t, key, t.text.strip()[:500]))
                said_in.add(t.index)
    per_sentence.sort(key=lambda x: x[0].index)
    out = []
    for s, key, quote in per_sentence:
        claim = replace(chains[key], quote=quote)
        if doc_wide_unverified and claim.verification == "reported":
            claim = replace(claim, verification="unverified")
        if claim.relay is None and relay:
            claim = replace(claim, relay=relay)
        out.append(Mention("claim", s.start, s.end, s.text, s.index, claim, f"claims:{an.lang}:{key}"))
    return out


def _outlet(claim: Claim, lang: str) -> bool:
    """Whether the claimant is a news outlet that relays ("…, according to Ukrinform"), not a source."""
    relays = lexicon(lang).relays
    return bool(claim.claimant and claim.claimant_role != OWN_REPORTING and relays is not None
                and relays.fullmatch(claim.claimant))


_TOLD: list[tuple[Analysis, Claim | None]] = []  # the last report's source, asked for once per event


def report_claim(an: Analysis) -> Claim | None:
    """See :func:`_report_claim`; computed once per report."""
    if _TOLD and _TOLD[0][0] is an:
        return _TOLD[0][1]
    told = _report_claim(an)
    _TOLD[:] = [(an, told)]
    return told


def _report_claim(an: Analysis) -> Claim | None:
    """Who the report says tells all it reports, for an event whose own sentences name no one: the claim of a
    line of its own that names the report's source ("Source: …", "Джерело: …", "Про це повідомив …", "Об этом
    сообщил …", "Як повідомляє …"), else the speaker the report quotes most often — a person or a body, not a
    state, nor an outlet that only relays."""
    claims = [m for m in an.of_kind("claim") if m.value.claimant]
    lines = [m for m in claims if (pat := lexicon(an.sentences[m.sentence].lang or an.lang).attribution) is not None
             and pat.match(an.sentences[m.sentence].text)]
    if lines:
        return lines[-1].value
    named = [m for m in claims if m.value.claimant_role != "publisher" and not _outlet(m.value, an.lang)]
    if not named:
        return None
    count: dict[str, int] = {}
    for m in named:
        count[m.value.claimant or ""] = count.get(m.value.claimant or "", 0) + 1
    top = max(count.values())
    return next(m.value for m in named if count[m.value.claimant or ""] == top)


_BACK: list[tuple[Analysis, tuple[int, Claim] | None]] = []  # the last report's back story, found once


def background(an: Analysis) -> tuple[int, Claim] | None:
    """Where a report turns to its own back story ("As Ukrainian News Agency earlier reported, …", "Earlier we
    wrote that …", "Раніше ми писали", "Напомним"), and the outlet that tells it: the one the line names, else the
    report's publisher. What follows with no speaker of its own is the outlet's earlier reporting."""
    if _BACK and _BACK[0][0] is an:
        return _BACK[0][1]
    found: tuple[int, Claim] | None = None
    for s in an.sentences:
        pat = lexicon(s.lang or an.lang).background
        m = pat.search(s.text) if pat is not None else None
        if m is None:
            continue
        outlet = (m.groupdict().get("outlet") or "").strip(" «»\"") or an.document.source
        if outlet:
            found = (s.index, Claim(claimant=outlet, claimant_role="outlet (its earlier report)"))
        break
    _BACK[:] = [(an, found)]
    return found


def _asserted_before(an: Analysis, s: Sentence, denial: Claim) -> Claim | None:
    """Who said what a sentence calls untrue ("Also untrue are statements that 80 percent of Vovchansk has been
    captured," it added): the nearest earlier speaker, other than the one who denies, of a sentence that names
    one of its places."""
    places = {p.value.name for p in an.of_kind("place", s.index)}
    for t in reversed(an.sentences[: s.index]):
        said = an.of_kind("claim", t.index)
        if said and said[0].value.claimant and said[0].value.claimant != denial.claimant and places & {
                p.value.name for p in an.of_kind("place", t.index)}:
            return replace(said[0].value, verification="reported", quote=said[0].value.quote)
    return None


def claims_for(an: Analysis, s: Sentence, follow: Sequence[int] = ()) -> tuple[Claim, ...]:
    """The claims behind what sentence ``s`` reports: its own (an outlet that only relays gives way to the
    report's source, and stays its relay); the next sentence's for a quotation; those of the sentences that go on
    about it (``follow``); the speaker of the sentence before it in its paragraph; the post's signature; the
    report's source (:func:`report_claim`); else its publisher or relay."""
    own = an.of_kind("claim", s.index)
    if own:
        earlier = background(an) if _outlet(own[0].value, s.lang or an.lang) else None
        if earlier is not None and earlier[0] <= s.index:
            return (replace(earlier[1], quote=own[0].value.quote),)  # "As Ukrinform reported earlier, …"
        if own[0].value.verification == "disputed" and not any(m.value == "denial" for m in an.of_kind("modality", s.index)):
            asserted = _asserted_before(an, s, own[0].value)
            if asserted is not None:
                return (asserted, own[0].value)
        if _outlet(own[0].value, s.lang or an.lang):
            teller = report_claim(an)
            if teller is not None:
                return (replace(teller, relay=own[0].value.claimant, quote=own[0].value.quote),)
        return (own[0].value,)
    nxt = an.of_kind("claim", s.index + 1)
    if nxt and re.match(r"^\s*[\"«“„]", s.text):
        return (nxt[0].value,)
    for j in follow:
        later = an.of_kind("claim", j)
        if later:
            return (later[0].value,)
        if an.of_kind("person", j):
            break  # "Глава ГУР Кирилл Буданов спрогнозировал, …": a new speaker, on another matter
    text = an.document.text
    before = an.of_kind("claim", s.index - 1) if s.index > 0 else []
    if before and paragraph_of(text, an.sentences[s.index - 1].start) == paragraph_of(text, s.start):
        return (replace(before[0].value, quote=s.text.strip()[:500]),)
    earlier = background(an)
    if earlier is not None and earlier[0] <= s.index:
        return (replace(earlier[1], quote=s.text.strip()[:500]),)
    relay = next((m.value.relay for m in an.of_kind("claim") if m.value.relay), None)
    signed = signature(an)
    if signed is not None:
        return (replace(signed, relay=relay),)
    told = report_claim(an)
    if told is not None:
        return (replace(told, quote=s.text.strip()[:500]),)
    source = an.document.source
    if source:
        # the channel or outlet that published a report naming no source speaks for it
        return (replace(publisher(source, s.lang or an.lang), relay=relay if relay != source else None),)
    return (Claim(relay=relay, verification="reported"),) if relay else ()


def _party(an: Analysis, s: Sentence, *, before: int | None = None, after: int | None = None) -> Claim | None:
    """The body, person or state of sentence ``s`` nearest before (or after) a position, as a claimant."""
    found: list[tuple[int, Claim]] = []
    for pat, body in lexicon(s.lang or an.lang).bodies:
        for m in pat.finditer(s.text):
            found.append((s.start + m.start(), Claim(claimant=body["claimant"], claimant_role=body.get("role"),
                                                     side=body.get("side"))))
    for p in an.of_kind("person", s.index):
        found.append((p.start, Claim(claimant=p.value, claimant_role=p.attr("role"), side=p.attr("side"))))
    for st in an.of_kind("state", s.index):
        found.append((st.start, Claim(claimant=st.value, claimant_role="government", side=st.value)))
    if before is not None:
        near = [(pos, c) for pos, c in found if pos < before]
        return max(near, key=lambda t: t[0])[1] if near else None
    near = [(pos, c) for pos, c in found if after is not None and pos > after]
    return min(near, key=lambda t: t[0])[1] if near else None


def disputed(an: Analysis, s: Sentence, denial: Mention, claims: tuple[Claim, ...]) -> tuple[Claim, ...]:
    """The two sides of a denied report: who says it happened (``reported``, or ``unverified`` when hedged)
    and who denies it (``disputed``). "Russia's Defence Ministry claimed a strike on Kramatorsk, but Ukrainian
    officials denied it"; "Moscou a démenti toute frappe, contredisant les affirmations de Kiev"."""
    denier = _party(an, s, before=denial.start)
    if denier is None:
        return tuple(replace(c, verification="disputed") for c in claims) or (Claim(verification="disputed"),)
    quote = s.text.strip()[:500]
    denier = replace(denier, verification="disputed", quote=quote)
    asserters = [
        replace(c, verification="unverified" if c.verification == "unverified" else "reported")
        for c in claims if c.claimant and c.claimant != denier.claimant
    ]
    if not asserters:
        other = _party(an, s, after=denial.end)
        if other is not None and other.claimant != denier.claimant:
            asserters = [replace(other, verification="reported", quote=quote)]
    return (*asserters, denier)


class Claims:
    name: ClassVar[str] = "claims"
    requires: ClassVar[tuple[str, ...]] = ("sentences", "persons", "states")
    assigns: ClassVar[tuple[str, ...]] = ("claims",)

    def __call__(self, analysis: Analysis) -> Analysis:
        return replace(analysis, mentions=analysis.add(attribute(analysis)))
