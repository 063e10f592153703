"""The sources file and ``sitrep sources add|list|remove``: where it is, what it accepts, the errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.cli import main
from sitrep.errors import SourcesError
from sitrep.sources.config import load_sources, make_source, parse_duration, resolve_sources_path


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITREP_SOURCES", raising=False)


def test_add_list_remove_keep_the_comments_of_a_hand_edited_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "sources.toml"
    file.write_text('# my sources\n[settings]\nevery = "30m"  # be gentle\n', encoding="utf-8")
    args = ["--sources", str(file)]
    assert main(["sources", "add", "kyiv", "https://example.org/rss/", "--kind", "rss", "--lang", "en",
                 "--outlet", "Kyiv Paper", "--every", "10m", *args]) == 0
    assert main(["sources", "add", "gs", "t.me/GeneralStaffZSU", "--kind", "telegram", "--lang", "uk", *args]) == 0
    assert main(["sources", "add", "exports", str(tmp_path / "tg"), "--kind", "telegram-export", *args]) == 0
    text = file.read_text(encoding="utf-8")
    assert text.startswith("# my sources\n") and "# be gentle" in text
    capsys.readouterr()
    assert main(["sources", "list", *args]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["kyiv", "rss", "every", "10m", "https://example.org/rss/", "en", "(Kyiv", "Paper)"]
    assert out[1].split()[:5] == ["gs", "telegram", "every", "30m", "https://t.me/s/GeneralStaffZSU"]
    assert main(["sources", "list", "--format", "json", *args]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == ["kyiv", "gs", "exports"] and rows[0]["every_s"] == 600
    assert main(["sources", "remove", "gs", *args]) == 0
    assert [s.name for s in load_sources(file).sources] == ["kyiv", "exports"]
    assert "# be gentle" in file.read_text(encoding="utf-8")
    assert main(["sources", "remove", "gs", *args]) == 1
    assert "no source named 'gs'" in capsys.readouterr().err
    assert main(["sources", "add", "kyiv", "https://example.org/other", "--kind", "rss", *args]) == 1
    assert "exists" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("address", "kind", "message"),
    [
        ("feeds/kyiv.xml", "rss", "needs an http:// or https:// address"),
        ("https://example.org/export", "telegram-export", "is a folder, not a URL"),
        ("https://example.org/channel", "telegram", "expected a public channel"),
    ],
)
def test_an_address_of_the_wrong_sort_is_a_usage_error(
    address: str, kind: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "sources.toml"
    assert main(["sources", "add", "x1", address, "--kind", kind, "--sources", str(file)]) == 2
    assert message in capsys.readouterr().err
    assert not file.exists()


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('[sources.a]\nkind = "rss"\nurl = "https://e.org/rss"\n\n[sources.b\n', 5, "not valid TOML"),
        ('[settings]\nevery = "soon"\n', 2, "setting every: 'soon' is not a duration"),
        ('[settings]\npace = 3\n', 2, "unknown setting 'pace'"),
        ('\n[sources.a]\nkind = "rss"\nurl = "https://e.org/rss"\n\n[sources.b]\nkind = "feed"\nurl = "x"\n', 6,
         "source 'b': kind 'feed'"),
        ('[sources.a]\nkind = "rss"\n', 1, "source 'a' has no url"),
        ('[sources.a]\nkind = "rss"\nurl = "https://e.org/"\nlang = "de"\n', 1, "lang 'de'"),
        ('[sources.a]\nkind = "page"\nurl = "https://e.org/"\nlinks = "("\n', 1, "not a regular expression"),
        ('[source.a]\nkind = "rss"\n', 1, "unknown table 'source'"),
    ],
)
def test_a_bad_sources_file_is_reported_with_its_line(text: str, where: int, message: str, tmp_path: Path) -> None:
    file = tmp_path / "sources.toml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError) as e:
        load_sources(file)
    assert str(e.value).startswith(f"{file}:{where}: ") and message in str(e.value)


def test_watch_reports_a_missing_or_bad_file_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["watch", "--once", "--sources", str(tmp_path / "none.toml"), "--db", str(tmp_path / "s.db")]) == 1
    assert "no sources file" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text("[sources.a]\nkind = \n", encoding="utf-8")
    assert main(["watch", "--once", "--sources", str(bad), "--db", str(tmp_path / "s.db")]) == 1
    assert f"{bad}:2: not valid TOML" in capsys.readouterr().err


def test_where_the_sources_file_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert resolve_sources_path() == tmp_path / "config" / "sitrep" / "sources.toml"
    monkeypatch.setenv("SITREP_SOURCES", str(tmp_path / "env.toml"))
    assert resolve_sources_path() == tmp_path / "env.toml"
    assert resolve_sources_path(tmp_path / "flag.toml") == tmp_path / "flag.toml"


def test_durations_and_telegram_addresses() -> None:
    assert [parse_duration(v) for v in ("90s", "15m", "2h", "1d", "250ms", 30)] == [90, 900, 7200, 86400, 0.25, 30]
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration("15 minutes")
    for address in ("t.me/rybar", "@rybar", "https://t.me/s/rybar", "https://telegram.me/rybar/"):
        assert make_source("r", address, kind="telegram").url == "https://t.me/s/rybar"


def test_the_readme_sources_file_is_valid(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n[settings]", 1)[1].split("```", 1)[0]
    file = tmp_path / "sources.toml"
    file.write_text("[settings]" + block, encoding="utf-8")
    config = load_sources(file)
    langs = {s.lang for s in config.sources}
    kinds = {s.kind for s in config.sources}
    assert langs == {"en", "fr", "uk", "ru", None} and kinds == {"rss", "page", "telegram", "telegram-export"}
    assert config.settings.user_agent.startswith("sitrep/")


def test_an_export_folder_is_relative_to_the_sources_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    file = conf / "sources.toml"
    file.write_text('[sources.tg]\nkind = "telegram-export"\npath = "exports"\n', encoding="utf-8")
    assert load_sources(file).get("tg").path == str(conf / "exports")
    monkeypatch.chdir(tmp_path)
    assert main(["sources", "add", "tg2", "dumps", "--kind", "telegram-export", "--sources", str(file)]) == 0
    assert load_sources(file).get("tg2").path == str(tmp_path / "dumps")
