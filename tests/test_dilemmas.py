"""Walking a dilemma card alone through the test client, on the fixture library's card `voordeur`."""
from __future__ import annotations

from sqlalchemy import func, select

from bril.models import DilemmaWalk, db


def start(client):
    return client.submit("/dilemmas/voordeur/start", page="/dilemmas/voordeur")


def choose(client, number: int, step: int | None = None):
    data = {"optie": str(number), **({"stap": str(step)} if step else {})}
    return client.submit("/dilemmas/voordeur/kies", data, page="/dilemmas/voordeur/lopen")


def proceed(client, step: int | None = None):
    return client.submit("/dilemmas/voordeur/verder", {"stap": str(step)} if step else {},
                         page="/dilemmas/voordeur/lopen")


def page(client, address: str = "/dilemmas/voordeur/lopen") -> str:
    return client.get(address, follow_redirects=True).get_data(as_text=True)


def walk_to_overleg(client) -> None:
    start(client)
    choose(client, 1)
    proceed(client)
    choose(client, 1)
    proceed(client)


def test_library_lists_cards_with_role_stories_and_time_and_filters(client):
    html = client.get("/dilemmas/").get_data(as_text=True)
    assert "Een niet-pluisgevoel bij de voordeur" in html and "Wmo-consulent" in html
    assert "20 minuten" in html and "Sanne" in html
    assert "Geen kaarten gevonden" in client.get("/dilemmas/?rol=wijkagent").get_data(as_text=True)
    assert "voordeur" in client.get("/dilemmas/?rol=wmo-consulent&thema=niet-pluis&verhaal=sanne").get_data(
        as_text=True)
    assert "Geen kaarten gevonden" in client.get("/dilemmas/?verhaal=bert").get_data(as_text=True)


def test_intro_shows_the_leeswijzer_and_a_start_button(client):
    html = client.get("/dilemmas/voordeur").get_data(as_text=True)
    assert "Leeswijzer voor de procesbegeleider" in html and "Oefenen met een signaal" in html
    assert "Begin met de kaart" in html
    assert client.get("/dilemmas/bestaat-niet").status_code == 404


def test_walking_without_a_walk_returns_to_the_intro(client):
    response = client.get("/dilemmas/voordeur/lopen")
    assert response.status_code == 302 and response.location.endswith("/dilemmas/voordeur")


def test_a_choice_shows_consequences_for_client_and_system_and_the_prompts(client):
    start(client)
    html = page(client)
    assert "Een kier van de deur" in html and "Wat doe je met je gevoel?" in html
    assert html.count('name="optie"') == 2
    choose(client, 2)
    html = page(client)
    assert "Je koos: <strong>Je laat het rusten tot je iets zeker weet.</strong>" in html
    assert "duurt het langer voor er hulp komt" in html and "blijven los van elkaar liggen" in html
    assert "Wanneer is een gevoel genoeg om te delen?" in html
    assert "Naar het einde" in html


def test_walk_to_an_ending_shows_reflection_route_and_actions(client):
    walk_to_overleg(client)
    html = page(client)
    assert "Samen kijken" in html and "Samen zie je meer" in html
    route = html.split('id="route"')[1].split("</ol>")[0]
    assert route.index("Een kier van de deur") < route.index("Je collega kent het adres")
    assert "Je brengt het samen in bij het casusoverleg." in route
    assert "Schrijf op wat je zag, hoorde en rook" in html
    assert 'href="/wie-is-hiervan#niet-pluis"' in html
    assert "zodra deze kaart minstens vijf keer is afgemaakt" in html


