"""Casualty counts and claimants on sentences in the style of real reports, in the four languages.

Counts are read sentence by sentence by :func:`sitrep.stages.numbers.casualties`; claimants through the whole
pipeline, because who speaks depends on the persons, places and states found before.
"""

from __future__ import annotations

import pytest

from sitrep.model import Document, Event
from sitrep.pipeline import default_pipeline, extract
from sitrep.stages.claims import claims_for
from sitrep.stages.numbers import casualties


def counts(text: str, lang: str) -> dict[str, int]:
    """The largest count of each kind the sentence gives."""
    out: dict[str, int] = {}
    for m in casualties(text, lang):
        kind = str(m.attr("type"))
        out[kind] = max(out.get(kind, 0), int(m.value))
    return out


@pytest.mark.parametrize(
    ("lang", "text", "want"),
    [
        # nobody hurt is 0, of what the text says
        ("en", "The drone hit a garage; nobody was hurt.", {"killed": 0, "injured": 0}),
        ("en", "No one was killed, but two people were injured.", {"killed": 0, "injured": 2}),
        ("fr", "Il n'y a pas eu de victimes, selon le maire.", {"killed": 0, "injured": 0}),
        ("fr", "La frappe n'a fait aucun blessé.", {"injured": 0}),
        ("uk", "Обійшлося без жертв.", {"killed": 0, "injured": 0}),
        ("uk", "Загиблих немає, поранено трьох людей.", {"killed": 0, "injured": 3}),
        ("ru", "Никто не пострадал.", {"killed": 0, "injured": 0}),
        # "it did not go without victims" is no zero
        ("ru", "К сожалению, не обошлось без пострадавших.", {}),
        ("uk", "На жаль, не обійшлося без жертв.", {}),
        # victims listed by age, no number written
        ("en", "A man of 60 and a woman of 72 were injured.", {"injured": 2}),
        ("fr", "Un homme de 60 ans et une femme de 72 ans ont été blessés.", {"injured": 2}),
        ("uk", "Поранені чоловік 45 років та жінка 60 років.", {"injured": 2}),
        ("ru", "Ранены мужчина 45 лет и женщина 60 лет.", {"injured": 2}),
        # but one age and one victim stay one; ages of two kinds of harm are not summed
        ("en", "A 54-year-old man was killed.", {"killed": 1}),
        ("en", "A 60-year-old man was killed and a 72-year-old woman was injured.", {"killed": 1, "injured": 1}),
        # a victim told without a number
        ("en", "A resident died after the shelling.", {"killed": 1}),
        ("fr", "Un homme a été tué dans le bombardement.", {"killed": 1}),
        ("uk", "Загинула жінка.", {"killed": 1}),
        ("ru", "Погибла женщина.", {"killed": 1}),
        # a list of victims is summed
        ("ru", "Погибли двое мужчин и одна женщина.", {"killed": 3}),
        ("en", "The strike killed two soldiers and three civilians.", {"killed": 5}),
        # the count a dash or a colon separates from its word
        ("uk", "Поранені – 3, загиблих – 1.", {"injured": 3, "killed": 1}),
        ("ru", "Раненых – 4.", {"injured": 4}),
        ("en", "Killed: 2. Injured: 7.", {"killed": 2, "injured": 7}),
        # clock times, years, house numbers, ages, buildings are not counts
        ("en", "At 14:30 the Russians shelled the town, injuring a woman.", {"injured": 1}),
        ("fr", "Vers 4h20, puis à 14:30, un homme a été blessé.", {"injured": 1}),
        ("uk", "О 5:40 ворог атакував місто, поранено двох людей.", {"injured": 2}),
        ("ru", "В 05:13 пострадала девушка 2004 года рождения.", {"injured": 1}),
        ("uk", "Пошкоджено будинок 12 на вулиці Шевченка та будинок № 5.", {}),
        ("uk", "Від вибухової хвилі постраждало понад 10 багатоповерхівок.", {}),
        ("en", "The blast damaged more than 10 apartment buildings and injured 4 people.", {"injured": 4}),
        # present tense and the word "kill" in headlines
        ("fr", "Des frappes russes tuent trois personnes et en blessent deux à Kharkiv.", {"killed": 3, "injured": 2}),
        ("en", "Russian drones kill two and injure five in Odesa.", {"killed": 2, "injured": 5}),
        # injuries incompatible with life are a death
        ("uk", "Травми, несумісні з життям, дістав 54-річний чоловік.", {"killed": 1}),
        ("en", "A 54-year-old man received injuries incompatible with life.", {"killed": 1}),
        # a count with a word of its own is not part of the list before it
        ("uk", "Загинув 1 чоловік, 3 людини поранено.", {"killed": 1, "injured": 3}),
        # a toll that rose, a single victim told by "there is"
        ("uk", "Кількість загиблих зросла до 12.", {"killed": 12}),
        ("ru", "Число погибших возросло до 12.", {"killed": 12}),
        ("uk", "Є загиблий.", {"killed": 1}),
        ("ru", "Есть погибший.", {"killed": 1}),
        ("uk", "Є поранені.", {}),
        # an adverb between the word and the count; the bodies found; "поранень зазнали N"
        ("uk", "Загиблих уже п'ятеро.", {"killed": 5}),
        ("ru", "Под завалами нашли тела трех человек.", {"killed": 3}),
        ("en", "Rescuers recovered the bodies of three people.", {"killed": 3}),
        ("uk", "Поранень зазнали 4 людини.", {"injured": 4}),
        # the count is of the first casualty word after it
        ("ru", "Более 20 раненых и много погибших.", {"injured": 20}),
        # the day of a date is no count
        ("uk", "27 червня загинули двоє людей.", {"killed": 2}),
        ("uk", "Уночі 14 березня внаслідок атаки постраждали 3 людини.", {"injured": 3}),
        ("ru", "7 мая погибли трое мирных жителей.", {"killed": 3}),
        ("en", "On June 27 two people were killed.", {"killed": 2}),
        ("en", "The strike on 27 June injured three people.", {"injured": 3}),
        ("fr", "Le 7 mai, trois personnes ont été tuées.", {"killed": 3}),
        # victims listed one by one, with or without a number
        ("uk", "Загинули чоловік та жінка.", {"killed": 2}),
        ("uk", "Поранено жінку та двох чоловіків.", {"injured": 3}),
        ("uk", "Травмувалися двоє чоловіків та жінка.", {"injured": 3}),
        ("ru", "Погибли мужчина и женщина.", {"killed": 2}),
        ("ru", "Ранены женщина и двое мужчин.", {"injured": 3}),
        # but a count with a word of its own starts a new one
        ("uk", "Загинула жінка, ще двоє людей поранені.", {"killed": 1, "injured": 2}),
        ("ru", "Погиб мужчина, двое человек ранены.", {"killed": 1, "injured": 2}),
        # an aside inside the count is part of it, not more
        ("fr", "Douze personnes, dont trois enfants, ont été blessées.", {"injured": 12}),
        ("en", "Five people, among them two children, were killed.", {"killed": 5}),
        ("uk", "Поранено 12 осіб, серед них троє дітей.", {"injured": 12}),
        ("ru", "Ранения получили 5 человек, в том числе двое детей.", {"injured": 5}),
        # a body found is one dead
        ("ru", "Тело погибшего мужчины извлекли из-под завалов.", {"killed": 1}),
        ("uk", "Рятувальники дістали з-під завалів тіло жінки.", {"killed": 1}),
        ("en", "Rescuers found the body of a man under the rubble.", {"killed": 1}),
        ("fr", "Le corps d'une femme a été retrouvé sous les décombres.", {"killed": 1}),
        # ages and other numbers
        ("fr", "Une femme de 65 ans a été blessée.", {"injured": 1}),
        ("en", "Three people died and six were hospitalized with injuries.", {"killed": 3, "injured": 6}),
        ("uk", "Уночі ворог атакував область 42 ударними БпЛА, поранено двох людей.", {"injured": 2}),
        # persons named one by one before their casualty word; a person of another word is not one of them
        ("en", "A man and a woman were injured, the governor said.", {"injured": 2}),
        ("uk", "Чоловік та жінка отримали поранення.", {"injured": 2}),
        ("ru", "Мужчина и женщина получили ранения.", {"injured": 2}),
        ("en", "Russian shelling killed a man, and a woman was injured.", {"killed": 1, "injured": 1}),
        ("uk", "Загинув чоловік, жінка та дитина поранені.", {"killed": 1, "injured": 2}),
        ("uk", "Загинули двоє чоловіків та жінка, ще троє поранені.", {"killed": 3, "injured": 3}),
        # a copula between the word and the count; tolls that "stand at"; injuries "of varying severity"
        ("ru", "Жертвами удара стали 5 человек.", {"killed": 5}),
        ("uk", "Постраждалими стали 12 людей.", {"injured": 12}),
        ("ru", "Количество погибших возросло до 9.", {"killed": 9}),
        ("uk", "Кількість поранених становить 14 людей.", {"injured": 14}),
        ("ru", "Ранения различной степени тяжести получили 12 человек.", {"injured": 12}),
        ("uk", "Поранення різного ступеня тяжкості отримали 7 людей.", {"injured": 7}),
        ("ru", "Женщина госпитализирована с ранениями.", {"injured": 1}),
        ("fr", "Trois personnes sont mortes et douze ont été blessées.", {"killed": 3, "injured": 12}),
        ("uk", "Загинув 17-річний юнак, його 45-річна мати поранена.", {"killed": 1, "injured": 1}),
        # tens and units written as one number; hours of the clock and house numbers are not counts
        ("uk", "Загинули двадцять п'ять людей.", {"killed": 25}),
        ("ru", "Погибли сорок три человека.", {"killed": 43}),
        ("en", "Twenty-five people were killed.", {"killed": 25}),
        ("uk", "Близько 5 ранку загинули двоє людей.", {"killed": 2}),
        ("ru", "В 7 вечера ранены трое.", {"injured": 3}),
        ("en", "At around 5 am two people were killed.", {"killed": 2}),
        ("uk", "На вулиці Шевченка, 12 загинула жінка.", {"killed": 1}),
        # nobody hurt, said in the many ways of officials' posts
        ("uk", "Загиблих і поранених немає.", {"killed": 0, "injured": 0}),
        ("uk", "Обійшлося без загиблих та поранених.", {"killed": 0, "injured": 0}),
        ("uk", "Люди не постраждали.", {"killed": 0, "injured": 0}),
        ("uk", "Постраждалих, на щастя, немає.", {"killed": 0, "injured": 0}),
        ("uk", "Постраждалих серед цивільних немає.", {"killed": 0, "injured": 0}),
        ("uk", "Обійшлося без травмованих.", {"injured": 0}),
        ("ru", "Погибших и раненых нет.", {"killed": 0, "injured": 0}),
        ("ru", "Мирные жители не пострадали.", {"killed": 0, "injured": 0}),
        ("ru", "Пострадавших среди мирного населения нет.", {"killed": 0, "injured": 0}),
        ("ru", "Обошлось без человеческих жертв.", {"killed": 0, "injured": 0}),
        ("ru", "Никто из находившихся в доме людей не пострадал.", {"killed": 0, "injured": 0}),
        ("en", "There were no casualties.", {"killed": 0, "injured": 0}),
        # one dead told without a number; family members and couples
        ("ru", "Жертвой обстрела стала пенсионерка.", {"killed": 1}),
        ("uk", "Жертвою обстрілу стала жінка.", {"killed": 1}),
        ("ru", "Мужчина не выжил.", {"killed": 1}),
        ("en", "The victim later died.", {"killed": 1}),
        ("ru", "Погибли отец и сын.", {"killed": 2}),
        ("uk", "Загинуло подружжя.", {"killed": 2}),
        ("ru", "Супруги получили ранения.", {"injured": 2}),
        # a digit with a case ending is the number: "3-х" is three
        ("ru", "В результате удара погибли 2-х мирных жителей, ранены 5.", {"killed": 2, "injured": 5}),
        ("uk", "Поранено 3-х людей.", {"injured": 3}),
        # a family, a single victim after a copula
        ("ru", "Погибла семья из трех человек.", {"killed": 3}),
        ("ru", "Жертвой обстрела стал 1 человек.", {"killed": 1}),
        # a count whose casualty word is the one before it, for another place
        ("ru", "20 человек погибли в Киеве, 11 – в Днепропетровской области.", {"killed": 20}),
        ("uk", "Поранено 3 людей, пошкоджено 5 будинків.", {"injured": 3}),
        ("uk", "Загинули 2 людини, 5 людей у лікарні.", {"killed": 2}),
        # a toll noun far from its verb
        ("ru", "Количество погибших мирных жителей в результате удара по частному сектору Краматорска утром 14 мая "
               "возросло до трех человек.", {"killed": 3}),
        ("uk", "Кількість загиблих унаслідок удару російського дрона по житловому будинку в Одесі в ніч на 2 березня "
               "зросла до 9 людей.", {"killed": 9}),
        # died in hospital is one dead, not one hospitalised
        ("ru", "В больнице скончался мужчина, раненный при обстреле Шебекино.", {"killed": 1}),
        ("uk", "У лікарні помер 61-річний чоловік, поранений під час обстрілу.", {"killed": 1}),
        # injuries named by their kind
        ("ru", "Мужчина получил баротравму и минно-взрывную травму.", {"injured": 1}),
        ("uk", "Медики рятують тяжкопоранену 43-річну жінку.", {"injured": 1}),
        # a year of birth or an age in words names a person
        ("ru", "Погибли два человека, женщина 1975 года рождения госпитализирована с ранениями.", {"killed": 2, "injured": 1}),
        ("fr", "Une femme et son enfant de trois ans ont perdu la vie.", {"killed": 2}),
        # victims named by their ages alone
        ("uk", "Поранення дістали 79-річна, 78-річна та 60-річна жінки.", {"injured": 3}),
        # a count before one named alone; the noun of another count is not listed before the next
        ("fr", "Trois enfants et un homme sont morts dans la frappe.", {"killed": 4}),
        ("en", "Two soldiers and a civilian were killed.", {"killed": 3}),
        ("ru", "Погибли два мирных жителя, еще один был ранен.", {"killed": 2, "injured": 1}),
        # districts are not people; numbers in words of every case
        ("uk", "Два райони області постраждали від обстрілів.", {}),
        ("ru", "Обстрел ранил восьмерых жителей села.", {"injured": 8}),
        ("ru", "ВСУ ранили пятерых жителей области.", {"injured": 5}),
        # a part of a toll is no toll
        ("ru", "Среди погибших — трое детей.", {}),
        ("en", "Three children were among those killed and 109 people have been wounded.", {"injured": 109}),
        ("uk", "Росіяни поранили двадцятьох мешканців області.", {"injured": 20}),
    ],
)
def test_counts(lang: str, text: str, want: dict[str, int]) -> None:
    got = counts(text, lang)
    assert {k: v for k, v in got.items() if k in ("killed", "injured")} == want


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Ukraine : six morts dans des frappes russes sur Kiev et d'autres régions."),
        ("ru", "В Харькове и других областях погибли 7 человек."),
        ("uk", "У Києві та інших регіонах загинули 7 людей."),
        ("en", "Seven people were killed in Kyiv and other regions."),
    ],
)
def test_a_count_of_several_regions_is_no_one_events(lang: str, text: str) -> None:
    found = [m for m in casualties(text, lang) if m.attr("type") == "killed"]
    assert found and all(m.attr("scope") == "country" for m in found)


