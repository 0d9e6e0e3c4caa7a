"""The themes stories and cards are filed under, each with the name a reader sees.

A card or story names a theme by its key (`niet-pluis`); written with spaces or capitals
(`Dader of slachtoffer`) it means the same key. A new theme needs a line here, so that a filter never
shows a raw key or two spellings of one theme.
"""
from __future__ import annotations

THEMES: dict[str, str] = {
    "adresfraude": "Adresfraude",
    "adresgegevens": "Adresgegevens",
    "arbeidsmigranten": "Arbeidsmigranten",
    "arbeidsuitbuiting": "Arbeidsuitbuiting",
    "armoede": "Armoede",
    "asielzoekers": "Asielzoekers",
    "benaderd-door-criminelen": "Benaderd door criminelen",
    "beroepsgeheim": "Beroepsgeheim",
    "bewoners": "Bewoners",
    "bibob": "Bibob (integriteit bij vergunningen)",
    "bijstand": "Bijstand",
    "criminele-uitbuiting": "Criminele uitbuiting",
    "dader-of-slachtoffer": "Dader of slachtoffer?",
    "dakloosheid": "Dakloosheid",
    "drugs": "Drugs",
    "drugspand": "Drugspand",
    "eenzaamheid": "Eenzaamheid",
    "familie": "Familie",
    "financiele-uitbuiting": "Financiële uitbuiting",
    "gegevens-delen": "Gegevens delen",
    "geldezel": "Geldezel",
    "geweld": "Geweld",
    "gezin": "Gezin",
    "gezinsbrede-veiligheid": "Veiligheid van het hele gezin",
    "grenzen-stellen": "Grenzen stellen",
    "handhaving": "Handhaving",
    "hennep": "Hennep",
    "huisbezoek": "Huisbezoek",
    "huiselijk-geweld": "Huiselijk geweld",
    "huisvesting": "Huisvesting",
    "integriteit": "Integriteit",
    "jongeren": "Jongeren",
    "kinderen": "Kinderen",
    "laaggeletterdheid": "Laaggeletterdheid",
    "lvb": "Licht verstandelijke beperking (lvb)",
    "mantelzorg": "Mantelzorg",
    "meldcode": "Meldcode",
    "melden": "Melden",
    "mensenhandel": "Mensenhandel",
    "niet-pluis": "Niet-pluisgevoel",
    "online": "Online",
    "online-ronselen": "Online ronselen",
    "ouders": "Ouders",
    "paspoort": "Paspoort",
    "pooierboy": "Pooierboy",
    "privacy": "Privacy",
    "ronselen": "Ronselen",
    "ronselen-op-school": "Ronselen op school",
    "samenwerken": "Samenwerken",
    "school": "School",
    "schooluitval": "Schooluitval",
    "schoolverzuim": "Schoolverzuim",
    "schulden": "Schulden",
    "seksuele-uitbuiting": "Seksuele uitbuiting",
    "sextortion": "Afpersing met naaktbeelden (sextortion)",
    "sociale-media": "Sociale media",
    "strafrecht-en-hulp": "Strafrecht en hulp",
    "stroman": "Stroman",
    "terugkoppeling": "Terugkoppeling",
    "uitkering": "Uitkering",
    "uitkeringsfraude": "Uitkeringsfraude",
    "veiligheid-van-medewerkers": "Veiligheid van medewerkers",
    "vergunning": "Vergunning",
    "vertrouwen": "Vertrouwen",
    "verwijsindex": "Verwijsindex",
    "wapens": "Wapens",
    "werkdruk": "Werkdruk",
    "witwassen": "Witwassen",
    "woningverlies": "Woningverlies",
    "woonfraude": "Woonfraude",
    "zelfbeschikking": "Zelfbeschikking",
    "zorg-en-veiligheid": "Zorg en veiligheid",
    "zorgfraude": "Zorgfraude",
    "zwart-werk": "Zwart werk",
}

# Letters a key writes plainly, so `Financiële uitbuiting` finds `financiele-uitbuiting`.
PLAIN = str.maketrans("ëéèïöüá", "eeeioua")


def theme_key(written: str) -> str:
    """The key of a theme as an author may write it: any case, spaces or hyphens, with or without accents."""
    return "-".join(written.lower().translate(PLAIN).split()).replace("--", "-")


def theme_label(key: str) -> str:
    """The Dutch name of a theme, or the key itself when unknown."""
    return THEMES.get(key, key)
