"""Insight pages for an organisation's beheerder (reach over time, choices per card, signals per story, agreements),
and for a procesbegeleider over their own sessions."""
from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth import role_required
from ..libraries import library_here
from ..models import utcnow
from ..tenancy import organisation_id, reader_organisation
from .agreements import agreement_figures, agreements_table
from .by_role import role_reach
from .charts import comparison_svg, line_svg, percent, quarter_label, share, trend_svg
from .figures import quarters_with_data, recent_reach
from .filters import ROLE_CHOICES, Filter
from .own import own_sessions
from .summary import card_lines, story_lines
from .suppression import MINIMUM
from .tables import ACCOUNT_COLUMNS, ROLE_COLUMNS, card_table, excel_csv, own_table, reach_table, signals_table
from .trends import card_insight, story_insight

bp = Blueprint("insight", __name__, url_prefix="/inzicht")


@bp.route("/")
@role_required("beheerder")
def index():
    """Reach over the quarters chosen (the last four by default), and the cards and stories to look into."""
    subject = request.args.get("onderwerp", "")
    if subject:  # the form's "Kaart of verhaal": straight to its page, with the filter
        kind, _, slug = subject.partition(":")
        if kind in ("kaart", "verhaal"):
            return redirect(url_for(f"insight.{'card' if kind == 'kaart' else 'story'}", slug=slug,
                                    **Filter.from_args(request.args).args()))
    chosen = Filter.from_args(request.args)
    periods, measures = recent_reach(organisation_id(), chosen.period)
    library = library_here()
    return render_template("insight/index.html", periods=periods, reach=measures, chosen=chosen,
                           by_role=role_reach(organisation_id(), chosen.period), columns=ROLE_COLUMNS + ACCOUNT_COLUMNS,
                           all_periods=quarters_with_data(), roles=ROLE_CHOICES,
                           cards=sorted(library.dilemmas.values(), key=lambda card: card.title),
                           stories=sorted(library.stories.values(), key=lambda story: story.title), minimum=MINIMUM)


@bp.route("/samenvatting")
@role_required("beheerder")
def summary():
    """One page for management that prints well: reach, and per card and story the figures of their pages."""
    chosen = Filter.from_args(request.args)
    periods, measures = recent_reach(organisation_id(), chosen.period)
    library = library_here()
    return render_template("insight/summary.html", chosen=chosen, periods=periods, reach=measures,
                           by_role=role_reach(organisation_id(), chosen.period), columns=ROLE_COLUMNS + ACCOUNT_COLUMNS,
                           all_periods=quarters_with_data(), organisation=reader_organisation(),
                           cards=card_lines(organisation_id(), library, chosen.period),
                           stories=story_lines(organisation_id(), library, chosen.period), percent=percent,
                           agreements=agreement_figures(organisation_id(), chosen.period),
                           today=utcnow(), minimum=MINIMUM)


@bp.route("/afspraken")
@role_required("beheerder")
def agreements():
    """Per quarter: the agreements the organisation's sessions made and the reporting routes they named (counts)."""
    chosen = Filter.from_args(request.args)
    return render_template("insight/agreements.html", chosen=chosen, found=agreement_figures(organisation_id(), chosen.period),
                           all_periods=quarters_with_data(), minimum=MINIMUM, chart=line_svg, short=quarter_label)


@bp.route("/afspraken.csv")
@role_required("beheerder")
def agreements_csv():
    chosen = Filter.from_args(request.args)
    return csv_download(agreements_table(agreement_figures(organisation_id(), chosen.period)),
                        f"inzicht-afspraken{chosen.file_suffix}.csv")


@bp.route("/mijn-sessies")
@role_required("procesbegeleider")
def own():
    """For a procesbegeleider: their own counted sessions, and per card how the group voted in round 1 and 2."""
    chosen = Filter.from_args(request.args)
    return render_template("insight/own.html", chosen=chosen, periods=quarters_with_data(), minimum=MINIMUM,
                           found=own_sessions(current_user.id, library_here(), chosen.period), chart=comparison_svg,
                           percent=percent, share=share)


@bp.route("/mijn-sessies.csv")
@role_required("procesbegeleider")
def own_csv():
    """The own sessions' figures as a table that Dutch Excel opens in columns."""
    chosen = Filter.from_args(request.args)
    return csv_download(own_table(own_sessions(current_user.id, library_here(), chosen.period)),
                        f"inzicht-mijn-sessies{chosen.file_suffix}.csv")


@bp.route("/bereik.csv")
@role_required("beheerder")
def reach_csv():
    chosen = Filter.from_args(request.args)
    return csv_download(reach_table(*recent_reach(organisation_id(), chosen.period),
                                    role_reach(organisation_id(), chosen.period)),
                        f"inzicht-bereik{chosen.file_suffix}.csv")


def figures_for(slug: str):
    card = library_here().dilemmas.get(slug)
    if card is None:
        abort(404)
    chosen = Filter.from_args(request.args)
    return card, chosen, *card_insight(organisation_id(), card, chosen.period, chosen.role)


@bp.route("/kaart/<slug>")
@role_required("beheerder")
def card(slug: str):
    """Per step: how the organisation's teams voted and its people chose alone, beside all organisations."""
    found, chosen, steps, trend = figures_for(slug)
    return render_template("insight/card.html", card=found, chosen=chosen, steps=steps, periods=quarters_with_data(),
                           roles=ROLE_CHOICES, chart=comparison_svg, percent=percent, share=share, minimum=MINIMUM,
                           trend=trend, trend_chart=trend_svg)


@bp.route("/kaart/<slug>/tabel.csv")
@role_required("beheerder")
def card_csv(slug: str):
    """The same figures as a table that Dutch Excel opens in columns."""
    found, chosen, steps, trend = figures_for(slug)
    return csv_download(card_table(steps, trend), f"inzicht-{found.slug}{chosen.file_suffix}.csv")


def signals_for(slug: str):
    story = library_here().stories.get(slug)
    if story is None:
        abort(404)
    chosen = Filter.from_args(request.args)
    return story, chosen, *story_insight(organisation_id(), story, chosen.period, chosen.role)


@bp.route("/verhaal/<slug>")
@role_required("beheerder")
def story(slug: str):
    """Per scene: which signals the organisation's people saw and missed, alone and in sessions, beside everyone."""
    found, chosen, scenes, trend = signals_for(slug)
    return render_template("insight/story.html", story=found, chosen=chosen, scenes=scenes,
                           periods=quarters_with_data(), roles=ROLE_CHOICES, chart=comparison_svg, percent=percent,
                           share=share, minimum=MINIMUM, trend_chart=trend_svg, trend=trend)


@bp.route("/verhaal/<slug>/tabel.csv")
@role_required("beheerder")
def story_csv(slug: str):
    found, chosen, scenes, trend = signals_for(slug)
    return csv_download(signals_table(scenes, trend), f"inzicht-{found.slug}{chosen.file_suffix}.csv")


def csv_download(table, name: str) -> Response:
    return Response(excel_csv(table), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
