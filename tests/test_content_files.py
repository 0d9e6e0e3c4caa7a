"""Files stay first-class: `flask content import` reads files into an organisation's drafts with the messages of
`flask content check`, `--publish` publishes what passes, `flask content export` writes the same files back."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from app import ROOT
from bril import reporting
from bril.content import load_library
from bril.content_files import export, import_files
from bril.libraries import library_for
from bril.models import Draft, Organisation, Publication, db
from support.library import BUNDLED_CONTENT, freeze

CONTENT = Path(__file__).parent / "content"
BUNDLED_FILES = [*sorted((ROOT / "stories").glob("*.md")), *sorted((ROOT / "dilemmas").glob("*.md"))]


def organisation(app, make_org, routes: Path) -> Organisation:
    """The test organisation, with the reporting routes of a file as its own "Wie is hiervan?"."""
    organisation_id = make_org()
    found = db.session.get(Organisation, organisation_id)
    data = yaml.safe_load(routes.read_text(encoding="utf-8"))
    assert reporting.save(found, {"inleiding": data.get("inleiding") or "", "routes": data["routes"]}) == []
    return found


def test_all_bundled_files_imported_and_exported_again_parse_to_the_same_content(app, make_org, tmp_path):
    assert len(BUNDLED_FILES) == 35
    with app.app_context():
        org = organisation(app, make_org, ROOT / "wie-is-hiervan.yaml")
        result = import_files(org, BUNDLED_FILES, publish=True, root=ROOT)
        assert result.problems == []
        assert len(result.drafts) == len(result.published) == 35
        assert db.session.scalar(select(func.count()).select_from(Publication)) == 35
        written = export(org, tmp_path)
        assert len(written) == 35
        own = library_for(org.id)
    exported, problems = load_library(tmp_path / "stories", tmp_path / "dilemmas", ROOT / "wie-is-hiervan.yaml",
                                      tmp_path)
    assert problems == []
    bundled = BUNDLED_CONTENT.load()
    assert freeze(exported.stories) == bundled.stories
    assert freeze(exported.dilemmas) == bundled.dilemmas
    # The organisation's library holds them too, parsed from the published versions, beside the fixture library.
    assert {slug: own.stories[slug] for slug in bundled.stories} == bundled.stories
    assert {slug: own.dilemmas[slug] for slug in bundled.dilemmas} == bundled.dilemmas
    assert {"ruben", "bankpas"} <= set(own.stories) | set(own.dilemmas)


def broken_cases() -> list[Path]:
    return [*sorted((CONTENT / "broken").glob("*.md")), *sorted((CONTENT / "dilemmas" / "broken").glob("*.md"))]


@pytest.mark.parametrize("path", broken_cases(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_broken_file_gives_through_import_the_message_of_content_check(app, make_org, tmp_path, path):
    folder = "dilemmas" if path.parent.parent.name == "dilemmas" else "stories"
    files = tmp_path / folder
    files.mkdir()
    shutil.copy(path, files / path.name)
    # `flask content check` on this file, with the fixture library's other files beside it.
    library = tmp_path / "library"
    shutil.copytree(CONTENT / "library", library)
    shutil.copy(path, library / folder / path.name)
    _, checked = load_library(library / "stories", library / "dilemmas", CONTENT / "wie-is-hiervan.yaml", tmp_path)
    expected = sorted((p.line, p.message) for p in checked if p.path.endswith(f"{folder}/{path.name}"))
    assert expected, "elke kapotte fixture geeft minstens één melding"
    with app.app_context():
        org = organisation(app, make_org, CONTENT / "wie-is-hiervan.yaml")
        result = import_files(org, [files / path.name], root=tmp_path)
        imported = sorted((p.line, p.message) for p in result.problems)
        assert all(p.path == f"{folder}/{path.name}" for p in result.problems)
        assert db.session.scalar(select(func.count()).select_from(Publication)) == 0
    assert imported == expected


def own_card(tmp_path: Path, slug: str = "eigen-voordeur") -> Path:
    """A card of the organisation's own: the fixture card `voordeur` under another name."""
    path = tmp_path / "dilemmas" / f"{slug}.md"
    path.parent.mkdir(exist_ok=True)
    shutil.copy(CONTENT / "library" / "dilemmas" / "voordeur.md", path)
    return path


