"""Times as a Dutch reader expects them: the database keeps UTC, every page shows Europe/Amsterdam.

The `tzdata` package brings the zone where the system has no zoneinfo files (a slim container).
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


def local(moment: datetime) -> datetime:
    """A stored moment (naive UTC, see models.utcnow) in Dutch time, summer and winter alike."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(DUTCH_TIME)


def date(moment: datetime | None) -> str:
    """"06-12-2026" in Dutch time; empty for no moment."""
    return local(moment).strftime("%d-%m-%Y") if moment else ""


def date_time(moment: datetime | None) -> str:
    """"06-12-2026 11:35" in Dutch time; empty for no moment."""
    return local(moment).strftime("%d-%m-%Y %H:%M") if moment else ""
