"""A procesbegeleider's insight into their own sessions: round 1 beside round 2, nobody else's, no rehearsal."""
from __future__ import annotations

import itertools

from sqlalchemy import select

from bril.models import Participant, User, Vote, Workshop, db, token_hash
from support.library import CARD

CODES = itertools.count(1)


def first_step(app) -> str:
    from bril.extensions import library
    with app.app_context():
        return next(iter(library().dilemmas[CARD].steps))


def session(app, owner_email: str, first: list[int], second: list[int], rehearsal: bool = False) -> None:
    """A session on the fixture card: participant i voted first[i] in round 1 and second[i] in round 2."""
    step = first_step(app)
    with app.app_context():
        owner = db.session.scalar(select(User).filter_by(email=owner_email))
        workshop = Workshop(owner_id=owner.id, title="Sessie", code=f"M{next(CODES):06d}", rehearsal=rehearsal,
                            agenda=[{"soort": "welkom", "minuten": 5}, {"soort": "dilemma", "ref": CARD, "minuten": 30}])
        db.session.add(workshop)
        db.session.flush()
        for number, (one, two) in enumerate(zip(first, second)):
            participant = Participant(workshop_id=workshop.id, nickname=f"Deelnemer {number}",
                                      token_hash=token_hash(f"{workshop.code}-{number}"))
            db.session.add(participant)
            db.session.flush()
            for voted_round, option in ((1, one), (2, two)):
                db.session.add(Vote(workshop_id=workshop.id, item=1, step=step, round=voted_round,
                                    participant_id=participant.id, option=option))
        db.session.commit()


def figures_of(app, email: str):
    from bril.extensions import library
    from bril.insight.figures import Period
    from bril.insight.own import own_sessions
    with app.app_context(), app.test_request_context():
        user_id = db.session.scalar(select(User.id).filter_by(email=email))
        return own_sessions(user_id, library(), Period.parse(None))


def test_own_sessions_round_one_beside_round_two(app, make_user, client, auth):
    make_user("pb@a.nl", role="procesbegeleider", org="a")
    make_user("collega@a.nl", role="procesbegeleider", org="a")
    session(app, "pb@a.nl", [1] * 10 + [2] * 2 + [3] * 6, [1] * 6 + [2] * 6 + [3] * 6)
    session(app, "pb@a.nl", [1] * 5, [1] * 5)
    session(app, "collega@a.nl", [3] * 20, [3] * 20)  # a colleague's session is not mine
    session(app, "pb@a.nl", [3] * 30, [3] * 30, rehearsal=True)  # never counts
    found = figures_of(app, "pb@a.nl")
    assert found.sessions == 2 and found.participants.value == 23
    [card] = found.cards
    rounds = card.steps[0].rounds
    first = dict(zip(rounds.labels, (f.value for f in rounds.ours)))
    second = dict(zip(rounds.labels, (f.value for f in rounds.everyone)))
    pas, option_a, option_b, option_c = rounds.labels[:4]
    assert rounds.our_total.value == 23 and rounds.total.value == 23  # not 43 or 53: the colleague's, the rehearsal
    truth = {pas: (0, 0), option_a: (15, 11), option_b: (2, 6), option_c: (6, 6)}
    for label, (one, two) in truth.items():  # whatever is shown is the true count
        assert first[label] in (None, one) and second[label] in (None, two)
    assert first[option_a] == 15
    assert first[option_b] is None  # 2 people
    # B's 2 must not follow from round 1's total minus its shown counts, nor from B's column minus round 2.
    assert sum(v is None for v in first.values()) >= 2
    assert second[option_b] is None or sum(v is None for v in second.values()) >= 2
    auth.login("pb@a.nl")
    response = client.get("/inzicht/mijn-sessies")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<dt>Sessies</dt><dd>2</dd>" in page and "<dt>Deelnemers</dt><dd>23</dd>" in page
    assert "<svg" in page and "Ronde 1" in page and "Ronde 2" in page and "verborgen" in page
    assert "Deelnemer " not in page  # never a nickname


def test_a_few_participants_hide_their_number_and_the_menu_leads_here(app, make_user, client, auth):
    make_user("pb@a.nl", role="procesbegeleider", org="a")
    session(app, "pb@a.nl", [1, 1, 2], [1, 2, 2])
    auth.login("pb@a.nl")
    page = client.get("/inzicht/mijn-sessies").get_data(as_text=True)
    assert "<dt>Deelnemers</dt><dd><span" in page and "minder dan 5 mensen" in page
    assert "(67%)" not in page and "(33%)" not in page
    assert 'href="/inzicht/mijn-sessies"' in client.get("/").get_data(as_text=True)


def test_only_rehearsals_show_nothing(app, make_user, client, auth):
    make_user("pb@a.nl", role="procesbegeleider", org="a")
    session(app, "pb@a.nl", [1] * 10, [2] * 10, rehearsal=True)
    auth.login("pb@a.nl")
    page = client.get("/inzicht/mijn-sessies").get_data(as_text=True)
    assert "<dt>Sessies</dt><dd>0</dd>" in page and "nog niet gestemd" in page


def test_the_own_sessions_as_a_csv_for_excel_with_the_same_suppression(app, make_user, client, auth):
    make_user("pb@a.nl", role="procesbegeleider", org="a")
    make_user("collega@a.nl", role="procesbegeleider", org="a")
    session(app, "pb@a.nl", [1] * 15 + [2] * 2 + [3] * 6, [1] * 11 + [2] * 6 + [3] * 6)
    session(app, "collega@a.nl", [3] * 20, [3] * 20)  # a colleague's session is not in it
    auth.login("pb@a.nl")
    response = client.get("/inzicht/mijn-sessies.csv?van=2001-1")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="inzicht-mijn-sessies-2001-1.csv"'
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    rows = [line.split(";") for line in raw.decode("utf-8-sig").splitlines()]
    assert rows[:3] == [["Wat", "Aantal"], ["Sessies", "1"], ["Deelnemers", "23"]]
    votes = [row for row in rows if len(row) == 7 and row[0] != "Kaart"]
    option_a, option_b = (next(row for row in votes if row[2].startswith(letter)) for letter in ("A:", "B:"))
    assert option_a[3:5] == ["15", "65,2"] and option_b[3] == "verborgen" and option_b[4] == ""
    assert "Deelnemer " not in raw.decode("utf-8-sig")  # never a nickname
    page = client.get("/inzicht/mijn-sessies").get_data(as_text=True)
    assert 'href="/inzicht/mijn-sessies.csv"' in page
