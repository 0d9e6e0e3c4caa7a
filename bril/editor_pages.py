"""The pages of the editor that several of its views render (the editor itself, a step's form), and the
guards its views share. The views are in editor.py; this module keeps it short."""
from __future__ import annotations

from functools import wraps

from flask import abort, render_template
from flask_login import login_required

from . import drafts, editor_fields, editor_scenes
from .authoring import Refused
from .content.single import DILEMMA, STORY
from .editor_forms import CommentForm, EndingForm, StepForm, TextForm, UploadForm, shape_context, step_notes
from .forms import ButtonForm
from .libraries import library_here
from .models import Draft, ReviewState


CONFLICT = "Er is niets weg: hieronder staan beide teksten. Kies waarmee je verder gaat."


def sentence(refused: Refused) -> str:
    """A rule's reason as a sentence on the page: its first letter a capital, the rest as written."""
    text = str(refused)
    return text[:1].upper() + text[1:]


def writer_required(view):
    """Allow a view only to an author or beheerder of an organisation."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not drafts.may_write():
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def editor_page(draft: Draft, form: TextForm, *, theirs: Draft | None = None, status: int = 200,
                comment_form: CommentForm | None = None):
    """The editor: the text with line numbers, the checks beside it, the preview, the review."""
    result = drafts.checked(draft, form.tekst.data)
    people = drafts.names_of({draft.author_id, draft.reviewer_id} | {c.author_id for c in drafts.comments_of(draft)})
    return render_template("authoring/edit.html", draft=draft, form=form, checked=result, theirs=theirs,
                           placed=editor_fields.placed(result.problems, editor_fields.outline(form.tekst.data or "")),
                           warnings=editor_fields.warnings(form.tekst.data or ""),
                           readings=editor_fields.readings(form.tekst.data or ""),
                           comments=drafts.comments_of(draft), people=people, comment_form=comment_form or CommentForm(formdata=None),
                           upload=UploadForm(formdata=None), action=ButtonForm(), versions=drafts.versions_of(draft),
                           stories=library_here().stories, States=ReviewState,
                           scenes=editor_scenes.scene_lines(draft.text) if draft.kind == STORY else [],
                           **(shape_context(result, form.tekst.data or "") if draft.kind == DILEMMA else {})), status


def step_page(draft: Draft, form: StepForm, step_id: str, *, note: str = "", theirs: str = "", status: int = 200):
    """The form of one step, with this step's checks at its fields and the card's shape and map below."""
    result = drafts.checked(draft)
    return render_template("authoring/step.html", draft=draft, form=form, step_id=step_id, note=note, theirs=theirs,
                           notes=step_notes(result, draft.text, step_id), **shape_context(result, draft.text, False)), \
        status


def node_page(draft: Draft, form: EndingForm, ending_id: str, *, theirs: str = "", status: int = 200):
    """The form of one ending, with this ending's checks and the card's shape and map below."""
    result = drafts.checked(draft)
    return render_template("authoring/ending.html", draft=draft, form=form, ending_id=ending_id, theirs=theirs,
                           notes=step_notes(result, draft.text, ending_id, "Einde"),
                           **shape_context(result, draft.text, False)), status


def download(text: str, slug: str):
    """A text as a .md file to save."""
    return text, 200, {"Content-Type": "text/markdown; charset=utf-8",
                       "Content-Disposition": f'attachment; filename="{slug}.md"'}


def draft_card_or_404(draft_id: int):
    """A draft of the writer's organisation that is a card passing the checks, with its parsed card."""
    draft = drafts.draft_here_or_404(draft_id)
    card = drafts.checked(draft).item
    if draft.kind != DILEMMA or card is None:
        abort(404)
    return draft, card
