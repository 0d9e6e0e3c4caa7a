"""Eigen casussen: the pages where an organisation's authors write, check, preview, review, publish and
withdraw their own cards and stories. Thin views: the rules are in authoring.py, the reads in drafts.py."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from . import (authoring, clock, drafts, editor_fields, editor_header, editor_room, editor_scenes, editor_steps,
               editor_story_form)
from .authoring import Refused
from .content.roles import role_label
from .content.single import DILEMMA, STORY
from .dilemma_map import draw_map
from .editor_forms import CommentForm, EndingForm, NameForm, StepForm, TextForm, UploadForm, shape_context
from .editor_pages import (CONFLICT, autosaved, download, draft_card_or_404, editor_page, node_page, sentence,
                           step_page, writer_required)
from .forms import ButtonForm, wants_json
from .libraries import library_here
from .reporting import book_for
from .models import ContentKind, ReviewState, Workshop, db
from .starters import from_session, starter
from .tenancy import own_or_404
from .tenancy import organisation_id

bp = Blueprint("authoring", __name__, url_prefix="/eigen")


@bp.route("/")
@writer_required
def index():
    """The organisation's own cards and stories: drafts with their state, and their versions."""
    found = drafts.drafts_here()
    return render_template("authoring/index.html", drafts=found, versions={d.id: drafts.versions_of(d) for d in found},
                           form=NameForm(formdata=None), kinds=ContentKind, sessions=drafts.sessions_to_harvest())


@bp.route("/nieuw/<any(dilemma, verhaal):kind>", methods=["POST"])
@writer_required
def new(kind: str):
    """Start a new card or story from a small valid text."""
    form = NameForm()
    if form.validate_on_submit():
        try:
            draft = authoring.create_draft(organisation_id(), kind, form.naam.data, starter(kind, library_here()),
                                           current_user)
            db.session.commit()
            return redirect(url_for(".edit", draft_id=draft.id))
        except Refused as refused:
            form.naam.errors.append(sentence(refused))
    found = drafts.drafts_here()
    return render_template("authoring/index.html", drafts=found, versions={d.id: drafts.versions_of(d) for d in found},
                           form=form, kinds=ContentKind, failed=kind), 422


@bp.route("/kopie/<any(dilemma, verhaal):kind>/<slug>", methods=["POST"])
@writer_required
def copy(kind: str, slug: str):
    """Make an own version of a bundled card or story under a new name."""
    text = drafts.bundled_text(kind, slug) or abort(404)
    form = NameForm()
    if form.validate_on_submit():
        try:
            draft = authoring.create_draft(organisation_id(), kind, form.naam.data, text, current_user)
            db.session.commit()
            flash("Je eigen versie staat klaar. Pas hem aan en bied hem ter beoordeling aan.")
            return redirect(url_for(".edit", draft_id=draft.id))
        except Refused as refused:
            flash(sentence(refused), "fout")
    else:
        flash(" ".join(form.naam.errors), "fout")
    return redirect(url_for("dilemmas.intro" if kind == DILEMMA else "stories.intro", slug=slug))


@bp.route("/uit-sessie/<int:workshop_id>", methods=["GET", "POST"])
@writer_required
def from_report(workshop_id: int):
    """Maak hier een casus van: a new card or story that starts from what a session's room said, through the
    privacy guard (a text with personal data stays behind)."""
    workshop = own_or_404(Workshop, workshop_id)
    material = drafts.session_material(workshop)
    form = NameForm() if request.method == "POST" else NameForm(formdata=None)
    kind = request.form.get("soort") if request.method == "POST" else None
    if kind in (DILEMMA, "verhaal") and form.validate_on_submit():
        text = from_session(kind, library_here(), material.parked, material.answers)
        try:
            draft = authoring.create_draft(organisation_id(), kind, form.naam.data, text, current_user)
            db.session.commit()
            flash("Je casus staat klaar. Wat de groep inbracht staat erin: herschrijf het tot een casus.")
            return redirect(url_for(".edit", draft_id=draft.id))
        except Refused as refused:
            form.naam.errors.append(sentence(refused))
    return render_template("authoring/from_report.html", workshop=workshop, material=material, form=form), \
        422 if request.method == "POST" else 200


