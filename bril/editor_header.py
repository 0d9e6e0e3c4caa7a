"""A card's header (its YAML front matter) as form fields, read from and written back into the draft's text.

Like the step form (editor_steps.py) the text stays the one truth, and a save rewrites only what changed:
every key of the header whose value the form left as it was keeps its lines byte for byte (comments, key
order, the author's `>` or `|`), and so does the body. A changed key is written again with the same YAML
library the parser uses; comments inside that one key's lines do not survive. The Leeswijzer and the kader
are changed one sub-key at a time, so a new `doel` leaves `aanpak` as written; the rules are one list.
"""
from __future__ import annotations

import copy
import hashlib

import yaml
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import FieldList, FormField, HiddenField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from . import authoring, clock, drafts, editor_fields
from .content.frontmatter import LOADER
from .content.roles import ROLES
from .content.single import DILEMMA
from .content.themes import THEMES, theme_key
from .editor_steps import body_start, normal
from .forms import EntryForm, Form, WholeNumberField, rearrange_entries
from .privacy import NoPersonalData
from .models import Draft

PRIVATE = NoPersonalData()
# The Leeswijzer's texts on the form, in the order of the bundled cards, with their Dutch labels.
GUIDE_TEXTS = {"doel": "Doel", "groepsgrootte": "Groepsgrootte", "aanpak": "Aanpak",
               "nabespreking": "Nabespreking", "alleen": "Alleen", "team": "Met je team",
               "grote_zaal": "In een grote zaal", "doorgeven": "Doorgeven"}
RULE_KEYS = ("naam", "stappen", "uitleg", "bron")
MAX_RULES = 12


# ---- the header in the text -------------------------------------------------------------------------------

def header_lines(text: str) -> tuple[list[str], int]:
    """The text's lines and the index of the header's closing `---` (0 when there is no header)."""
    lines = text.split("\n")
    return lines, max(body_start(lines) - 1, 0)


def read_header(text: str) -> dict | None:
    """The header as the parser reads it, or None when there is none or it is no mapping."""
    lines, end = header_lines(text)
    if not end:
        return None
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=LOADER)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def fits(text: str) -> bool:
    """Whether the form has a field for every part of the header it shows (other keys stay as written)."""
    data = read_header(text)
    if data is None:
        return False
    guide, kader = data.get("leeswijzer") or {}, data.get("kader") or {}
    rules = kader.get("regels") or [] if isinstance(kader, dict) else None
    return (all(isinstance(data.get(k) or "", str) for k in ("titel", "samenvatting", "rol"))
            and isinstance(data.get("themas") or [], list) and isinstance(guide, dict)
            and all(isinstance(guide.get(k) or "", str) for k in GUIDE_TEXTS)
            and isinstance(guide.get("valkuilen") or [], list) and isinstance(guide.get("tijd") or 0, int)
            and isinstance(rules, list) and all(isinstance(r, dict) and set(r) <= set(RULE_KEYS) for r in rules))


def same(old, new) -> bool:
    """Whether two values say the same: strings without their outer white space, empty keys left out."""
    return plain(old) == plain(new)


def plain(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if plain(v) not in ("", [], {}, None)}
    return value


