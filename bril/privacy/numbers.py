"""Numbers that name a person: a BSN, a phone number and a date of birth, in digits or written out in words."""
from __future__ import annotations

import re
from datetime import date

Span = tuple[int, int]

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
CUE_REACH = 40
# "Hij is geboren in Marokko. Op 12 maart 2024 ..." must not link the cue to the next sentence.
_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z]")
_NAME_BEFORE_PAREN = re.compile(r"\b[A-ZÀ-Þ][a-zß-ÿ'-]+ ?\($")

# Numbers written out: "nul zes een twee ...", "zes-een-twee", "nul zes twaalf vierendertig".
_UNITS = {"nul": 0, "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
          "acht": 8, "negen": 9}
_TEENS = {"tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16,
          "zeventien": 17, "achttien": 18, "negentien": 19}
_TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
         "tachtig": 80, "negentig": 90}
_COMPOUND = re.compile(rf"({'|'.join(k for k in _UNITS if k != 'nul')})[eë]n({'|'.join(_TENS)})")
_SAID = "|".join(sorted([*_UNITS, *_TEENS, *_TENS], key=len, reverse=True))
_TOKEN = rf"(?:\b(?:{_COMPOUND.pattern}|{_SAID})\b|\b\d+\b)"
# At least one number in words, and four parts in all (nul zes, 12 34 56 78), with spaces, a dash, a
# comma, a dot or a slash between them.
_SPOKEN_RUN = re.compile(rf"{_TOKEN}(?:\s*[-,./]?\s*{_TOKEN}){{3,}}", re.IGNORECASE)
_PART = re.compile(_TOKEN, re.IGNORECASE)


def passes_elfproef(digits: str) -> bool:
    """Return True if a BSN (8 or 9 digits) passes the eleven test."""
    padded = digits.zfill(9)
    total = sum(w * int(d) for w, d in zip(range(9, 1, -1), padded[:8])) - int(padded[8])
    return total != 0 and total % 11 == 0


def bsn_spans(text: str) -> list[Span]:
    """Return spans of numbers that are valid BSNs."""
    return [
        m.span()
        for pattern in (_BSN, _SPACED_BSN)
        for m in pattern.finditer(text)
        if passes_elfproef(re.sub(r"\D", "", m.group()))
    ]


def date_spans(text: str, *, four_digit_year_only: bool = False) -> list[Span]:
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


def is_personal_phone(national: str) -> bool:
    """A Dutch number of ten digits that is no service line (0800, 0900, ...)."""
    return (len(national) == 10 and national[0] == "0" and national[1] != "0"
            and not national.startswith(_SERVICE_PREFIXES))


def phone_spans(text: str) -> list[Span]:
    """Return spans of Dutch personal phone numbers (no service numbers, no dates)."""
    dates = date_spans(text, four_digit_year_only=True)
    spans = []
    for m in _PHONE.finditer(text):
        if m.group("intl"):
            national = "0" + re.sub(r"\D", "", m.group()[len(m.group("intl")):])
        else:
            national = re.sub(r"\D", "", m.group())
        if not is_personal_phone(national):
            continue
        if any(s < m.end() and m.start() < e for s, e in dates):
            continue
        spans.append(m.span())
    return spans


def birth_date_spans(text: str) -> list[Span]:
    """Return spans of dates that are presented as a date of birth."""
    dates = date_spans(text)
    found = set()
    for cue in _BIRTH_CUE.finditer(text):
        for start, end in dates:
            if start < cue.end():
                continue
            gap = text[cue.end():start]
            if start - cue.end() <= CUE_REACH and not _SENTENCE_END.search(gap):
                found.add((start, end))
            break  # only the first date after a cue
    for start, end in dates:
        before = text[max(0, start - CUE_REACH):start]
        if _NAME_BEFORE_PAREN.search(before) and text[end:end + 1] == ")":
            found.add((start, end))
    return sorted(found)


def _spoken_digits(word: str) -> str | None:
    """The digits a spoken number stands for ("zes" → "6", "vierendertig" → "34"), or None."""
    word = word.lower()
    if word.isdigit():
        return word
    if word in _UNITS:
        return str(_UNITS[word])
    if word in _TEENS:
        return str(_TEENS[word])
    if word in _TENS:
        return str(_TENS[word])
    compound = _COMPOUND.fullmatch(word)
    if compound:
        return str(_TENS[compound.group(2)] + _UNITS[compound.group(1).replace("één", "een")])
    return None


def spoken_number_spans(text: str) -> dict[str, list[Span]]:
    """Phone numbers and BSNs written out in words: "nul zes een twee drie vier vijf zes zeven acht"."""
    found: dict[str, list[Span]] = {"telefoon": [], "bsn": []}
    for run in _SPOKEN_RUN.finditer(text):
        parts = [part.group() for part in _PART.finditer(run.group())]
        if all(part.isdigit() for part in parts):
            continue
        digits = "".join(_spoken_digits(part) or "" for part in parts)
        start, end = run.span()
        # A run may start with the article "een" ("hij gaf een nul zes ...") or end with it.
        if any(is_personal_phone(digits[skip:skip + 10]) and len(digits) - skip <= 11 for skip in (0, 1)):
            found["telefoon"].append((start, end))
        elif len(digits) in (8, 9) and passes_elfproef(digits):
            found["bsn"].append((start, end))
    return found