@bp.route("/<int:draft_id>", methods=["GET", "POST"])
@writer_required
def edit(draft_id: int):
    """Show the editor; a post saves the text from the revision it started from (never over a newer one)."""
    draft = drafts.draft_here_or_404(draft_id)
    if request.method == "GET":
        return editor_page(draft, TextForm(formdata=None, tekst=draft.text, revisie=draft.revision))
    form = TextForm()
    if not form.validate_on_submit() or not (form.revisie.data or "").isdigit():
        abort(400)
    text = (form.tekst.data or "").replace("\r\n", "\n")
    try:
        authoring.save_text(draft, text, int(form.revisie.data), current_user)
    except Refused as refused:
        db.session.refresh(draft)
        if wants_json():
            return jsonify(ok=False, conflict=True, melding=CONFLICT, tekst=draft.text,
                           revisie=draft.revision), 409
        # The next save is a deliberate one over theirs, which stays on the page beside it.
        form.tekst.data, form.revisie.data = text, draft.revision
        return editor_page(draft, form, theirs=draft, status=409)
    if wants_json():
        return jsonify(autosaved(draft))
    flash(f"Opgeslagen om {clock.local(draft.updated_at).strftime('%H:%M')}.")
    return redirect(url_for(".edit", draft_id=draft.id))


@bp.route("/<int:draft_id>/stap/<step_id>", methods=["GET", "POST"])
@writer_required
def step(draft_id: int, step_id: str):
    """A form for one step; a button moves or adds an option in what was typed, a save writes the step back."""
    draft = drafts.draft_here_or_404(draft_id)
    saved = editor_steps.read_step(draft.text, step_id)
    if draft.kind != DILEMMA or saved is None or not editor_steps.fits(draft.text, step_id):
        abort(404)
    if request.method == "GET":
        return step_page(draft, StepForm.of(draft.text, saved), step_id)
    form = StepForm()
    form.offer_targets(draft.text, step_id)
    action = request.form.get("actie", "opslaan")
    if action != "opslaan":
        note = form.rearrange(action)
        form.offer_targets(draft.text, step_id)
        return step_page(draft, form, step_id, note=note)
    if not form.validate_on_submit():
        return step_page(draft, form, step_id, status=422)
    fields = form.fields(step_id, saved.extra)
    if not authoring.save_node(draft, step_id, lambda text: editor_steps.write_step(text, fields),
                               form.gezien.data or "", current_user):
        # The next save is a deliberate one over theirs, which stays on the page beside the form.
        form.gezien.data = editor_steps.fingerprint(draft.text, step_id)
        return step_page(draft, form, step_id, theirs=editor_steps.step_source(draft.text, step_id), status=409)
    flash(f"Stap opgeslagen om {clock.local(draft.updated_at).strftime('%H:%M')}.")
    return redirect(url_for(".step", draft_id=draft.id, step_id=step_id))


@bp.route("/<int:draft_id>/kop", methods=["GET", "POST"])
@writer_required
def header(draft_id: int):
    """A form for a card's header (with the Leeswijzer and kader) or a story's header and closing."""
    draft = drafts.draft_here_or_404(draft_id)
    return (editor_story_form if draft.kind == STORY else editor_header).handle(draft)


@bp.route("/<int:draft_id>/scene/<int:number>", methods=["GET", "POST"])
@writer_required
def scene(draft_id: int, number: int):
    """A form for one scene of a story: its title, its prose with the marked signals, and why each is one."""
    return editor_scenes.handle(drafts.draft_here_or_404(draft_id), number)


@bp.route("/<int:draft_id>/scenes", methods=["POST"])
@writer_required
def scenes(draft_id: int):
    """Add a scene to a story, or move or remove one, in the newest text."""
    return editor_scenes.change_scenes(drafts.draft_here_or_404(draft_id))


@bp.route("/<int:draft_id>/einde/<ending_id>", methods=["GET", "POST"])
@writer_required
def ending(draft_id: int, ending_id: str):
    """A form for one ending of a card: its title, how it turned out, the reflection."""
    draft = drafts.draft_here_or_404(draft_id)
    saved = editor_steps.read_ending(draft.text, ending_id)
    if draft.kind != DILEMMA or saved is None or not editor_steps.fits(draft.text, ending_id):
        abort(404)
    form = EndingForm() if request.method == "POST" else EndingForm.of(draft.text, saved)
    if request.method == "GET" or not form.validate_on_submit():
        return node_page(draft, form, ending_id, status=200 if request.method == "GET" else 422)
    fields = form.fields(ending_id)
    if not authoring.save_node(draft, ending_id, lambda text: editor_steps.write_ending(text, fields),
                               form.gezien.data or "", current_user):
        form.gezien.data = editor_steps.fingerprint(draft.text, ending_id)
        return node_page(draft, form, ending_id, theirs=editor_steps.step_source(draft.text, ending_id), status=409)
    flash(f"Einde opgeslagen om {clock.local(draft.updated_at).strftime('%H:%M')}.")
    return redirect(url_for(".ending", draft_id=draft.id, ending_id=ending_id))