@pytest.mark.parametrize(
    ("lang", "text", "killed", "injured"),
    [
        ("en", "A man was wounded in the shelling of Beryslav. He later died in hospital.", 1, None),
        ("uk", "Чоловік отримав поранення, згодом він помер у лікарні.", 1, None),
        ("ru", "Мужчина, раненный при обстреле, скончался в больнице.", 1, None),
        ("fr", "Trois civils ont été blessés à Kherson; l'un d'eux est décédé plus tard à l'hôpital.", 1, 2),
        # one who died later among the dead counted apart: the injured are a tally of their own
        ("fr", "Trois personnes ont été tuées et 14 autres blessées, et une femme blessée la veille a succombé à "
               "l'hôpital.", 3, 14),
        # hospitalised is not injured unless the text says they were hurt
        ("en", "Two people were taken to hospital as a precaution after the shelling of Sumy.", None, None),
    ],
)
def test_later_death_and_hospital(lang: str, text: str, killed: int | None, injured: int | None) -> None:
    an = default_pipeline().analyse(Document(text=text, date="2024-05-10", lang=lang))
    hurt = an.of_kind("casualty")
    got_killed = max((c.value for c in hurt if c.attr("type") == "killed"), default=None)
    got_injured = max((c.value for c in hurt if c.attr("type") == "injured"), default=None)
    assert (got_killed, got_injured) == (killed, injured)