def test_every_place_on_a_walk_has_its_own_address(client):
    start(client)
    assert client.get("/dilemmas/voordeur/lopen").location.endswith("/dilemmas/voordeur/lopen/1")
    response = choose(client, 1)
    assert response.location.endswith("/dilemmas/voordeur/lopen/1/gevolg")
    response = proceed(client)
    assert response.location.endswith("/dilemmas/voordeur/lopen/2")
    assert choose(client, 1).location.endswith("/dilemmas/voordeur/lopen/2/gevolg")
    assert proceed(client).location.endswith("/dilemmas/voordeur/lopen/einde")
    # Each earlier place can be opened again, as the browser's Back does; later ones lead to where the walk is.
    first = page(client, "/dilemmas/voordeur/lopen/1")
    assert "Een kier van de deur" in first and 'value="1"\n          checked' in first
    assert "Je was hier al. Wat je toen koos, staat aangevinkt." in first
    assert "Je koos: <strong>Je noteert het" in page(client, "/dilemmas/voordeur/lopen/1/gevolg")
    assert "Je collega kent het adres" in page(client, "/dilemmas/voordeur/lopen/2")
    assert "Samen kijken" in page(client, "/dilemmas/voordeur/lopen/einde")
    assert client.get("/dilemmas/voordeur/lopen/3").location.endswith("/dilemmas/voordeur/lopen/einde")
    assert client.get("/dilemmas/voordeur/lopen/3/gevolg").location.endswith("/dilemmas/voordeur/lopen/einde")
    assert client.get("/dilemmas/voordeur/lopen/0").status_code == 302


def test_the_step_counter_says_how_far_the_walker_is(client):
    start(client)
    # The fixture card: two decisions on the longest route, one on the shortest.
    assert "Stap 1 van ongeveer 2" in page(client)
    choose(client, 1)
    proceed(client)
    assert "Stap 2 van 2 ·" in page(client)


def test_choosing_again_at_an_earlier_step_walks_on_from_there(client, app):
    walk_to_overleg(client)
    # The same option again keeps the rest of the route and its ending.
    assert choose(client, 1, step=1).location.endswith("/lopen/1/gevolg")
    assert proceed(client, step=1).location.endswith("/lopen/2")
    assert "Samen kijken" in page(client, "/dilemmas/voordeur/lopen/einde")
    # Another option drops what came after it: the ending is gone, the walk stands at its consequences.
    assert choose(client, 2, step=1).location.endswith("/lopen/1/gevolg")
    assert "Je koos: <strong>Je laat het rusten" in page(client)
    assert client.get("/dilemmas/voordeur/lopen/2").location.endswith("/lopen/1/gevolg")
    with app.app_context():
        walk = db.session.scalar(select(DilemmaWalk))
        assert walk.decisions == [["deur", 2]] and walk.ended_at is None


def test_back_from_an_ending_links_to_the_last_consequence(client, app):
    walk_to_overleg(client)
    html = page(client)
    assert 'href="/dilemmas/voordeur/lopen/2/gevolg" rel="prev"' in html
    assert 'href="/dilemmas/voordeur/lopen/2" rel="prev"' in page(client, "/dilemmas/voordeur/lopen/2/gevolg")
    assert 'rel="prev"' not in page(client, "/dilemmas/voordeur/lopen/1")
    with app.app_context():
        assert db.session.scalar(select(DilemmaWalk.ended_at)) is not None


def test_start_again_begins_a_new_walk(client, app):
    walk_to_overleg(client)
    start(client)
    assert "Een kier van de deur" in page(client)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DilemmaWalk)) == 2


