"""The room preview's phone while voting (editor_room.py): its buttons come back to the preview, which shows the
phone as it looks after that vote (the option pressed, the sentence a real phone shows), with no session
touched; an option the step does not have is not found. The live room's own phone still posts to its session."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from bril.models import Vote, Workshop, db
from support.sessions import login


@pytest.fixture
def voting(app, make_user):
    """A new draft card's phone preview while voting: the client and its address."""
    make_user("zaal@example.org", role="beheerder")
    writer = login(app, "zaal@example.org")
    created = writer.submit("/eigen/nieuw/dilemma", {"naam": "zaal-stem"}, page="/eigen/")
    return writer, f"/eigen/{int(created.location.rsplit('/', 1)[1])}/voorbeeld/zaal/begin/stemmen/telefoon"


def pressed(html: str) -> list[str]:
    """The values of the vote buttons shown as pressed."""
    return re.findall(r'name="optie" value="(\d)" class="vote-option[^"]*" aria-pressed="true"', html)


def test_pressing_an_option_shows_the_phone_after_the_vote_and_writes_nothing(app, voting):
    writer, address = voting
    before = writer.get(address).get_data(as_text=True)
    assert f'<form method="get" action="{address}" class="vote-buttons">' in before
    assert "/live/" not in before and "csrf_token" not in before.split('class="vote-buttons"')[1].split("</form>")[0]
    assert pressed(before) == [] and "Je stem is anoniem." in before
    assert "druk op een optie en je ziet wat de\n    telefoon na het stemmen laat zien" in before

    after = writer.get(f"{address}?optie=2").get_data(as_text=True)
    assert pressed(after) == ["2"]
    assert "Je stem is binnen: B. Je kunt nog wisselen tot de stemming sluit." in after
    assert f'href="{address}">Zonder stem bekijken</a>' in after
    passed = writer.get(f"{address}?optie=0").get_data(as_text=True)
    assert pressed(passed) == ["0"] and "Je stem is binnen: je past." in passed
    assert writer.get(f"{address}?optie=3").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Workshop)) == 0
        assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_a_consequence_still_reads_its_option_and_only_the_voting_phone_invites_a_press(app, voting):
    writer, address = voting
    consequence = writer.get(address.replace("/stemmen/telefoon", "/gevolg/telefoon") + "?optie=2")
    assert consequence.status_code == 200 and "Je wacht af." in consequence.get_data(as_text=True)
    situation = writer.get(address.replace("/stemmen/", "/situatie/")).get_data(as_text=True)
    assert "druk op een optie" not in situation
