"""Insight into agreements: how many the organisation's sessions made and which reporting routes they named."""
from __future__ import annotations

import itertools
import random
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from bril.insight.agreements import agreement_figures, agreement_line
from bril.insight.commands import tables_of
from bril.insight.figures import Period
from bril.insight.suppression import MINIMUM, Figure, suppress
from bril.models import Agreement, User, Workshop, db
from test_insight_suppression import derivable_cells

CODES = itertools.count(1)
SECRET = "Jan de Vries van de Dorpsstraat 12"  # agreement text may hold anything: it never reaches insight


def session_with_agreements(app, owner_email: str, routes: list[str | None], rehearsal: bool = False) -> None:
    """One session of the owner's with an agreement per entry of `routes` (the route it names, or none)."""
    with app.app_context():
        owner = db.session.scalar(select(User).filter_by(email=owner_email))
        workshop = Workshop(owner_id=owner.id, title="Sessie", code=f"A{next(CODES):06d}",
                            agenda=[{"soort": "afspraken", "minuten": 10}], rehearsal=rehearsal)
        db.session.add(workshop)
        db.session.flush()
        for route in routes:
            db.session.add(Agreement(workshop_id=workshop.id, what=SECRET, who="team", by_when="1 maart",
                                     meldroute=route))
        db.session.commit()


def figures_of(app, email: str):
    with app.app_context(), app.test_request_context():
        organisation = db.session.scalar(select(User.organisation_id).filter_by(email=email))
        return agreement_figures(organisation, Period.parse(None))


def route(found, title: str):
    return next(line for line in found.routes if line.label == title)


def test_counts_sessions_and_routes_hides_small_ones_and_never_counts_rehearsals(app, make_user, client, auth):
    make_user("beheer@a.nl", role="beheerder", org="a")
    make_user("begeleider@b.nl", role="procesbegeleider", org="b")
    for _ in range(6):
        session_with_agreements(app, "beheer@a.nl", ["schulden", None])
    for _ in range(2):
        session_with_agreements(app, "beheer@a.nl", ["mensenhandel"])
    for _ in range(9):  # another organisation's sessions are not ours
        session_with_agreements(app, "begeleider@b.nl", ["mensenhandel"])
    for _ in range(10):  # rehearsals never count
        session_with_agreements(app, "beheer@a.nl", ["mensenhandel"], rehearsal=True)
    found = figures_of(app, "beheer@a.nl")
    assert found.sessions.total.value == 8 and found.agreements.total.value == 14
    assert route(found, "Schulden").total.value == 6
    assert route(found, "Mensenhandel").total.value is None  # two sessions: too few
    assert route(found, "Mensenhandel").total.reason
    assert [f.value for f in route(found, "Mensenhandel").per_quarter] == [None]  # its quarter hides with it
    assert [f.value for f in route(found, "Schulden").per_quarter] == [6]
    auth.login("beheer@a.nl")
    page = client.get("/inzicht/afspraken").get_data(as_text=True)
    assert "<svg" in page and "<table>" in page and "verborgen" in page and "Schulden" in page
    assert SECRET not in page
    csv = client.get("/inzicht/afspraken.csv")
    text = csv.get_data(as_text=True)
    assert csv.mimetype == "text/csv" and "Sessies met afspraken;" in text and SECRET not in text
    assert "Route genoemd (sessies): Mensenhandel" in text and "verborgen" in text
    summary = client.get("/inzicht/samenvatting").get_data(as_text=True)
    assert "Sessies met afspraken" in summary and "Afspraken gemaakt" in summary and SECRET not in summary


def test_fewer_than_five_sessions_hides_every_number(app, make_user):
    make_user("beheer@a.nl", role="beheerder", org="a")
    for _ in range(3):
        session_with_agreements(app, "beheer@a.nl", ["schulden", "schulden", "schulden"])
    found = figures_of(app, "beheer@a.nl")
    assert found.sessions.total.value is None and found.agreements.total.value is None
    assert all(not f.shown for f in (*found.sessions.per_quarter, *found.agreements.per_quarter))
    assert route(found, "Schulden").total.value is None


def test_only_rehearsals_make_an_empty_page_and_no_export_file(app, make_user, client, auth):
    make_user("beheer@a.nl", role="beheerder", org="a")
    for _ in range(6):
        session_with_agreements(app, "beheer@a.nl", ["schulden"], rehearsal=True)
    found = figures_of(app, "beheer@a.nl")
    assert found.empty and found.sessions.total.value == 0
    with app.app_context(), app.test_request_context():
        organisation = db.session.scalar(select(User.organisation_id).filter_by(email="beheer@a.nl"))
        assert "afspraken.csv" not in dict(tables_of(organisation))
    auth.login("beheer@a.nl")
    assert "nog geen afspraken" in client.get("/inzicht/afspraken").get_data(as_text=True)


def test_export_writes_the_agreements_table(app, make_user):
    make_user("beheer@a.nl", role="beheerder", org="a")
    for _ in range(5):
        session_with_agreements(app, "beheer@a.nl", ["schulden"])
    with app.app_context(), app.test_request_context():
        organisation = db.session.scalar(select(User.organisation_id).filter_by(email="beheer@a.nl"))
        text = dict(tables_of(organisation))["afspraken.csv"]
    assert "Sessies met afspraken;" in text and "Route genoemd (sessies): Schulden" in text and SECRET not in text


@pytest.mark.parametrize("seed", range(40))
def test_the_agreements_get_their_own_pass_and_are_hidden_where_their_sessions_are(seed):
    """Random sessions per quarter, each with one to four agreements: no shown count of agreements of 1 to 4, none
    hidden that the shown ones and the total give back (the independent search of the suppression tests), and
    every count hidden whose sessions are."""
    chooser = random.Random(seed)
    sessions = [chooser.choice([0, 1, 2, 3, 5, 6, 9]) for _ in range(chooser.randrange(2, 6))]
    agreements = [sum(chooser.randrange(1, 5) for _ in range(n)) for n in sessions]
    session_table = suppress([sessions])
    cells, total = agreement_line(agreements, session_table.cells[0], session_table.total)
    for figure, n, behind in zip(cells, agreements, session_table.cells[0]):
        assert figure.value in (None, n) and (figure.value in (None, 0) or figure.value >= MINIMUM)
        assert behind.shown or not figure.shown
    assert total.value in (None, sum(agreements))
    shown = SimpleNamespace(cells=(cells,), row_totals=(total,), column_totals=cells, total=total)
    assert derivable_cells(shown, [agreements]) == [], f"uit te rekenen in {agreements}"


def test_a_few_agreements_hide_their_count_and_one_more(app, make_user):
    """Three sessions with one agreement each this quarter hide their 3 sessions and 3 agreements; the agreements'
    own pass hides one more count of agreements, so that the total cannot give the 3 back."""
    make_user("beheer@a.nl", role="beheerder", org="a")
    for _ in range(3):
        session_with_agreements(app, "beheer@a.nl", [None])
    cells, total = agreement_line([3, 12, 30], (Figure(None, "x"), Figure(6), Figure(20)), Figure(29))
    assert not cells[0].shown and sum(not f.shown for f in cells) >= 2 and total.value == 45
    found = figures_of(app, "beheer@a.nl")
    assert not found.agreements.total.shown and not any(f.shown for f in found.agreements.per_quarter if f.value)
