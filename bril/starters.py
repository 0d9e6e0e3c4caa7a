"""The small, valid texts a new own card or story starts from: every required part is there once, so an
author changes words instead of looking up the format (docs/auteurs.md explains each part)."""
from __future__ import annotations

import re
from collections.abc import Sequence

from .content import Library
from .content.single import DILEMMA

CARD = """---
titel: Een nieuwe dilemmakaart
samenvatting: Vertel in één of twee zinnen waar deze kaart over gaat.
rol: wijkteam
themas:
  - niet-pluis
verhalen:
  - {story}
handelingsopties:
  - Schrijf op wat je zag en hoorde, zonder oordeel.
  - Bespreek je twijfel met een collega.
leeswijzer:
  doel: Oefenen met een signaal dat nog geen feit is.
  groepsgrootte: 3 tot 10 deelnemers
  tijd: 20
  aanpak: Lees de stap voor, laat iedereen kiezen en bespreek de gevolgen.
  valkuilen:
    - Het gevoel wegwuiven omdat er geen bewijs is.
  tijd_per_stap:
    begin: 20
  nabespreking: Wat doe je morgen anders?
  alleen: Lees de stappen en schrijf bij elke keuze op wat je zou doen.
  team: Laat iedereen eerst alleen kiezen en bespreek dan de verschillen.
  grote_zaal: Laat de zaal stemmen op de telefoon en vraag twee mensen om uitleg.
  doorgeven: Speel de kaart deze maand met collega's van je eigen team.
kader:
  regels:
    - naam: Het beroepsgeheim en de AVG
      stappen: [begin]
      uitleg: Je mag een twijfel bespreken met een collega. Noem geen naam als dat niet nodig is.
      bron: "Autoriteit Persoonsgegevens, *Algemene verordening gegevensbescherming*"
  valkuil: Denken dat je niets mag delen zolang je geen bewijs hebt.
bron: "Eigen casus van onze organisatie"
---

# Stap begin: Wat je ziet

## Situatie

Beschrijf hier wat de professional ziet of hoort.

## Vraag

Wat doe je?

## Opties

- Je bespreekt het met een collega. → einde-samen
  - Cliënt: Wat merkt de cliënt hiervan?
  - Systeem: Wat betekent het voor de mensen om de cliënt heen?
- Je wacht af. → einde-wachten
  - Cliënt: Wat merkt de cliënt hiervan?
  - Systeem: Wat betekent het voor de mensen om de cliënt heen?

## Gespreksvragen

- Wat zag je precies, en wat vul je zelf in?
- Wie is hiervan?

# Einde einde-samen: Samen kijken

## Uitkomst

beter

## Reflectie

Samen zie je meer.

# Einde einde-wachten: Je wacht af

## Uitkomst

slechter

## Reflectie

Een signaal alleen wordt zelden een feit.
"""

STORY = """---
titel: "Een nieuw verhaal"
persoon:
  naam: Sam
  leeftijd: 20
samenvatting: Vertel in één of twee zinnen waar dit verhaal over gaat.
themas:
  - niet-pluis
rollen:
  - wijkteam
dilemmas: []
bron: "Eigen casus van onze organisatie, zonder echte namen"
---

# Scène: Het begin

Sam komt bij je op het spreekuur. [[Hij heeft geen eigen bankpas meer.|bankpas]]
Hij zegt dat een vriend hem helpt.

## Signalen

- bankpas: Wie zijn bankpas uitleent, kan geldezel worden.

# Scène: Een week later

Sam heeft nieuwe kleren. [[Hij zegt dat hij ze van zijn vriend kreeg.|kleren]]
Hij lacht, maar kijkt je niet aan.

## Signalen

- kleren: Cadeaus van een 'vriend' kunnen een schuld worden.

# Scène: Het telefoontje

Sam belt af voor zijn afspraak. [[Op de achtergrond roept iemand dat hij moet ophangen.|stem]]
Je hoort hem daarna niet meer.

## Signalen

- stem: Iemand die meeluistert en beslist, kan macht over Sam hebben.

# Blik van de professional

Schrijf hier wat een professional zag en deed.

# Gespreksvragen

- Is Sam dader of slachtoffer?
- Wie is hiervan? Bij wie meld je dit?
- Wat houdt jou tegen?
- Wat zag jij als eerste?
"""


def starter(kind: str, library: Library) -> str:
    """The text a new card or story of `kind` starts from; a card names a story there is."""
    if kind == DILEMMA:
        return CARD.format(story=next(iter(library.stories), "verhaal"))
    return STORY


def one_line(text: str, limit: int = 300) -> str:
    """A text from the room as one plain line in a file: no heading, list or signal markup it did not mean."""
    line = " ".join(text.split())
    line = re.sub(r"^([#>*+-]|\d+[.)])+\s*", "", line)
    line = line.replace("[[", "[").replace("]]", "]").replace("→", "naar").replace("->", "naar")
    return line if len(line) <= limit else line[:limit - 1].rstrip() + "…"


def from_session(kind: str, library: Library, parked: Sequence[str], answers: Sequence[str]) -> str:
    """A new card or story that carries what a session's room said, for the author to turn into a case: the
    texts stand where the situation or the first scene starts, marked as material to rewrite."""
    said = [f"- Vraag op de parkeerplaats: {one_line(t)}" for t in parked]
    said += [f"- Antwoord in de vragenronde: {one_line(t)}" for t in answers]
    block = "\n".join(["Uit de sessie (schrijf hier een casus van, zonder echte namen):", "", *said]) if said else ""
    text = starter(kind, library)
    if not block:
        return text
    if kind == DILEMMA:
        return text.replace("Beschrijf hier wat de professional ziet of hoort.",
                            block + "\n\nBeschrijf hier wat de professional ziet of hoort.", 1)
    # In a story the room's words go to the story's source note, which readers do not read as a scene.
    lines = "\n".join(f"Uit de sessie: {one_line(t)}" for t in [*parked, *answers])
    return text.replace("# Blik van de professional\n\n", f"# Blik van de professional\n\n{lines}\n\n", 1)
