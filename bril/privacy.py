"""Privacy guard: find personal data in free text before it is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from wtforms.validators import ValidationError

LABELS: dict[str, str] = {
    "bsn": "een BSN (burgerservicenummer)",
    "email": "een e-mailadres",
    "telefoon": "een telefoonnummer",
    "postcode": "een postcode met huisnummer",
    "geboortedatum": "een geboortedatum",
}

# When two findings overlap, the kind listed first wins (a BSN-shaped number is a BSN).
_PRIORITY = ("email", "bsn", "telefoon", "geboortedatum", "postcode")

_EMAIL = re.compile(
    r"(?<![\w.%+-])[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9_%+-])?"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?![\w-])",
    re.IGNORECASE,
)

# Written to slip past a filter: jan[at]example.nl, jan(at)example(dot)nl, jan @ example.nl,
# jan.jansen at example dot nl. The address must end in a known top-level domain, so "at" and "dot"
# in ordinary sentences ("we zien elkaar at the office") never count.
_AT = r"(?:\s*[\[({<]\s*(?:at|@|apenstaartje)\s*[\])}>]\s*|\s*@\s*|\s+(?:at|apenstaartje)\s+)"
_DOT = r"(?:\s*[\[({<]\s*(?:dot|punt|\.)\s*[\])}>]\s*|\s+(?:dot|punt)\s+|\.)"
_TLD = r"(?:nl|be|eu|com|org|net|info|biz|io|frl|amsterdam|email|online|uk|fr)"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.%+-])[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9_%+-])?{_AT}"
    rf"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?{_DOT})+{_TLD}(?![\w-])",
    re.IGNORECASE,
)

# 9 digits (or 8, the leading 0 left off), bare or grouped as 123.456.782 / 1234.56.782.
# Not part of a longer run, and not an amount of money.
_BSN = re.compile(
    r"(?<![\d€])(?<!\d[. -])(?<!€ )"
    r"(\d{3}[. -]?\d{3}[. -]?\d{3}|\d{4}[. -]?\d{2}[. -]?\d{3}|\d{8})"
    r"(?!\d)(?![.-]\d)"
)
# The same with one space (or dot, or dash) between every digit: 1 2 3 4 5 6 7 8 2.
_SPACED_BSN = re.compile(r"(?<![\d€])(?<!\d[. -])(?<!€ )\d(?P<sep>[. -])\d(?:(?P=sep)\d){6,7}(?![. -]?\d)")

# One digit, optionally preceded by one separator or by the ')' closing an area code.
_STEP = r"(?:(?: - |[ -]|\)[ -]?)?\d)"
_PHONE = re.compile(
    r"(?<![\w+])(?<!\d[-./])"
    rf"(?:(?P<intl>(?:\+|00)31[ -]?(?:\(0\)[ -]?)?)\(?[1-9]{_STEP}{{8}}|\(?0{_STEP}{{9}})"
    r"(?!\d)(?![-./:]\d)"
)
# Organisations' numbers: free (0800) and paid (0900/0906/0909) service lines.
_SERVICE_PREFIXES = ("0800", "0900", "0906", "0909")

_MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATES = (
    re.compile(
        r"(?<![\d/.-])(?P<d>\d{1,2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
        r"(?!\d)(?![-/.]\d)"
    ),
    re.compile(r"(?<![\d/.-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)(?![-/.]\d)"),
    re.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH_NAMES})\b\.?\s+(?P<y>\d{{4}})(?!\d)",
        re.IGNORECASE,
    ),
)
_BIRTH_CUE = re.compile(
    r"\b(?:geboortedatum|geboren|gebdat|geb|dob|verjaardag)\b\.?", re.IGNORECASE
)
_CUE_REACH = 40
# "Hij is geboren in Marokko. Op 12 maart 2024 ..." must not link the cue to the next sentence.
_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z]")
_NAME_BEFORE_PAREN = re.compile(r"\b[A-ZÀ-Þ][a-zß-ÿ'-]+ ?\($")

# Lowercase words and units that often follow a number ("in 2023 de 12 jongeren",
# "1250 mg 2 keer per dag") would otherwise look like a postcode with house number.
_NOT_POSTCODE_WORDS = (
    "de|en|in|op|is|al|er|na|om|te|ze|we|je|ik|af|nu|zo|of|ja|ga|"
    "km|cm|mm|mg|ml|kg|gr|gb|mb|kb"
)
_POSTCODE = (
    rf"(?<![\w.,])[1-9]\d{{3}}(?!\s(?-i:{_NOT_POSTCODE_WORDS})(?![a-z]))"
    r" ?(?!(?:sa|sd|ss)(?![a-z]))[a-z]{2}(?![a-z])"
)
_HOUSE_NUMBER = r"\d{1,5}(?!\d)(?:\s?[a-z](?![a-z])|-\d{1,4}(?!\d))?"
_HOUSE_CUE = r"\b(?:huisnummer|huisnr|nummer|nr)\b\.?:?\s*"
_ADDRESSES = (
    # 1234 AB 12a  /  1234AB, nr. 12
    re.compile(rf"{_POSTCODE},?\s*(?:{_HOUSE_CUE})?{_HOUSE_NUMBER}", re.IGNORECASE),
    # Dorpsstraat 12, 1234 AB
    re.compile(rf"\b[a-zà-ÿ][a-zà-ÿ'.-]+\s+{_HOUSE_NUMBER},?\s+{_POSTCODE}", re.IGNORECASE),
    # huisnummer 12 ... 1234 AB  /  1234 AB ... huisnummer 12
    re.compile(
        rf"\bhuis(?:nummer|nr)\b\.?:?\s*{_HOUSE_NUMBER}.{{0,{_CUE_REACH}}}?{_POSTCODE}"
        rf"|{_POSTCODE}.{{0,{_CUE_REACH}}}?\bhuis(?:nummer|nr)\b\.?:?\s*{_HOUSE_NUMBER}",
        re.IGNORECASE | re.DOTALL,
    ),
)


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text."""

    kind: str
    label: str
    start: int
    end: int


