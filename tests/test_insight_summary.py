"""The one-page summary: the same suppressed figures as the card and story pages, for every card and story."""
from __future__ import annotations

import json

from sqlalchemy import select

from bril.extensions import library
from bril.insight.figures import Period, card_figures
from bril.insight.signals import story_signals
from bril.insight.summary import card_lines, story_lines
from bril.models import User, db
from support.library import CARD, STORY
from test_insight import session_with_votes, walks
from test_insight_signals import read_alone, session_marks, signal_keys


def test_the_summary_shows_what_the_pages_show_and_no_rehearsal(app, make_user, client, auth):
    make_user("beheer@a.nl", role="beheerder", org="a")
    make_user("begeleider@b.nl", role="procesbegeleider", org="b")
    session_with_votes(app, "beheer@a.nl", [1] * 7 + [2] * 6 + [3] * 2)
    session_with_votes(app, "begeleider@b.nl", [1] * 5)
    session_with_votes(app, "beheer@a.nl", [3] * 30, rehearsal=True)
    walks(app, None, [1] * 6)
    phones, money = signal_keys(app)
    session_marks(app, "beheer@a.nl", [[phones, money]] * 6 + [[phones]] * 6)
    session_marks(app, "begeleider@b.nl", [[]] * 5)
    for number in range(5):  # and five of A alone, who saw the phones only
        make_user(f"lezer{number}@a.nl", org="a")
        read_alone(app, f"lezer{number}@a.nl", [phones])
    everything = Period.parse(None)
    with app.app_context():
        ours = db.session.scalar(select(User.organisation_id).filter_by(email="beheer@a.nl"))
        cards, stories = card_lines(ours, library(), everything), story_lines(ours, library(), everything)
        card_page = card_figures(ours, library().dilemmas[CARD], everything)[0]
        story_page = story_signals(ours, library().stories[STORY], everything)[0]
    assert [line.slug for line in cards] == [CARD] and [line.slug for line in stories] == [STORY]
    assert cards[0].first_step == card_page and stories[0].first_scene == story_page
    assert card_page.teams.total.value == 20 and card_page.alone.total.value == 6  # not the rehearsal's 30
    # A's 12 in sessions saw 18 of 24 chances in the first scene (two signals each; the other scenes unmarked),
    # A's 5 alone 5 of 10; B's 5 saw nothing.
    assert stories[0].our_share == 23 / 34 and stories[0].everyone_share == 23 / 44
    assert story_page.alone.our_total.value == 5
    auth.login("beheer@a.nl")
    page = client.get("/inzicht/samenvatting").get_data(as_text=True)
    assert "Samenvatting" in page and "68%" in page and ">20<" in page


def test_a_walks_first_choice_follows_its_route_in_the_database(app, make_user):
    """The summary counts first choices from a generated column: the database keeps it with the route, also when a
    walker goes back and chooses again, and an anonymous walker's walk counts as another organisation's."""
    from bril.models import DilemmaWalk
    from bril.insight.summary import first_choices
    make_user("lezer@a.nl", org="a")
    with app.app_context():
        reader = db.session.scalar(select(User).filter_by(email="lezer@a.nl"))
        walk, anonymous = DilemmaWalk(dilemma=CARD, user_id=reader.id), DilemmaWalk(dilemma=CARD)
        db.session.add_all([walk, anonymous])
        db.session.commit()
        everything = Period.parse(None)
        assert walk.first_choice is None and first_choices(reader.organisation_id, everything) == {(CARD, None): (2, 1)}
        step = next(iter(library().dilemmas[CARD].steps))
        walk.decisions, anonymous.decisions = [[step, 1], [step + "x", 2]], [[step, 2]]
        db.session.commit()
        db.session.refresh(walk)
        assert json.loads(walk.first_choice) == [step, 1]
        walk.decisions = [[step, 3]]  # back to the first step, another option
        db.session.commit()
        counted = {(slug, tuple(json.loads(choice))): n
                   for (slug, choice), n in first_choices(reader.organisation_id, everything).items()}
    assert counted == {(CARD, (step, 3)): (1, 1), (CARD, (step, 2)): (1, 0)}
