"""Insight for a beheerder: own figures beside everyone's, nothing about fewer than five people, no rehearsal."""
from __future__ import annotations

import itertools
import random
import re

from sqlalchemy import select

from bril.insight.figures import Period, card_figures
from bril.models import DilemmaWalk, Participant, User, Vote, Workshop, db, token_hash
from bril.sessions.vocabulary import PASS
from support.library import CARD



CODES = itertools.count(1)  # session codes are unique: a counter, never a random clash


def session_with_votes(app, owner_email: str, options: list[int], rehearsal: bool = False) -> None:
    """A session on the fixture card whose participants voted `options` in round 1 at its first step."""
    with app.app_context():
        owner = db.session.scalar(select(User).filter_by(email=owner_email))
        workshop = Workshop(owner_id=owner.id, title="Sessie", code=f"C{next(CODES):06d}",
                            agenda=[{"soort": "dilemma", "ref": CARD, "minuten": 30}], rehearsal=rehearsal)
        db.session.add(workshop)
        db.session.flush()
        step = next(iter(card_of(app).steps))
        for number, option in enumerate(options):
            participant = Participant(workshop_id=workshop.id, token_hash=token_hash(f"{workshop.code}-{number}"),
                                      nickname=f"Deelnemer {number}")
            db.session.add(participant)
            db.session.flush()
            db.session.add(Vote(workshop_id=workshop.id, item=0, step=step, round=1, participant_id=participant.id,
                                option=option))
        db.session.commit()


def card_of(app):
    from bril.extensions import library
    with app.app_context():
        return library().dilemmas[CARD]


def walks(app, owner_email: str | None, options: list[int]) -> None:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).filter_by(email=owner_email)) if owner_email else None
        step = next(iter(card_of(app).steps))
        for option in options:
            db.session.add(DilemmaWalk(dilemma=CARD, user_id=user_id, decisions=[[step, option]]))
        db.session.commit()


def figures(app, email: str):
    with app.app_context(), app.test_request_context():
        organisation = db.session.scalar(select(User.organisation_id).filter_by(email=email))
        return card_figures(organisation, card_of(app), Period.parse(None))


def test_own_votes_beside_everyone_small_counts_hidden_and_rehearsals_left_out(app, make_user, client, auth):
    make_user("beheer@a.nl", role="beheerder", org="a")
    make_user("begeleider@b.nl", role="procesbegeleider", org="b")
    session_with_votes(app, "beheer@a.nl", [1] * 7 + [2] * 6 + [3] * 2)
    session_with_votes(app, "begeleider@b.nl", [1] * 9 + [2] * 3 + [PASS] * 5)
    session_with_votes(app, "beheer@a.nl", [3] * 30, rehearsal=True)  # never counts
    first = figures(app, "beheer@a.nl")[0]
    labels = first.teams.labels
    ours = dict(zip(labels, (f.value for f in first.teams.ours)))
    everyone = dict(zip(labels, (f.value for f in first.teams.everyone)))
    assert first.teams.our_total.value == 15  # not 45: the rehearsal's 30 are left out
    assert ours[labels[1]] == 7 and everyone[labels[1]] == 16
    assert ours[labels[3]] is None  # 2 people
    # A's 2 votes for C must not follow from A's total minus its shown counts: another of A's is hidden too.
    assert sum(v is None for v in ours.values()) >= 2
    # B's 3 votes for B must not follow from everyone's count minus A's.
    assert ours[labels[2]] is None or everyone[labels[2]] is None
    auth.login("beheer@a.nl")
    page = client.get(f"/inzicht/kaart/{CARD}").get_data(as_text=True)
    assert "verborgen" in page and "<svg" in page and "<table>" in page
    csv = client.get(f"/inzicht/kaart/{CARD}/tabel.csv")
    assert csv.mimetype == "text/csv" and csv.get_data(as_text=True).startswith("\ufeffStap;Waar;Keuze")


def test_walks_alone_count_per_person_and_anonymous_walkers_only_in_everyone(app, make_user):
    make_user("beheer@a.nl", role="beheerder", org="a")
    make_user("lezer@a.nl", role="deelnemer", org="a")
    walks(app, "lezer@a.nl", [1, 1, 2])
    walks(app, None, [1] * 6 + [2] * 8)
    alone = figures(app, "beheer@a.nl")[0].alone
    assert alone.our_total.value is None  # three walks of this organisation: fewer than five
    assert [f.value for f in alone.ours] == [None, None, 0]  # C: nobody anywhere chose it
    assert alone.total.value == 17


def test_random_rooms_never_show_a_small_count_nor_one_that_follows_from_the_others(app, make_user):
    make_user("beheer@a.nl", role="beheerder", org="a")
    for name in ("b", "c"):
        make_user(f"begeleider@{name}.nl", role="procesbegeleider", org=name)
    chooser = random.Random(7)
    for email in ("beheer@a.nl", "begeleider@b.nl", "begeleider@c.nl"):
        for _ in range(2):
            session_with_votes(app, email, [chooser.choice([PASS, 1, 2, 3]) for _ in range(chooser.randrange(1, 9))])
    first = figures(app, "beheer@a.nl")[0].teams
    for figure in (*first.ours, *first.everyone, first.our_total, first.total):
        assert figure.value is None or figure.value == 0 or figure.value >= 5
    # What a reader can work out: for each option, everyone minus ours (the other organisations together).
    for ours, everyone in zip(first.ours, first.everyone):
        if ours.shown and everyone.shown:
            assert everyone.value - ours.value == 0 or everyone.value - ours.value >= 5
    if first.our_total.shown and first.total.shown:
        others = first.total.value - first.our_total.value
        assert others == 0 or others >= 5


def test_another_organisation_sees_only_its_own_insight(app, make_user, client, auth):
    make_user("beheer@b.nl", role="beheerder", org="b")
    make_user("beheer@a.nl", role="beheerder", org="a")
    session_with_votes(app, "beheer@a.nl", [1] * 12)
    auth.login("beheer@b.nl")
    page = client.get(f"/inzicht/kaart/{CARD}").get_data(as_text=True)
    rows = re.findall(r"<th scope=\"row\">Totaal</th>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", page)
    assert rows and rows[0] == ("0", "12")
