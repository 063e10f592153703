"""Ukrainian and Russian: language data validity, language id, triggers, numbers, names, lemmas."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from sitrep import lang as langdata
from sitrep.model import EVENT_TYPES, Analysis, Document
from sitrep.stages import language, numbers, sentences, triggers
from sitrep.stages.morph import lemmas
from sitrep.stages.names import by_patterns, entities

SUBS = {s for subs in EVENT_TYPES.values() for s in subs}
LANGS = ("uk", "ru")


def _subs(text: str, lang: str) -> set[str]:
    return {m.value for m in triggers.scan(text, lang) if m.kind == "trigger"}


def _cas(text: str, lang: str) -> list[tuple[str, int]]:
    return sorted((m.attr("type"), m.value) for m in numbers.casualties(text, lang))


# --- the seven files ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", langdata.FILES)
def test_file_exists_parses_and_has_the_english_keys(lang: str, name: str) -> None:
    path = resources.files("sitrep.lang").joinpath(lang, f"{name}.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    english = langdata.load("en", name)
    missing = {k for k in english if not k.startswith("_")} - set(data)
    assert not missing, f"lang/{lang}/{name}.json lacks {missing}"


def _patterns(obj: object) -> list[str]:
    """Every string of a language file that is a regular expression (all of them are, but _doc)."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, list):
        return [p for x in obj for p in _patterns(x)]
    if isinstance(obj, dict):
        out: list[str] = []
        for k, v in obj.items():
            if k in ("_doc", "claimant", "role", "side", "actor", "name", "weapon", "sub_event_type", "id"):
                continue
            out += _patterns(k) if isinstance(v, (int, float, str)) and not isinstance(v, bool) else []
            out += _patterns(v) if not isinstance(v, (int, float, bool)) or isinstance(v, str) else []
        return out
    return []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", langdata.FILES)
def test_every_pattern_compiles(lang: str, name: str) -> None:
    data = langdata.load(lang, name)
    pats = _patterns(data)
    assert pats
    for p in pats:
        re.compile(p.replace("MONTH", "x"))


@pytest.mark.parametrize("lang", LANGS)
def test_trigger_and_weapon_sub_event_types_are_acled(lang: str) -> None:
    data = langdata.load(lang, "triggers")
    for entry in data["triggers"] + data["weapons"]:
        assert entry["sub_event_type"] in SUBS, entry
    trig, weap, modality = triggers.lexicon(lang)
    assert len(trig) >= 25 and len(weap) >= 9 and {k for k, _ in modality} >= {"future", "hypothetical", "negated"}


@pytest.mark.parametrize("lang", LANGS)
def test_claimants_and_actors_use_the_english_canonical_names(lang: str) -> None:
    en_claimants = {b["claimant"] for b in langdata.load("en", "claims")["bodies"]}
    en_actors = {a["actor"] for a in langdata.load("en", "actors")["actors"]}
    en_states = {s["name"] for s in langdata.load("en", "actors")["states"]}
    claimants = {b["claimant"] for b in langdata.load(lang, "claims")["bodies"]}
    assert claimants <= en_claimants
    assert {a["actor"] for a in langdata.load(lang, "actors")["actors"]} <= en_actors
    assert {s["name"] for s in langdata.load(lang, "actors")["states"]} <= en_states
    assert set(langdata.load(lang, "claims")["channels"].values()) <= set(langdata.load("en", "claims")["channels"].values())


@pytest.mark.parametrize(
    ("lang", "text", "claimant"),
    [
        ("uk", "Про це повідомив Генштаб ЗСУ", "General Staff of the Armed Forces of Ukraine"),
        ("uk", "повідомляє Генеральний штаб Збройних сил України", "General Staff of the Armed Forces of Ukraine"),
        ("uk", "як заявили в Міноборони РФ", "Ministry of Defence of the Russian Federation"),
        ("uk", "за даними Повітряних сил", "Air Force of Ukraine"),
        ("uk", "повідомили у ДСНС", "State Emergency Service of Ukraine"),
        ("uk", "повідомили в Офісі генпрокурора", "Prosecutor General of Ukraine"),
        ("ru", "сообщили в Минобороны России", "Ministry of Defence of the Russian Federation"),
        ("ru", "по данным Генштаба ВСУ", "General Staff of the Armed Forces of Ukraine"),
        ("ru", "сообщили в Воздушных силах ВСУ", "Air Force of Ukraine"),
    ],
)
def test_claimant_bodies_match(lang: str, text: str, claimant: str) -> None:
    bodies = langdata.load(lang, "claims")["bodies"]
    hits = [b["claimant"] for b in bodies if re.search(rf"(?<![\w-])(?:{b['pattern']})(?![\w])", text, re.I)]
    assert hits and hits[0] == claimant


