"""What the facilitator's console offers at a moment: one primary action, and every control with its reason.

The console follows the room: the one button that matters now is large and has a shortcut; the rest
are there, disabled with the reason when they would do nothing, so nothing is silently ignored.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .changes import majority_option
from .moment import Moment

LETTERS = "ABCD"


@dataclass(frozen=True)
class Control:
    """One button of the console: the action it posts, its label, and why it is off (None: it is on)."""

    name: str
    label: str
    reason: str | None = None
    shortcut: str | None = None
    fields: dict[str, str] = field(default_factory=dict)  # extra form fields, e.g. the option to follow

    @property
    def enabled(self) -> bool:
        return self.reason is None


def primary(moment: Moment) -> Control | None:
    """The next step of the session: what a facilitator presses now (shortcut: Enter or →)."""
    phase = moment.phase
    if phase == "afgelopen":
        return None
    if phase == "situatie":
        return Control("stemming-open", "Open de stemming", shortcut="→")
    if phase in ("stemmen", "gesloten"):
        return Control("stemming-onthul", "Sluit en toon de uitslag" if phase == "stemmen" else "Toon de uitslag",
                       shortcut="→")
    if phase == "uitslag":
        majority = majority_option(moment.results[moment.round].totals) if moment.results else None
        if majority is None:
            return Control("volg", "Volg de meerderheid", "Er is geen duidelijke meerderheid: kies hieronder zelf "
                                                          "welke optie de groep volgt.")
        return Control("volg", f"Volg {LETTERS[majority - 1]}", shortcut="→", fields={"optie": str(majority)})
    if phase == "gevolg":
        label = "Naar de volgende stap" if moment.step is not None else "Naar het einde van de kaart"
        return Control("volgende", label, shortcut="→")
    if phase == "verhaal":
        return Control("stemming-dicht", "Toon wat de groep zag", shortcut="→")
    if phase == "markeringen":
        return Control("stemming-onthul", "Toon de signalen", shortcut="→")
    if phase in ("einde", "signalen") and moment.more_sheets:
        following = moment.sheets[moment.page + 1]
        label = ("Toon wat je nu kunt doen" if phase == "einde" and "doen" in following else
                 f"Verder op het scherm: deel {moment.page + 2} van {len(moment.sheets)}")
        return Control("volgende", label, shortcut="→")
    if phase == "signalen" and next_scene(moment) is not None:
        return Control("volgende", f"Naar scène {next_scene(moment)}", shortcut="→")
    if moment.is_last_item:
        return Control("einde", "Sessie beëindigen")
    return Control("volgende", "Naar het volgende onderdeel", shortcut="→")


def next_scene(moment: Moment) -> int | None:
    """The next scene of the story in this item, or None at its last."""
    if moment.scene is None:
        return None
    scenes = list(moment.item.scenes) or list(range(1, moment.scene.of + 1))
    return next((number for number in scenes if number > moment.scene.number), None)


def controls(moment: Moment) -> dict[str, list[Control]]:
    """Every other control, grouped as on the console, each with the reason when it would do nothing."""
    at_step = moment.at_step
    no_step = "Dit kan alleen bij een stap van een dilemmakaart."
    vote_groups = [
        Control("stemming-open", "Open de stemming", None if moment.phase == "situatie" else
                no_step if not at_step else "De stemming is al open of geweest."),
        Control("stemming-dicht", "Sluit de stemming", None if moment.phase == "stemmen" else
                "Er is geen open stemming."),
        Control("stemming-onthul", "Toon de uitslag", None if moment.phase in ("stemmen", "gesloten") else
                "Er is geen stemming om te tonen."),
        Control("tweede-ronde", "Stem nog een keer (ronde 2)", None if moment.phase == "uitslag" and moment.round == 1
                else "Dit kan na de uitslag van de eerste ronde."),
    ]
    pieces = moment.step.pieces if at_step else ()
    talk = [
        Control("volgende-vraag", "Volgende gespreksvraag", None if at_step and len(moment.step.prompts) > 1 else
                "Deze stap heeft geen andere gespreksvraag." if at_step else no_step, shortcut="G"),
        Control("puzzelstukjes", "Verberg wat elke rol weet" if moment.pieces_shown else "Toon wat elke rol weet",
                None if pieces else "Bij deze stap weet geen rol iets extra." if at_step else no_step, shortcut="P"),
        Control("spreker", "Kies iemand die iets zegt", None if moment.present else "Er doet nog niemand mee.",
                shortcut="S"),
        Control("vragenronde", "Sluit de vragenronde" if moment.asking else
                "Vragenronde: wat zou jij doen, wat houdt je tegen?", shortcut="V"),
    ]
    timer = [
        Control("timer-pauze" if moment.timer.running else "timer-start",
                "Zet de tijd stil" if moment.timer.running else "Start de tijd",
                None if moment.timer.seconds else "Dit onderdeel heeft geen geplande tijd.", shortcut="T"),
        Control("timer-reset", "Zet de tijd terug", None if moment.timer.seconds else
                "Dit onderdeel heeft geen geplande tijd."),
        Control("auto-tijd", "Tijd niet meer vanzelf starten" if moment.auto_timer else
                "Tijd vanzelf starten bij elk onderdeel"),
    ]
    session = [
        Control("vorige", "← Terug", None if moment.item_index or moment.route or (
            moment.scene and moment.scene.number > min(moment.item.scenes or (1,))) else "Dit is het begin.",
            shortcut="←"),
        Control("slot", "Deelnemen weer openen" if moment.locked else "Deelnemen sluiten"),
        Control("grote-zaal", "Meedoen weer met bijnaam" if moment.hall else "Grote zaal: meedoen zonder bijnaam"),
        Control("einde", "Sessie beëindigen"),
    ]
    return {"Stemming": vote_groups, "Gesprek": talk, "Tijd": timer, "Sessie": session}
