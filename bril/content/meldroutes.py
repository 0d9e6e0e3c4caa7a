"""Wie is hiervan?: the organisation's own reporting routes, per kind of signal."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .. import markup
from .fields import SLUG, FieldReader
from .frontmatter import Header, parse_yaml
from .problems import Problems

FIELDS = ("organisatie", "inleiding", "routes")
ROUTE_FIELDS = {"sleutel", "titel", "wanneer", "contacten", "let-op"}
CONTACT_FIELDS = {"wie", "hoe"}


@dataclass(frozen=True)
class Contact:
    """Who to turn to, and how."""

    who: str
    how: Markup


@dataclass(frozen=True)
class Meldroute:
    """Where one kind of signal goes."""

    key: str
    title: str
    when: Markup
    contacts: tuple[Contact, ...]
    caution: Markup | None


@dataclass(frozen=True)
class MeldrouteBook:
    """The whole reporting-route file of one organisation."""

    organisation: str
    introduction: Markup
    routes: dict[str, Meldroute]
    # The template's routes shown for an organisation that has not made them its own yet.
    example: bool = False


def load_meldroutes(path: Path, problems: Problems) -> MeldrouteBook | None:
    """Read and check the reporting-route file."""
    if not path.exists():
        problems.add(path, 1, "het bestand met de meldroutes (Wie is hiervan?) bestaat niet.")
        return None
    return parse_meldroutes(path.read_text(encoding="utf-8"), path, problems)


def parse_meldroutes(text: str, path: Path, problems: Problems) -> MeldrouteBook | None:
    """Check reporting routes written as in the file, wherever they come from (the file, an organisation's
    own routes edited in the browser): the same rules, the same messages."""
    header = parse_yaml(text, path, problems)
    if header is None:
        return None
    reader = FieldReader(path, header, problems, FIELDS)
    organisation = reader.text("organisatie")
    introduction = markup.render(reader.text("inleiding", required=False))
    raw_routes = header.data.get("routes")
    if not isinstance(raw_routes, list) or not raw_routes:
        reader.problem("onder `routes` hoort een lijst met meldroutes, elk beginnend met `- sleutel: ...`.", "routes")
        return None
    routes: dict[str, Meldroute] = {}
    for index, raw in enumerate(raw_routes):
        route = parse_route(path, header, problems, raw, index)
        if route is None:
            continue
        if route.key in routes:
            problems.add(path, header.line("routes", index, "sleutel"),
                         f"de sleutel `{route.key}` staat er twee keer in. Elke meldroute heeft een eigen sleutel.")
        routes[route.key] = route
    return MeldrouteBook(organisation, introduction, routes)


def parse_route(path: Path, header: Header, problems: Problems, raw: object, index: int) -> Meldroute | None:
    """Check one entry of the `routes` list."""
    def problem(message: str, *key: object) -> None:
        problems.add(path, header.line("routes", index, *key), message)

    if not isinstance(raw, dict):
        problem("een meldroute bestaat uit velden: `sleutel`, `titel`, `wanneer` en `contacten`.")
        return None
    for name in raw:
        if name not in ROUTE_FIELDS:
            problem(f"het veld `{name}` ken ik niet bij een meldroute.", name)
    values = {name: str(raw.get(name) or "").strip() for name in ("sleutel", "titel", "wanneer")}
    for name, value in values.items():
        if not value:
            problem(f"de meldroute mist het veld `{name}`.")
    if values["sleutel"] and not SLUG.match(values["sleutel"]):
        problem(f"de sleutel `{values['sleutel']}` mag alleen kleine letters, cijfers en streepjes hebben.", "sleutel")
    contacts = []
    raw_contacts = raw.get("contacten")
    if not isinstance(raw_contacts, list) or not raw_contacts:
        problem("de meldroute heeft geen `contacten`. Zet eronder minstens één `- wie: ...` met `hoe: ...`.",
                "contacten")
    else:
        for number, contact in enumerate(raw_contacts):
            if not isinstance(contact, dict) or not contact.get("wie") or not contact.get("hoe") \
                    or set(contact) - CONTACT_FIELDS:
                problem("een contact heeft precies twee velden: `wie` en `hoe`.", "contacten", number)
                continue
            contacts.append(Contact(str(contact["wie"]).strip(), markup.render_inline(str(contact["hoe"]))))
    if not all(values.values()) or not contacts:
        return None
    caution = raw.get("let-op")
    return Meldroute(values["sleutel"], values["titel"], markup.render(values["wanneer"]), tuple(contacts),
                     markup.render(str(caution)) if caution else None)
