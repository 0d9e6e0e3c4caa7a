"""Each organisation's own "Wie is hiervan?": edited in the browser, checked as the file is, shown to its
own readers, on its cards and in its sessions; another organisation keeps the template."""
from __future__ import annotations

import re

from sqlalchemy import select

from bril.models import Workshop, db
from support.library import CARD
from support.sessions import login

PAGE = "/beheer/meldroutes"


def post(client, actie: str, route: str = "", **fields):
    """Post the editor's form for one route (or the new one), its fields under that form's prefix."""
    prefix = f"route-{route}" if actie == "opslaan" else "nieuw"
    data = {"actie": actie, "route": route, **{f"{prefix}-{name}": value for name, value in fields.items()}}
    return client.submit(PAGE, data, page=PAGE)


def test_a_beheerder_adds_a_route_with_dutch_messages_and_nothing_lost(app, two_organisations):
    beheer = login(app, "a-beheer@example.org")
    html = beheer.get(PAGE).get_data(as_text=True)
    assert "Je ziet nu het voorbeeld" in html
    wrong = post(beheer, actie="nieuw", key="Wapens Thuis", title="Wapens", when="", contacts="Politie bel 112")
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 422
    assert "Een sleutel heeft alleen kleine letters" in html and "Schrijf op wanneer deze route geldt." in html
    assert "Deze regel mist wie of hoe: &#39;Politie bel 112&#39;" in html
    assert 'value="Wapens Thuis"' in html and "Politie bel 112</textarea>" in html  # what was typed stays
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # every form on the page has its own field ids
    taken = post(beheer, actie="nieuw", key="niet-pluis", title="Dubbel", when="Nooit.", contacts="Iemand: ooit")
    assert taken.status_code == 422 and "Deze sleutel is al in gebruik" in taken.get_data(as_text=True)
    added = post(beheer, actie="nieuw", key="wapens-thuis", title="Een wapen in huis", when="Je ziet een wapen.",
                 contacts="Politie: bel 112 bij gevaar, anders 0900-8844\nJe leidinggevende: meteen")
    assert added.status_code == 302
    page = login(app, "a-begeleider@example.org").get("/wie-is-hiervan").get_data(as_text=True)
    assert "Een wapen in huis" in page and "<strong>Politie</strong>: bel 112 bij gevaar" in page
    assert "Een wapen in huis" not in login(app, "b-begeleider@example.org").get("/wie-is-hiervan").get_data(as_text=True)


def test_change_order_and_remove_reach_cards_and_sessions_of_that_organisation_only(app, two_organisations):
    from bril.extensions import library
    from bril.reporting import book_of_session
    with app.app_context():
        key = library().dilemmas[CARD].meldroutes[0]
        title = library().meldroutes.routes[key].title
        keys = list(library().meldroutes.routes)
    beheer = login(app, "a-beheer@example.org")
    form = beheer.get(PAGE).get_data(as_text=True)
    assert f'id="route-{key}"' in form
    renamed = post(beheer, actie="opslaan", route=key, key=key, title="Geld en bankpassen", when="Altijd.",
                   contacts="Team geldzaken: bel intern 4455")
    assert renamed.status_code == 302
    post(beheer, actie="neer", route=keys[0])
    with app.app_context():
        from bril.reporting import book_for
        from bril.models import User
        own = book_for(db.session.scalar(select(User.organisation_id).where(User.email == "a-beheer@example.org")))
        assert list(own.routes)[:2] == [keys[1], keys[0]] and own.routes[key].title == "Geld en bankpassen"
        a_session = db.session.get(Workshop, two_organisations["a"][1])
        b_session = db.session.get(Workshop, two_organisations["b"][1])
        assert book_of_session(a_session).routes[key].title == "Geld en bankpassen"
        assert book_of_session(b_session).routes[key].title == title
    post(beheer, actie="weg", route=key)
    # The card's ending no longer names the removed route for A's readers; B's still do.
    for email, shown in (("a-begeleider@example.org", False), ("b-begeleider@example.org", True)):
        reader = login(app, email)
        reader.submit(f"/dilemmas/{CARD}/start", page=f"/dilemmas/{CARD}")
        html = reader.get(f"/dilemmas/{CARD}/print").get_data(as_text=True)
        assert (title in html) is shown, email


def test_the_introduction_is_edited_and_example_routes_say_they_are_an_example(app, two_organisations):
    reader = login(app, "a-begeleider@example.org")
    assert "Dit zijn voorbeeldroutes." in reader.get("/wie-is-hiervan").get_data(as_text=True)
    beheer = login(app, "a-beheer@example.org")
    too_long = beheer.submit(PAGE, {"actie": "inleiding", "inleiding-text": "Twijfel je? " * 300}, page=PAGE)
    html = too_long.get_data(as_text=True)
    assert too_long.status_code == 422 and "Houd de inleiding korter dan 3000 tekens." in html
    assert "Twijfel je? Twijfel je?" in html  # what was typed stays
    saved = beheer.submit(PAGE, {"actie": "inleiding", "inleiding-text": "Twijfel je? Bel eerst het **zorgteam** "
                                                                        "van je wijk."}, page=PAGE)
    assert saved.status_code == 302 and saved.headers["Location"].endswith("#inleiding")
    page = reader.get("/wie-is-hiervan").get_data(as_text=True)
    assert "Bel eerst het <strong>zorgteam</strong> van je wijk." in page
    assert "Dit zijn voorbeeldroutes." not in page
    other = login(app, "b-beheer@example.org").get("/wie-is-hiervan").get_data(as_text=True)
    assert "Dit zijn voorbeeldroutes." in other and "zorgteam</strong>" not in other
    assert 'href="/beheer/meldroutes"' in other  # the beheerder is pointed to the editor
