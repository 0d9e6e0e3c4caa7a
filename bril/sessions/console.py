"""What the facilitator's console offers at a moment: one primary action, and every control with its reason.

The console follows the room: the one button that matters now is large and has a shortcut; the rest
are there, disabled with the reason when they would do nothing, so nothing is silently ignored. Which
actions are possible comes from actions.py, the same table the server checks.
"""
from __future__ import annotations

from .actions import SESSION_GROUP, TABLE, TALK_GROUP, TIME_GROUP, VOTE_GROUP, Control, control
from .situation import Situation
from .vocabulary import Phase

NEXT = "→"


def primary(now: Situation) -> Control | None:
    """The next step of the session: what a facilitator presses now (shortcut: Enter or →)."""
    phase = now.phase
    if phase == Phase.ENDED:
        return None
    if now.asking and phase == Phase.SITUATION:
        return forward(control("vragenronde", now))  # the phones show the round: close it before the vote
    if phase == Phase.SITUATION:
        return forward(control("stemming-open", now))
    if phase in (Phase.VOTING, Phase.STOPPED, Phase.MARKS):
        return forward(control("stemming-onthul", now))
    if phase == Phase.STORY:
        return forward(control("stemming-dicht", now))
    if phase == Phase.RESULT:
        if now.majority is None:
            return control("volg", now, reason="Er is geen duidelijke meerderheid: kies hieronder zelf welke optie "
                                               "de groep volgt.")
        return forward(control("volg", now, f"Volg {now.step.options[now.majority - 1].letter}",
                               optie=str(now.majority)))
    if phase == Phase.CONSEQUENCE:
        return forward(control("volgende", now, "Naar de volgende stap" if now.step is not None else
                               "Naar het einde van de kaart"))
    if now.more_sheets:
        following = now.sheets[now.page + 1]
        return forward(control("volgende", now, "Toon wat je nu kunt doen" if phase == Phase.ENDING and
                               "doen" in following else f"Verder op het scherm: deel {now.page + 2} van "
                               f"{len(now.sheets)}"))
    if now.next_scene is not None:
        return forward(control("volgende", now, f"Naar scène {now.next_scene}"))
    if now.is_last_item:
        return control("einde", now)
    return forward(control("volgende", now, "Naar het volgende onderdeel"))


def forward(button: Control) -> Control:
    """The primary button answers → (and Enter)."""
    return Control(button.name, button.label, button.reason, NEXT, button.fields)


def controls(now: Situation) -> dict[str, list[Control]]:
    """Every other control, grouped as on the console, each with the reason when it would do nothing."""
    groups: dict[str, list[Control]] = {VOTE_GROUP: [], TALK_GROUP: [], TIME_GROUP: [], SESSION_GROUP: []}
    for action in TABLE:
        if action.group is None or action.name == ("timer-start" if now.timer.running else "timer-pauze"):
            continue  # start and pause share one place: the one that fits the clock
        groups[action.group].append(control(action.name, now))
    return groups