@bp.route("/<int:draft_id>/stappen", methods=["POST"])
@writer_required
def steps(draft_id: int):
    """Add a step to a card, or move or remove one, in the newest text."""
    draft = drafts.draft_here_or_404(draft_id)
    change = request.form.get("actie", "")
    if draft.kind != DILEMMA or change not in authoring.STEP_CHANGES:
        abort(400)
    if ButtonForm().validate_on_submit():
        try:
            authoring.change_steps(draft, change, request.form.get("stap", ""), current_user)
            flash({"erbij": "Er staat een nieuwe stap na de laatste stap. Laat een optie ernaartoe leiden.",
                   "weg": "De stap is weg.", "omhoog": "De stap staat een plek hoger.",
                   "omlaag": "De stap staat een plek lager.",
                   "einde-erbij": "Er staat een nieuw einde onderaan. Laat een optie ernaartoe leiden.",
                   "einde-weg": "Het einde is weg."}[change])
        except Refused as refused:
            flash(sentence(refused), "fout")
    return redirect(url_for(".edit", draft_id=draft.id) + "#vorm")


@bp.route("/<int:draft_id>/voorbeeld")
@writer_required
def preview(draft_id: int):
    """The draft as a reader will see it: a card's introduction and every step, or a story's scenes."""
    draft = drafts.draft_here_or_404(draft_id)
    result = drafts.checked(draft)
    return render_template("authoring/preview.html", draft=draft, checked=result, stories=library_here().stories,
                           drawing=draw_map(result.item) if result.kind == DILEMMA and result.item else None)


@bp.route("/<int:draft_id>/voorbeeld/lopen/<node>")
@writer_required
def preview_walk(draft_id: int, node: str):
    """Walk the draft's card alone from any step (nothing is stored): `?keuze=n` shows an option's consequence."""
    draft = drafts.draft_here_or_404(draft_id)
    card = drafts.checked(draft).item
    if draft.kind != DILEMMA or card is None or (node not in card.steps and node not in card.endings):
        abort(404)
    choice = request.args.get("keuze", "")
    step = card.steps.get(node)
    option = step.options[int(choice) - 1] if step and choice.isdigit() and 1 <= int(choice) <= len(step.options) \
        else None
    return render_template("authoring/walk.html", draft=draft, dilemma=card, node=node, step=step, option=option,
                           ending=card.endings.get(node))


@bp.route("/<int:draft_id>/voorbeeld/zaal")
@writer_required
def room(draft_id: int):
    """Every step and phase of the draft card, to open as the projector and a phone of the live room show it."""
    draft = drafts.draft_here_or_404(draft_id)
    card = drafts.checked(draft).item if draft.kind == DILEMMA else None
    return render_template("authoring/room.html", draft=draft, card=card,
                           choices=editor_room.choices(card, role_label) if card else [])


@bp.route("/<int:draft_id>/voorbeeld/zaal/<node>/<fase>/<any(projector, telefoon):screen>")
@writer_required
def room_screen(draft_id: int, node: str, fase: str, screen: str):
    """One screen of the live room at a step of the draft card, without a session (see editor_room.asked_in)."""
    draft, card = draft_card_or_404(draft_id)
    asked = editor_room.asked_in(node, fase, request.args)
    if not editor_room.valid(card, asked):
        abort(404)
    moment = editor_room.moment_of(card, asked, book_for(draft.organisation_id))
    view = "scherm" if screen == "projector" else "deelnemer"
    here = url_for(".room_screen", draft_id=draft.id, node=node, fase=fase, screen=screen)
    fragment = render_template(f"live/_{view}.html", m=moment, view=view, role=asked.role, content=None, recent=(),
                               answer_count=0, vote_preview=here, voted=asked.voted)
    return render_template(f"authoring/room_{screen}.html", draft=draft, card=card, m=moment, fragment=fragment,
                           phase=editor_room.PHASE_NAMES[fase], voted=asked.voted)


@bp.route("/<int:draft_id>/aanbieden", methods=["POST"])
@writer_required
def submit(draft_id: int):
    """Send the draft to review when it passes every check."""
    draft = drafts.draft_here_or_404(draft_id)
    if ButtonForm().validate_on_submit():
        if draft.state in (ReviewState.IN_REVIEW, ReviewState.APPROVED):
            flash("Deze tekst is al aangeboden.", "fout")
        elif authoring.submit(draft).ok:
            flash("De tekst is ter beoordeling aangeboden. Vraag een collega om hem te beoordelen.")
        else:
            flash("De tekst is nog niet in orde. Verbeter eerst de fouten naast de tekst.", "fout")
    return redirect(url_for(".edit", draft_id=draft.id))


