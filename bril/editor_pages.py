"""The pages of the editor that several of its views render (the editor itself, a step's form), and the
guards its views share. The views are in editor.py; this module keeps it short."""
from __future__ import annotations

from functools import wraps

from flask import abort, render_template
from flask_login import login_required

from . import clock, drafts, editor_fields, editor_scenes, editor_story
from .authoring import Refused
from .content.single import DILEMMA, STORY
from .content.stories import MAX_SCENES, MIN_SCENES
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
                           **(scenes_context(draft.text) if draft.kind == STORY else {}),
                           **(shape_context(result, form.tekst.data or "") if draft.kind == DILEMMA else {})), status


def autosaved(draft: Draft) -> dict:
    """The autosave's answer: the revision and time, and every piece of the editor page drawn from the text just
    saved (the checks, the readability, the preview, and the list of scenes or the card's shape, steps and map),
    so that the page shows the saved text without being loaded again."""
    result = drafts.checked(draft)
    parts = editor_fields.outline(draft.text)
    return {"ok": True, "revisie": draft.revision, "tijd": clock.local(draft.updated_at).strftime("%H:%M"),
            "problemen": [{"regel": p.line, "veld": p.field, "melding": p.message}
                          for p in editor_fields.placed(result.problems, parts)],
            "waarschuwingen": render_template("authoring/_readability.html", warnings=editor_fields.warnings(draft.text),
                                              readings=editor_fields.readings(draft.text)),
            "voorbeeld": render_template("authoring/_preview.html", draft=draft, checked=result,
                                         stories=library_here().stories),
            "vorm": render_template("authoring/_shape.html", draft=draft, action=ButtonForm(),
                                    **shape_context(result, draft.text)) if draft.kind == DILEMMA else "",
            "scenes": render_template("authoring/_scenes.html", draft=draft, action=ButtonForm(),
                                      **scenes_context(draft.text)) if draft.kind == STORY else ""}


def scenes_context(text: str) -> dict:
    """What templates/authoring/_scenes.html needs: the scenes, their bounds, and whether the story's form fits."""
    return {"scenes": editor_scenes.scene_lines(text), "story_fits": editor_story.fits(text),
            "fewest_scenes": MIN_SCENES, "most_scenes": MAX_SCENES}


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
