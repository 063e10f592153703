"""Place roles: what each place named in a sentence is doing there.

A place is an event *location* unless its sentence shows it is something else:

- *qualifier*: a region that contains another place named in the sentence ("Bakhmut dans la province de
  Donetsk"), a province written after its place ("Vovchansk, Kharkiv"), a district named with its city;
- *reference*: a place used to locate another ("Makariv near Kyiv", a river bank), one that qualifies a
  person ("Kreminna's mayor"), or where people were taken ("deported from Kherson to Crimea");
- *bearing*: a place the event lies some way from ("Pokrovsk, au sud-ouest de Bakhmut", "20 km from Kherson"):
  a reference when another place of the sentence locates the event, else the event is near it (precision 2);
- *objective*: a place named only as a possible target;
- *venue*: where a statement was made ("after a meeting in Brussels", "In Kyiv, the president said …");
- *metonymy* and *speaker*: a capital standing for its government ("Kyiv said", "selon Kiev", "les troupes de
  Moscou": a national capital is a place only after a place preposition or right by an event word), a body
  named after its place;
- *name*: a place name that is a name in quotation marks («Ukrainska Pravda», the group "Dnipro");
- *near*: "près de Bakhmut", "near Bakhmut" — the event is at the place with ``geo_precision`` 2;
- *origin*: where a weapon fired from afar came from ("drones launched from Crimea", "з боку Бєлгорода");
- *heard*: where an explosion was heard ("вибух чули у Харкові"): the event is near it, told at it only when
  the report places the event nowhere else;
- *country*: a country is never an event location.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sitrep import lang as langdata
from sitrep.gazetteer.match import DISTRICT
from sitrep.geo import place_km as km
from sitrep.model import Analysis, Mention, Place, Sentence
from sitrep.stages.claims import lexicon as claims_lexicon

ADMIN = frozenset({"admin1", "admin2", "hromada", "region"})
# fighting a capital wages rather than suffers: "la contre-offensive de Kiev" is Kyiv's
_CAMPAIGNS = frozenset({"Armed clash", "Government regains territory", "Non-state actor overtakes territory"})
REMOTE = frozenset({"Shelling/artillery/missile attack", "Air/drone strike", "Disrupted weapons use"})


@dataclass(frozen=True)
class _Lexicon:
    """The patterns place roles read from a language's data, compiled once."""

    verb: re.Pattern[str] | None  # a reporting verb anywhere
    verb_next: re.Pattern[str] | None  # a reporting verb right after a place ("Kyiv said")
    speaker_after: re.Pattern[str] | None  # a body named after its place ("Zaporizhzhia regional administration")
    locative: re.Pattern[str] | None  # a place preposition right before a name ("à Kiev", "over Moscow")
    possessor: re.Pattern[str] | None  # a capital's institution or its word as a source ("les troupes de", "selon")
    part: re.Pattern[str] | None  # a part of a city right before it ("the centre of Kyiv", "районі Києва")
    district_of: re.Pattern[str] | None  # "… district of", "… районі": a city district named before its city


