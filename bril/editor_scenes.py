"""The form for one scene of an own story: its title, its prose with the passages marked as signals in the
file's own notation (`[[De zin.|naam]]`), and why each is a signal (`- naam: uitleg` under `## Signalen`), each
explanation a pair of fields whose name cannot be changed while a marked passage carries it.

Like a card's step form (editor_steps.py) the text stays the one truth: the form reads one `# Scène` part out
of the draft's Markdown and writes exactly that part back, the rest byte for byte. A save is refused when
someone changed that scene meanwhile (a fingerprint of the scene as the writer saw it), and a scene whose
text holds something the form has no field for is not offered, since writing it back would lose words.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import FieldList, FormField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from . import authoring, clock, drafts, editor_fields
from .authoring import Refused
from .content.single import STORY
from .content.fields import SLUG
from .content.stories import MARKER, MAX_SCENES, MIN_SCENES, SCENE_TITLE, SIGNAL_ITEM
from .editor_steps import body_start, normal, one_line
from .forms import ButtonForm, EntryForm, Form
from .models import Draft, db
from .privacy import NoPersonalData

PRIVATE = NoPersonalData()
SIGNALS = re.compile(r"^##\s+signalen\s*$", re.IGNORECASE)
ITEM = re.compile(r"^[-*]\s+(.*)$")


@dataclass(frozen=True)
class ScenePart:
    """A `# Scène` part of a story's text: its number (1-based), title and lines (0-based, end exclusive)."""

    number: int
    title: str
    start: int
    end: int


@dataclass
class SceneFields:
    """One scene as the form shows it: the prose keeps its `[[...|naam]]` marks; each signal is (naam, uitleg),
    a line the notation does not fit being ("", the line) so that nothing is lost."""

    title: str = ""
    prose: str = ""
    signals: list[tuple[str, str]] | None = None


def scenes_of(text: str) -> list[ScenePart]:
    """Every scene of a story's text, in the order of the file."""
    lines = text.split("\n")
    heads = [i for i in range(body_start(lines), len(lines)) if lines[i].startswith("# ")]
    found = []
    for index, i in enumerate(heads):
        match = SCENE_TITLE.match(lines[i][2:].strip())
        if match:
            end = heads[index + 1] if index + 1 < len(heads) else len(lines)
            found.append(ScenePart(len(found) + 1, match.group(1).strip(), i, end))
    return found


def scene_part(text: str, number: int) -> ScenePart | None:
    return next((s for s in scenes_of(text) if s.number == number), None)


def read_scene(text: str, number: int) -> SceneFields | None:
    """The fields of one scene, or None when the story has no such scene."""
    part = scene_part(text, number)
    if part is None:
        return None
    prose: list[str] = []
    signals: list[str] | None = None
    for line in text.split("\n")[part.start + 1:part.end]:
        if signals is None and SIGNALS.match(line):
            signals = []
        elif signals is None:
            prose.append(line)
        elif line.strip():
            item = ITEM.match(line)
            body = item.group(1).strip() if item else line.strip()
            signal = SIGNAL_ITEM.match(body)
            signals.append((signal.group(1), signal.group(2).strip()) if signal else ("", body))
    return SceneFields(part.title, "\n".join(prose).strip(), signals or [])


def marked(prose: str) -> list[str]:
    """The names of the passages marked in a scene's prose (`[[De zin.|naam]]`), in the order they stand."""
    names = [match.group(1).rpartition("|")[2].strip() for match in MARKER.finditer(prose or "")]
    return list(dict.fromkeys(name for name in names if name))


def signal_line(name: str, why: str) -> str:
    return f"- {name}: {one_line(why)}".rstrip() if name else f"- {one_line(why)}"


def scene_text(scene: SceneFields) -> str:
    """The Markdown of one scene, in the order the bundled stories use."""
    out = [f"# Scène: {one_line(scene.title)}", "", scene.prose.replace("\r\n", "\n").strip(), ""]
    signals = [signal_line(name, why) for name, why in scene.signals or [] if name.strip() or why.strip()]
    if signals:
        out += ["## Signalen", ""] + signals + [""]
    return "\n".join(out)