def test_invalid_choice_is_refused_in_dutch(client):
    start(client)
    response = client.submit("/dilemmas/voordeur/kies", {"optie": "9"}, page="/dilemmas/voordeur/lopen")
    # Back to the step's own address, so the browser's Back never meets a page that answered a post.
    assert response.location.endswith("/dilemmas/voordeur/lopen/1")
    assert "Kies eerst een van de opties" in page(client, response.location)
    response = client.submit("/dilemmas/voordeur/kies", {"stap": "1"}, page="/dilemmas/voordeur/lopen",
                             follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Kies eerst een van de opties" in html
    assert 'aria-describedby="optie-fout"' in html and " required" not in html.split('class="choice"')[1]


def test_totals_appear_only_from_five_finished_walks(app):
    def finish(first: int):
        walker = app.test_client()
        start(walker)
        choose(walker, first)
        proceed(walker)
        if first == 1:
            choose(walker, 2)
            proceed(walker)
        return walker

    for first in (1, 1, 2, 1):
        html = page(finish(first))
        assert "Zo kozen anderen" not in html
    html = page(finish(2))
    table = html.split("Zo kozen anderen bij deze stap")[1].split("</table>")[0]
    assert "(5 keer gekozen)" in table
    rows = table.split("<tr")[2:]
    assert "<td>3</td>" in rows[0] and "60%" in rows[0]
    assert "<td>2</td>" in rows[1] and "40%" in rows[1] and "jouw keuze" in rows[1]
    assert "De aantallen komen van 5 afgemaakte routes" in html


def test_logged_in_walk_is_kept_and_reflection_guarded(client, auth, make_user, app):
    make_user()
    auth.login()
    walk_to_overleg(client)
    html = client.get("/dilemmas/voordeur").get_data(as_text=True)
    assert "Bekijk je laatste route" in html
    refused = client.submit("/dilemmas/voordeur/reflectie", {"body": "Bel de buurvrouw op 0612345678."},
                            page="/dilemmas/voordeur/lopen")
    assert "telefoonnummer" in refused.get_data(as_text=True) and "Bel de buurvrouw op 0612345678." in \
        refused.get_data(as_text=True)
    client.submit("/dilemmas/voordeur/reflectie", {"body": "Ik deel mijn twijfel eerder."},
                  page="/dilemmas/voordeur/lopen")
    with app.app_context():
        assert db.session.scalar(select(DilemmaWalk.reflection)) == "Ik deel mijn twijfel eerder."
    overview = client.get("/account/").get_data(as_text=True)
    assert "Een niet-pluisgevoel bij de voordeur" in overview and "met reflectie" in overview


def test_anonymous_walk_is_adopted_at_login(client, make_user, app):
    make_user()
    start(client)
    choose(client, 1)
    client.submit("/inloggen", {"email": "consulent@example.org", "password": "een lang wachtwoord voor tests"})
    assert "Je koos: <strong>Je noteert het" in page(client)
    with app.app_context():
        assert db.session.scalar(select(DilemmaWalk.user_id)) is not None


def test_map_shows_every_step_option_and_ending_and_highlights_the_route(client):
    walk_to_overleg(client)
    assert client.get("/dilemmas/voordeur/kaart").location.endswith("/dilemmas/voordeur/routes")
    html = client.get("/dilemmas/voordeur/routes").get_data(as_text=True)
    svg = html.split("<svg")[1].split("</svg>")[0]
    for title in ("Een kier van de deur", "Je collega kent het adres", "Je wacht af", "Samen kijken",
                  "Nog een keer langs"):
        assert title in svg and title in html.split('id="overzicht"')[1]
    assert svg.count('class="edge ') == 4
    assert svg.count("edge-route") == 2 and svg.count("edge-other") == 2
    assert html.count("(jouw keuze)") == 2
    # One arrowhead per kind of line, sized in drawing units, so the thick route does not enlarge its head.
    assert svg.count("<marker ") == 3 and svg.count('markerUnits="userSpaceOnUse"') == 3
    assert svg.count('marker-end="url(#pijl-route)"') == 2


def test_print_page_has_the_whole_card_without_navigation(client):
    html = client.get("/dilemmas/voordeur/print").get_data(as_text=True)
    assert "<nav" not in html and "site-header" not in html
    assert "Leeswijzer voor de procesbegeleider" in html and html.count('class="cut card-step"') == 2
    assert html.count('class="cut card-ending"') == 3
    assert "print.css" in html
    # Every option is a folding card: the option in front, its consequence only on the back.
    assert html.count('class="cut fold-card"') == 4
    for card in html.split('class="cut fold-card"')[1:]:
        front, back = card.split('class="card-back"')
        assert "Voor de cliënt" not in front and "Voor de cliënt" in back.split("</section>")[0]
    steps = html.split('class="cut card-step"')[1].split("</section>")[0]
    assert "duurt het langer voor er hulp komt" not in steps


def test_no_personal_data_in_the_export_of_walks(client, auth, make_user):
    make_user()
    auth.login()
    walk_to_overleg(client)
    data = client.get("/account/gegevens").get_json()
    assert data["dilemmakaarten"][0]["kaart"] == "voordeur"
    assert data["dilemmakaarten"][0]["keuzes"] == [{"stap": "deur", "optie": 1}, {"stap": "collega", "optie": 1}]


def test_filters_and_tags_show_theme_names_not_keys(client):
    html = client.get("/dilemmas/").get_data(as_text=True)
    assert '<option value="niet-pluis"' in html and ">Niet-pluisgevoel</option>" in html
    assert "<li>Niet-pluisgevoel</li>" in html and "<li>niet-pluis</li>" not in html
    assert "Niet-pluisgevoel" in client.get("/dilemmas/voordeur").get_data(as_text=True)
