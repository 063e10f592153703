"""Persons and organisations from the Ukrainian/Russian name finders, and how their finds are merged."""

from __future__ import annotations

from sitrep.model import Document, Mention
from sitrep.pipeline import Pipeline
from sitrep.stages import language, sentences
from sitrep.stages.entities import Entities
from sitrep.stages.names import entities, new_mentions


def _m(kind: str, start: int, end: int, rule: str = "test") -> Mention:
    return Mention(kind, start, end, "x" * (end - start), 0, "x", rule)


def test_new_mentions_drops_what_overlaps_a_mention_of_the_same_kind() -> None:
    found = [_m("person", 10, 20), _m("org", 30, 40)]
    more = [
        _m("person", 15, 25),  # overlaps the person: dropped
        _m("person", 20, 24),  # touches it only: kept
        _m("org", 12, 18),  # overlaps a person, not an org: kept
        _m("person", 35, 38),  # overlaps an org, not a person: kept
        _m("org", 39, 45),  # overlaps the org: dropped
    ]
    assert new_mentions(found, more) == [more[1], more[2], more[3]]


def test_new_mentions_of_some_kinds_only() -> None:
    found = [_m("person", 10, 20), _m("org", 30, 40)]
    more = [_m("org", 0, 5), _m("person", 50, 60), _m("person", 12, 14), _m("person", 32, 34)]
    assert new_mentions(found, more, kinds={"person"}) == [more[1], more[3]]
    assert new_mentions([], more, kinds={"org"}) == [more[0]]


TEXT = "Денис Пушилин сообщил, что ВСУ обстреляли Горловку."


def test_natasha_adds_persons_and_orgs_to_a_sentence_the_patterns_found_nothing_in() -> None:
    found = entities(TEXT, "ru", offset=100, sentence=3)
    assert [(m.kind, m.text, m.rule, m.start, m.sentence) for m in found] == [
        ("person", "Денис Пушилин", "natasha", 100, 3),
        ("org", "ВСУ", "natasha", 100 + TEXT.index("ВСУ"), 3),
    ]


def test_the_entities_stage_takes_natashas_persons_only() -> None:
    analysis = Pipeline([language.Language(), sentences.Sentences(), Entities()]).analyse(
        Document(text=f"Обстрел продолжался всю ночь. {TEXT}", lang="ru")
    )
    start = analysis.document.text.index("Денис")
    assert [(m.kind, m.text, m.rule, m.start, m.sentence) for m in analysis.of_kind("person")] == [
        ("person", "Денис Пушилин", "natasha", start, 1)
    ]
    assert analysis.of_kind("org") == []


def test_claimants_in_cyrillic_are_romanised_and_their_regions_named_in_english() -> None:
    from sitrep.stages.claims import latin_name, region_name

    assert latin_name("Роман Мрочко", "uk") == "Roman Mrochko"
    assert latin_name("Денис Пушилин", "ru") == "Denis Pushilin"
    assert latin_name("Oleh Syniehubov", "uk") == "Oleh Syniehubov"
    # an oblast's adjective or a city, in any case, is named as the English record names it
    assert region_name("Донецької") == "Donetsk"
    assert region_name("Запорожской") == "Zaporizhzhia"
    assert region_name("Харкова") == "Kharkiv"
    assert region_name("Kharkiv") == "Kharkiv"
