"""The content loader: bundled content passes, every kind of mistake is reported with file and line."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import ROOT, create_app
from bril.content import ContentInvalid, format_report, load_library
from support.library import BUNDLED_CONTENT

CONTENT = Path(__file__).parent / "content"
ROUTES = CONTENT / "wie-is-hiervan.yaml"

BROKEN = {
    "bad-yaml-header": (2, "de kop kan niet worden gelezen"),
    "no-header": (1, "moet beginnen met een regel met alleen `---`"),
    "header-not-closed": (1, "de kop wordt niet afgesloten"),
    "missing-title": (2, "het veld `titel` ontbreekt"),
    "unknown-theme": (10, "het thema `tuinieren` bestaat niet"),
    "unknown-field": (16, "het veld `bronn` ken ik niet. Bedoel je `bron`?"),
    "unknown-role": (12, "de rol `politie` bestaat niet"),
    "unknown-meldroute": (14, "`mensenhandel` bestaat niet"),
    "unknown-dilemma": (16, "de dilemmakaart `bestaat-niet` bestaat niet"),
    "signal-without-explanation": (21, "het signaal `post` heeft geen uitleg"),
    "explanation-without-signal": (27, "de uitleg `extra` hoort bij geen enkel signaal"),
    "empty-scene": (28, "de scène `Leeg` is leeg"),
    "duplicate-signal-name": (30, "de naam `post` wordt ook gebruikt voor het signaal op regel 21"),
    "marker-without-name": (21, "mist een naam"),
    "unclosed-marker": (21, "er staat `[[` zonder zijn partner"),
    "too-few-scenes": (19, "een verhaal heeft 3 tot 6 scènes"),
    "missing-view": (52, "het kopje `# Blik van de professional` ontbreekt"),
    "questions-incomplete": (51, "er ontbreekt een vraag over dader of slachtoffer"),
    "unknown-heading": (47, "het kopje `# Achtergrond` ken ik niet"),
    "scene-all-signals": (38, "is elke zin een signaal"),
    "not-utf8": (19, "niet opgeslagen als UTF-8"),
}


def load_single(tmp_path: Path, source: Path):
    stories = tmp_path / "stories"
    stories.mkdir()
    shutil.copy(source, stories / source.name)
    return load_library(stories, tmp_path / "dilemmas", ROUTES, tmp_path)


def test_bundled_content_loads_without_problems():
    library = BUNDLED_CONTENT.load()  # parsed once per run; loading asserts that there are no problems
    assert set(library.stories) == {"jeffrey", "harrie", "kacper", "tristan", "kitty"}


def test_bundled_stories_follow_the_content_rules():
    library = BUNDLED_CONTENT.load()
    for story in library.stories.values():
        assert 3 <= len(story.scenes) <= 6, story.slug
        assert 4 <= len(story.questions) <= 6, story.slug
        assert story.view and story.source and story.roles and story.themes, story.slug
        for scene in story.scenes:
            assert scene.signals, (story.slug, scene.number)
            assert any(p.signal is None for p in scene.passages), (story.slug, scene.number)


def test_bundled_content_holds_no_personal_data():
    from bril.privacy import find_personal_data
    for path in [*sorted((ROOT / "stories").glob("*.md")), ROOT / "wie-is-hiervan.yaml"]:
        findings = find_personal_data(path.read_text(encoding="utf-8"))
        assert findings == [], (path.name, findings)


def test_valid_fixture_story_parses_into_scenes_passages_and_signals():
    library, problems = load_library(CONTENT / "valid", CONTENT / "none", ROUTES, CONTENT)
    assert problems == []
    anna = library.stories["anna"]
    assert anna.title == "Anna: een testverhaal" and anna.name == "Anna" and anna.age == "30"
    assert [scene.title for scene in anna.scenes] == ["De brievenbus", "De telefoon", "De buurman"]
    first = anna.scenes[0]
    assert [str(p.html) for p in first.passages] == [
        "Anna woont alleen.", "Haar brievenbus puilt uit met ongeopende brieven.", "Ze drinkt koffie bij het raam.",
        "Het regent."]
    assert [(s.id, s.passage) for s in first.signals] == [("post", "2")]
    assert "schuldeisers" in anna.scenes[1].signals[0].explanation  # continuation line joined
    assert anna.meldroutes == ("schulden",) and anna.signal_count == 3


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_story_is_reported_with_file_line_and_message(tmp_path, case):
    line, message = BROKEN[case]
    library, problems = load_single(tmp_path, CONTENT / "broken" / f"{case}.md")
    assert library is None
    matching = [p for p in problems if message in p.message]
    assert matching, [str(p) for p in problems]
    assert matching[0].path == f"stories/{case}.md"
    assert matching[0].line == line


def test_every_broken_fixture_has_a_case():
    assert {path.stem for path in (CONTENT / "broken").glob("*.md")} == set(BROKEN)


def test_duplicate_slug_in_subfolders_is_reported():
    library, problems = load_library(CONTENT / "duplicate-slug", CONTENT / "none", ROUTES, CONTENT)
    assert library is None
    assert [(p.path, p.line) for p in problems] == [("duplicate-slug/b/Dubbel.md", 1)]
    assert "dezelfde naam (`dubbel`)" in problems[0].message


def test_all_mistakes_in_all_files_are_reported_at_once(tmp_path):
    stories = tmp_path / "stories"
    stories.mkdir()
    for case in ("unknown-role", "missing-view", "unknown-meldroute"):
        shutil.copy(CONTENT / "broken" / f"{case}.md", stories)
    _, problems = load_library(stories, tmp_path / "dilemmas", ROUTES, tmp_path)
    assert {p.path for p in problems} == {f"stories/{c}.md" for c in ("unknown-role", "missing-view",
                                                                       "unknown-meldroute")}


def test_broken_meldroute_file_is_reported(tmp_path):
    routes = tmp_path / "wie.yaml"
    routes.write_text(ROUTES.read_text().replace("      - wie: Schuldhulpverlening\n        hoe: Meld de persoon aan.\n",
                                                 ""))
    _, problems = load_library(CONTENT / "valid", CONTENT / "none", routes, tmp_path)
    messages = [str(p) for p in problems]
    assert "wie.yaml, regel 13: de meldroute heeft geen `contacten`" in messages[-1]
    assert any("anna.md" in m and "`schulden` bestaat niet" in m for m in messages), messages


def test_duplicate_meldroute_key_is_reported(tmp_path):
    routes = tmp_path / "wie.yaml"
    routes.write_text(ROUTES.read_text().replace("sleutel: schulden", "sleutel: niet-pluis"))
    _, problems = load_library(CONTENT / "valid", CONTENT / "none", routes, tmp_path)
    assert any(p.path == "wie.yaml" and p.line == 10 and "staat er twee keer in" in p.message for p in problems)


def test_report_lists_problems_sorted_and_counted(tmp_path):
    _, problems = load_single(tmp_path, CONTENT / "broken" / "signal-without-explanation.md")
    report = format_report(problems)
    assert report.startswith("De inhoud is niet in orde: 2 fouten gevonden.")
    assert report.index("regel 21") < report.index("regel 26")
    assert "docs/auteurs.md" in report


def test_app_refuses_to_start_on_broken_content(tmp_path, capsys):
    stories = tmp_path / "stories"
    stories.mkdir()
    shutil.copy(CONTENT / "broken" / "unknown-role.md", stories)
    with pytest.raises(ContentInvalid) as raised:
        create_app({"TESTING": True, "SECRET_KEY": "x", "STORIES_DIR": stories, "MELDROUTE_FILE": ROUTES,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    assert raised.value.code == 1
    assert "de rol `politie` bestaat niet" in capsys.readouterr().err


def test_every_theme_of_the_bundled_content_has_a_dutch_name_and_one_spelling():
    from bril.content.themes import THEMES, theme_key
    library = BUNDLED_CONTENT.load()
    used = {t for item in [*library.stories.values(), *library.dilemmas.values()] for t in item.themes}
    assert used <= set(THEMES)
    assert theme_key("Dader of slachtoffer") == theme_key("dader-of-slachtoffer") == "dader-of-slachtoffer"
    assert theme_key("Financiële  uitbuiting") == "financiele-uitbuiting"
    # A name a reader sees starts with a capital and is not the key itself.
    assert all(name[0].isupper() for name in THEMES.values())