@cache
def _lexicon(lang: str) -> _Lexicon:
    verbs = "|".join(langdata.load(lang, "claims").get("verbs", []))
    after = "|".join(langdata.load(lang, "modality").get("speaker_after", []))
    preps = "|".join(sorted(langdata.load(lang, "places").get("locative", []), key=len, reverse=True))
    owners = "|".join([*langdata.load(lang, "places").get("possessor", []),
                       *langdata.load(lang, "places").get("according", [])])
    parts = "|".join(langdata.load(lang, "places").get("part", []))
    districts = "|".join(langdata.load(lang, "modality").get("city_district", []))
    return _Lexicon(
        verb=langdata.pattern(lang, "claims", verbs) if verbs else None,
        # on the place's own line: a headline's last word is not the speaker of the line under it
        verb_next=re.compile(rf"^[^\S\n]+(?:{verbs})", re.I) if verbs else None,
        speaker_after=re.compile(rf"^[^\S\n]+(?:{after})(?![\w])", re.I) if after else None,
        # two words may stand between: "in central Kyiv", "у центрі Києва", "in one of Kyiv's districts"
        locative=re.compile(rf"(?<![\w-])(?:{preps})[\s'’]+(?:\w+\s+){{0,2}}$", re.I) if preps else None,
        possessor=re.compile(rf"(?<![\w-])(?:{owners})\s+(?:(?:de|of|d)[\s'’]+)?$", re.I) if owners else None,
        part=re.compile(rf"(?<![\w-])(?:{parts})\s+(?:(?:de|du|of|d)[\s'’]+)?(?:(?:the|la)\s+)?$", re.I)
        if parts else None,
        district_of=re.compile(
            rf"\s+(?:{districts})\s+(?:(?:of|de|du|d['’])\s*)?(?:(?:the|la)\s+)?(?:(?:city|ville)\s+(?:of|de)\s+)?", re.I
        ) if districts else None,
    )


# the gaps between two places that make the second qualify the first, searched in place (no slice copied)
_APPOSED = re.compile(r"\s*[,(]\s*")
_LISTED = re.compile(r"\s*(?:,|,?\s+(?:and|et|і|и|та))\s*")
# a place that makes an adjective of the word after it: "Washington-based", "Moscow-installed", "Kyiv-backed"
_COMPOUND_AFTER = re.compile(r"-(?:based|backed|installed|appointed|controlled|held|allied|leaning|friendly|born|made|"
                             r"led|run|funded|aligned)\b", re.I)
_DASH = re.compile(r"\s*[-–]\s*")
_DISTRICT_NEXT = re.compile(r"\s+(?:district|raion|neighbou?rhood|quarter)\b", re.I)
_DISTRICT_END = re.compile(r"\s(?:district|raion|neighbou?rhood|quarter)$", re.I)
_POSSESSIVE = re.compile(r"['’]s\s+")
# the building of a body named after its place: the body is the target, and its place where the event was
_BUILDING_OF = re.compile(r"(?:здани\w*|будівл\w*|будинок|будинку|приміщенн\w*|помещени\w*|building(?:\s+of)?|"
                          r"headquarters(?:\s+of)?|offices?\s+of|bâtiment(?:\s+de)?|siège(?:\s+de)?)\s+"
                          r"(?:the\s+|de\s+la\s+|du\s+|de\s+l['’]|des\s+)?$", re.I)
_BODY_END = re.compile(r"\s(?:ОВА|ОДА|ОГА)$")  # "Сумська ОВА": the oblast's administration
_IN = re.compile(r"\s+(?:in|у|в|во|dans|à)\s+(?:the\s+)?", re.I)
# a place described after a comma by a few words that end on a bigger place: "Odessa, ville portuaire de la mer
# Noire", "Mariupol, a port on the Sea of Azov", "Енергодар, місто на березі Каховського водосховища"
_DESCRIPTION = re.compile(r"\s*,\s*(?:[^\W\d_][\w'’-]*\s+){1,5}")
# "the Black Sea port of Odesa", "the Azov Sea city of Berdiansk": a sea or a region naming the kind of a town
_KIND_OF = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:port|city|town|resort|coast|harbou?r)\s+(?:city\s+|town\s+)?of\s", re.I)
_CITY = 200_000  # a city with districts and suburbs