def test_import_without_publish_keeps_drafts_and_publishes_nothing(app, make_org, tmp_path):
    card = own_card(tmp_path)
    with app.app_context():
        org = db.session.get(Organisation, make_org())
        result = import_files(org, [card])
        assert result.problems == [] and result.published == []
        [draft] = db.session.scalars(select(Draft)).all()
        assert (draft.kind, draft.slug, draft.state) == ("dilemma", "eigen-voordeur", "concept")
        assert draft.text == card.read_text(encoding="utf-8")
        assert "eigen-voordeur" not in library_for(org.id).dilemmas


def test_a_file_with_the_name_of_a_bundled_card_is_refused_with_a_dutch_message(app, make_org, tmp_path):
    copy = own_card(tmp_path, "bankpas")
    with app.app_context():
        org = db.session.get(Organisation, make_org())
        result = import_files(org, [copy], publish=True, root=tmp_path)
        assert [(p.path, p.line) for p in result.problems] == [("dilemmas/bankpas.md", 1)]
        assert "de naam `bankpas` hoort al bij een dilemmakaart van het platform" in result.problems[0].message
        assert result.drafts == [] and db.session.scalar(select(func.count()).select_from(Draft)) == 0


def test_nothing_is_published_that_names_a_broken_file(app, make_org, tmp_path):
    for path in BUNDLED_FILES:
        (tmp_path / path.parent.name).mkdir(exist_ok=True)
        shutil.copy(path, tmp_path / path.parent.name / path.name)
    broken = tmp_path / "dilemmas" / "pas-uitgeleend.md"
    broken.write_text(broken.read_text().replace("titel:", "titl:", 1))
    naming = {path.stem for path in (tmp_path / "stories").glob("*.md") if "pas-uitgeleend" in path.read_text()}
    assert naming
    with app.app_context():
        org = organisation(app, make_org, ROOT / "wie-is-hiervan.yaml")
        result = import_files(org, sorted(tmp_path.rglob("*.md")), publish=True, root=tmp_path)
        published = {d.slug for d in result.published}
        own = library_for(org.id)
        assert set(own.stories) | set(own.dilemmas) >= published
    # The stories are fine as files (the card's file is there), so only the card has a message; but publishing
    # them would point to a card that is not published.
    assert {p.path for p in result.problems} == {"dilemmas/pas-uitgeleend.md"}
    assert not published & ({"pas-uitgeleend"} | naming)
    assert 0 < len(published) < 34


def test_cli_import_and_export(app, runner, make_org, tmp_path):
    card = own_card(tmp_path)
    make_org()
    result = runner.invoke(args=["content", "import", "--org", "testgemeente", "--publish", str(card),
                                 str(CONTENT / "broken" / "no-header.md")])
    assert result.exit_code == 1
    assert "2 van 2 bestanden ingelezen als concept, 1 gepubliceerd." in result.output
    assert "no-header.md, regel 1: het bestand moet beginnen met een regel met alleen `---`" in result.output
    result = runner.invoke(args=["content", "export", "--org", "testgemeente", str(tmp_path / "uit")])
    assert result.exit_code == 0, result.output
    assert "1 bestand geschreven" in result.output
    assert (tmp_path / "uit" / "dilemmas" / "eigen-voordeur.md").read_text() == card.read_text()
    result = runner.invoke(args=["content", "export", "--org", "bestaat-niet", str(tmp_path)])
    assert result.exit_code == 2 and "er is geen organisatie met korte naam bestaat-niet" in result.output