def claimants(text: str, lang: str, date: str = "2024-05-10") -> list[set[str]]:
    """For each event record, the claimants and roles it names."""
    return [
        {n for c in r.claims for n in (c.claimant, c.claimant_role) if n}
        for r in extract(Document(text=text, date=date, lang=lang))
        if isinstance(r, Event)
    ]


def test_fragments_are_never_claimants() -> None:
    # "… – пояснив Прокудін": the verb is not part of the name
    text = ("Російські війська атакували Херсон із безпілотника, поранено жінку. \"Її доправили до лікарні\", – "
            "пояснив Прокудін.")
    found = claimants(text, "uk")
    assert found and all(any("Prokudin" in n for n in names) for names in found)
    assert not any("пояснив" in n for names in found for n in names)


def test_wrong_side_body_is_not_the_claimant() -> None:
    # "Russia's general staff" is not the Ukrainian General Staff
    text = ("The chief of Russia's general staff said on Thursday that Russian forces had taken control of "
            "Kupiansk.")
    found = claimants(text, "en")
    assert not any("General Staff of the Armed Forces of Ukraine" in names for names in found)


def test_accused_state_is_not_the_speaker() -> None:
    # the state after "a accusé … d'avoir …" is accused, not speaking; the subject speaks
    text = ("Après les tirs sur Odessa, l'Ukraine a accusé la Russie d'avoir frappé le port, où deux missiles "
            "ont explosé.")
    found = claimants(text, "fr")
    assert found and not any("Russia" in names for names in found)