class Roles:
    """Decides what each place mention is doing in its sentence."""

    def __init__(self, an: Analysis, s: Sentence) -> None:
        self.an = an
        self.s = s
        self.mods = an.of_kind("modality", s.index)
        # a lone word the Russian model calls a person where the gazetteer knows a place ("освободить Новоивановку")
        # is the place
        persons = [q for q in an.of_kind("person", s.index)
                   if not (q.rule == "natasha" and " " not in q.text.strip()
                           and any((p.start, p.end) == (q.start, q.end) for p in an.of_kind("place", s.index)))]
        names = [*an.of_kind("state", s.index), *an.of_kind("actor", s.index)]
        # a place name inside a personal name ("Hanna Malyar", "Lloyd Austin") is not a place, nor one inside
        # a longer name of a state or a party ("European Union", "la défense antiaérienne")
        surnames = _surnames(an)
        self.places = [
            p for p in an.of_kind("place", s.index)
            if not any(q.start <= p.start and p.end <= q.end for q in persons)
            and not (surnames and p.value.population < _TOWN and _surname(p.text, surnames))
            and not any(q.start < p.end and p.start < q.end and q.end - q.start > p.end - p.start for q in names)
        ]
        self.cities = {o.value for o in self.places if o.value.population >= _CITY}  # each city once
        lex = _lexicon(s.lang or an.lang)
        self.speaker_after = lex.speaker_after
        self.locative = lex.locative
        self.possessor = lex.possessor
        self.part = lex.part
        self.district_of = lex.district_of
        self.triggers = an.of_kind("trigger", s.index)
        # a weapon fired from afar has a launch site ("from Crimea"); a unit that pushed the enemy out of a
        # village ("вибили з Андріївки") was there
        self.remote = bool(self.triggers) and all(t.value in REMOTE for t in self.triggers)
        # "Kyiv said", "Moscou a déclaré": the place is the speaker (no comma: ", a-t-il ajouté" is not)
        self.verb = lex.verb_next
        # "In Kyiv, President Zelenskiy said (that) …", "officials in Washington have described …": a place
        # before the reporting verb, with every trigger after it, is where the statement was made
        saying = lex.verb.search(s.text) if lex.verb is not None else None
        triggers = an.of_kind("trigger", s.index)
        self.statement_at = (
            s.start + saying.start()
            if saying is not None and triggers and all(t.start >= s.start + saying.end() for t in triggers)
            and not any(m.value == "anaphora" and m.start >= s.start + saying.end() for m in self.mods)
            else None
        )

    def _dateline(self, place: Mention) -> bool:
        """The dateline of a wire report, where it was filed: the capitalised place that opens the report,
        with the agency after it ("KYIV (Reuters) —"), or followed by a colon or a dash when the sentence
        names another place ("KYIV: Russian shelling killed three civilians in Kherson"). A post that opens
        "ZAPORIJJIA — Deux missiles …" with no other place is located there."""
        text = self.an.document.text
        line = text.rfind("\n", 0, place.start) + 1
        if place.start - line > 12:
            return False
        lead = re.sub(r"[\W_]+", "", text[line : place.start])  # only spaces, quotes or emoji before it
        # "KYIV (Reuters) —", "JAKARTA - …", "KYIV, 5 mars (Reuters) -", "Kyiv, March 5 (AP) —"
        m = re.match(r"(?:,[^\n,()]{1,25}?)?\s*(\([^)]{1,30}\))?\s*[:—–-]\s", text[place.end : place.end + 60])
        if lead or m is None:
            return False
        if not (place.text.isupper() or m.group(1)):
            # "Kyiv: Russia has captured two villages in … Dnipropetrovsk region": a city and a colon opening a
            # line that goes on to another place
            return text.startswith(":", place.end) and any(
                o is not place and o.value.feature != "country" for o in self.places)
        return bool(m.group(1)) or line > 0 or any(o is not place for o in self.places)

    def _marker(self, place: Mention, kinds: Iterable[str], gap: int, *, first: bool = False) -> Mention | None:
        """A marker of one of ``kinds`` shortly before the place, in its clause; with ``first``, only when no
        other place stands between them ("depuis Moscou" governs Moscou, not a place named after it)."""
        for m in self.mods:
            # a marker may end inside the place's own head words: "la police de la région de" + "région de Kharkiv"
            if m.value in kinds and m.start < place.start and m.end <= place.end and place.start - m.end <= gap:
                between = self.an.document.text[m.end : place.start]
                if re.search(r"[.;:!?]", between):
                    continue
                if first and any(m.end <= o.start and o.end <= place.start for o in self.places):
                    continue
                return m
        return None

    def _apposed(self, place: Mention) -> bool:
        """"Vovchansk, Kharkiv", "Makiivka (Donetsk)": a name right after a place that names its province."""
        text = self.an.document.text
        p: Place = place.value
        names_province = bool(p.admin1) and same_stem(place.text, p.admin1 or "")
        for o in self.places:
            if o.end <= place.start and _APPOSED.fullmatch(text, o.end, place.start):
                q: Place = o.value
                if q.feature in ADMIN | {"country"} or not q.admin1:
                    continue
                if same_stem(place.text, q.admin1):
                    return True
                # "Hryhorivka, Donetsk" even when the gazetteer put Hryhorivka elsewhere; but not a list of
                # cities ("Kharkiv, Kherson and Zaporizhzhia")
                listed = same_stem(o.text, q.admin1) or any(
                    r.start > place.end and _LISTED.fullmatch(text, place.end, r.start)
                    for r in self.places
                )
                if names_province and not listed:
                    return True
        return False

    def _describes(self, place: Mention) -> bool:
        """Whether a sea, a region or a province only describes a town named beside it ("Odessa, ville portuaire
        de la mer Noire", "the Black Sea port of Odesa"), with no event word between them."""
        p: Place = place.value
        text = self.an.document.text
        for o in self.places:
            q: Place = o.value
            if q.feature != "settlement" or not (p.feature == "region" or (p.feature in ADMIN and inside(q, p))):
                continue
            lo, hi = (o.end, place.start) if o.end <= place.start else (place.end, o.start)
            if any(lo <= t.start < hi for t in self.triggers):
                continue
            if o.end <= place.start and _DESCRIPTION.fullmatch(text, lo, hi):
                return True
            if place.end <= o.start and _KIND_OF.fullmatch(text, lo, hi):
                return True
        return False

    def role(self, place: Mention) -> str:
        p: Place = place.value
        text = self.an.document.text
        if p.feature == "country":
            return "country"
        if self._dateline(place):
            return "venue"  # "KYIV (Reuters) —", "KYIV: … in Kherson": where the report was filed
        if re.search(r"(?<![\w-])(?:pro|anti)-$", text[max(0, place.start - 5) : place.start], re.I):
            return "reference"  # "pro-Moscow units", "anti-Kremlin"
        if _COMPOUND_AFTER.match(text, place.end):
            return "reference"  # "the Washington-based think tank", "Moscow-installed officials", "Kyiv-backed"
        if re.match(r"\s+[Rr]iver\b", text[place.end : place.end + 7]):
            return "reference"  # "the Dnipro River": the river, not the city
        if _river(text, place):
            return "reference"  # "через річку Десна", "на реке Донец": the river, not the village
        if _quoted_name(text, place):
            return "name"
        if self.remote and self._marker(place, ("origin",), 3):
            return "origin"  # "drones launched from Crimea", "обстріл з боку Бєлгорода": where the weapon came from
        if self._marker(place, ("objectives",), 45):
            return "objective"
        if self._marker(place, ("venue",), 40, first=True):
            return "venue"
        if self._marker(place, ("reference",), 25):
            return "reference"
        if self._marker(place, ("resident",), 3) and any(
                o is not place and o.value.feature != "country" and not self._marker(o, ("resident",), 3)
                for o in self.places):
            return "reference"  # "killing a resident of Kherson" near Beryslav: where the victim lived
        if self._marker(place, ("bearing",), 25):
            return "bearing"
        if self._marker(place, ("destination",), 25):
            return "reference"  # "relocated patients in Hola Prystan to Henichesk": where they were taken
        if self._marker(place, ("heard",), 3):
            return "heard"  # "explosions were heard in Kharkiv": where it was heard, near where it happened
        if self.statement_at is not None and place.end <= self.statement_at:
            return "venue"
        if self._in_direction(place):
            return "reference"
        if self.verb is not None and self.verb.match(text[place.end : place.end + 30]):
            return "metonymy"
        if self.verb is not None and p.name in capitals() and any(
                o.start > place.end and _LISTED.fullmatch(text, place.end, o.start) and o.value.name in capitals()
                and self.verb.match(text[o.end : o.end + 30]) for o in self.places):
            return "metonymy"  # "Kyiv et Moscou affirment", "Kyiv and Moscow accuse each other": both capitals speak
        if self._marker(place, ("metonymy",), 5) or (
                (names_body(self.an, place, self.s) or _BODY_END.search(place.text))
                and not _BUILDING_OF.search(text, max(0, place.start - 30), place.start)):
            return "metonymy"  # "Сумська ОВА повідомила"; but "ракета влучила в здание Николаевской ОВА" hit it
        # "the Zaporizhzhia regional administration said", "l'administration militaire de la région de Donetsk"
        if self.speaker_after is not None and self.speaker_after.match(text[place.end : place.end + 50]):
            return "speaker"
        if self._marker(place, ("speaker",), 3) and not self._marker(place, ("near",), 3):
            return "speaker"
        if p.feature in ADMIN and any(
            o is not place and (o.value.feature not in ADMIN | {"country"} or _finer(o.value, p)) and inside(o.value, p)
            for o in self.places
        ):
            return "qualifier"  # "Bakhmut, Donetsk oblast"; "Покровський район Донеччини": the raion locates
        if self._apposed(place) or self._describes(place) or self._raion_by_centre(place):
            return "qualifier"
        if (_DISTRICT_NEXT.match(text, place.end) or _DISTRICT_END.search(place.text)) and any(
                o.end <= place.start and _POSSESSIVE.fullmatch(text, o.end, place.start) for o in self.places):
            return "qualifier"  # "the city of Kharkiv's Kyivskyi district": a district of the city named before it
        near = self._marker(place, ("near",), 30)
        if near is not None and self._after_place(near):
            # "Makariv, near Kyiv", "в місті Макарів під Києвом": the second place locates the first
            return "reference"
        if (self._part_of_bigger(place) or self._district_after_city(place) or self._city_before_district(place)
                or self._district_before_city(place)):
            return "qualifier"
        if re.match(r"['’]s\b", text[place.end : place.end + 3]) and not _POSSESSED_SITE.match(text, place.end):
            return "reference"  # "Kreminna's mayor", "Kharkiv's governor": the place qualifies a person or a body
        if p.name in capitals() and p.feature == "settlement" and self._government(place):
            return "metonymy"  # "selon Kiev", "les troupes de Moscou", "Kyiv now has footholds in …"
        if near is not None:
            return "near"
        return "location"

    def _government(self, place: Mention) -> bool:
        """Whether a capital stands for its government: named as a source or an owner ("selon Kiev", "les
        troupes de Moscou"), or named without a place preposition or an event word by it while another place of
        the sentence is where things happen. A capital that is the only place of its sentence stays a place."""
        text = self.an.document.text
        before = text[max(self.s.start, place.start - 30) : place.start]
        if self.possessor is not None and self.possessor.search(before):
            return True
        if self._governed(place):
            return False
        return any(
            o is not place and o.value.feature != "country" and o.value.name not in capitals()
            for o in self.places
        )

    def _governed(self, place: Mention) -> bool:
        """Whether a place is named as a place: after a place preposition ("à Kiev", "над Москвою"), heading a
        post ("Москва: …"), or right by an event word ("frappé Kiev", "Kyiv was hit", "атакували Київ") in the
        same clause."""
        text = self.an.document.text
        lo = max(self.s.start, place.start - 30)
        before = text[lo : place.start]
        loc = self.locative.search(before) if self.locative is not None else None
        if loc is not None and not any(lo + loc.start() <= o.start and o.end <= place.start for o in self.places):
            return True  # "à Kiev", "in central Kyiv"; not "à Washington entre Kyiv", whose "à" is Washington's
        if self.part is not None and self.part.search(before):
            return True  # "in Darnytskyi district of Kyiv", "у Дарницькому районі Києва"
        line = text.rfind("\n", 0, place.start) + 1
        if not re.sub(r"[\W_]+", "", text[line : place.start]) and re.match(r"\s*[:—–-]", text[place.end : place.end + 3]):
            return True  # "Москва: у Вечного огня …": a post headed by its place
        for t in self.triggers:
            gap = text[t.end : place.start] if t.end <= place.start else text[place.end : t.start]
            # at most two words between: "frappé Kiev", "Kyiv was hit", "Киев подвергся массированному удару"
            if len(gap.split()) <= 2 and not re.search(r"[,;:.!?«»\"“”]", gap):
                # but not the agent of the event word: "accused Moscow of targeting" ("the shelling of Kyiv"
                # is Kyiv shelled, "l'offensive de Kiev" Kyiv's: a genitive after the word is left a place)
                if t.start > place.end and re.match(r"\s*(?:of|de|d['’])\s", gap):
                    continue
                if t.end <= place.start and t.value in _CAMPAIGNS and re.search(r"(?:of|de|d['’])\s*$", gap):
                    continue  # "la contre-offensive réussie de Kiev", "Moscow's offensive": the capital's campaign
                if t.start > place.end and not gap.strip() and self._object_after(t, place):
                    continue  # "Киев обстрелял город Шебекино", "Moscow struck Kharkiv": the capital is the agent
                return True
        return False

    def _object_after(self, trigger: Mention, place: Mention) -> bool:
        """Whether the event word right after a capital has a place of its own after it, in its clause, and is
        not a passive ("Kyiv hit by drones")."""
        text = self.an.document.text
        if re.match(r"\s+(?:by|par|від|со стороны)\s", text[trigger.end : trigger.end + 16], re.I):
            return False
        return any(o is not place and o.start >= trigger.end and o.value.feature != "country"
                   and o.value.name not in capitals() and not re.search(r"[.;:!?]", text[trigger.end : o.start])
                   for o in self.places)

    def _after_place(self, marker: Mention) -> bool:
        """Whether a "near" marker follows another place of the clause closely ("Makariv town near Kyiv")."""
        text = self.an.document.text
        return any(
            o.end <= marker.start and marker.start - o.end <= 25 and not re.search(r"[.;:!?]", text[o.end : marker.start])
            for o in self.places
            if not _river(text, o) and not self._in_direction(o)  # "in the Luhansk sector near Krymske"
        )

    def _in_direction(self, place: Mention) -> bool:
        """Whether ``place`` names a direction or sector of the front ("the Luhansk sector", "Bakhmut direction")."""
        return any(m.value == "direction" and m.start <= place.start and place.end <= m.end for m in self.mods)

    def _district_after_city(self, place: Mention) -> bool:
        """"Donetsk - Petrovskyi": a city district written after its city, as ACLED writes them; told at the
        city unless the gazetteer knows the district's own point (a GeoNames section of the city)."""
        text = self.an.document.text
        return bool(DISTRICT.fullmatch(place.text)) and any(
            _DASH.fullmatch(text, o.end, place.start) and not _district_of(place.value, o.value)
            for o in self.places if o.end <= place.start
        )

    def _city_before_district(self, place: Mention) -> bool:
        """The city of "Donetsk - Petrovskyi" when the district's own point is known: the district locates."""
        text = self.an.document.text
        return any(
            DISTRICT.fullmatch(o.text) and _DASH.fullmatch(text, place.end, o.start)
            and _district_of(o.value, place.value)
            for o in self.places if o.start >= place.end
        )

    def _district_before_city(self, place: Mention) -> bool:
        """A city district named before its city ("the Dniprovskyi district of Kherson", "у Дніпровському районі
        Херсона") when the gazetteer found the district's namesake elsewhere: told at the city. A district placed
        in its city (Kyiv's) keeps its own point."""
        if self.district_of is None:
            return False
        text = self.an.document.text
        for o in self.places:
            if o.start > place.end and o.value.feature == "settlement" and _km(place.value, o.value) > 20:
                m = self.district_of.match(text, place.end)
                if m is not None and m.end() == o.start:
                    return True
                # the district word inside the name found ("Dniprovskyi district", "Дніпровському районі")
                words = place.text.split()
                return len(words) > 1 and self.district_of.fullmatch(" " + words[-1] + text[place.end : o.start]) is not None
        return False

    def _raion_by_centre(self, place: Mention) -> bool:
        """"Zelenodolsk community in Kryvyi Rih", "у селі Першотравневе на Нікопольщині": a town named right after
        a hromada or village of its raion, with "in" between, stands for that raion (its centre), and locates it."""
        p: Place = place.value
        text = self.an.document.text
        if p.feature != "settlement" or p.population < _TOWN or not p.admin2:
            return False
        return any(o.end <= place.start and _IN.fullmatch(text, o.end, place.start)
                   and o.value.feature in ("hromada", "settlement") and o.value.admin2 == p.admin2
                   and o.value.name != p.name and o.value.population < p.population
                   for o in self.places)

    def _part_of_bigger(self, place: Mention) -> bool:
        """A district or suburb named with its city ("у Святошинському районі Києва", "Osokorky in Kyiv"):
        the event is told at the city, as the reports that name the city alone tell it."""
        # only a city of 200,000 or more can hold a district, and no place is part of itself
        return any(part_of(place.value, q) for q in self.cities)