@bp.route("/<int:draft_id>/beoordelen", methods=["POST"])
@writer_required
def review(draft_id: int):
    """Approve the draft, or send it back to its author (never one's own: four eyes)."""
    draft = drafts.draft_here_or_404(draft_id)
    if ButtonForm().validate_on_submit():
        approve = request.form.get("besluit") == "goedkeuren"
        try:
            authoring.review(draft, current_user, approve, request.form.get("revisie", type=int, default=-1))
            flash("Goedgekeurd. Nu kan de tekst worden gepubliceerd." if approve
                  else "Teruggestuurd naar de schrijver, met je opmerkingen.")
        except Refused as refused:
            flash(sentence(refused), "fout")
    return redirect(url_for(".edit", draft_id=draft.id))


@bp.route("/<int:draft_id>/opmerking", methods=["POST"])
@writer_required
def remark(draft_id: int):
    """Leave a remark on one line or part of the draft."""
    draft = drafts.draft_here_or_404(draft_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            authoring.comment(draft, form.veld.data.strip(), form.opmerking.data.strip(), current_user)
            flash("Je opmerking is opgeslagen.")
            return redirect(url_for(".edit", draft_id=draft.id) + "#opmerkingen")
        except Refused as refused:
            form.opmerking.errors.append(sentence(refused))
    return editor_page(draft, TextForm(formdata=None, tekst=draft.text, revisie=draft.revision), status=422,
                       comment_form=form)


@bp.route("/<int:draft_id>/publiceren", methods=["POST"])
@writer_required
def publish(draft_id: int):
    """Publish an approved draft as a new version."""
    draft = drafts.draft_here_or_404(draft_id)
    if ButtonForm().validate_on_submit():
        try:
            version = authoring.publish(draft, current_user)
            flash(f"Versie {version.number} is gepubliceerd. Iedereen in je organisatie ziet hem nu.")
        except Refused as refused:
            flash(sentence(refused), "fout")
    return redirect(url_for(".edit", draft_id=draft.id))


@bp.route("/<int:draft_id>/geschiedenis")
@writer_required
def history(draft_id: int):
    """Every published version with who and when; the difference between two of them."""
    draft = drafts.draft_here_or_404(draft_id)
    versions = drafts.versions_of(draft)
    by_number = {v.number: v for v in versions}
    old, new = (by_number.get(request.args.get(name, type=int)) for name in ("van", "naar"))
    return render_template("authoring/history.html", draft=draft, versions=versions, action=ButtonForm(),
                           people=drafts.names_of({v.published_by_id for v in versions}), old=old, new=new,
                           difference=drafts.difference(old, new) if old and new else None)


@bp.route("/versie/<int:version_id>/intrekken", methods=["POST"])
@writer_required
def withdraw(version_id: int):
    """Take a version out of the library (plans and sessions made with it keep it)."""
    version = drafts.version_here_or_404(version_id)
    if ButtonForm().validate_on_submit():
        authoring.withdraw(version)
        flash(f"Versie {version.number} is ingetrokken. Nieuwe plannen kunnen hem niet meer kiezen.")
    back = version.draft_id if version.draft_id else None
    return redirect(url_for(".history", draft_id=back) if back else url_for(".index"))


@bp.route("/<int:draft_id>/download")
@writer_required
def download_draft(draft_id: int):
    """The draft's text as a .md file."""
    draft = drafts.draft_here_or_404(draft_id)
    return download(draft.text, draft.slug)


@bp.route("/versie/<int:version_id>/download")
@writer_required
def download_version(version_id: int):
    """A published version's text as a .md file."""
    version = drafts.version_here_or_404(version_id)
    return download(version.text, f"{version.slug}-versie-{version.number}")


@bp.route("/<int:draft_id>/upload", methods=["POST"])
@writer_required
def upload(draft_id: int):
    """Put the text of a .md file into the draft; it is checked as `flask content import` checks a file."""
    draft = drafts.draft_here_or_404(draft_id)
    form = UploadForm()
    sent = form.bestand.data if form.validate_on_submit() else None
    if not sent or not (sent.filename or "").lower().endswith(".md"):
        flash("Kies een bestand dat eindigt op .md.", "fout")
        return redirect(url_for(".edit", draft_id=draft.id))
    try:
        text = sent.read().decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        flash("Dit bestand kan ik niet lezen. Sla het op als UTF-8 en probeer het opnieuw.", "fout")
        return redirect(url_for(".edit", draft_id=draft.id))
    authoring.save_text(draft, text, draft.revision, current_user)
    problems = drafts.checked(draft).problems
    flash(f"Het bestand staat nu in de tekst. {len(problems)} fout(en) gevonden: zie naast de tekst." if problems
          else "Het bestand staat nu in de tekst. Er zijn geen fouten gevonden.")
    return redirect(url_for(".edit", draft_id=draft.id))