def _passes_elfproef(digits: str) -> bool:
    """Return True if a BSN (8 or 9 digits) passes the eleven test."""
    padded = digits.zfill(9)
    total = sum(w * int(d) for w, d in zip(range(9, 1, -1), padded[:8])) - int(padded[8])
    return total != 0 and total % 11 == 0


def _bsn_spans(text: str) -> list[tuple[int, int]]:
    """Return spans of numbers that are valid BSNs."""
    return [
        m.span()
        for pattern in (_BSN, _SPACED_BSN)
        for m in pattern.finditer(text)
        if _passes_elfproef(re.sub(r"\D", "", m.group()))
    ]


def _date_spans(text: str, *, four_digit_year_only: bool = False) -> list[tuple[int, int]]:
    """Return spans of valid calendar dates (1900-2099), sorted by position."""
    spans = []
    for pattern in _DATES:
        for m in pattern.finditer(text):
            parts = m.groupdict()
            month = _MONTHS[parts["mon"].lower()] if parts.get("mon") else int(parts["m"])
            year = parts["y"]
            if len(year) == 2:
                if four_digit_year_only:
                    continue
                years = [1900 + int(year), 2000 + int(year)]
            else:
                years = [int(year)]
            if any(_is_valid_date(y, month, int(parts["d"])) for y in years):
                spans.append(m.span())
    return sorted(spans)


def _is_valid_date(year: int, month: int, day: int) -> bool:
    """Return True if the parts form a real date in a plausible range."""
    if not 1900 <= year <= 2099:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Return spans of Dutch personal phone numbers (no service numbers, no dates)."""
    dates = _date_spans(text, four_digit_year_only=True)
    spans = []
    for m in _PHONE.finditer(text):
        if m.group("intl"):
            national = "0" + re.sub(r"\D", "", m.group()[len(m.group("intl")):])
        else:
            national = re.sub(r"\D", "", m.group())
        if national[1] == "0" or national.startswith(_SERVICE_PREFIXES):
            continue
        if any(s < m.end() and m.start() < e for s, e in dates):
            continue
        spans.append(m.span())
    return spans


def _birth_date_spans(text: str) -> list[tuple[int, int]]:
    """Return spans of dates that are presented as a date of birth."""
    dates = _date_spans(text)
    found = set()
    for cue in _BIRTH_CUE.finditer(text):
        for start, end in dates:
            if start < cue.end():
                continue
            gap = text[cue.end():start]
            if start - cue.end() <= _CUE_REACH and not _SENTENCE_END.search(gap):
                found.add((start, end))
            break  # only the first date after a cue
    for start, end in dates:
        before = text[max(0, start - _CUE_REACH):start]
        if _NAME_BEFORE_PAREN.search(before) and text[end:end + 1] == ")":
            found.add((start, end))
    return sorted(found)


def _address_spans(text: str) -> list[tuple[int, int]]:
    """Return spans of postcodes that come with a house number."""
    return [m.span() for pattern in _ADDRESSES for m in pattern.finditer(text)]


def find_personal_data(text: str) -> list[Finding]:
    """Return all personal data in the text, in order of position, without overlaps."""
    candidates = {
        "email": [m.span() for pattern in (_EMAIL, _OBFUSCATED_EMAIL) for m in pattern.finditer(text)],
        "bsn": _bsn_spans(text),
        "telefoon": _phone_spans(text),
        "geboortedatum": _birth_date_spans(text),
        "postcode": _address_spans(text),
    }
    accepted: list[Finding] = []
    for kind in _PRIORITY:
        for start, end in sorted(candidates[kind]):
            if all(end <= f.start or f.end <= start for f in accepted):
                accepted.append(Finding(kind, LABELS[kind], start, end))
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