def scene_source(text: str, number: int) -> str:
    """One scene's Markdown as it stands in the text (to show beside the form after a conflict)."""
    part = scene_part(text, number)
    return "\n".join(text.split("\n")[part.start:part.end]).strip() if part else ""


def fits(text: str, number: int) -> bool:
    """Whether the form holds every word of the scene: written back unchanged, it says the same."""
    scene = read_scene(text, number)
    return scene is not None and normal(scene_text(scene)) == normal(scene_source(text, number))


def write_scene(text: str, number: int, scene: SceneFields) -> str:
    """The text with one scene written from its fields; everything else stays as it was (and the scene too,
    byte for byte, when what was typed says the same)."""
    part = scene_part(text, number)
    new = scene_text(scene)
    if normal(new) == normal(scene_source(text, number)):
        return text
    lines = text.split("\n")
    return "\n".join(lines[:part.start] + new.rstrip("\n").split("\n") + [""] + lines[part.end:])


def fingerprint(text: str, number: int) -> str:
    """A short mark of one scene's text as it is now, so a save can tell whether someone changed it."""
    source = scene_source(text, number)
    return hashlib.sha256(normal(source).encode()).hexdigest()[:16] if source else ""


def save_scene(draft: Draft, number: int, scene: SceneFields, seen: str, author) -> bool:
    """Write one scene into the newest text when it is still as the writer saw it (`seen`); a change elsewhere
    is kept. False, with nothing saved, when someone changed this scene in between."""
    return authoring.save_part(
        draft, lambda text: scene_part(text, number) is not None and fingerprint(text, number) == seen,
        lambda text: write_scene(text, number, scene), author)


def add_scene(text: str) -> str:
    """The text with a new scene after the last one (before the professional's view), with one marked signal
    and its explanation so that it passes the checks of a scene."""
    name = next(f"nieuw-signaal-{n}" for n in range(1, 1000) if f"|nieuw-signaal-{n}]]" not in text)
    prose = f"Schrijf hier wat er gebeurt. [[Een zin die een signaal is.|{name}]]"
    block = scene_text(SceneFields("Nieuwe scène", prose, [(name, "Schrijf hier waarom dit een signaal is.")]))
    block = block.split("\n")
    lines, parts = text.split("\n"), scenes_of(text)
    at = parts[-1].end if parts else len(lines)
    if at == len(lines):
        return "\n".join(lines + block)
    return "\n".join(lines[:at] + block + lines[at:])


def remove_scene(text: str, number: int) -> str:
    """The text without one scene; the lines around it stay as they were."""
    part = scene_part(text, number)
    lines = text.split("\n")
    return "\n".join(lines[:part.start] + lines[part.end:])


def move_scene(text: str, number: int, by: int) -> str:
    """The text with a scene swapped with the scene before (by=-1) or after (by=1)."""
    parts = scenes_of(text)
    other = number - 1 + by
    if not 0 <= other < len(parts):
        return text
    first, second = sorted((parts[number - 1], parts[other]), key=lambda p: p.start)
    lines = text.split("\n")
    return "\n".join(lines[:first.start] + lines[second.start:second.end] + lines[first.end:second.start]
                     + lines[first.start:first.end] + lines[second.end:])


SCENE_CHANGES = {"erbij": "Er staat een nieuwe scène na de laatste scène. Schrijf hem met het formulier.",
                 "weg": "De scène is weg.", "omhoog": "De scène staat een plek hoger.",
                 "omlaag": "De scène staat een plek lager."}


def changed(text: str, change: str, number: int, title: str) -> str:
    """The text with a scene added, removed or moved; Refused (in Dutch) when the scene is not where the writer
    saw it (someone moved or removed it meanwhile) or the story would get too few or too many scenes."""
    parts = scenes_of(text)
    if change == "erbij":
        if len(parts) >= MAX_SCENES:
            raise Refused(f"Een verhaal heeft hoogstens {MAX_SCENES} scènes.")
        return add_scene(text)
    part = scene_part(text, number)
    if part is None or part.title != title:
        raise Refused("Die scène staat niet meer op die plek. Misschien heeft iemand anders het verhaal net "
                      "veranderd. Kijk de lijst na en probeer het opnieuw.")
    if change == "weg":
        if len(parts) <= MIN_SCENES:
            raise Refused(f"Een verhaal heeft minstens {MIN_SCENES} scènes.")
        return remove_scene(text, number)
    return move_scene(text, number, -1 if change == "omhoog" else 1)