class HeaderDumper(yaml.SafeDumper):
    """Writes a changed key the way the bundled cards are written: lists indented, long text folded."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def represent_text(dumper: yaml.SafeDumper, value: str):
    text = value.strip()
    if "\n" in text:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text + "\n", style="|")
    if len(text) > 70:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text + "\n", style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


HeaderDumper.add_representer(str, represent_text)


def dumped(key: str, value, indent: int) -> list[str]:
    """One key and its value as YAML lines at an indent."""
    out = yaml.dump({key: value}, Dumper=HeaderDumper, allow_unicode=True, sort_keys=False, width=80)
    return [" " * indent + line for line in out.rstrip("\n").split("\n")]


def span(lines: list[str], key: yaml.Node, value: yaml.Node, indent: int) -> tuple[int, int]:
    """The lines (start, end exclusive) a key and its value take, without the blank lines and comments after."""
    end = value.end_mark.line
    if end < len(lines) and lines[end][:value.end_mark.column].strip():
        end += 1
    while end > key.start_mark.line + 1 and (not lines[end - 1].strip() or (
            lines[end - 1].lstrip().startswith("#") and len(lines[end - 1]) - len(lines[end - 1].lstrip()) <= indent)):
        end -= 1
    return key.start_mark.line, end


def edits(lines: list[str], node: yaml.MappingNode, old: dict, new: dict, indent: int) -> list[tuple]:
    """The line edits (start, end, new lines) that turn a mapping of `old` into `new`, key by key."""
    found, last = [], 0
    for key, value in node.value:
        name = key.value
        start, end = span(lines, key, value, indent)
        last = max(last, end)
        if name not in new:
            found.append((start, end, []))
        elif same(old.get(name), new[name]):
            continue
        elif (isinstance(value, yaml.MappingNode) and not value.flow_style and value.value
              and isinstance(new[name], dict) and isinstance(old.get(name), dict)):
            found += edits(lines, value, old[name], new[name], value.value[0][0].start_mark.column)
        elif (isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value
              and value.start_mark.line > start and isinstance(new[name], list)):
            found.append((start + 1, end, reordered(lines[start + 1:end], start + 1, value, old[name], new[name])))
        else:
            found.append((start, end, dumped(name, new[name], indent)))
    added = [line for name in new if name not in old for line in dumped(name, new[name], indent)]
    return found + ([(last, last, added)] if added else [])


def reordered(lines: list[str], base: int, node: yaml.SequenceNode, old: list, new: list) -> list[str]:
    """A block list's lines for `new`: an item as it was keeps its own lines, moved or not; a new one is dumped."""
    starts = [item.start_mark.line - base for item in node.value] + [len(lines)]
    blocks = [lines[starts[i]:starts[i + 1]] for i in range(len(old))]
    dash = " " * (len(lines[starts[0]]) - len(lines[starts[0]].lstrip()))
    out: list[str] = lines[:starts[0]]  # a comment above the first item stays
    for item in new:
        kept = next((i for i, was in enumerate(old) if blocks[i] is not None and same(was, item)), None)
        if kept is None:
            out += [dash + line for line in yaml.dump([item], Dumper=HeaderDumper, allow_unicode=True,
                                                      sort_keys=False, width=80).rstrip("\n").split("\n")]
        else:
            out += blocks[kept]
            blocks[kept] = None
    return out


def write_header(text: str, new: dict) -> str:
    """The text with a header that says `new`; unchanged keys and the body stay byte for byte."""
    lines, end = header_lines(text)
    yaml_lines = lines[1:end]
    root = yaml.compose("\n".join(yaml_lines))
    for start, stop, replacement in sorted(edits(yaml_lines, root, read_header(text), new, 0), reverse=True):
        yaml_lines[start:stop] = replacement
    return "\n".join(lines[:1] + yaml_lines + lines[end:])


def fingerprint(text: str) -> str:
    """A short mark of the header as it is now, so a save can tell whether someone changed it."""
    lines, end = header_lines(text)
    return hashlib.sha256(normal("\n".join(lines[:end + 1])).encode()).hexdigest()[:16] if end else ""


def header_source(text: str) -> str:
    """The header as it stands in the text (to show beside the form after a conflict)."""
    lines, end = header_lines(text)
    return "\n".join(lines[:end + 1])


def save_header(draft: Draft, new: dict, seen: str, author) -> bool:
    """Write the header into the newest text when it is still as the writer saw it (`seen`); a change in the
    body meanwhile is kept. False, with nothing saved, when someone changed the header in between."""
    return authoring.save_part(draft, lambda text: fingerprint(text) == seen, lambda text: write_header(text, new),
                               author)


# ---- the form ---------------------------------------------------------------------------------------------

class RuleForm(EntryForm):
    """One rule of the kader: its name, the steps it belongs to, its explanation and its source."""

    naam = StringField("Naam van de regel", validators=[DataRequired("Geef de regel een naam."), Length(max=200),
                                                        PRIVATE])
    stappen = StringField("Bij welke stappen (namen, met komma's)", validators=[Length(max=300), PRIVATE])
    uitleg = TextAreaField("Uitleg", validators=[DataRequired("Leg de regel uit."), PRIVATE])
    bron = StringField("Bron (wet of richtlijn, met artikel)", validators=[Length(max=500), PRIVATE])


