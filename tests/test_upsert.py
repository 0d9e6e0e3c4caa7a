"""One row per person: the upsert that replaces "look, then insert" in self-study progress."""
from __future__ import annotations

from sqlalchemy import select

from bril.models import SceneAnswer, StoryProgress, User, db, utcnow
from bril.upsert import upsert
from support.library import STORY
from support.sessions import run_in_threads


def reader(app) -> int:
    with app.app_context():
        user = User(email="lezer@example.org")
        db.session.add(user)
        db.session.commit()
        return user.id


def test_the_same_answer_sent_at_once_from_two_tabs_is_one_row(app):
    user_id = reader(app)

    def answer(index: int) -> None:
        upsert(SceneAnswer, {"user_id": user_id, "story": STORY, "scene": 1},
               {"chosen": [str(index)], "found": index, "total": 3, "answered_at": utcnow()})
        db.session.commit()

    run_in_threads(app, 8, answer)
    with app.app_context():
        rows = db.session.scalars(select(SceneAnswer)).all()
        assert len(rows) == 1 and rows[0].chosen == [str(rows[0].found)]


def test_kept_columns_keep_what_is_stored_unless_it_is_empty(app):
    user_id = reader(app)
    with app.app_context():
        key = {"user_id": user_id, "story": STORY}
        upsert(StoryProgress, key, {"resume_url": "/a", "updated_at": utcnow(), "finished_at": None},
               keep=("finished_at",))
        finished = utcnow()
        upsert(StoryProgress, key, {"resume_url": "/b", "updated_at": utcnow(), "finished_at": finished},
               keep=("finished_at",))
        upsert(StoryProgress, key, {"resume_url": "/c", "updated_at": utcnow(), "finished_at": utcnow()},
               keep=("finished_at",))
        db.session.commit()
        row = db.session.scalar(select(StoryProgress))
        assert row.resume_url == "/c" and row.finished_at == finished