# --- language identification ---------------------------------------------------------------------

SHORT = [
    ("uk", "Ворог обстріляв Херсон. Загинули 2 людини."),
    ("uk", "Сили ППО збили 12 шахедів."),
    ("uk", "Вночі Харків атакували дрони, є постраждалі."),
    ("uk", "Що відомо про удар по Одесі"),
    ("uk", "Окупанти вже третій день штурмують позиції під Покровськом"),
    ("uk", "У середу ворог скинув КАБ на Запоріжжя"),
    ("uk", "Від удару постраждав житловий будинок, це вже було вдруге."),
    ("uk", "П’ятеро поранених."),
    ("uk", "Об'єкт інфраструктури пошкоджено"),
    ("uk", "Росіяни вдарили по Сумах"),
    ("ru", "Враг обстрелял Херсон. Погибли 2 человека."),
    ("ru", "Средства ПВО сбили 12 беспилотников."),
    ("ru", "Ночью Харьков атаковали дроны, есть пострадавшие."),
    ("ru", "Что известно об ударе по Одессе"),
    ("ru", "Этой ночью ВСУ атаковали Белгород"),
    ("ru", "В среду противник сбросил КАБ на Запорожье"),
    ("ru", "От удара пострадал жилой дом, это уже было во второй раз."),
    ("ru", "Пятеро раненых."),
    ("ru", "Уничтожены два танка"),
    ("ru", "Россияне ударили по Сумам"),
    ("en", "Russian forces shelled Kherson, killing two people."),
    ("fr", "Les forces russes ont bombardé Kherson, tuant deux personnes."),
]


@pytest.mark.parametrize(("lang", "text"), SHORT)
def test_identify_short_texts(lang: str, text: str) -> None:
    assert language.identify(text) == lang


def test_short_text_accuracy_is_total() -> None:
    assert sum(language.identify(t) == lang for lang, t in SHORT) == len(SHORT)


def test_sentence_lang_switches_only_on_evidence() -> None:
    assert language.sentence_lang("Херсон.", "ru") == "ru"
    assert language.sentence_lang("Херсон.", "uk") == "uk"
    assert language.sentence_lang("«Мы не отступим», — сказал он.", "uk") == "ru"
    assert language.sentence_lang("Ворог знову обстріляв місто, є загиблі.", "ru") == "uk"
    assert language.sentence_lang("Russian forces shelled the city.", "uk") == "en"
    assert language.sentence_lang("The strike hit a school.", "en") == "en"


def test_sentences_carry_their_own_language() -> None:
    text = "Ворог обстріляв Херсон. «Мы уничтожили склад», — заявили в Минобороны РФ. Загинули 2 людини."
    analysis = Analysis(document=Document(text=text, lang="uk"))
    out = sentences.Sentences()(language.Language()(analysis))
    assert [s.lang for s in out.sentences] == ["uk", "ru", "uk"]


