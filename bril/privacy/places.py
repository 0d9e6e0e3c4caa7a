"""Where a person lives or what they drive: a postcode with a house number, a street with a house number,
a licence plate."""
from __future__ import annotations

import re

from .numbers import CUE_REACH

Span = tuple[int, int]

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
        rf"\bhuis(?:nummer|nr)\b\.?:?\s*{_HOUSE_NUMBER}.{{0,{CUE_REACH}}}?{_POSTCODE}"
        rf"|{_POSTCODE}.{{0,{CUE_REACH}}}?\bhuis(?:nummer|nr)\b\.?:?\s*{_HOUSE_NUMBER}",
        re.IGNORECASE | re.DOTALL,
    ),
)

# A street is a capitalised word ending in one of the usual Dutch street words (Dorpsstraat, Kerkweg,
# Lange Nieuwstraat, Oudegracht, Marktplein), maybe after a short word such as Lange or Van; then a
# house number: 12, 3a, 104-2, 7 bis, 12 hs. A year (Woningmarkt 2024) is no house number.
_STREET_WORDS = ("straat|weg|laan|plein|gracht|kade|singel|dijk|steeg|pad|hof|dreef|markt|baan|plantsoen|"
                 "burgwal|wal|haven|park|veld|promenade|boulevard|allee|vaart|akker|wetering")
# Words that end like a street but are none.
_NOT_STREETS = {"onderweg", "halfweg", "omweg", "uitweg", "overweg", "gerechtshof", "loopbaan", "arbeidsmarkt",
                "woningmarkt", "huizenmarkt", "werkveld", "speelveld", "voetbalveld", "vakantiepark"}
_PREFIX = r"(?:(?:Lange|Korte|Oude|Nieuwe|Grote|Kleine|Hoge|Lage|Sint|St\.|Van|De|Den|Ter|Eerste|Tweede|Derde)\s+)?"
_STREET = re.compile(
    rf"(?<![\w-]){_PREFIX}(?P<street>[A-ZÀ-Þ][a-zß-ÿ'-]*(?:{_STREET_WORDS}))\s+"
    r"(?!(?:19|20)\d\d(?!\d))[1-9]\d{0,3}(?!\d)"
    r"(?:[a-zA-Z](?![a-zA-Z])|-\d{1,4}(?!\d)|\s(?:bis|hs|huis|boven|bg|[A-Z](?![\w-]))(?![\w-]))?"
    r"(?![\d.,]\d)(?!\s?(?:%|procent|euro|uur|jaar|keer|km|meter|minuten))"
)

# Dutch licence plates (sidecodes 1-14): L a letter, D a digit, in three groups.
_SIDECODES = ("LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D", "D-LLL-DD",
              "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL", "D-LL-DDD", "DDD-LL-D")


def _plate_pattern(separator: str, letter: str) -> str:
    """One alternative per sidecode, its groups joined by the separator."""
    def group(shape: str) -> str:
        return "".join(letter if c == "L" else r"\d" for c in shape)
    return "|".join(separator.join(group(part) for part in code.split("-")) for code in _SIDECODES)


# With dashes and in capitals a plate is a plate; written otherwise (ab123c, AB 123 C) only after a cue.
_PLATE = re.compile(rf"(?<![\w-])(?:{_plate_pattern('-', '[A-Z]')})(?![\w-])")
_LOOSE_PLATE = re.compile(rf"(?<![\w-])(?:{_plate_pattern('[- ]?', '[A-Za-z]')})(?![\w-])")
_PLATE_CUE = re.compile(r"\b(?:kenteken(?:plaat|nummer)?|nummerbord|nummerplaat)s?\b", re.IGNORECASE)


def address_spans(text: str) -> list[Span]:
    """Return spans of postcodes that come with a house number."""
    return [m.span() for pattern in _ADDRESSES for m in pattern.finditer(text)]


def street_spans(text: str) -> list[Span]:
    """Return spans of a street name with a house number (Dorpsstraat 12, Lange Nieuwstraat 104-2)."""
    return [m.span() for m in _STREET.finditer(text) if m.group("street").lower() not in _NOT_STREETS]


def plate_spans(text: str) -> list[Span]:
    """Return spans of Dutch licence plates: 12-ABC-3 always, ab123c or AB 123 C after 'kenteken'."""
    spans = [m.span() for m in _PLATE.finditer(text)]
    for cue in _PLATE_CUE.finditer(text):
        near = _LOOSE_PLATE.search(text, cue.end())
        if near and near.start() - cue.end() <= CUE_REACH:
            spans.append(near.span())
    return spans
