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


def role_label(key: str) -> str:
    """The Dutch name of a role, or the key itself when unknown."""
    return ROLES.get(key, key)