def change_scenes(draft: Draft):
    """The view that adds, moves or removes a scene in the newest text, then goes back to the editor."""
    change = request.form.get("actie", "")
    number = request.form.get("scene", "")
    if draft.kind != STORY or change not in SCENE_CHANGES or not (change == "erbij" or number.isdigit()):
        abort(400)
    if ButtonForm().validate_on_submit():
        for _ in range(2):  # a save can slip in between reading and writing; then read once more
            db.session.refresh(draft)
            try:
                new = changed(draft.text, change, int(number or 0), request.form.get("titel", ""))
            except Refused as refused:
                flash(str(refused), "fout")
                break
            try:
                authoring.save_text(draft, new, draft.revision, current_user)
                flash(SCENE_CHANGES[change])
                break
            except Refused:
                continue
    return redirect(url_for("authoring.edit", draft_id=draft.id) + "#scenes-kop")


# ---- the form ---------------------------------------------------------------------------------------------

class SignalForm(EntryForm):
    """Why one signal is a signal: its name (fixed while a passage in the prose carries it) and the explanation."""

    naam = StringField("Naam van het signaal", validators=[Length(max=80)])
    uitleg = TextAreaField("Waarom is dit een signaal?", validators=[PRIVATE])


class SceneForm(Form):
    """One scene of a story: its title, its prose with the marked signals, and why each is a signal."""

    titel = StringField("Titel van de scène", validators=[DataRequired("Geef de scène een titel."),
                                                          Length(max=120), PRIVATE])
    tekst = TextAreaField("Tekst van de scène", validators=[DataRequired("Schrijf het verhaal van de scène."),
                                                            PRIVATE])
    signalen = FieldList(FormField(SignalForm, label="Signaal"), min_entries=0, max_entries=60)
    gezien = HiddenField()  # the scene's fingerprint when the form was filled

    @classmethod
    def of(cls, text: str, number: int) -> SceneForm:
        """The form filled from a scene as it stands in the text."""
        scene = read_scene(text, number)
        return cls(formdata=None, titel=scene.title, tekst=scene.prose, gezien=fingerprint(text, number),
                   signalen=[{"naam": name, "uitleg": why} for name, why in scene.signals or []]).linked()

    def linked(self) -> SceneForm:
        """Tie the explanations to the prose as typed: a marked name without one gets an empty pair to fill, and
        each pair knows whether a passage carries its name (then the page shows the name, not a field)."""
        names = marked(self.tekst.data)
        have = {(entry.form.naam.data or "").strip() for entry in self.signalen}
        for name in names:
            if name not in have:
                self.signalen.append_entry({"naam": name, "uitleg": ""})
        for entry in self.signalen:
            name = (entry.form.naam.data or "").strip()
            entry.tied = name in names
            if entry.tied:
                entry.form.uitleg.label.text = f"Waarom is ‘{name}’ een signaal?"
        self.new_names = [name for name in names if name not in have]
        return self

    def validate_tekst(self, field) -> None:
        # A line starting with # is a heading: it would end the scene and cut the story in the wrong place.
        heading = next((line.strip() for line in (field.data or "").split("\n") if line.lstrip().startswith("#")), None)
        if heading:
            raise ValidationError(f"Een regel in de tekst mag niet met # beginnen, want dan wordt het een kopje. "
                                  f"Dit klopt niet: {heading}")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for entry in self.signalen:
            problem = signal_problem((entry.form.naam.data or "").strip(), (entry.form.uitleg.data or "").strip())
            if problem:
                entry.form.uitleg.errors = [*entry.form.uitleg.errors, problem]
                valid = False
        return valid

    def fields(self) -> SceneFields:
        """The scene as typed, ready to be written into the text (a pair left empty is left out)."""
        signals = [((e.form.naam.data or "").strip(), (e.form.uitleg.data or "").strip()) for e in self.signalen]
        return SceneFields(self.titel.data or "", (self.tekst.data or "").replace("\r\n", "\n"),
                           [(name, why) for name, why in signals if name or why])