def test_report_attribution_line_tells_every_event() -> None:
    # the last line names the source of all the report tells
    text = ("Ворог обстріляв Нікополь, поранено двох людей.\n\nТакож під ударом була Марганецька громада.\n\n"
            "Про це повідомив начальник Дніпропетровської ОВА Сергій Лисак.")
    an = default_pipeline().analyse(Document(text=text, date="2024-05-10", lang="uk"))
    told = [claims_for(an, s) for s in an.sentences[:2]]
    assert all(c and c[0].claimant == "Serhii Lysak" for c in told)


def test_governor_of_a_russian_region_speaks_for_russia() -> None:
    text = ("Le gouverneur de la région de Belgorod, Viatcheslav Gladkov, a annoncé que des tirs des forces "
            "ukrainiennes ont blessé deux personnes à Belgorod.")
    events = [r for r in extract(Document(text=text, date="2024-05-12", lang="fr")) if isinstance(r, Event)]
    assert events and events[0].injured == 2
    claim = events[0].claims[0]
    assert claim.claimant == "Viatcheslav Gladkov" and claim.side == "Russia"
    assert "Armed Forces of Ukraine" not in (claim.claimant_role or "")


@pytest.mark.parametrize(
    ("lang", "text", "unit"),
    [
        ("en", "The 3rd Separate Assault Brigade said its troops had advanced near Klishchiivka.",
         "3rd Separate Assault Brigade"),
        ("ru", "На официальном канале 3-й отдельной штурмовой бригады сообщили, что бои под Клещеевкой продолжаются.",
         "3-й отдельной штурмовой бригады"),
    ],
)
def test_a_military_unit_speaks_under_its_name(lang: str, text: str, unit: str) -> None:
    found = claimants(text, lang)
    assert found and all(any(unit in n for n in names) for names in found)