@cache
def capitals() -> frozenset[str]:
    """National capitals (``gazetteer/data/capitals.txt``)."""
    path = resources.files("sitrep.gazetteer").joinpath("data", "capitals.txt")
    return frozenset(
        line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and line[0] != "#"
    )


_QUOTED = re.compile(r"[«\"“„]\s*([^«»\"“”„\n]{1,40}?)\s*[»\"”“]")


def _quoted_name(text: str, place: Mention) -> bool:
    """Whether the place name is (part of) a name in quotation marks of at most three capitalised words
    («Ukrainska Pravda», ОСУВ "Дніпро", the ship "Moskva"): a quoted place name alone is a name, not a place.
    Quoted speech ("Kherson is under fire") runs longer or is not all capitalised words."""
    window = text[max(0, place.start - 40) : place.end + 40]
    offset = max(0, place.start - 40)
    for m in _QUOTED.finditer(window):
        if m.start(1) + offset <= place.start and place.end <= m.end(1) + offset:
            words = m.group(1).split()
            return 1 <= len(words) <= 3 and all(w[:1].isupper() for w in words)
    return False


_RIVER_BEFORE = re.compile(r"(?<![\w-])(?:річк|ріки|рікою|ріку|река|реки|реке|реку|рекой)\w*\s+$", re.I)


