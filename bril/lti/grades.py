"""Grades on their way back to the portal: a launch that names a line item opens a grade for that person and
story or card; finishing it (walks.proceed, progress.remember_place call `finished`, beside the xAPI statement)
makes the grade due; bril/lti/scores.py sends it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select, update

from .. import outbox
from ..models import FAILED, GRADE_OPEN, SENT, WAITING, DilemmaWalk, LtiGrade, LtiPlatform, StoryProgress, User, db, utcnow
from . import claims as lti


def open_grade(user: User, platform: LtiPlatform, claims: dict, kind: str, slug: str) -> LtiGrade | None:
    """Remember the line item of a launch for this person; due at once when they finished it before."""
    lineitem = lti.grade_endpoint(claims)
    if lineitem is None or len(lineitem) > 500:  # no grade book, or an address too long to keep
        return None
    grade = db.session.scalar(select(LtiGrade).where(LtiGrade.user_id == user.id, LtiGrade.lineitem == lineitem))
    if grade is None:
        grade = LtiGrade(organisation_id=platform.organisation_id, user_id=user.id, lineitem=lineitem,
                         state=GRADE_OPEN, attempts=0)
        db.session.add(grade)
    grade.kind, grade.slug, grade.subject = kind, slug, str(claims["sub"])[:255]
    if grade.state == GRADE_OPEN and finished_before(user, kind, slug):
        grade.state, grade.completed_at, grade.next_attempt_at, grade.attempts = WAITING, utcnow(), utcnow(), 0
    return grade


def finished_before(user: User, kind: str, slug: str) -> bool:
    if kind == "verhaal":
        done = exists().where(StoryProgress.user_id == user.id, StoryProgress.story == slug,
                              StoryProgress.finished_at.is_not(None))
    else:
        done = exists().where(DilemmaWalk.user_id == user.id, DilemmaWalk.dilemma == slug,
                              DilemmaWalk.ended_at.is_not(None))
    return bool(db.session.scalar(select(done)))


def finished(user_id: int | None, kind: str, slug: str) -> None:
    """Someone finished a story or card: the grades their launches opened for it become due, in the caller's
    transaction (the caller commits), so a grade is due exactly when the finish is stored."""
    if user_id is None:
        return
    now = utcnow()
    db.session.execute(update(LtiGrade).where(LtiGrade.user_id == user_id, LtiGrade.kind == kind,
                                              LtiGrade.slug == slug)
                       .values(state=WAITING, completed_at=now, next_attempt_at=now, attempts=0, last_error=None)
                       .execution_options(synchronize_session=False))


@dataclass(frozen=True)
class FailedGrade:
    """A grade the portal did not take, as the beheerder's page lists it: which story or card, not who."""

    id: int
    kind: str
    slug: str
    completed_at: datetime | None
    attempts: int
    problem: str | None


FAILED_SHOWN = 50  # the newest; the count above the list says how many there are


def failed_grades(organisation_id: int) -> list[FailedGrade]:
    """The organisation's failed grades, newest first."""
    rows = db.session.execute(
        select(LtiGrade.id, LtiGrade.kind, LtiGrade.slug, LtiGrade.completed_at, LtiGrade.attempts,
               LtiGrade.last_error)
        .where(LtiGrade.organisation_id == organisation_id, LtiGrade.state == FAILED)
        .order_by(LtiGrade.completed_at.desc(), LtiGrade.id.desc()).limit(FAILED_SHOWN)).all()
    return [FailedGrade(*row) for row in rows]


def send_again(organisation_id: int, grade_id: int | None = None) -> int:
    """Put the organisation's failed grades (or the one given) back in the queue, due now with fresh attempts;
    how many. The sender takes them on its next round."""
    chosen = [LtiGrade.id == grade_id] if grade_id is not None else []
    return outbox.try_again(LtiGrade, organisation_id, (FAILED,), *chosen)


def overview(organisation_id: int) -> dict[str, int | str | None]:
    """How many grades were sent, wait and failed, and the newest reason a grade did not arrive (for the page)."""
    counts = dict(db.session.execute(select(LtiGrade.state, func.count()).where(
        LtiGrade.organisation_id == organisation_id).group_by(LtiGrade.state)).all())
    problem = db.session.scalar(select(LtiGrade.last_error).where(
        LtiGrade.organisation_id == organisation_id, LtiGrade.last_error.is_not(None))
        .order_by(LtiGrade.next_attempt_at.desc()).limit(1))
    return {"sent": counts.get(SENT, 0), "waiting": counts.get(WAITING, 0), "failed": counts.get(FAILED, 0),
            "problem": problem}
