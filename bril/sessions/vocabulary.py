"""The words of a live session, each spelled once: what the room is doing and where its vote stands.

Both are string enums, so a value compares equal to the word stored in the database and written in a
template (`m.phase == "uitslag"`), while the code names them: `Phase.RESULT`.
"""
from __future__ import annotations

from enum import StrEnum


class VoteState(StrEnum):
    """The `vote` column of a session. In a story the same states mean: marking open, closed, signals shown."""

    CLOSED = "dicht"  # not open yet (a card), or marking open (a story)
    OPEN = "open"
    STOPPED = "gesloten"  # no more votes, result not shown yet
    REVEALED = "onthuld"
    # After the group follows an option the room first sees what it means (for the client and the people
    # around them) before it goes on.
    CONSEQUENCE = "gevolg"

    @property
    def label(self) -> str:
        return VOTE_LABELS[self]


VOTE_LABELS = {VoteState.CLOSED: "nog niet open", VoteState.OPEN: "open", VoteState.STOPPED: "gesloten",
               VoteState.REVEALED: "uitslag getoond", VoteState.CONSEQUENCE: "gevolg getoond"}


class Phase(StrEnum):
    """What the room is doing now, in one word."""

    WELCOME = "welkom"
    STORY = "verhaal"  # a scene is read and marked
    MARKS = "markeringen"  # what the group marked
    SIGNALS = "signalen"  # the real signals of the scene
    SITUATION = "situatie"  # a step of a card, before the vote
    VOTING = "stemmen"
    STOPPED = "gesloten"
    RESULT = "uitslag"
    CONSEQUENCE = "gevolg"
    ENDING = "einde"
    CLOSING = "afsluiting"
    AGREEMENTS = "afspraken"
    ENDED = "afgelopen"

    @property
    def label(self) -> str:
        return PHASE_LABELS[self]


PHASE_LABELS = {
    Phase.WELCOME: "Welkom", Phase.STORY: "Verhaal lezen", Phase.MARKS: "Wat de groep zag",
    Phase.SIGNALS: "De signalen", Phase.SITUATION: "De situatie", Phase.VOTING: "Stemmen",
    Phase.STOPPED: "Stemming gesloten", Phase.RESULT: "De uitslag", Phase.CONSEQUENCE: "Wat de keuze betekent",
    Phase.ENDING: "Het einde van de kaart", Phase.CLOSING: "Afsluitende ronde", Phase.AGREEMENTS: "Afspraken maken",
    Phase.ENDED: "Afgelopen",
}

# At a step of a card the vote decides the phase; in a story, the marking.
STEP_PHASES = {VoteState.CLOSED: Phase.SITUATION, VoteState.OPEN: Phase.VOTING, VoteState.STOPPED: Phase.STOPPED,
               VoteState.REVEALED: Phase.RESULT}
STORY_PHASES = {VoteState.CLOSED: Phase.STORY, VoteState.STOPPED: Phase.MARKS, VoteState.REVEALED: Phase.SIGNALS}
# The phases at a step of a card, before its consequence or ending.
AT_STEP = frozenset(STEP_PHASES.values())

PASS = 0  # a participant's "Ik pas", stored as option 0

WHOLE_TEAM = "team"  # an agreement for everyone, beside the roles


def who_label(who: str, role_label) -> str:
    """Who carries out an agreement, in words: a role, or the whole team."""
    return "Het hele team" if who == WHOLE_TEAM else role_label(who)