def _river(text: str, place: Mention) -> bool:
    """Whether the place is named as a river ("через річку Десна", "на реке Донец")."""
    return _RIVER_BEFORE.search(text[max(0, place.start - 10) : place.start]) is not None


# "Krasnohorivka's residential sector", "Kharkiv's outskirts": a part of the place, where the event is
_POSSESSED_SITE = re.compile(
    r"['’]s\s+(?:[\w-]+\s+)?(?:sector|district|neighbou?rhood|quarter|outskirts|cent(?:re|er)|suburbs?|streets?|"
    r"port|airport|station|market|square|bridge|infrastructure|hospital|school|houses|homes|buildings|area)\b",
    re.I,
)


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in decomposed if c.isalpha() and not unicodedata.combining(c))
    return folded.replace("ou", "u")


def _surnames(an: Analysis) -> frozenset[str]:
    """The surnames of the persons the report names in full ("Игорь Терехов"), folded, of five letters or more."""
    out = set()
    for q in an.of_kind("person"):
        words = str(q.value or q.text).split()
        if len(words) >= 2 and len(words[-1]) >= 5:
            out.add(words[-1].casefold())
    return frozenset(out)


def _surname(written: str, surnames: frozenset[str]) -> bool:
    """Whether a one-word place name is a case form of a surname of the report ("Терехов сообщил", "По данным
    Терехова" after "городской голова Игорь Терехов"): the person, not the village Terekhove."""
    w = written.casefold()
    return " " not in w and any(w.startswith(n[:-1]) and 0 <= len(w) - len(n) <= 2 for n in surnames)


