"""Insight pages for an organisation's beheerder: reach over time, and how its people chose per card."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, render_template, request

from ..auth import role_required
from ..libraries import library_here
from ..tenancy import organisation_id
from .charts import comparison_svg, percent, share
from .figures import Period, card_figures, quarters_with_data, reach
from .suppression import MINIMUM

bp = Blueprint("insight", __name__, url_prefix="/inzicht")

QUARTERS_SHOWN = 4


@bp.route("/")
@role_required("beheerder")
def index():
    """Reach over the last quarters, and the cards to look into."""
    periods = quarters_with_data()[:QUARTERS_SHOWN]
    return render_template("insight/index.html", periods=periods[::-1], reach=reach(organisation_id(), periods),
                           cards=sorted(library_here().dilemmas.values(), key=lambda card: card.title),
                           minimum=MINIMUM)


def figures_for(slug: str):
    card = library_here().dilemmas.get(slug)
    if card is None:
        abort(404)
    period = Period.parse(request.args.get("kwartaal"))
    return card, period, card_figures(organisation_id(), card, period)


@bp.route("/kaart/<slug>")
@role_required("beheerder")
def card(slug: str):
    """Per step: how the organisation's teams voted and its people chose alone, beside all organisations."""
    found, period, steps = figures_for(slug)
    return render_template("insight/card.html", card=found, period=period, steps=steps,
                           periods=quarters_with_data(), chart=comparison_svg, percent=percent, share=share,
                           minimum=MINIMUM)


@bp.route("/kaart/<slug>/tabel.csv")
@role_required("beheerder")
def card_csv(slug: str):
    """The same figures as a table that Dutch Excel opens in columns (semicolons, a BOM for the accents)."""
    found, period, steps = figures_for(slug)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Stap", "Waar", "Keuze", "Jullie organisatie", "Alle organisaties"])
    for step in steps:
        for where, comparison in (("In sessies (ronde 1)", step.teams), ("Alleen", step.alone)):
            for label, ours, everyone in zip(comparison.labels, comparison.ours, comparison.everyone):
                writer.writerow([step.question, where, label, "verborgen" if ours.value is None else ours.value,
                                 "verborgen" if everyone.value is None else everyone.value])
    name = f"inzicht-{found.slug}{'-' + period.key if period.key else ''}.csv"
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
