"""A reader with an account finishing things alone, as the xAPI and LTI tests need: a card walked to an ending, a
story read to its closing page (both from the fixture library)."""
from __future__ import annotations


def walk_card(client) -> None:
    """Walk `voordeur` alone to an ending, by always taking the first option."""
    client.submit("/dilemmas/voordeur/start", page="/dilemmas/voordeur")
    for _ in range(6):
        if "/einde" in client.get("/dilemmas/voordeur/lopen").location:
            break
        client.submit("/dilemmas/voordeur/kies", {"optie": "1"}, page="/dilemmas/voordeur/lopen")
        client.submit("/dilemmas/voordeur/verder", page="/dilemmas/voordeur/lopen")


def read_story(client, slug: str = "tim") -> None:
    """Answer every scene of a story and reach its closing page."""
    number = 1
    while client.get(f"/verhalen/{slug}/scene/{number}").status_code == 200:
        client.submit(f"/verhalen/{slug}/scene/{number}", {})
        number += 1
    client.get(f"/verhalen/{slug}/afsluiting")