def same_stem(written: str, admin1: str) -> bool:
    """Whether a name as written ("Zaporizhia", "Louhansk") is the province ``admin1`` ("Zaporizhzhia")."""
    a, b = _fold(written), _fold(admin1)
    n = min(5, len(a), len(b))
    return n >= 4 and a[:n] == b[:n]


def names_body(an: Analysis, place: Mention, s: Sentence) -> bool:
    """Whether the place only names a body that speaks ("Сумська ОВА"): bodies marked ``after_place`` in
    ``claims.json`` are named after their place."""
    after = an.document.text[place.end : place.end + 60]
    return after[:1] == " " and any(
        body.get("after_place") and pat.match(after, 1) for pat, body in claims_lexicon(s.lang or an.lang).bodies
    )


def _district_of(district: Place, city: Place) -> bool:
    """Whether ``district`` is a GeoNames point of a section of ``city`` (within 20 km of it)."""
    return (district.feature == "settlement" and district.geonameid is not None and district.geo_precision == 1
            and city.feature == "settlement" and city.population >= 200_000 and _km(district, city) <= 20)


def _km(a: Place, b: Place) -> float:

    return km(a, b)


_ADMIN_RANK = {"hromada": 1, "admin2": 2, "admin1": 3}


def _finer(inner: Place, outer: Place) -> bool:
    """Whether ``inner`` is an administrative unit of a lower level than ``outer`` (a raion of an oblast)."""
    return _ADMIN_RANK.get(inner.feature, 9) < _ADMIN_RANK.get(outer.feature, 0)


def inside(inner: Place, outer: Place) -> bool:
    if outer.feature == "admin1":
        return bool(inner.admin1) and inner.admin1 == (outer.admin1 or outer.name)
    if outer.feature == "hromada":
        # a hromada holds its villages, near its centre; Kryvyi Rih is not in Zelenodolska hromada of its raion
        return (bool(inner.admin2) and inner.admin2 == outer.admin2 and inner.latitude is not None
                and outer.latitude is not None and _km(inner, outer) <= _HROMADA_KM
                and (inner.population < _TOWN or _km(inner, outer) <= 3))
    if outer.feature in ("admin2", "region"):
        return bool(inner.admin2) and inner.admin2 == (outer.admin2 or outer.name)
    return False


_HROMADA_KM = 25.0
_TOWN = 50_000


def part_of(p: Place, q: Place) -> bool:
    """Whether ``p`` is a district or suburb of the city ``q``: within 15 km of a city of 200,000 people or
    more, ten times its size."""
    if p.feature in ADMIN | {"country"} or q.feature in ADMIN | {"country"} or p.latitude is None or q.latitude is None:
        return False
    return q.population >= 10 * max(p.population, 1) and q.population >= _CITY and _km(p, q) <= 15
