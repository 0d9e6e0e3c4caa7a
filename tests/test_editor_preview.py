"""The live room's screens for a draft card (editor_room.py): every step and phase renders through the live
templates from a moment built from the draft, with no session started; only writers of the draft's own
organisation see them, and a draft that fails the checks has no room preview yet."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from bril.models import Draft, Workshop, db
from support.sessions import login


@pytest.fixture
def writers(app, make_user):
    make_user("zaal@example.org", role="beheerder")
    make_user("elders@example.org", role="beheerder", org="andere-gemeente")
    return login(app, "zaal@example.org"), login(app, "elders@example.org")


def test_every_step_and_phase_shows_as_the_projector_and_a_phone_show_it(app, writers):
    mine, _ = writers
    created = mine.submit("/eigen/nieuw/dilemma", {"naam": "zaal-kaart"}, page="/eigen/")
    draft_id = int(created.location.rsplit("/", 1)[1])
    page = mine.get(f"/eigen/{draft_id}/voorbeeld/zaal").get_data(as_text=True)
    links = [link.replace("&amp;", "&") for link in re.findall(r'href="(/eigen/\d+/voorbeeld/zaal/[^"]+)"', page)]
    assert len(links) == 14  # step begin: situation, vote, result, two consequences; two endings; × two screens
    shown = {link: mine.get(link) for link in links}
    assert all(r.status_code == 200 for r in shown.values())
    vote = shown[f"/eigen/{draft_id}/voorbeeld/zaal/begin/stemmen/telefoon"].get_data(as_text=True)
    assert 'class="vote-option"' in vote and "Je wacht af." in vote and "__CSRF__" not in vote
    projector = shown[f"/eigen/{draft_id}/voorbeeld/zaal/begin/stemmen/projector"].get_data(as_text=True)
    assert 'class="screen-options"' in projector and "<span data-stemmen>0</span> van 0</strong>" in projector
    consequence = shown[f"/eigen/{draft_id}/voorbeeld/zaal/begin/gevolg/projector?optie=2"].get_data(as_text=True)
    assert "B. Je wacht af." in consequence and "Wat merkt de cliënt hiervan?" in consequence
    ending = shown[f"/eigen/{draft_id}/voorbeeld/zaal/einde-samen/einde/projector"].get_data(as_text=True)
    assert "Samen kijken" in ending and "Einde van de kaart" in ending
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Workshop)) == 0


def test_no_preview_for_a_broken_card_a_wrong_step_or_another_organisation(app, writers):
    mine, theirs = writers
    created = mine.submit("/eigen/nieuw/dilemma", {"naam": "zaal-stuk"}, page="/eigen/")
    draft_id = int(created.location.rsplit("/", 1)[1])
    address = f"/eigen/{draft_id}/voorbeeld/zaal/begin/situatie/projector"
    assert theirs.get(address).status_code == 404
    assert theirs.get(f"/eigen/{draft_id}/voorbeeld/zaal").status_code == 404
    assert mine.get(f"/eigen/{draft_id}/voorbeeld/zaal/nergens/situatie/projector").status_code == 404
    assert mine.get(f"/eigen/{draft_id}/voorbeeld/zaal/begin/einde/projector").status_code == 404
    assert mine.get(f"/eigen/{draft_id}/voorbeeld/zaal/begin/gevolg/telefoon?optie=5").status_code == 404
    with app.app_context():
        draft = db.session.get(Draft, draft_id)
        draft.text = draft.text.replace("→ einde-wachten", "→ nergens")
        db.session.commit()
    assert mine.get(address).status_code == 404
    assert "eerst moeten de fouten uit de tekst" in mine.get(f"/eigen/{draft_id}/voorbeeld/zaal").get_data(as_text=True)


def test_a_phone_of_a_role_shows_its_puzzle_piece(app, writers):
    mine, _ = writers
    created = mine.submit("/eigen/nieuw/dilemma", {"naam": "zaal-stukjes"}, page="/eigen/")
    draft_id = int(created.location.rsplit("/", 1)[1])
    with app.app_context():
        draft = db.session.get(Draft, draft_id)
        draft.text = draft.text.replace("- Wie is hiervan?\n", "- Wie is hiervan?\n\n## Puzzelstukjes\n\n"
                                        "- wijkagent: Op dit adres kwamen vaker meldingen binnen.\n", 1)
        db.session.commit()
    page = mine.get(f"/eigen/{draft_id}/voorbeeld/zaal").get_data(as_text=True)
    assert "Puzzelstukje van" in page
    phone = mine.get(f"/eigen/{draft_id}/voorbeeld/zaal/begin/situatie/telefoon?rol=wijkagent").get_data(as_text=True)
    assert "Wat alleen jij weet als" in phone and "vaker meldingen" in phone
    projector = mine.get(f"/eigen/{draft_id}/voorbeeld/zaal/begin/situatie/projector?rol=wijkagent")
    assert "piece-note" in projector.get_data(as_text=True) and "vaker meldingen" not in projector.get_data(as_text=True)
    assert mine.get(f"/eigen/{draft_id}/voorbeeld/zaal/begin/situatie/telefoon?rol=leerkracht").status_code == 404
