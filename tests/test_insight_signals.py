"""Signals per story and scene: seen and missed, alone and in sessions, ours beside everyone's, nobody exposed."""
from __future__ import annotations

import itertools
import random

from sqlalchemy import select

from bril.insight.figures import Period
from bril.insight.signals import story_signals
from bril.models import Participant, SceneAnswer, SceneMark, User, Workshop, db, token_hash
from support.library import STORY

CODES = itertools.count(1)  # session codes are unique: a counter, never a random clash


def story_of(app):
    from bril.extensions import library
    with app.app_context():
        return library().stories[STORY]


def signal_keys(app) -> list[str]:
    """The passage keys of the first scene's signals, in order."""
    return [signal.passage for signal in story_of(app).scenes[0].signals]


def read_alone(app, email: str, chosen: list[str]) -> None:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).filter_by(email=email))
        db.session.add(SceneAnswer(user_id=user_id, story=STORY, scene=1, chosen=chosen))
        db.session.commit()


def session_marks(app, owner_email: str, marks: list[list[str]], rehearsal: bool = False) -> None:
    """A session whose agenda's second item is the story; each participant marked these passages in scene 1."""
    with app.app_context():
        owner = db.session.scalar(select(User).filter_by(email=owner_email))
        workshop = Workshop(owner_id=owner.id, title="Sessie", code=f"S{next(CODES):06d}", rehearsal=rehearsal,
                            agenda=[{"soort": "welkom", "minuten": 5}, {"soort": "verhaal", "ref": STORY, "minuten": 20}])
        db.session.add(workshop)
        db.session.flush()
        for number, passages in enumerate(marks):
            participant = Participant(workshop_id=workshop.id, nickname=f"D{number}",
                                      token_hash=token_hash(f"{workshop.code}-{number}"))
            db.session.add(participant)
            db.session.flush()
            db.session.add(SceneMark(workshop_id=workshop.id, item=1, scene=1, participant_id=participant.id,
                                     passages=passages))
        db.session.commit()


def first_scene(app, email: str):
    with app.app_context():
        organisation = db.session.scalar(select(User.organisation_id).filter_by(email=email))
        return story_signals(organisation, story_of(app), Period.parse(None))[0]


def values(figures) -> list:
    return [figure.value for figure in figures]


def test_seen_and_missed_per_signal_in_sessions_beside_everyone_without_rehearsals(app, make_user, client, auth,
                                                                                   runner, tmp_path):
    make_user("beheer@a.nl", role="beheerder", org="a")
    make_user("begeleider@b.nl", role="procesbegeleider", org="b")
    phones, money = signal_keys(app)
    session_marks(app, "beheer@a.nl", [[phones, money]] * 6 + [[phones]] * 6)  # 12 saw phones, 6 money
    session_marks(app, "begeleider@b.nl", [[phones]] * 10 + [[]] * 8)
    session_marks(app, "beheer@a.nl", [[money]] * 40, rehearsal=True)  # never counts
    teams = first_scene(app, "beheer@a.nl").teams
    assert teams.our_total.value == 12 and teams.total.value == 30
    assert values(teams.ours) == [12, 6] and values(teams.ours_missed) == [0, 6]
    assert values(teams.everyone) == [22, 6] and values(teams.everyone_missed) == [8, 24]
    auth.login("beheer@a.nl")
    page = client.get(f"/inzicht/verhaal/{STORY}").get_data(as_text=True)
    assert "<svg" in page and "<table>" in page and "Twee telefoons" not in page  # the sentence, not the note
    assert "Hij heeft sinds kort twee telefoons." in page
    csv = client.get(f"/inzicht/verhaal/{STORY}/tabel.csv").get_data(as_text=True)
    assert csv.startswith("\ufeffScène;Waar;Signaal") and ";12;0;100,0;22;8;73,3" in csv
    assert runner.invoke(args=["inzicht", "export", "--org", "a", str(tmp_path)]).exit_code == 0
    assert (tmp_path / f"verhaal-{STORY}.csv").read_bytes().decode("utf-8") == csv  # the same table


def test_a_few_readers_alone_are_hidden_and_so_is_what_gives_them_away(app, make_user):
    make_user("beheer@a.nl", role="beheerder", org="a")
    phones, money = signal_keys(app)
    for number in range(7):  # 7 readers of A: 5 saw the phones, 2 did not; all 7 missed the money
        make_user(f"lezer{number}@a.nl", org="a")
        read_alone(app, f"lezer{number}@a.nl", [phones] if number < 5 else [])
    for number in range(9):
        make_user(f"lezer{number}@b.nl", org="b")
        read_alone(app, f"lezer{number}@b.nl", [phones, money])
    alone = first_scene(app, "beheer@a.nl").alone
    assert alone.our_total.value == 7 and alone.total.value == 16
    assert alone.ours_missed[0].value is None  # 2 people
    assert alone.ours[0].value is None  # else 7 - 5 gives the 2 back
    assert alone.ours_missed[1].value == 7 and alone.ours[1].value == 0


def test_random_marks_never_show_a_few_and_every_signal_hides_the_same_totals(app, make_user):
    make_user("beheer@a.nl", role="beheerder", org="a")
    for name in ("b", "c"):
        make_user(f"begeleider@{name}.nl", role="procesbegeleider", org=name)
    keys = signal_keys(app)
    chooser = random.Random(18)
    for seed in range(6):
        chooser.seed(seed)
        for email in ("beheer@a.nl", "begeleider@b.nl", "begeleider@c.nl"):
            session_marks(app, email, [chooser.sample(keys, chooser.randrange(0, len(keys) + 1))
                                       for _ in range(chooser.randrange(1, 7))])
        teams = first_scene(app, "beheer@a.nl").teams
        for figure in (*teams.ours, *teams.everyone, *teams.ours_missed, *teams.everyone_missed, teams.our_total,
                       teams.total):
            assert figure.value is None or figure.value == 0 or figure.value >= 5
        for ours, everyone in zip((*teams.ours, *teams.ours_missed), (*teams.everyone, *teams.everyone_missed)):
            if ours.shown and everyone.shown:  # the other organisations together, worked out
                assert everyone.value - ours.value == 0 or everyone.value - ours.value >= 5
        for seen, missed in zip(teams.ours, teams.ours_missed):  # a row of cells adds up to the scene's total
            if seen.shown and missed.shown:
                assert teams.our_total.shown or seen.value + missed.value == 0