def signal_problem(name: str, why: str) -> str:
    """What is wrong with one pair of a signal's fields, in Dutch, or ""."""
    if not name and why:
        return (f"Geef deze uitleg de naam van een signaal uit de tekst. Dit klopt niet: {one_line(why)[:80]}")
    if name and not SLUG.match(name):
        return f"De naam `{name}` van een signaal mag alleen kleine letters, cijfers en streepjes hebben."
    if name and not why:
        return f"Schrijf waarom `{name}` een signaal is."
    return ""


def field_key(line: int, heading: int, signals: int | None) -> str:
    """The form field a line of a scene belongs to: its heading is the title, then the prose, then the signals."""
    if line == heading:
        return "titel"
    return "signalen" if signals is not None and line >= signals else "tekst"


def scene_notes(draft: Draft, number: int) -> dict[str, list[str]]:
    """The checks' problems and the B1 hints of one scene, by the form field they belong to."""
    part = scene_part(draft.text, number)
    if part is None:
        return {}
    lines = draft.text.split("\n")
    signals = next((i + 1 for i in range(part.start, part.end) if SIGNALS.match(lines[i])), None)
    parts = editor_fields.outline(draft.text)
    found = [(p.line, p.message) for p in editor_fields.placed(drafts.checked(draft).problems, parts)]
    found += [(w.line, w.message) for w in editor_fields.warnings(draft.text)]
    notes: dict[str, list[str]] = {}
    for line, message in found:
        if part.start + 1 <= line <= part.end:
            notes.setdefault(field_key(line, part.start + 1, signals), []).append(message[:1].upper() + message[1:])
    return notes


@dataclass(frozen=True)
class SceneLine:
    """A scene in the editor's list: whether the form can hold it."""

    number: int
    title: str
    fits: bool


def scene_lines(text: str) -> list[SceneLine]:
    return [SceneLine(s.number, s.title, fits(text, s.number)) for s in scenes_of(text)]


def linked_note(names: list[str]) -> str:
    if not names:
        return "Elk signaal in de tekst heeft een vak voor zijn uitleg. Er is nog niets opgeslagen."
    listed = ", ".join(f"‘{name}’" for name in names)
    return f"Schrijf nu waarom dit een signaal is: {listed}. Er is nog niets opgeslagen."


def scene_page(draft: Draft, form: SceneForm, number: int, *, note: str = "", theirs: str = "", gone: bool = False,
               status: int = 200):
    return render_template("authoring/scene.html", draft=draft, form=form, number=number, note=note, theirs=theirs,
                           gone=gone, notes=scene_notes(draft, number)), status


def handle(draft: Draft, number: int):
    """The scene form's view: a GET shows the scene, a save writes it back (422 keeps what was typed, 409 keeps
    both versions when someone changed the scene meanwhile)."""
    if draft.kind != STORY or (request.method == "GET" and not fits(draft.text, number)):
        abort(404)
    if request.method == "GET":
        return scene_page(draft, SceneForm.of(draft.text, number), number)
    form = SceneForm().linked()
    if scene_part(draft.text, number) is None:  # taken out meanwhile: what was typed stays on the page
        return scene_page(draft, form, number, gone=True, status=409)
    if request.form.get("actie") == "signalen":  # the pairs follow the prose as typed; nothing is saved
        return scene_page(draft, form, number, note=linked_note(form.new_names))
    if not form.validate_on_submit():
        return scene_page(draft, form, number, status=422)
    if not save_scene(draft, number, form.fields(), form.gezien.data or "", current_user):
        # The next save is a deliberate one over theirs, which stays on the page beside the form.
        form.gezien.data = fingerprint(draft.text, number)
        return scene_page(draft, form, number, theirs=scene_source(draft.text, number), status=409)
    flash(f"Scène opgeslagen om {clock.local(draft.updated_at).strftime('%H:%M')}.")
    return redirect(url_for("authoring.scene", draft_id=draft.id, number=number))
