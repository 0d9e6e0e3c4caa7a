"""The editor of own cards and stories in the browser: who may write, drafts from a template or a bundled
card, saving without losing a text, the checks beside their lines, previews, review with four eyes,
publishing, history, withdrawing, and the file in and out."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bril.models import Draft, DraftComment, Publication, User, db
from support import PASSWORD
from support.library import CARD, STORY
from support.sessions import login

JSON = {"Accept": "application/json"}


@pytest.fixture
def people(app, make_user):
    """An author (procesbegeleider with the author flag), a beheerder, a plain procesbegeleider, and a
    beheerder of another organisation."""
    make_user("auteur@example.org", role="procesbegeleider")
    make_user("beheer@example.org", role="beheerder")
    make_user("begeleider@example.org", role="procesbegeleider")
    make_user("ander@example.org", role="beheerder", org="andere-gemeente")
    with app.app_context():
        db.session.scalar(select(User).filter_by(email="auteur@example.org")).author = True
        db.session.commit()
    return {name: login(app, f"{name}@example.org") for name in ("auteur", "beheer", "begeleider", "ander")}


def token(client, url: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def new_card(client, name: str = "eigen-kaart") -> int:
    response = client.submit("/eigen/nieuw/dilemma", {"naam": name}, page="/eigen/")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


def stored(app, draft_id: int) -> Draft:
    with app.app_context():
        draft = db.session.get(Draft, draft_id)
        db.session.expunge(draft)
        return draft


def save(client, draft_id: int, text: str, revision: int, json: bool = True):
    return client.post(f"/eigen/{draft_id}", data={"csrf_token": token(client, f"/eigen/{draft_id}"),
                                                    "tekst": text, "revisie": revision},
                       headers=JSON if json else {})


def test_a_beheerder_makes_a_user_author_and_only_writers_see_the_pages(app, people):
    assert people["begeleider"].get("/eigen/").status_code == 403
    with app.app_context():
        target = db.session.scalar(select(User).filter_by(email="begeleider@example.org")).id
    page = people["beheer"].get("/beheer/gebruikers").get_data(as_text=True)
    assert "Maak auteur" in page
    assert people["beheer"].submit(f"/beheer/gebruikers/{target}/auteur", {"auteur": "ja"},
                                   page="/beheer/gebruikers").status_code == 302
    assert people["begeleider"].get("/eigen/").status_code == 200
    assert "Eigen casussen" in people["begeleider"].get("/").get_data(as_text=True)
    people["beheer"].submit(f"/beheer/gebruikers/{target}/auteur", {"auteur": "nee"}, page="/beheer/gebruikers")
    assert people["begeleider"].get("/eigen/").status_code == 403


def test_a_new_card_starts_from_a_valid_text_and_shows_in_the_overview(app, people):
    draft_id = new_card(people["auteur"])
    page = people["auteur"].get(f"/eigen/{draft_id}").get_data(as_text=True)
    assert "Geen fouten gevonden." in page and "<svg" in page
    overview = people["auteur"].get("/eigen/").get_data(as_text=True)
    assert "eigen-kaart" in overview and "concept" in overview
    story = people["auteur"].submit("/eigen/nieuw/verhaal", {"naam": "eigen verhaal"}, page="/eigen/")
    assert "Geen fouten gevonden." in people["auteur"].get(story.location).get_data(as_text=True)


def test_a_taken_or_bundled_name_is_refused_and_the_typed_name_stays(app, people):
    new_card(people["auteur"])
    again = people["auteur"].submit("/eigen/nieuw/dilemma", {"naam": "eigen-kaart"}, page="/eigen/")
    assert again.status_code == 422 and "al een dilemmakaart met de naam" in again.get_data(as_text=True)
    assert 'value="eigen-kaart"' in again.get_data(as_text=True)
    bundled = people["auteur"].submit("/eigen/nieuw/dilemma", {"naam": CARD}, page="/eigen/")
    assert bundled.status_code == 422 and "hoort al bij een dilemmakaart van het platform" in bundled.get_data(as_text=True)


def test_an_own_version_of_a_bundled_card_copies_its_file(app, people):
    intro = people["auteur"].get(f"/dilemmas/{CARD}").get_data(as_text=True)
    assert "Maak een eigen versie" in intro
    assert "Maak een eigen versie" not in people["begeleider"].get(f"/dilemmas/{CARD}").get_data(as_text=True)
    response = people["auteur"].submit(f"/eigen/kopie/dilemma/{CARD}", {"naam": "voordeur-bij-ons"},
                                       page=f"/dilemmas/{CARD}")
    draft = stored(app, int(response.location.rsplit("/", 1)[1]))
    with app.app_context():
        bundled = (Path(app.config["DILEMMAS_DIR"]) / f"{CARD}.md").read_text(encoding="utf-8")
    assert draft.slug == "voordeur-bij-ons" and draft.text == bundled


def test_an_own_version_of_a_bundled_story_starts_from_its_intro(app, people):
    intro = people["auteur"].get(f"/verhalen/{STORY}").get_data(as_text=True)
    assert "Maak een eigen versie van dit verhaal" in intro
    assert "Maak een eigen versie" not in people["begeleider"].get(f"/verhalen/{STORY}").get_data(as_text=True)
    response = people["auteur"].submit(f"/eigen/kopie/verhaal/{STORY}", {"naam": "verhaal-bij-ons"},
                                       page=f"/verhalen/{STORY}")
    draft = stored(app, int(response.location.rsplit("/", 1)[1]))
    with app.app_context():
        bundled = (Path(app.config["STORIES_DIR"]) / f"{STORY}.md").read_text(encoding="utf-8")
    assert draft.slug == "verhaal-bij-ons" and draft.kind == "verhaal" and draft.text == bundled


def test_two_saves_from_the_same_revision_lose_no_text(app, people):
    draft_id = new_card(people["auteur"])
    first = stored(app, draft_id)
    mine = first.text.replace("Wat je ziet", "Wat jij ziet")
    answer = save(people["auteur"], draft_id, mine, first.revision)
    assert answer.status_code == 200 and answer.json["revisie"] == first.revision + 1
    assert re.fullmatch(r"\d\d:\d\d", answer.json["tijd"]) and answer.json["problemen"] == []
    theirs = first.text.replace("Wat je ziet", "Wat zij ziet")
    conflict = save(people["beheer"], draft_id, theirs, first.revision)
    assert conflict.status_code == 409 and conflict.json["conflict"]
    assert conflict.json["tekst"] == mine and "beide teksten" in conflict.json["melding"]
    assert stored(app, draft_id).text == mine
    page = save(people["beheer"], draft_id, theirs, first.revision, json=False)  # without JavaScript: both texts
    html = page.get_data(as_text=True)
    assert page.status_code == 409 and "Wat jij ziet" in html and "Wat zij ziet" in html
    assert f'name="revisie" value="{first.revision + 1}"' in html  # saving again is a choice over theirs
    assert save(people["beheer"], draft_id, theirs, first.revision + 1, json=False).status_code == 302
    assert stored(app, draft_id).text == theirs


def test_a_problem_is_listed_with_its_line_and_a_failing_draft_saves_but_cannot_go_to_review(app, people):
    draft_id = new_card(people["auteur"])
    draft = stored(app, draft_id)
    broken = draft.text.replace("→ einde-wachten", "→ nergens")
    line = broken.splitlines().index(next(l for l in broken.splitlines() if "→ nergens" in l)) + 1
    answer = save(people["auteur"], draft_id, broken, draft.revision)
    assert answer.status_code == 200
    assert any(p["regel"] == line and "nergens" in p["melding"] for p in answer.json["problemen"])
    page = people["auteur"].get(f"/eigen/{draft_id}").get_data(as_text=True)
    assert f'data-regel="{line}">Regel {line}</a>' in page
    people["auteur"].submit(f"/eigen/{draft_id}/aanbieden", page=f"/eigen/{draft_id}")
    assert stored(app, draft_id).state == "concept"


def test_preview_as_reader_and_a_solo_walk_from_any_step(app, people):
    draft_id = new_card(people["auteur"])
    preview = people["auteur"].get(f"/eigen/{draft_id}/voorbeeld").get_data(as_text=True)
    assert "Wat je ziet" in preview and "Loop de kaart alleen" in preview
    step = people["auteur"].get(f"/eigen/{draft_id}/voorbeeld/lopen/begin").get_data(as_text=True)
    assert "Je bespreekt het met een collega." in step
    chosen = people["auteur"].get(f"/eigen/{draft_id}/voorbeeld/lopen/begin?keuze=1").get_data(as_text=True)
    assert "Voor de cliënt" in chosen and "einde-samen" in chosen
    assert "Samen zie je meer." in people["auteur"].get(f"/eigen/{draft_id}/voorbeeld/lopen/einde-samen").get_data(as_text=True)
    assert people["auteur"].get(f"/eigen/{draft_id}/voorbeeld/lopen/bestaat-niet").status_code == 404


def test_review_with_four_eyes_comments_publish_history_and_withdraw(app, people):
    author, reviewer = people["auteur"], people["beheer"]
    draft_id = new_card(author)
    author.submit(f"/eigen/{draft_id}/aanbieden", page=f"/eigen/{draft_id}")
    assert stored(app, draft_id).state == "ter-beoordeling"
    own = author.submit(f"/eigen/{draft_id}/beoordelen", {"besluit": "goedkeuren"}, page=f"/eigen/{draft_id}")
    assert "je eigen tekst niet goedkeuren" in author.get(own.location).get_data(as_text=True)
    assert reviewer.submit(f"/eigen/{draft_id}/opmerking", {"veld": "regel 3", "opmerking": "Mail a@b.nl"},
                           page=f"/eigen/{draft_id}").status_code == 422
    reviewer.submit(f"/eigen/{draft_id}/opmerking", {"veld": "regel 3", "opmerking": "Kortere zin graag."},
                    page=f"/eigen/{draft_id}")
    reviewer.submit(f"/eigen/{draft_id}/beoordelen", {"besluit": "terugsturen"}, page=f"/eigen/{draft_id}")
    assert stored(app, draft_id).state == "teruggestuurd"
    assert "Kortere zin graag." in author.get(f"/eigen/{draft_id}").get_data(as_text=True)
    author.submit(f"/eigen/{draft_id}/aanbieden", page=f"/eigen/{draft_id}")
    reviewer.submit(f"/eigen/{draft_id}/beoordelen", {"besluit": "goedkeuren", "revisie": stored(app, draft_id).revision},
                    page=f"/eigen/{draft_id}")
    author.submit(f"/eigen/{draft_id}/publiceren", page=f"/eigen/{draft_id}")
    assert stored(app, draft_id).state == "gepubliceerd"
    own = author.get("/dilemmas/eigen-kaart")
    assert own.status_code == 200
    assert "Maak een eigen versie" not in own.get_data(as_text=True)  # only a bundled file can be copied
    draft = stored(app, draft_id)
    save(author, draft_id, draft.text.replace("Samen zie je meer.", "Samen zie je veel meer."), draft.revision)
    author.submit(f"/eigen/{draft_id}/aanbieden", page=f"/eigen/{draft_id}")
    reviewer.submit(f"/eigen/{draft_id}/beoordelen", {"besluit": "goedkeuren", "revisie": stored(app, draft_id).revision},
                    page=f"/eigen/{draft_id}")
    reviewer.submit(f"/eigen/{draft_id}/publiceren", page=f"/eigen/{draft_id}")
    history = author.get(f"/eigen/{draft_id}/geschiedenis?van=1&naar=2").get_data(as_text=True)
    assert "Versie 2" in history and "beheer@example.org" in history
    assert "-Samen zie je meer." in history and "+Samen zie je veel meer." in history
    with app.app_context():
        newest = db.session.scalar(select(Publication).filter_by(number=2)).id
    author.submit(f"/eigen/versie/{newest}/intrekken", page=f"/eigen/{draft_id}/geschiedenis")
    with app.app_context():
        assert db.session.get(Publication, newest).withdrawn
        assert db.session.scalar(select(DraftComment.body)) == "Kortere zin graag."


def test_download_and_upload_a_file_with_the_checks_of_the_import(app, people):
    draft_id = new_card(people["auteur"])
    download = people["auteur"].get(f"/eigen/{draft_id}/download")
    assert download.headers["Content-Disposition"] == 'attachment; filename="eigen-kaart.md"'
    text = download.get_data(as_text=True).replace("rol: wijkteam", "rol: kapitein")
    answer = people["auteur"].post(f"/eigen/{draft_id}/upload", data={
        "csrf_token": token(people["auteur"], f"/eigen/{draft_id}"),
        "bestand": (io.BytesIO(text.encode()), "kaart.md")}, content_type="multipart/form-data")
    assert answer.status_code == 302
    page = people["auteur"].get(f"/eigen/{draft_id}").get_data(as_text=True)
    assert "de rol `kapitein` bestaat niet." in page and "1 fout(en) gevonden" in page
    wrong = people["auteur"].post(f"/eigen/{draft_id}/upload", data={
        "csrf_token": token(people["auteur"], f"/eigen/{draft_id}"),
        "bestand": (io.BytesIO(b"x"), "kaart.txt")}, content_type="multipart/form-data")
    assert "eindigt op .md" in people["auteur"].get(wrong.location).get_data(as_text=True)


def test_another_organisation_finds_no_draft_or_version(app, people):
    draft_id = new_card(people["auteur"])
    assert people["ander"].get(f"/eigen/{draft_id}").status_code == 404
    assert people["ander"].get(f"/eigen/{draft_id}/download").status_code == 404
    assert "eigen-kaart" not in people["ander"].get("/eigen/").get_data(as_text=True)


def test_an_approval_holds_only_for_the_text_the_reviewer_read(app, people):
    author, reviewer = people["auteur"], people["beheer"]
    draft_id = new_card(author)
    author.submit(f"/eigen/{draft_id}/aanbieden", page=f"/eigen/{draft_id}")
    read = stored(app, draft_id).revision  # the reviewer opens the text ...
    draft = stored(app, draft_id)
    save(author, draft_id, draft.text.replace("Samen zie je meer.", "Samen zie je alles."), draft.revision)
    refused = reviewer.submit(f"/eigen/{draft_id}/beoordelen", {"besluit": "goedkeuren", "revisie": read},
                              page=f"/eigen/{draft_id}")  # ... and approves after the author changed it
    assert "veranderd nadat je hem opende" in reviewer.get(refused.location).get_data(as_text=True)
    assert stored(app, draft_id).state == "ter-beoordeling"
