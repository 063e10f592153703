"""Records: turn the mentions of each sentence into events, and hand sums of money to :mod:`aid`.

An event is built around a place: each place of a sentence that is an event location (see
:mod:`sitrep.stages.roles` for the roles a place can play) gets one event, typed by the trigger that
governs it, with a weapon deciding the type of a generic trigger ("attack", "explosions").

Sentences whose statement is future, hypothetical, negated or generic give no event. A sentence with
triggers but no place takes the place of the event it continues (a quotation, "la ville", a pronoun, the
next sentence of the paragraph), of the sentence that set the scene, or of a post's opening place name;
otherwise it stays unlocated. Damage told after an attack ("Пошкоджено будинок у Миколаївці.") is that
attack at the damaged place, or nothing new when it names no place; only destruction by a party of its own,
or looting, arson and demolition, is property destruction. Counts and claims told in the sentences that go on
about an event are given to it. Events that repeat one another within a report (same type, place and date)
are merged, keeping every sentence as evidence and every claim apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import ClassVar

from sitrep import lang as langdata
from sitrep.gazetteer import Gazetteer
from sitrep.model import EVENT_TYPES, Analysis, Event, Evidence, Mention, Place, Record, Sentence, Step
from sitrep.stages import paragraph_of
from sitrep.stages.aid import aid, is_aid_sentence
from sitrep.stages.claims import claims_for, disputed
from sitrep.stages.dates import When, default_when
from sitrep.stages.join import Telling, absorb, join
from sitrep.stages.notes import notes
from sitrep.stages.page import furniture, furniture_at
from sitrep.stages.roles import ADMIN, Roles, inside, part_of, same_stem
from sitrep.stages.tolls import toll
from sitrep.stages.triggers import SUB_TO_TYPE
from sitrep.stages.units import hromadas

HISTORY_MONTHS = 4  # an event dated over a season (calendar months) before its report is history it recalls
BLOCKING = frozenset({"future", "hypothetical", "negated", "generic"})
# between a threat or a period and the event word it governs: nothing, or one word ("le risque d'une éventuelle
# offensive", "months of relentless shelling")
_JUST_BEFORE = re.compile(r"\s*(?:[\w'’-]{1,16}\s+)?")
WEAPON_PRIORITY = ("small arms", "aircraft", "drones", "mines", "balloons", "missiles", "MLRS", "artillery",
                   "mortars", "tanks")
SHELLING = "Shelling/artillery/missile attack"
DESTRUCTION = "Looting/property destruction"
ATTACKS = frozenset(EVENT_TYPES["Explosions/Remote violence"])


@dataclass(frozen=True)
class _Frame:
    """One event in the making: a sentence, its governing trigger and a location."""

    sentence: Sentence
    trigger: Mention
    sub_event_type: str
    place: Place | None
    place_mention: Mention | None
    weapons: tuple[str, ...]
    follows: _Frame | None = None  # the frame this sentence continues ("la ville", "The strikes hit …")
    cause: _Frame | None = None  # the attack whose damage this sentence tells ("Пошкоджено будинок у …")
    heard: bool = False  # placed where it was heard ("вибух чули у Харкові")
    damage: tuple[Mention, ...] = ()  # the words of the sentences right after that tell what it did ("Пошкоджено будинок")


def _before(text: str, start: int, width: int = 40) -> str:
    return text[max(0, start - width) : start]


def _sub_event(trigger: Mention, weapons: list[Mention], *, casualties: bool = False) -> str:
    sub: str = trigger.value
    names = {w.value for w in weapons}
    if trigger.attr("generic"):
        if "small arms" in names:
            return str(next(m.attr("sub_event_type") for m in weapons if m.value == "small arms"))
        # the kind of weapon named most ("artillery, MLRS, mortars, tanks and drones" is shelling), the
        # priority order settling ties
        votes: dict[str, int] = {}
        for m in weapons:
            votes[m.attr("sub_event_type")] = votes.get(m.attr("sub_event_type"), 0) + 1
        ranked = [next(m.attr("sub_event_type") for m in weapons if m.value == w) for w in WEAPON_PRIORITY if w in names]
        if ranked:
            return str(max(ranked, key=lambda t: (votes[t], -ranked.index(t))))
        if sub == "Looting/property destruction" and casualties:
            # destruction that kills or wounds, with no weapon named, is a strike in a war report
            return SHELLING
        return sub
    if sub == SHELLING and "small arms" in names:
        return "Armed clash"
    return sub


def _governing(triggers: list[Mention], pos: int, text: str = "") -> Mention:
    """The trigger that governs a place at ``pos``: heavy and near, preferring one before it."""

    def score(t: Mention) -> float:
        dist = abs(t.start - pos)
        # a trigger in another clause ("…attacked Odesa region, and air defences shot down…") governs less
        between = text[min(t.end, pos) : max(t.start, pos)] if text else ""
        # … as does one in a relative clause of wire copy that describes a place ("…in Sumy region, opposite Kursk,
        # where Ukraine is waging an offensive") or across a clause of another time ("fighting raged in the region,
        # a day after Russian missiles struck Odesa"); the Ukrainian and Russian ", де", ", где" tell the event itself as
        # often ("у Херсоні, де вночі загинули двоє") and are left out
        clause = (6.0 if re.search(r",\s+(?:where|où|which|qui|(?:a day |hours |days |shortly |un jour |quelques heures )?"
                                   r"(?:after|before|après|avant))\s", between)
                  else 2.0 if re.search(r"[;:]|,\s+(?:and|but|while|et|mais|alors que)\s", between) else 0.0)
        return t.attr("weight", 1) * 1.0 - dist / 60.0 + (0.5 if t.start <= pos else 0.0) - clause

    return max(triggers, key=score)


# a relative clause that describes what the sentence names: ", où les troupes russes ne cessent de progresser"
_RELATIVE = re.compile(r",\s+(?:où|where|which|who|qui|де|где|який|яка|які|котр\w+|которы\w+|которая|которое|"
                       r"alors que|tandis que|pendant que|while|whereas|тоді як|в той час як|в то время как|тогда как)\s",
                       re.I)


def _describes(text: str, s: Sentence, marker: Mention, triggers: list[Mention]) -> bool:
    """Whether a marker stands in a relative clause after an event word of its sentence, describing a place or
    a party ("… dans la région de Donetsk, où les troupes russes progressent depuis des mois"): it does not make
    the event told before it habitual, future or denied."""
    clauses = list(_RELATIVE.finditer(text, s.start, marker.start))
    return bool(clauses) and any(t.end <= clauses[-1].start() for t in triggers)


def _weapons_of(weapons: list[Mention], trigger: Mention) -> list[Mention]:
    """Of a sentence that tells strikes at several places, the weapons of one place's strike: the kind named
    nearest to the event word that governs it ("a missile slammed into a building in Kharkiv … drones hit a
    substation near Sumy")."""
    if len({w.value for w in weapons}) < 2:
        return weapons
    nearest = min(weapons, key=lambda w: abs(w.start - trigger.start))
    return [w for w in weapons if w.value == nearest.value]


def _heading(text: str) -> bool:
    """A title line in capitals ("L'ASSAUT RUSSE SUR BAKHMUT"): its words are not read as the report's facts."""
    letters = "".join(filter(str.isalpha, text))
    return len(letters) >= 8 and sum(map(str.isupper, letters)) / len(letters) > 0.8


NO_CASUALTIES = frozenset({
    "Disrupted weapons use", "Agreement", "Change to group/activity", "Headquarters or base established",
    "Non-violent transfer of territory", "Other",
})


def _opening_place(an: Analysis, s: Sentence) -> Place | None:
    """The place of a sentence that is nothing but a place name ("Херсон.", "Nikopol:"), as posts open."""
    places = an.of_kind("place", s.index)
    if len(places) != 1 or an.of_kind("trigger", s.index):
        return None
    p = places[0]
    rest = s.text[: p.start - s.start] + s.text[p.end - s.start :]
    return p.value if not re.sub(r"[\W\d_]+", "", rest) else None


def _weak(triggers: list[Mention]) -> bool:
    """Only generic, light triggers ("пошкоджено", "destroyed"): a consequence, not an event of its own."""
    return all(t.attr("generic") and t.attr("weight", 1) <= 1 for t in triggers)


NOT_ARMED = frozenset({"Civilians (Ukraine)", "Protesters (Ukraine)", "Police Forces of Ukraine (2019-)"})


def _casualty_triggers(an: Analysis, s: Sentence, *, alone: bool = False, lead: bool = False) -> list[Mention]:
    """Deaths or injuries told without an event word, when the sentence names what caused them.

    "Russians killed six residents", "Horlivka resident … dies", "lost over 130 servicemen": a count of
    people killed is an event; a count of people hurt only when an armed party acts in the sentence, a weapon
    is named, or they are soldiers. Soldiers' losses are fighting (``Armed clash``); others a strike whose weapon, when
    named, decides its type, as for a generic trigger.
    """
    # "No one was killed" (a count of 0) opens no event
    hurt = [c for c in an.of_kind("casualty", s.index) if c.attr("type") in ("killed", "injured") and c.value]
    if not hurt:
        return []
    armed = any(a.attr("agent") and a.value not in NOT_ARMED for a in an.of_kind("actor", s.index))
    soldiers = any(c.attr("who") == "soldiers" for c in hurt)
    # "Four medics were killed during the evacuation", "Death toll in Gorlovka rises to 3": a headline or the
    # lead of a paragraph (``lead``) that counts its dead is an event even when it names no one who killed them,
    # unless (not ``alone``) it follows the event just told, whose toll it gives ("У Херсоні загинули дві
    # людини"). Further into a paragraph, a death told without its cause is a tally or a life recalled ("There
    # have been more than 100 deaths in Kyiv since…")
    counted = alone and lead and any(c.attr("type") == "killed" for c in hurt)
    if not (armed or soldiers or counted or an.of_kind("weapon", s.index)):
        return []
    first = hurt[0]
    sub = "Armed clash" if soldiers else SHELLING
    return [Mention("trigger", first.start, first.end, first.text, s.index, sub, "records:casualties",
                    (("id", "casualties"), ("weight", 1), ("generic", True)))]


@cache
def _demonstrative(lang: str) -> re.Pattern[str] | None:
    words = langdata.load(lang, "modality").get("demonstratives", [])
    return re.compile(rf"(?<![\w-])(?:{'|'.join(words)})\s+$", re.I) if words else None


@cache
def _district_word(lang: str) -> re.Pattern[str] | None:
    words = langdata.load(lang, "modality").get("city_district", [])
    return re.compile(rf"\s+(?:{'|'.join(words)})(?![\w])", re.I) if words else None


def _city_district(an: Analysis, place: Mention) -> bool:
    """Whether a place is named as a district ("по Киевскому району", "in the Shevchenkivskyi district")."""
    pat = _district_word(an.sentences[place.sentence].lang or an.lang)
    return pat is not None and pat.match(an.document.text, place.end) is not None


# a district named with the city it belongs to left unnamed: "Дніпровського району міста", "района города"
_OF_THE_CITY = re.compile(r"\s+(?:міста|города|of the city|de la ville)(?![\w])", re.I)


def _city_before(an: Analysis, place: Mention) -> Place | None:
    """The town the report named last before ``place`` (50,000 people or more), whose district it names."""
    cities = [m.value for m in an.of_kind("place") if m.end <= place.start and m.value.feature == "settlement"
              and m.value.population >= 50_000]
    return cities[-1] if cities else None


_CITY_WORD = re.compile(r"(?:ville|city|міст|город)", re.I)


_REGION_WORD = re.compile(r"(?:région|region|регіон|регион)", re.I)


def _titled(located: list[tuple[Mention, str]]) -> Place | None:
    """The one oblast of a speaker's title in the sentence ("le gouverneur de la région de Zaporijjia")."""
    regions = {p.value for p, r in located if r in ("speaker", "venue", "metonymy") and p.value.feature == "admin1"
               and p.value.admin1}
    return next(iter(regions)) if len(regions) == 1 else None


def _titled_city(located: list[tuple[Mention, str]]) -> Place | None:
    """"Le gouverneur de la région de Kharkiv affirme que 15 frappes ont touché la ville": "the city" told with no
    city before it is the city of the region in the speaker's title."""
    region = _titled(located)
    if region is None:
        return None
    oblast = region.admin1 or ""
    return next((c for c in Gazetteer.default().lookup(oblast, limit=5)
                 if c.feature == "settlement" and c.admin1 == oblast and c.population >= 100_000), None)


def _told_before(an: Analysis, s: Sentence, triggers: list[Mention]) -> bool:
    """Whether every trigger of the sentence points back to an event already told ("cette frappe",
    "this attack", "цей удар")."""
    pat = _demonstrative(s.lang or an.lang)
    text = an.document.text
    return pat is not None and bool(triggers) and all(
        pat.search(text[max(0, t.start - 12) : t.start]) for t in triggers
    )


def _cause(an: Analysis, s: Sentence, triggers: list[Mention], sub: str, frames: list[_Frame]) -> _Frame | None:
    """The attack whose damage a sentence tells, when the sentence tells nothing but damage.

    "Вночі росіяни обстріляли громаду. Пошкоджено приватний будинок у Миколаївці.": damage told after an
    attack (shelling, a missile, a drone, an air strike) is that attack's doing, at the damaged place, as ACLED
    codes it, not property destruction. The governing attack is the nearest earlier one of the paragraph, else
    of the report. A sentence that names an armed party other than the attacker ("партизани зруйнували
    міст"), a weapon, or a word of looting, arson or demolition (a trigger of its own) keeps its type.
    """
    if sub != DESTRUCTION or not _weak(triggers):
        return None
    text = an.document.text
    para = paragraph_of(text, s.start)
    attacks = [f for f in frames if f.sub_event_type in ATTACKS and f.sentence.index < s.index]
    near = [f for f in attacks if paragraph_of(text, f.sentence.start) == para]
    if not (near or attacks):
        return None
    cause = (near or attacks)[-1]
    # an armed party named as destroying is deliberate destruction, unless it is the one that attacked
    # ("Russian troops fired missiles at Khortytsia … destroyed by aggressors from Russia")
    attackers = _agents(an, cause.sentence.index)
    if not _agents(an, s.index) <= attackers:
        return None
    return cause


def _locality_of(p: Place, q: Place | None) -> bool:
    """Whether ``p`` is ``q`` or a part of it, or holds it (a district of the city, the city's oblast)."""
    return q is not None and (p.name == q.name or part_of(p, q) or part_of(q, p)
                              or (p.feature in ("admin1", "admin2") and inside(q, p)))


def _finer_than(p: Place, q: Place | None) -> bool:
    """Whether ``p`` places an event told at ``q`` more closely: inside the region ``q`` (or ``q`` unknown)."""
    return q is None or (q.feature in ("admin1", "admin2", "hromada") and p.feature not in ("admin1", "country")
                         and (inside(p, q) or (p.admin1 is not None and p.admin1 == (q.admin1 or q.name))))


def _agents(an: Analysis, sentence: int) -> set[str]:
    return {a.value for a in an.of_kind("actor", sentence) if a.attr("agent") and a.value not in NOT_ARMED}


def _frames(an: Analysis, steps: list[Step]) -> list[_Frame]:
    frames: list[_Frame] = []
    last: _Frame | None = None
    # places of a sentence that reports nothing itself, for the next sentence to act in:
    # "Unidentified individuals shot at a court in Kiev. The windows were damaged."
    scene: tuple[int, list[tuple[Mention, str]]] | None = None
    listing: tuple[int, Mention, int] | None = None  # the last sentence of a list, its header's event word and sentence
    opening: tuple[int, Place] | None = None  # (paragraph, place) of a post's opening place name
    text = an.document.text
    links = furniture(text)
    for s in an.sentences:
        para = paragraph_of(text, s.start)
        why = furniture_at(links, s.start)
        if why is not None:
            steps.append(Step(s.index, "skipped", f"not the report: {why}"))
            continue
        head = _opening_place(an, s)
        if head is not None:
            opening = (para, head)
            steps.append(Step(s.index, "skipped", f"a place name alone: {head.name} locates what follows"))
            continue
        if _heading(s.text) or is_aid_sentence(an, s):
            why = "a title in capitals" if _heading(s.text) else "a pledge of aid (an aid record)"
            steps.append(Step(s.index, "skipped", why))
            continue
        alone = last is None or paragraph_of(text, last.sentence.start) != para or s.index - last.sentence.index > 1
        lead = s.index == 0 or paragraph_of(text, an.sentences[s.index - 1].start) != para
        mods = an.of_kind("modality", s.index)
        # "sous la menace d'une offensive", "the threat of a new assault": a feared event, not one that happened;
        # "after months of shelling": a period of them, no one event
        threats = [m for m in mods if m.value in ("threat", "period")]
        # "air raid sirens": a warning; "обломки сбитого дрона повредили дом": the debris of the attack, not an
        # interception of its own
        alerts = [m for m in mods if m.value in ("alert", "debris")]
        # "les attaques de drones se sont multipliées", "обстрілы участились": what has grown more frequent
        trends = [m for m in mods if m.value == "trend"]
        words = an.of_kind("trigger", s.index)
        triggers = [t for t in words
                    if not any(m.start < t.start and _JUST_BEFORE.fullmatch(text, m.end, t.start) for m in threats)
                    and not any(m.start <= t.start and t.end <= m.end for m in alerts)
                    and not any(t.end <= m.start and not re.search(r"[.;:!?]", text[t.end : m.start]) for m in trends)]
        if len(triggers) < len(words) and all(t.value == DESTRUCTION for t in triggers):
            triggers = []  # "la ville a subi d'énormes dégâts après des mois de frappes": the damage of that period
        triggers = triggers or _casualty_triggers(an, s, alone=alone, lead=lead)
        kinds = {m.value for m in mods}
        blocking = [m for m in mods if m.value in BLOCKING and not _describes(text, s, m, triggers)]
        if blocking:
            marks = ", ".join(f"{m.value} ('{m.text}')" for m in blocking)
            steps.append(Step(s.index, "skipped", f"not a fact: {marks}"))
            continue
        roles = Roles(an, s)
        located = [(p, roles.role(p)) for p in roles.places]
        sites = [(p, r) for p, r in located if r in ("location", "near")]
        if not sites:
            # "shelled infantry south-east of Terny (Donetsk)": the event lies near the place it is told from
            sites = [(p, "near") for p, r in located if r == "bearing"][:1]
        if not sites:
            sites = [(p, "location") for p, r in located if r == "qualifier"]
        if not sites:
            # "вибух чули у Харкові": near where it was heard, unless the report places it (see join)
            sites = [(p, r) for p, r in located if r == "heard"][:1]
        for p, r in located:
            if r not in ("location", "near"):
                steps.append(Step(s.index, "slot", f"place '{p.text}' ({p.value.name}) is {'an' if r[0] in 'aeiou' else 'a'} {r}, not an event's place"))
        if not triggers and sites and last is not None and last.sub_event_type in ATTACKS:
            # "У смт Дворічна … осколкове поранення зазнав чоловік" after the shelling of Kolodiazne: people hurt
            # at a place of their own, in a report of strikes, are a strike there of the kind just told
            counts = [c for c in an.of_kind("casualty", s.index) if c.attr("type") in ("killed", "injured") and c.value]
            if counts and all(not _locality_of(p.value, last.place) for p, _ in sites):
                triggers = [Mention("trigger", counts[0].start, counts[0].end, counts[0].text, s.index,
                                    last.sub_event_type, "records:casualties-elsewhere",
                                    (("id", "casualties"), ("weight", 1), ("generic", False)))]
        if not triggers and sites and last is not None and "relocate" in kinds and _finer_than(sites[0][0].value, last.place):
            # "… said the incident occurred in the town of Trubchevsk": where the event just told (in its region)
            # happened
            p, r = sites[0]
            moved = replace(last, place=replace(p.value, geo_precision=2) if r == "near" else p.value, place_mention=p)
            frames[frames.index(last)] = last = moved
            steps.append(Step(s.index, "joined", f"places the event of sentence {last.sentence.index + 1} at "
                                                 f"{p.value.name}"))
            scene = None
            continue
        if "tally" in kinds and not [p for p, r in sites if r in ("location", "near") and p.value.feature not in ADMIN]:
            # "Over the past day the enemy lost over 400 personnel (in the Kharkiv region)": a side's losses, told
            # of no town ("lost 50 soldiers near Kupyansk" is fighting there)
            steps.append(Step(s.index, "skipped", "a count of losses over a period, told of no town"))
            continue
        if not triggers and sites and listing is not None and listing[0] == s.index - 1:
            # "уничтожены восемь беспилотников: / Три БпЛА — над территорией Ростовской области, / Три БпЛА — над
            # Брянской …": each item of a list after a colon is the event its header tells, at the item's place
            triggers = [listing[1]]
            steps.append(Step(s.index, "slot", f"an item of the list that sentence {listing[2] + 1} opens"))
            listing = (s.index, listing[1], listing[2])
        elif triggers and s.text.rstrip().endswith(":"):
            listing = (s.index, max(triggers, key=lambda t: t.attr("weight", 1)), s.index)
        else:
            listing = None
        if not triggers:
            scene = (s.index, sites) if sites else None
            steps.append(Step(s.index, "skipped", "no event word" + (" (its places set the scene)" if sites else "")))
            continue
        weapons = an.of_kind("weapon", s.index)
        nxt = s.index + 1
        if not weapons and nxt < len(an.sentences) and paragraph_of(text, an.sentences[nxt].start) == para:
            # "Explosions in Odesa overnight. Air defence shot down 8 of 10 Shahed drones": the weapon is
            # named in the next sentence of the paragraph
            weapons = an.of_kind("weapon", nxt)
        weapon_names = tuple(dict.fromkeys(w.value for w in weapons))
        hurt = any(c.value for c in an.of_kind("casualty", s.index))  # "no injuries" hurts no one
        told = _told_before(an, s, triggers)
        if not sites and scene is not None and scene[0] == s.index - 1 and "unlocated" not in kinds and not told:
            sites = scene[1]
        scene = None
        if sites:
            for p, r in sites:
                trig = _governing(triggers, p.start, an.document.text)
                place: Place = p.value
                if opening is not None and opening[0] == para and (part_of(place, opening[1]) or _city_district(an, p)):
                    # "Харків. … приліт по Київському району": a district of the city the post opens with
                    place = opening[1]
                elif place.feature == "admin2" and _OF_THE_CITY.match(text, p.end) and (
                        city := _city_before(an, p)) is not None:
                    # "обстрілів Дніпровського району міста" in a report of Kherson: the city's district, not the
                    # raion of that name elsewhere
                    place = city
                if r in ("near", "heard") and place.geo_precision < 2:
                    place = replace(place, geo_precision=2)
                mine = _weapons_of(weapons, trig) if len(sites) > 1 else weapons
                sub = _sub_event(trig, mine, casualties=hurt)
                cause = _cause(an, s, triggers, sub, frames)
                names = tuple(dict.fromkeys(w.value for w in mine)) if len(sites) > 1 else weapon_names
                frame = _Frame(s, trig, cause.sub_event_type if cause else sub, place, p,
                               names or (cause.weapons if cause else ()), cause=cause, heard=r == "heard")
                frames.append(frame)
                steps.append(Step(s.index, "opened", f"{frame.sub_event_type} at {place.name} ({r}, "
                                  f"'{p.text}'), trigger '{trig.text}' [{trig.rule}]"
                                  + (f", the damage of the attack of sentence {cause.sentence.index + 1}" if cause else "")))
                last = frame
            continue
        same_para = last is not None and paragraph_of(text, last.sentence.start) == para
        if not sites and told and last is not None:
            # "Moscou n'a pas commenté cette frappe": the strike already told, not a new one
            steps.append(Step(s.index, "joined", f"points back to the event of sentence {last.sentence.index + 1}"))
            continue
        if _weak(triggers) and not sites and same_para and last is not None and s.index - last.sentence.index == 1:
            # "Пошкоджено будинки, загинула жінка": what the event just reported did, not a new event; its words
            # (what was hit) are the event's evidence too
            frames[frames.index(last)] = last = replace(last, damage=last.damage + (triggers[0],))
            steps.append(Step(s.index, "joined", f"damage the event of sentence {last.sentence.index + 1} did"))
            continue
        trig = max(triggers, key=lambda t: t.attr("weight", 1))
        continues = (
            last is not None
            and s.index - last.sentence.index <= 2
            and "unlocated" not in kinds
            and (
                "anaphora" in kinds
                or any(m.value == "pronouns" and m.start == s.start for m in mods)
                or re.match(r"^\s*[\"«“„]", s.text)
                # the next sentence of the same paragraph, naming no place, goes on about the same one
                or (same_para and s.index - last.sentence.index == 1 and last.place is not None
                    and not located and "roundup" not in kinds)
            )
        )
        city_word = any(m.value == "anaphora" and _CITY_WORD.search(m.text) for m in mods)
        region_word = any(m.value == "anaphora" and _REGION_WORD.search(m.text) for m in mods)
        if continues and city_word and last is not None and (last.place is None or last.place.feature != "settlement"):
            continues = False  # "la ville" is no oblast told before it
        if continues and region_word and _titled(located) is not None:
            continues = False  # "le gouverneur de la région de Zaporijjia … neuf localités de la région": his
        inherited = last.place if continues and last is not None else None
        if inherited is None and opening is not None and opening[0] == para and "unlocated" not in kinds:
            inherited = opening[1]
        if inherited is None and not sites and (city_word or region_word):
            inherited = _titled_city(located) if city_word else _titled(located)
        sub = _sub_event(trig, weapons, casualties=hurt)
        cause = _cause(an, s, triggers, sub, frames)
        if cause is not None and (inherited is None or inherited == cause.place):
            # "Damaged houses, a school. The cinema is destroyed.": what the attack already told did, nowhere else
            steps.append(Step(s.index, "joined", f"damage the attack of sentence {cause.sentence.index + 1} did"))
            continue
        frame = _Frame(s, trig, cause.sub_event_type if cause else sub, inherited, None,
                       weapon_names or (cause.weapons if cause else ()), follows=last if continues else None,
                       cause=cause)
        frames.append(frame)
        how = (f"the place of sentence {last.sentence.index + 1}, which it goes on about" if continues and last
               else "the place the post opens with" if inherited is not None else "no place in the sentence")
        steps.append(Step(s.index, "opened", f"{frame.sub_event_type} at {inherited.name if inherited else 'no place'}"
                          f" ({how}), trigger '{trig.text}' [{trig.rule}]"))
        last = frame
    return frames


def _pick_actors(an: Analysis, f: _Frame, prev: Event | None) -> tuple[str | None, str | None]:
    actors = an.of_kind("actor", f.sentence.index)
    text = an.document.text
    agents = [a for a in actors if a.attr("agent")]
    passive = [a for a in agents if re.search(r"\b(?:by|par|від|со стороны)\s*(?:the\s+)?$", _before(text, a.start, 12), re.I)]
    actor1: Mention | None
    if passive:
        actor1 = passive[0]
    else:
        before = [a for a in agents if a.start <= f.trigger.start]
        actor1 = (before[-1] if before else (agents[0] if agents else None))
    a1 = actor1.value if actor1 else None
    if a1 is None and prev is not None and re.match(r"^\s*(?:elles|ils|they|it|вони|они)\b", f.sentence.text, re.I):
        a1 = prev.actor1
    others = [a.value for a in actors if a.value != a1]
    cas = [c for c in an.of_kind("casualty", f.sentence.index) if c.attr("who") == "civilians" and c.value]
    a2 = others[0] if others else ("Civilians (Ukraine)" if cas else None)
    if f.sub_event_type == "Disrupted weapons use":
        # the side that intercepts acts; the side whose weapon was stopped is the target
        russian = "Military Forces of Russia (2000-)"
        ukrainian = "Military Forces of Ukraine (2019-)"
        if a1 == russian and any(a.value == ukrainian for a in actors) is False:
            return ukrainian, russian
    return a1, a2


def _follow(an: Analysis, f: _Frame, frames: list[_Frame]) -> list[int]:
    """The sentences after ``f``'s that only go on about its event: same paragraph, no other place, no other
    event with victims ("Постраждали четверо людей.", "In Kyiv, 11 people were killed, the mayor said.")."""
    text = an.document.text
    para = paragraph_of(text, f.sentence.start)
    own = {f.place.name} if f.place else set()
    out: list[int] = []
    for j in (f.sentence.index + 1, f.sentence.index + 2):
        if j >= len(an.sentences) or paragraph_of(text, an.sentences[j].start) != para:
            break
        if {m.value for m in an.of_kind("modality", j)} & {"roundup", "unlocated"}:
            break
        # a region that holds the event's place ("Сумська ОВА said"), or a place that only names the speaker
        # ("the head of the Dnipropetrovsk regional military administration"), is no other place
        roles = Roles(an, an.sentences[j])
        if any(p.value.name not in own and not (f.place and inside(f.place, p.value))
               and roles.role(p) in ("location", "near") for p in roles.places):
            break
        if any(g.sentence.index == j and g.sub_event_type not in NO_CASUALTIES for g in frames):
            break
        out.append(j)
    return out


def _casualties(
    an: Analysis, f: _Frame, frames: list[_Frame]
) -> tuple[int | None, int | None, bool, list[Mention]]:
    # the slot choice is :func:`sitrep.stages.tolls.toll`'s
    same = [g for g in frames if g.sentence.index == f.sentence.index]
    takers = [g for g in same if g.sub_event_type not in NO_CASUALTIES]
    takes = f.sub_event_type not in NO_CASUALTIES
    t = toll(an, f.sentence.index, place=f.place, place_mention=f.place_mention,
             siblings=[g.place_mention for g in same], sole=takes and takers == [f], takes=takes,
             follow=lambda: _follow(an, f, frames), framed={g.sentence.index for g in frames})
    return t.killed, t.injured, t.lower_bound, list(t.counted)


def _when(an: Analysis, f: _Frame, carried: dict[int, When], done: dict[int, When] | None = None) -> When:
    dates = an.of_kind("date", f.sentence.index)
    para = paragraph_of(an.document.text, f.sentence.start)
    if not dates and f.follows is not None and done is not None and id(f.follows) in done:
        return done[id(f.follows)]
    if dates:
        d = min(dates, key=lambda m: abs(m.start - f.trigger.start))
        carried[para] = d.value
        return d.value
    if para in carried:
        return carried[para]
    report = an.document.date
    when = default_when(report)
    if report and len(report) == 10:
        return When(report, 2)
    return when


def _history(when: When, report: str | None) -> bool:
    """Whether an event is dated months before its report ("la ville avait été libérée en novembre dernier",
    "Russia annexed Crimea in March 2014"): history the report recalls, not news it reports."""
    if not when.value or not report:
        return False

    def months(date: str, default: int) -> int:
        return int(date[:4]) * 12 + (int(date[5:7]) if len(date) >= 7 else default)

    return months(report, 1) - months(when.value, 12) > HISTORY_MONTHS


def _evidence(f: _Frame, sentences: Sequence[Sentence]) -> tuple[Evidence, ...]:
    told = [(f.sentence, f.trigger), *((sentences[m.sentence], m) for m in f.damage)]
    return tuple(Evidence(sentence=s.text, start=m.start, end=m.end, trigger=m.text, rule=m.rule) for s, m in told)


def events(an: Analysis, steps: list[Step] | None = None) -> list[Event]:
    steps = [] if steps is None else steps
    frames = _frames(an, steps)
    text = an.document.text
    first_para = paragraph_of(text, an.sentences[0].start) if an.sentences else 0
    tellings: list[Telling] = []
    carried: dict[int, When] = {}
    done: dict[int, When] = {}
    out: list[Event] = []
    prev: Event | None = None
    built: dict[int, Event] = {}
    # a report with no date of its own was written on the last day it names, or later
    reported = an.document.date or max((d.value.value for d in an.of_kind("date")
                                        if d.value.value and len(d.value.value) == 10), default=None)
    for f in frames:
        a1, a2 = _pick_actors(an, f, prev)
        if f.cause is not None and id(f.cause) in built:
            # the damage an attack did: the attack's parties, unless the sentence names its own
            cause = built[id(f.cause)]
            a1, a2 = a1 or cause.actor1, a2 or cause.actor2
        killed, injured, lower, counted = _casualties(an, f, frames)
        when = _when(an, f, carried, done)
        done[id(f)] = when
        if _history(when, reported) and not any(
                not _history(d.value, reported) for d in an.of_kind("date", f.sentence.index) if d.value.value):
            # "Russia annexed Crimea in March 2014": background, not what the report reports (unless the sentence
            # also gives a recent date)
            steps.append(Step(f.sentence.index, "skipped",
                              f"dated {when.value}, over {HISTORY_MONTHS} months before the report"
                              + ("" if an.document.date else f" (written on {reported} or later, the last day it names)")))
            continue
        claims = claims_for(an, f.sentence, _follow(an, f, frames))
        modality = "claimed" if claims and claims[0].claimant else "asserted"
        denial = [m for m in an.of_kind("modality", f.sentence.index) if m.value == "denial"]
        if denial and f.place_mention is None and prev is not None and f.follows is not None:
            # "Командование ВСУ эти сведения опровергает: …": the denial disputes the event just reported
            out[-1] = prev = replace(prev, claims=disputed(an, f.sentence, denial[0], prev.claims),
                                     modality="disputed", evidence=prev.evidence + _evidence(f, an.sentences))
            steps.append(Step(f.sentence.index, "joined", "a denial of the event just told: disputed"))
            continue
        if denial:
            # one side says it happened, the other denies it: both claims kept, each with its own standing
            claims, modality = disputed(an, f.sentence, denial[0], claims), "disputed"
        if not any(c.claimant for c in claims) and f.place_mention is not None and f.place_mention.sentence != f.sentence.index:
            # the sentence that set the scene said who tells it
            claims = claims_for(an, an.sentences[f.place_mention.sentence]) or claims
        conf = 0.45 + 0.05 * min(int(f.trigger.attr("weight", 1)), 6)
        if f.place_mention is not None:
            conf *= 0.6 + 0.4 * float(f.place_mention.attr("confidence", 0.8))
        else:
            conf *= 0.6
        if any(c.verification == "unverified" for c in claims):
            conf *= 0.8
        ev = Event(
            doc_id=an.document.doc_id,
            event_type=SUB_TO_TYPE[f.sub_event_type],
            sub_event_type=f.sub_event_type,
            event_date=when.value or None,
            time_precision=when.precision if when.value else None,
            actor1=a1,
            actor2=a2,
            location=f.place,
            fatalities=killed,
            injured=injured,
            fatalities_lower_bound=lower,
            claims=claims,
            evidence=_evidence(f, an.sentences),
            weapons=f.weapons,
            modality=modality,
            confidence=round(min(conf, 0.99), 3),
        )
        out.append(ev)
        para = paragraph_of(text, f.sentence.start)
        lead = f.sentence.index == 0 or (para == first_para and f.sentence.index == next(
            s.index for s in an.sentences if paragraph_of(text, s.start) == para))
        unlocated = any(m.value == "unlocated" for m in an.of_kind("modality", f.sentence.index))
        # a generic word with no weapon ("під обстрілами", "attack"), or a headline or lead that names no weapon
        # and gives no figures ("Ворожбянська та Великописарівська громади опинилися під обстрілами"): it
        # announces what the body tells in detail
        generic = not f.weapons and (bool(f.trigger.attr("generic")) or (lead and killed is None and injured is None))
        some_village = f.place is not None and f.place.feature in ("admin1", "admin2") and any(
            m.value == "some_village" for m in an.of_kind("modality", f.sentence.index))
        tellings.append(Telling(f.sentence.index, para, lead, unlocated, generic, heard=f.heard,
                                some_village=some_village))
        for m in counted:
            steps.append(Step(f.sentence.index, "slot", f"{m.attr('type')} {m.value} from '{m.text}' "
                              f"(sentence {m.sentence + 1}) [{m.rule}]"))
        for cl in claims[:1]:
            if cl.claimant or cl.claimant_role:
                steps.append(Step(f.sentence.index, "slot", f"claimant {cl.claimant or cl.claimant_role}"
                                  + (f" ({cl.claimant_role})" if cl.claimant and cl.claimant_role else "")
                                  + (f", via {cl.channel}" if cl.channel else "")))
        built[id(f)] = ev
        prev = ev
    joined, why = join(out, tellings)
    steps += why
    return [e.with_(notes=notes(e)) for e in _merge(joined)]


def _key(e: Event) -> tuple[object, ...]:
    loc = (e.location.name, e.location.geo_precision) if e.location else (None, e.claims[0].claimant if e.claims else None)
    return (e.sub_event_type, loc, e.event_date)


def _merge(evs: list[Event]) -> list[Event]:
    """Events of one key (type, place, date; with no place, the claimant) as one, every telling kept."""
    merged: dict[tuple[object, ...], Event] = {}
    for e in evs:
        k = _key(e)
        merged[k] = absorb(merged[k], e) if k in merged else e
    return list(merged.values())


def _province_named(gazetteer: Gazetteer, a: Mention, lang: str) -> Place | None:
    """The province a written name stands for ("Mykolaïv" in a list of oblasts), by the name as written
    first, then by the province of the place the gazetteer chose."""
    if re.search(r"[а-яёіїєґ]", a.text, re.I):
        # "Брянской и Курской областей": the adjective with the noun, in the case it is written in
        queries = [(f"{a.text} {noun}", lang) for noun in ("области", "області", "область", "oblast")]
    else:
        admin1 = a.value.admin1 or ""
        queries = [(f"{a.text} oblast", lang),
                   (admin1 if admin1.endswith((" Oblast", " Krai", " Republic")) else f"{admin1} Oblast", "en")]
    for query, qlang in queries:
        found = next((c for c in gazetteer.lookup(query, lang=qlang, limit=3) if c.feature == "admin1"), None)
        if found is not None:
            return found
    return None


# between a place and the province that locates it: "Hryhorivka, Donetsk", "Pokrovsk (Donetsk)", "Отрадное в
# Харьковской области", "Vidradne in the Kharkiv region", "Otradne, dans la région de Kharkiv"
_PROVINCE_AFTER = re.compile(r"\s*[,(]\s*|\s*,?\s+(?:в|во|у|in|dans|en|на территории|на території|on the territory of)\s+"
                             r"(?:the\s+|la\s+|le\s+)?"
                             # "в селе Дунайка Грайворонского городского округа Белгородской области"
                             r"|\s+[\w'’-]+(?:ого|ой|ього)\s+(?:городского\s+|муниципального\s+|міської\s+|сільської\s+)?"
                             r"(?:округа|района|району|громади|громады)\s+", re.I)
_KNOWN_TOWN = 20_000  # a town this large is known by its name, wherever the text says it lies
_THAT_OF = re.compile(r"(?<![\w-])(?:celle|celles)\s+d(?:e\s+|['’])$|(?<![\w-])(?:that|those)\s+of\s+$", re.I)
_REGION_BEFORE = re.compile(r"(?<![\w-])(?:régions?|regions?|oblasts?|provinces?)\s", re.I)
_PLACES_OF = re.compile(r"\s+(?:villages|towns|settlements|communities|cities|hamlets|frontline|front-line|border)\b")
# a word, then a capitalised name and a comma right before the place: "near Lastochkyne, Donetsk"
_UNKNOWN_BEFORE = re.compile(r"(?<![\w'’-])[a-zа-яіїєґёàéè]+\s+([A-ZА-ЯІЇЄҐЁ][\w'’-]+(?:[ -][A-ZА-ЯІЇЄҐЁ][\w'’-]+)?)"
                             r"\s*,\s*$")


def _at_province(province: Place, name: str, how: str) -> Place:
    """A village the index cannot place, kept under its name at the province the text names (precision 3)."""
    return replace(province, name=name, feature="settlement", geo_precision=3,
                   source=f"{how} {province.name} ({province.source})")


def reanchor(an: Analysis, gazetteer: Gazetteer) -> Analysis:
    """Re-resolve "Hryhorivka, Donetsk" inside the province named after it when the gazetteer chose another one.

    The province written right after a place (ACLED's "Place, Province", a wire's "Pokrovsk (Donetsk)") is
    the strongest hint there is; a candidate of the same name in that province replaces the first choice.
    """
    text = an.document.text
    places = an.of_kind("place")
    changed: dict[int, Mention | None] = {}
    for a, b in zip(places, places[1:], strict=False):
        if not _PROVINCE_AFTER.fullmatch(text, a.end, b.start):
            continue
        pa: Place = a.value
        pb: Place = b.value
        province = pb.admin1 if pb.feature == "admin1" or same_stem(b.text, pb.admin1 or "") else None
        if not province or pa.feature in ADMIN | {"country"} or pa.admin1 == province:
            continue
        if same_stem(a.text, pa.admin1 or ""):
            continue  # a list of provincial capitals
        better = next((c for c in gazetteer.lookup(a.text, lang=an.lang, limit=25)
                       if c.admin1 == province and c.feature not in ADMIN | {"country"}), None)
        if better is not None:
            changed[id(a)] = replace(a, value=better, rule=a.rule + "+province")
        elif pb.feature == "admin1" and pa.population < _KNOWN_TOWN:
            # "освободили населенный пункт Отрадное в Харьковской области" with no Otradne of that oblast in the
            # index: the village keeps its name, placed at the province named (precision 3), not at a namesake
            # of another oblast
            village = _at_province(pb, a.text, "no namesake in the province named: placed at")
            changed[id(a)] = replace(a, value=village, rule=a.rule + "+province-of-unknown")
    # "shelled near Lastochkyne, Donetsk" with Lastochkyne unknown to the index: the name after the comma is the
    # province that locates it (ACLED's "Place, Province"), not the city of that name; the village keeps its
    # name, placed at its province (precision 3)
    for b in places:
        pb = b.value
        if pb.feature != "settlement" or id(b) in changed or not same_stem(b.text, pb.admin1 or ""):
            continue
        before = _UNKNOWN_BEFORE.search(text, max(0, b.start - 40), b.start)
        if before is None or any(p.start < before.end(1) and before.start(1) < p.end for p in places):
            continue
        oblast = _province_named(gazetteer, b, an.lang)
        if oblast is not None:
            village = _at_province(oblast, before.group(1), "not in the index: placed at its province,")
            changed[id(b)] = replace(b, value=village, rule=b.rule + "+province-of-unknown")
    # "dans la région de Dnipropetrovsk et une autre dans celle de Donetsk": the pronoun stands for the region
    for a in places:
        if a.value.feature in ADMIN | {"country"} or id(a) in changed:
            continue
        if _THAT_OF.search(text, max(0, a.start - 14), a.start) and _REGION_BEFORE.search(
                text, max(0, a.start - 200), a.start):
            oblast = _province_named(gazetteer, a, an.lang)
            if oblast is not None:
                changed[id(a)] = replace(a, value=oblast, rule=a.rule + "+that-of-region")
    # "two other Dnipropetrovsk villages", "Donetsk towns": a province's name as the adjective of its places
    for a in places:
        if a.value.feature in ADMIN | {"country"} or id(a) in changed or not _PLACES_OF.match(text, a.end):
            continue
        oblast = _province_named(gazetteer, a, an.lang)
        if oblast is not None and same_stem(a.text, oblast.admin1 or ""):
            changed[id(a)] = replace(a, value=oblast, rule=a.rule + "+places-of-province")
    # "les régions de Kharkiv et de Luhansk", "Kharkiv and Luhansk regions": the names are provinces
    # "les oblasts de Donetsk, Kherson, Kharkiv et Louhansk": every name of the list that follows (a word may
    # stand before a name: "northeastern Kharkiv and western Khmelnytskyi regions")
    for mark in (m for m in an.of_kind("modality") if m.value in ("provinces", "province_list")):
        end = mark.end + 3
        for a in places:
            if not mark.start <= a.start <= end:
                continue
            end = a.end + 1  # the list goes on through names joined by commas and "et", "and", "і", "и"
            nxt = next((b for b in places if b.start > a.end), None)
            if nxt is not None and re.fullmatch(r"\s*(?:,|et|and|і|та|и)?\s*(?:(?:et|and) )?(?:de |d['’])?(?:[a-zà-ÿ][\w-]* )?", text[a.end : nxt.start]):
                end = nxt.start
            if a.value.feature in ADMIN | {"country"}:
                continue
            oblast = _province_named(gazetteer, a, an.lang)
            if oblast is not None:
                changed[id(a)] = replace(a, value=oblast, rule=a.rule + "+provinces")
    added = _raions(an, gazetteer, changed) + hromadas(an, gazetteer, changed)
    if not changed and not added:
        return an
    kept = (changed.get(id(m), m) for m in an.mentions)
    mentions = [m for m in kept if m is not None] + added
    return replace(an, mentions=tuple(sorted(mentions, key=lambda m: (m.start, m.end, m.kind))))


# "у Харківському, Куп'янському та Чугуївському районах", "Донецької та Харківської областей": adjectives
# naming raions or oblasts, alone or in a list, with the noun written once after them
_ADJ_LIST = r"((?:[А-ЯІЇЄҐЁ][\w'’-]+(?:,\s*|,?\s+(?:та|і|й|и)\s+))*[А-ЯІЇЄҐЁ][\w'’-]+)\s+"
_UNIT_LISTS = (
    (re.compile(_ADJ_LIST + r"район(?:ах|ів|і|у|ом|а|е|ы|ам|)(?![\w])"),
     re.compile(r"(?:ому|ого|ім|им|ій|ий|ої|ом|ой|ый|ая|ом|ому)$"), "ий", "район", "admin2", "raion"),
    (re.compile(_ADJ_LIST + r"област(?:ях|ей|ям|ями|і|ь|ю)(?![\w])"),
     re.compile(r"(?:ої|ій|ою|у|а|ая|ой|ую)$"), "а", "область", "admin1", "oblast"),
)


def _raions(an: Analysis, gazetteer: Gazetteer, changed: dict[int, Mention | None]) -> list[Mention]:
    """Raions and oblasts named by their adjective: the place mention over each adjective becomes the raion
    (precision 2) or oblast, or a mention is added where the gazetteer found no place in it. An adjective
    that names no such unit is left as it was."""
    text = an.document.text
    places = an.of_kind("place")
    added: list[Mention] = []
    for pattern, ending, base_end, noun, feature, rule in _UNIT_LISTS:
        for m in pattern.finditer(text):
            for adj in re.finditer(r"[А-ЯІЇЄҐЁ][\w'’-]+", m.group(1)):
                start, end = m.start(1) + adj.start(), m.start(1) + adj.end()
                base = ending.sub(base_end, adj.group(0))
                unit = next((p for p in gazetteer.lookup(f"{base} {noun}", limit=3) if p.feature == feature), None)
                if unit is None:
                    continue
                over = next((p for p in places if p.start < end and start < p.end), None)
                if over is not None and over.value.feature == feature:
                    continue
                sentence = next((s.index for s in an.sentences if s.start <= start < s.end), 0)
                mention = Mention("place", start, end, adj.group(0), sentence, unit, f"gazetteer:{rule}",
                                  (("confidence", 0.8), ("alternatives", 1), ("feature", feature)))
                if over is not None:
                    changed[id(over)] = replace(mention, start=over.start, end=over.end, text=over.text)
                else:
                    added.append(mention)
    return added


class Records:
    name: ClassVar[str] = "records"
    requires: ClassVar[tuple[str, ...]] = (
        "triggers", "weapons", "modality", "places", "dates", "casualties", "money", "claims", "actors", "states",
    )
    assigns: ClassVar[tuple[str, ...]] = ("records",)

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gaz = gazetteer

    def __call__(self, analysis: Analysis) -> Analysis:
        analysis = reanchor(analysis, self._gaz or Gazetteer.default())
        steps: list[Step] = []
        records: list[Record] = [*events(analysis, steps), *aid(analysis)]
        return replace(analysis, records=tuple(records), trace=tuple(steps))