# --- triggers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "sub"),
    [
        ("uk", "Ворог обстріляв житловий квартал", "Shelling/artillery/missile attack"),
        ("uk", "Окупанти завдали ракетного удару по Харкову", "Shelling/artillery/missile attack"),
        ("uk", "Ворог скинув КАБ на Куп'янськ", "Air/drone strike"),
        ("uk", "Масована атака дронів на Київ", "Air/drone strike"),
        ("uk", "Вночі сили ППО збили 20 шахедів", "Disrupted weapons use"),
        ("uk", "На Покровському напрямку тривають бої", "Armed clash"),
        ("uk", "Наші захисники відбили 12 штурмів", "Armed clash"),
        ("uk", "ЗСУ звільнили село Роботине", "Government regains territory"),
        ("uk", "Трактор підірвався на міні", "Remote explosive/landmine/IED"),
        ("uk", "Окупанти викрали трьох мешканців", "Abduction/forced disappearance"),
        ("uk", "Відбувся обмін полоненими", "Agreement"),
        ("uk", "Вони випускають десятки ракет по містах", "Shelling/artillery/missile attack"),
        ("uk", "Над містом вибухали безпілотники-камікадзе", "Air/drone strike"),
        ("uk", "Окупанти відступили з Херсона", "Non-violent transfer of territory"),
        ("uk", "На складі знищено боєприпаси", "Looting/property destruction"),
        ("uk", "ЗСУ просунулися біля Кліщіївки", "Armed clash"),
        ("uk", "Російські військові розстріляли цивільних", "Attack"),
        ("ru", "Враг обстрелял жилой квартал", "Shelling/artillery/missile attack"),
        ("ru", "Армия нанесла ракетный удар по Харькову", "Shelling/artillery/missile attack"),
        ("ru", "Противник сбросил КАБ на город", "Air/drone strike"),
        ("ru", "Средства ПВО сбили 20 беспилотников", "Disrupted weapons use"),
        ("ru", "Под Бахмутом продолжаются ожесточенные бои", "Armed clash"),
        ("ru", "Штурм позиций был отбит", "Armed clash"),
        ("ru", "Машина подорвалась на мине", "Remote explosive/landmine/IED"),
        ("ru", "Состоялся обмен пленными", "Agreement"),
    ],
)
def test_trigger_types(lang: str, text: str, sub: str) -> None:
    assert sub in _subs(text, lang)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("uk", "Наступного дня уряд ухвалив бюджет."),
        ("uk", "Зеленський вручив бойові відзнаки."),
        ("uk", "Про це повідомили вибухотехніки."),
        ("uk", "Техніку відбуксирували з поля бою."),
        ("uk", "Над морем пролетіли стратегічні бомбардувальники."),
        # commentary nouns: hostilities, the battlefield, liberation as an aim, an advance, a retreat, destruction
        ("uk", "Волонтери поїхали в зону бойових дій."),
        ("uk", "Армія довела свою силу на полі бою."),
        ("uk", "Армія довела свою силу на полю бою."),
        ("uk", "Звільнення Криму й деокупація півдня залишаються метою."),
        ("uk", "Просування Росії, схоже, зупинилося."),
        ("uk", "Після відступу армії почалася відбудова."),
        ("uk", "Посол закликав до знищення нації."),
        ("ru", "На следующий день правительство приняло бюджет."),
        ("ru", "Он пытался скрыть правду."),
    ],
)
def test_no_trigger_in_non_events(lang: str, text: str) -> None:
    assert _subs(text, lang) == set()


@pytest.mark.parametrize(
    ("lang", "text", "kind"),
    [
        ("uk", "Росіяни підтримали напад на Україну.", "generic"),
        ("uk", "Путін штовхатиме Росію до нападів на інші країни.", "generic"),
        ("uk", "Там згадали розстріли часів Другої світової війни.", "generic"),
        ("uk", "Кремль ставить на меті захоплення Донбасу.", "future"),
        ("uk", "Міста залишаться без газу.", "future"),
        ("ru", "Россияне поддержали нападение на Украину.", "generic"),
        ("ru", "Вспомнили жертв Великой Отечественной войны.", "generic"),
        ("ru", "Кремль ставит целью захват Донбасса.", "future"),
    ],
)
def test_statements_that_report_no_event(lang: str, text: str, kind: str) -> None:
    assert kind in {m.value for m in triggers.scan(text, lang) if m.kind == "modality"}


def test_weapons_and_modality() -> None:
    found = triggers.scan("Ворог може завдати удару ракетами і дронами, якщо…", "uk")
    assert {m.value for m in found if m.kind == "weapon"} == {"missiles", "drones"}
    assert {m.value for m in found if m.kind == "modality"} >= {"future", "hypothetical"}
    ru = triggers.scan("Ожидается, что противник будет наступать.", "ru")
    assert "future" in {m.value for m in ru if m.kind == "modality"}


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("uk", "Загинули 2 людини, 5 поранені.", [("injured", 5), ("killed", 2)]),
        ("uk", "2 людини загинули, ще 5 поранено.", [("injured", 5), ("killed", 2)]),
        ("uk", "Загинули троє людей, п’ятеро поранених.", [("injured", 5), ("killed", 3)]),
        ("uk", "Загинув чоловік, поранено двох жінок.", [("injured", 2), ("killed", 1)]),
        ("uk", "Загинула 75-річна жінка.", [("killed", 1)]),
        ("uk", "Внаслідок удару загинули щонайменше одинадцять осіб.", [("killed", 11)]),
        ("uk", "Шпиталізовано шестеро, двоє зникли безвісти.", [("hospitalised", 6), ("missing", 2)]),
        ("uk", "Постраждали четверо цивільних.", [("injured", 4)]),
        ("uk", "Кількість загиблих зросла до 14.", [("killed", 14)]),
        ("ru", "Погибли 2 человека, 5 ранены.", [("injured", 5), ("killed", 2)]),
        ("ru", "Есть погибший, 18 человек ранены.", [("injured", 18), ("killed", 1)]),
        ("ru", "Погибли двое мирных жителей, пятеро пострадавших госпитализированы.", [("injured", 5), ("killed", 2)]),
        ("ru", "Погиб мужчина, ранена женщина.", [("injured", 1), ("killed", 1)]),
        ("ru", "Убиты одиннадцать военнослужащих.", [("killed", 11)]),
        ("ru", "Погибла женщина 75 лет.", [("killed", 1)]),
        ("uk", "Ворожа ракета вбила хлопчика.", [("killed", 1)]),
        ("ru", "Снайпер убил ополченца.", [("killed", 1)]),
    ],
)
def test_casualties(lang: str, text: str, expected: list[tuple[str, int]]) -> None:
    assert _cas(text, lang) == expected


