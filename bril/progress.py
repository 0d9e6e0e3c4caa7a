"""Self-study progress: answers per scene, where to resume, and what a reader found.

Logged-in readers keep progress in the database; anonymous readers in their session.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import session
from flask_login import current_user
from sqlalchemy import select

from .content import Scene, Story
from .models import Reflection, SceneAnswer, StoryProgress, User, db, utcnow
from .upsert import upsert
from .lti import grades
from .xapi import record


@dataclass(frozen=True)
class Score:
    """What a reader picked in one scene, held against the real signals."""

    found: frozenset[str]
    missed: frozenset[str]
    extra: frozenset[str]

    @property
    def total(self) -> int:
        return len(self.found) + len(self.missed)


@dataclass(frozen=True)
class StorySummary:
    """How far a user is in one story."""

    story: Story
    scenes_done: int
    found: int
    total: int
    finished: bool
    resume_url: str | None
    updated_at: datetime | None


def score(scene: Scene, chosen: set[str]) -> Score:
    """Compare the chosen passages with the scene's signals."""
    real = {signal.passage for signal in scene.signals}
    return Score(frozenset(chosen & real), frozenset(real - chosen), frozenset(chosen - real))


def logged_in() -> User | None:
    return current_user if current_user.is_authenticated else None


def save_answer(story: Story, scene: Scene, chosen: set[str]) -> Score:
    """Store which passages the reader picked in a scene."""
    valid = {p.key for p in scene.passages}
    chosen = chosen & valid
    result = score(scene, chosen)
    user = logged_in()
    if user is None:
        reading = session.setdefault("reading", {})
        reading.setdefault(story.slug, {})[str(scene.number)] = sorted(chosen, key=int)
        session.modified = True
        return result
    upsert(SceneAnswer, {"user_id": user.id, "story": story.slug, "scene": scene.number},
           {"chosen": sorted(chosen, key=int), "found": len(result.found), "total": result.total,
            "answered_at": utcnow()})
    db.session.commit()
    return result


def adopt_anonymous_answers(user: User, stories: dict[str, Story]) -> None:
    """Keep what a reader spotted before logging in, unless they had answered that scene already."""
    reading = session.pop("reading", {})
    for slug, scenes in reading.items():
        story = stories.get(slug)
        for number, picked in scenes.items():
            if story is None or not number.isdigit() or not 1 <= int(number) <= len(story.scenes):
                continue
            scene = story.scenes[int(number) - 1]
            result = score(scene, set(picked) & {p.key for p in scene.passages})
            # An answer the reader gave earlier, logged in, stays as it was.
            upsert(SceneAnswer, {"user_id": user.id, "story": slug, "scene": scene.number},
                   {"chosen": sorted(picked, key=int), "found": len(result.found), "total": result.total,
                    "answered_at": utcnow()}, keep=("chosen", "found", "total", "answered_at"))
    db.session.commit()


def chosen_in(story: Story, scene: Scene) -> set[str] | None:
    """The passages picked earlier in a scene, or None when not answered yet."""
    user = logged_in()
    if user is None:
        picked = session.get("reading", {}).get(story.slug, {}).get(str(scene.number))
        return None if picked is None else set(picked)
    answer = db.session.scalar(select(SceneAnswer).filter_by(user_id=user.id, story=story.slug,
                                                             scene=scene.number))
    return None if answer is None else set(answer.chosen)


def remember_place(story: Story, url: str, finished: bool = False) -> None:
    """Remember where a logged-in reader is, so they can resume there."""
    user = logged_in()
    if user is None:
        return
    if finished and not db.session.scalar(select(StoryProgress.finished_at).filter_by(user_id=user.id,
                                                                                      story=story.slug)):
        record.story_completed(user, story)  # the first time only: finished_at is kept after that
        grades.finished(user.id, "verhaal", story.slug)
    upsert(StoryProgress, {"user_id": user.id, "story": story.slug},
           {"resume_url": url, "updated_at": utcnow(), "finished_at": utcnow() if finished else None},
           keep=("finished_at",))
    db.session.commit()


def resume_url(story: Story) -> str | None:
    """Where a logged-in reader left off in a story."""
    user = logged_in()
    if user is None:
        return None
    return db.session.scalar(select(StoryProgress.resume_url).filter_by(user_id=user.id, story=story.slug))


def summaries(user: User, stories: dict[str, Story]) -> list[StorySummary]:
    """Progress of a user in every story, in library order."""
    answers: dict[str, list[SceneAnswer]] = {}
    for answer in db.session.scalars(select(SceneAnswer).filter_by(user_id=user.id)):
        answers.setdefault(answer.story, []).append(answer)
    places = {p.story: p for p in db.session.scalars(select(StoryProgress).filter_by(user_id=user.id))}
    result = []
    for slug, story in stories.items():
        done = [a for a in answers.get(slug, []) if a.scene <= len(story.scenes)]
        place = places.get(slug)
        result.append(StorySummary(story, len(done), sum(a.found for a in done), story.signal_count,
                                   bool(place and place.finished_at), place.resume_url if place else None,
                                   place.updated_at if place else None))
    return result


def reflections(user: User, story: str | None = None) -> list[Reflection]:
    """A user's reflections, newest first, optionally for one story."""
    query = select(Reflection).filter_by(user_id=user.id).order_by(Reflection.created_at.desc(),
                                                                   Reflection.id.desc())
    if story:
        query = query.filter_by(story=story)
    return list(db.session.scalars(query))


def export(user: User) -> dict:
    """Everything stored about a user, for the AVG right of access."""
    return {
        "account": {"e-mailadres": user.email, "rol": user.role,
                    "aangemaakt": user.created_at.isoformat(timespec="seconds"),
                    "laatst_ingelogd": user.last_login_at.isoformat(timespec="seconds")
                    if user.last_login_at else None,
                    "inlogdienst_van_je_organisatie": {"adres": user.oidc_issuer, "kenmerk": user.oidc_subject}
                    if user.oidc_subject else None},
        "voortgang": [{"verhaal": p.story, "verder_bij": p.resume_url,
                       "afgerond": p.finished_at.isoformat(timespec="seconds") if p.finished_at else None,
                       "bijgewerkt": p.updated_at.isoformat(timespec="seconds")} for p in user.progress],
        "antwoorden": [{"verhaal": a.story, "scene": a.scene, "gekozen_zinnen": a.chosen,
                        "signalen_gevonden": a.found, "signalen_totaal": a.total,
                        "beantwoord": a.answered_at.isoformat(timespec="seconds")} for a in user.answers],
        "reflecties": [{"verhaal": r.story, "tekst": r.body,
                        "geschreven": r.created_at.isoformat(timespec="seconds")} for r in user.reflections],
        "dilemmakaarten": [{"kaart": w.dilemma, "keuzes": [{"stap": s, "optie": n} for s, n in w.decisions],
                            "reflectie": w.reflection, "begonnen": w.started_at.isoformat(timespec="seconds"),
                            "afgerond": w.ended_at.isoformat(timespec="seconds") if w.ended_at else None}
                           for w in user.walks],
    }
