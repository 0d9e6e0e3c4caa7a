"""The professional roles that meet the people in the stories and take part in sessions."""
from __future__ import annotations

ROLES: dict[str, str] = {
    "wijkagent": "Wijkagent",
    "jongerenwerker": "Jongerenwerker",
    "leerkracht": "Leerkracht of zorgcoördinator school",
    "leerplichtambtenaar": "Leerplichtambtenaar",
    "klantmanager": "Klantmanager Werk en Inkomen",
    "wmo-consulent": "Wmo-consulent",
    "wijkteam": "Wijkteam of buurtteam",
    "woonconsulent": "Woonconsulent woningcorporatie",
    "sociaal-rechercheur": "Sociaal rechercheur",
    "boa": "Boa of handhaving",
    "reclassering": "Reclassering",
    "veilig-thuis": "Veilig Thuis",
    "aandachtsfunctionaris-mensenhandel": "Aandachtsfunctionaris mensenhandel",
    "begeleider-woonvorm": "Begeleider in een woonvorm",
    "schuldhulpverlener": "Schuldhulpverlener",
    "huisarts": "Huisarts of praktijkondersteuner",
    "ggd": "Medewerker van de GGD",
    "zorg-en-veiligheidshuis": "Adviseur Zorg- en Veiligheidshuis of RIEC",
    "leidinggevende": "Leidinggevende of bestuurder",
    "buurtbeheerder": "Buurtbeheerder",
    "gemeentemedewerker": "Medewerker van de gemeente",
    "azc-medewerker": "Medewerker in een azc",
}


# Roles whose name keeps its capitals inside a sentence, or reads better there in another form.
IN_SENTENCE: dict[str, str] = {
    "wmo-consulent": "Wmo-consulent",
    "veilig-thuis": "medewerker van Veilig Thuis",
}


def role_label(key: str) -> str:
    """The Dutch name of a role, or the key itself when unknown."""
    return ROLES.get(key, key)


def role_in_sentence(key: str) -> str:
    """A role inside a sentence ("jij bent wijkagent"): only the first letter lower, so GGD and RIEC stay."""
    label = role_label(key)
    return IN_SENTENCE.get(key, label[:1].lower() + label[1:])