def test_casualty_who() -> None:
    (m,) = [x for x in numbers.casualties("Погибли двое мирных жителей.", "ru")]
    assert m.attr("who") == "civilians"
    (s,) = numbers.casualties("Загинули 3 військових.", "uk")
    assert s.attr("who") == "soldiers"
    (o,) = numbers.casualties("Снайпер убил ополченца.", "ru")
    assert o.attr("who") == "soldiers"
    (c,) = numbers.casualties("Ракета вбила хлопчика.", "uk")
    assert c.attr("who") == "civilians"


def test_lower_bound() -> None:
    (m,) = numbers.casualties("Загинули щонайменше 5 людей.", "uk")
    assert m.value == 5 and m.attr("lower_bound") is True


@pytest.mark.parametrize(
    ("lang", "text", "amount", "code"),
    [
        ("uk", "Уряд виділив 50 млн гривень.", 50e6, "UAH"),
        ("uk", "США нададуть 2,5 млрд доларів допомоги.", 2.5e9, "USD"),
        ("uk", "Німеччина передасть 300 тис. євро.", 3e5, "EUR"),
        ("uk", "Зібрали 120 тисяч грн.", 1.2e5, "UAH"),
        ("ru", "Япония выделит 100 млн долларов.", 1e8, "USD"),
        ("ru", "Ущерб оценили в 5 млрд рублей.", 5e9, "RUB"),
    ],
)
def test_money(lang: str, text: str, amount: float, code: str) -> None:
    (m,) = numbers.money(text, lang)
    assert m.value == pytest.approx(amount) and m.attr("currency") == code


def test_english_and_french_numbers_unchanged() -> None:
    assert _cas("A man was killed and 3 people injured.", "en") == [("injured", 3), ("killed", 1)]
    assert _cas("Trois civils ont été tués et onze blessés.", "fr") == [("injured", 11), ("killed", 3)]


# --- names and lemmas ----------------------------------------------------------------------------


def test_person_after_title_uk() -> None:
    found = by_patterns("Про це повідомив голова Харківської ОВА Олег Синєгубов.", "uk")
    persons = [m for m in found if m.kind == "person"]
    assert [p.text for p in persons] == ["Олег Синєгубов"]
    assert persons[0].rule == "names:role:head of military administration"
    assert any(m.kind == "org" and m.text == "ОВА" for m in found)


def test_person_ru_with_natasha() -> None:
    found = entities("Губернатор Белгородской области Вячеслав Гладков сообщил об обстреле.", "ru")
    assert [m.text for m in found if m.kind == "person"] == ["Вячеслав Гладков"]


def test_lemmas_include_the_place_name() -> None:
    assert "київ" in lemmas("Києві", "uk")
    assert "краматорськ" in lemmas("Краматорську", "uk")
    assert "бахмут" in lemmas("Бахмуте", "ru")
    assert "авдеевка" in lemmas("Авдеевке", "ru")


def test_cyrillic_abbreviations_do_not_end_sentences() -> None:
    text = "У м. Харків зібрали 120 тис. Гривень. Загинули 2 людини."
    assert [text[s:e] for s, e in sentences.split(text)] == [
        "У м. Харків зібрали 120 тис. Гривень.",
        "Загинули 2 людини.",
    ]
