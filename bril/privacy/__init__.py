"""Privacy guard: find personal data in free text before it is stored.

Every check reads the text with look-alike characters folded (＠ → @, fullwidth digits → digits), so
"jan＠example.nl" is an e-mail address like any other. The checks live beside their kind: `numbers`
(BSN, phone, date of birth, also said in words), `places` (postcode or street with a house number,
licence plate), `online` (e-mail, accounts on social media).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wtforms.validators import ValidationError

from .numbers import birth_date_spans, bsn_spans, phone_spans, spoken_number_spans
from .online import email_spans, fold, handle_spans
from .places import address_spans, plate_spans, street_spans

LABELS: dict[str, str] = {
    "bsn": "een BSN (burgerservicenummer)",
    "email": "een e-mailadres",
    "telefoon": "een telefoonnummer",
    "postcode": "een postcode met huisnummer",
    "geboortedatum": "een geboortedatum",
    "adres": "een straat met huisnummer",
    "kenteken": "een kenteken",
    "account": "een account op sociale media",
}

# When two findings overlap, the kind listed first wins (a BSN-shaped number is a BSN).
_PRIORITY = ("email", "bsn", "telefoon", "geboortedatum", "postcode", "adres", "kenteken", "account")


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text."""

    kind: str
    label: str
    start: int
    end: int


def find_personal_data(text: str) -> list[Finding]:
    """Return all personal data in the text, in order of position, without overlaps."""
    plain, origin = fold(text)
    spoken = spoken_number_spans(plain)
    candidates = {
        "email": email_spans(plain),
        "bsn": bsn_spans(plain) + spoken["bsn"],
        "telefoon": phone_spans(plain) + spoken["telefoon"],
        "geboortedatum": birth_date_spans(plain),
        "postcode": address_spans(plain),
        "adres": street_spans(plain),
        "kenteken": plate_spans(plain),
        "account": handle_spans(plain),
    }
    accepted: list[Finding] = []
    for kind in _PRIORITY:
        for start, end in sorted(candidates[kind]):
            if all(end <= f.start or f.end <= start for f in accepted):
                accepted.append(Finding(kind, LABELS[kind], start, end))
    if origin is not None:
        accepted = [Finding(f.kind, f.label, origin[f.start], origin[f.end - 1] + 1) for f in accepted]
    return sorted(accepted, key=lambda f: f.start)


def _join_dutch(items: list[str]) -> str:
    """Join items as Dutch prose: 'a', 'a en b', 'a, b en c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def explain(findings: list[Finding]) -> str:
    """Return a plain-Dutch (B1) message about the kinds found, without the data itself."""
    if not findings:
        return ""
    labels = list(dict.fromkeys(f.label for f in findings))
    return (
        "We hebben deze tekst niet opgeslagen. "
        f"Er staat {_join_dutch(labels)} in. "
        "Bespreek casussen zonder namen of nummers: zo blijft de persoon om wie het gaat "
        "beschermd, ook als iemand anders deze tekst leest. "
        "Haal deze gegevens weg en probeer het opnieuw."
    )


class NoPersonalData:
    """WTForms validator that rejects text containing personal data."""

    def __call__(self, form: Any, field: Any) -> None:
        """Raise ValidationError with a Dutch explanation when the field holds personal data."""
        findings = find_personal_data(field.data or "")
        if findings:
            raise ValidationError(explain(findings))