def text_field(label: str, required: str = "") -> TextAreaField:
    return TextAreaField(label, validators=[DataRequired(required) if required else Optional(), PRIVATE])


class HeaderForm(Form):
    """A card's header: title, summary, role, themes, the Leeswijzer and the kader's rules."""

    titel = StringField("Titel", validators=[DataRequired("Geef de kaart een titel."), Length(max=160), PRIVATE])
    samenvatting = TextAreaField("Samenvatting", validators=[DataRequired("Schrijf een korte samenvatting."),
                                                             PRIVATE])
    rol = SelectField("Rol", choices=[SelectChoice("", "Kies een rol")] + [SelectChoice(k, v) for k, v in ROLES.items()],
                      validate_choice=False, validators=[DataRequired("Kies de rol van de professional.")])
    themas = SelectMultipleField("Thema's", choices=[SelectChoice(k, v) for k, v in sorted(THEMES.items(), key=lambda i: i[1].lower())],
                                 widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    doel = text_field("Doel")
    groepsgrootte = StringField("Groepsgrootte", validators=[Length(max=120), PRIVATE])
    tijd = WholeNumberField("Tijd in minuten", validators=[Optional(), NumberRange(1, 600, "Vul een tijd in minuten in.")])
    aanpak = text_field("Aanpak")
    valkuilen = text_field("Valkuilen (één per regel)")
    nabespreking = text_field("Nabespreking")
    alleen = text_field("Alleen")
    team = text_field("Met je team")
    grote_zaal = text_field("In een grote zaal")
    doorgeven = text_field("Doorgeven")
    regels = FieldList(FormField(RuleForm), min_entries=0, max_entries=MAX_RULES + 1)
    gezien = HiddenField()  # the header's fingerprint when the form was filled

    @classmethod
    def of(cls, text: str) -> HeaderForm:
        """The form filled from the header as it stands in the text."""
        data = read_header(text) or {}
        guide = data.get("leeswijzer") or {}
        rules = (data.get("kader") or {}).get("regels") or []
        return cls(formdata=None, titel=data.get("titel") or "", samenvatting=(data.get("samenvatting") or "").strip(),
                   rol=data.get("rol") or "", themas=[theme_key(str(t)) for t in data.get("themas") or []],
                   tijd=guide.get("tijd"), valkuilen="\n".join(str(v) for v in guide.get("valkuilen") or []),
                   gezien=fingerprint(text), regels=[
                       {"naam": r.get("naam") or "", "uitleg": (r.get("uitleg") or "").strip(), "bron": r.get("bron") or "",
                        "stappen": ", ".join(steps_of(r.get("stappen")))} for r in rules],
                   **{k: str(guide.get(k) or "").strip() for k in GUIDE_TEXTS})

    def offer_role(self, text: str) -> HeaderForm:
        """A role the list does not know stays on offer, marked, so a save does not drop it (the check names it)."""
        role = str((read_header(text) or {}).get("rol") or "")
        if role and role not in ROLES:
            self.rol.choices = [*self.rol.choices, SelectChoice(role, f"Onbekende rol: {role}")]
        return self

    def header(self, text: str) -> dict:
        """The header the text will have: what was there, with what the form holds in its place."""
        new = copy.deepcopy(read_header(text) or {})
        for name in ("titel", "samenvatting", "rol"):
            new[name] = (getattr(self, name).data or "").strip()
        old_themes = [str(t) for t in new.get("themas") or []]
        themes = ticked(old_themes, self.themas.data or [], THEMES, theme_key)
        if sorted(themes) != sorted(old_themes):
            new["themas"] = themes
        guide = new.setdefault("leeswijzer", {})
        values = {k: (getattr(self, k).data or "").strip() for k in GUIDE_TEXTS}
        values["tijd"] = self.tijd.data
        values["valkuilen"] = [v.strip() for v in (self.valkuilen.data or "").split("\n") if v.strip()]
        for key, value in values.items():
            if value in ("", [], None):
                guide.pop(key, None)
            elif not same(guide.get(key), value):
                guide[key] = value
        if not guide:
            new.pop("leeswijzer", None)
        rules = [rule_of(entry.form) for entry in self.regels]
        kader = new.get("kader") if isinstance(new.get("kader"), dict) else {}
        if not same(kader.get("regels") or [], rules):
            kader["regels"] = rules
            new["kader"] = kader
        return new

    def rearrange(self, action: str) -> str:
        """Add, remove or move a rule in what was typed (nothing is saved); the Dutch note of what changed."""
        return rearrange_entries(self.regels, action, "regel", "Een kader", "de kop",
                                 {"naam": "", "stappen": "", "uitleg": "", "bron": ""}, 0, MAX_RULES)


def ticked(old: list, chosen: list[str], known, key=str) -> list:
    """A list of keys after ticking boxes: the author's order and spelling stay; a key the list does not know
    stays for the check to name; a key ticked now comes after the ones there were."""
    kept = [v for v in old if key(str(v)) in chosen or key(str(v)) not in known]
    return kept + [c for c in chosen if c not in {key(str(o)) for o in old}]


def steps_of(value) -> list[str]:
    """A rule's steps: a YAML list, or names with commas."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return [s.strip() for s in str(value or "").split(",") if s.strip()]


def rule_of(form: RuleForm) -> dict:
    """A rule as typed, its keys in the order of the bundled cards, empty ones left out."""
    rule = {"naam": (form.naam.data or "").strip(), "stappen": steps_of(form.stappen.data),
            "uitleg": (form.uitleg.data or "").strip(), "bron": (form.bron.data or "").strip()}
    return {k: v for k, v in rule.items() if v}


# ---- the page ---------------------------------------------------------------------------------------------

def field_key(label: str) -> str:
    """The form field a check's label belongs to ("Leeswijzer · grote zaal" → grote_zaal, regel 2 → regel-2)."""
    lowered = label.lower()
    if lowered.startswith("leeswijzer · "):
        name = lowered.split(" · ")[1].replace(" ", "_")
        return name if name in GUIDE_TEXTS or name in ("tijd", "valkuilen") else ""
    if lowered.startswith("kader · regel "):
        return "regel-" + lowered.split(" · ")[1].split()[1]
    return lowered if lowered in ("titel", "samenvatting", "rol", "themas") else ""


def header_notes(draft: Draft) -> dict[str, list[str]]:
    """The checks' problems and the warnings of the header, by the form field they belong to ("" for the rest)."""
    _, end = header_lines(draft.text)
    parts = editor_fields.outline(draft.text)
    found = [(p.line, p.field, p.message) for p in editor_fields.placed(drafts.checked(draft).problems, parts)]
    found += [(w.line, w.field, w.message) for w in editor_fields.warnings(draft.text)]
    notes: dict[str, list[str]] = {}
    for line, label, message in found:
        if line <= end + 1:
            notes.setdefault(field_key(label), []).append(message[:1].upper() + message[1:])
    return notes


def header_page(draft: Draft, form: HeaderForm, *, note: str = "", theirs: str = "", status: int = 200):
    return render_template("authoring/header.html", draft=draft, form=form, note=note, theirs=theirs,
                           notes=header_notes(draft)), status


def handle(draft: Draft):
    """The header form's view: a button moves or adds a rule in what was typed, a save writes the header back."""
    if draft.kind != DILEMMA or not fits(draft.text):
        abort(404)
    if request.method == "GET":
        return header_page(draft, HeaderForm.of(draft.text).offer_role(draft.text))
    form = HeaderForm().offer_role(draft.text)
    action = request.form.get("actie", "opslaan")
    if action != "opslaan":
        return header_page(draft, form, note=form.rearrange(action))
    if not form.validate_on_submit():
        return header_page(draft, form, status=422)
    new = form.header(draft.text)
    if not save_header(draft, new, form.gezien.data or "", current_user):
        # The next save is a deliberate one over theirs, which stays on the page beside the form.
        form.gezien.data = fingerprint(draft.text)
        return header_page(draft, form, theirs=header_source(draft.text), status=409)
    flash(f"Kop opgeslagen om {clock.local(draft.updated_at).strftime('%H:%M')}.")
    return redirect(url_for("authoring.header", draft_id=draft.id))
