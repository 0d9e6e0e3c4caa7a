"""How easy a Dutch text is to read: the Flesch-Douma score, and whether it reaches B1.

Douma (1960) adapted Flesch's reading ease to Dutch:
    206.84 - 0.77 * (syllables per 100 words) - 0.93 * (words per sentence)
60 and above is plain language (B1); below it the text asks too much of many readers.

Syllables: pyphen is not installed, so a word's syllables are its Dutch vowel groups. A run of vowels
that Dutch speaks as one sound (aa, ee, ie, oe, ui, ij, eeuw's eeu, ooi...) counts once, a diaeresis
starts a new one (ë in ideeën), and a few loan words that English spells with silent vowels ("team",
"dealer") are counted as spoken. This matches the platform's tool (shared/tools/readability.py) on
ordinary words; it can be one off on rare compounds, which moves a score by a point or two at most.
Abbreviations in capitals (AVG, LVB) count one syllable per letter. No Flask in this module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

B1_MINIMUM = 60.0
# Below this many words a score says little: one long word would make a two-word answer "too hard".
MINIMUM_WORDS = 8

NUCLEI = ("aai", "ooi", "oei", "eeu", "ieu", "eau", "aa", "ee", "oo", "uu", "ie", "oe", "eu", "ui", "ei", "ij",
          "ou", "au", "ai", "ay", "ey", "oy", "oi")
VOWELS = set("aeiouyáéíóúàèìòùâêîôûäëïöü")
SPOKEN = {"team": "tim", "lease": "lis", "dealer": "diler", "sneaker": "sniker"}
LOANS = {"online": 2, "website": 2, "site": 1, "deal": 1, "chat": 1, "make-up": 2}
ABBREVIATIONS = {"bijv", "bv", "o.a", "d.w.z", "enz", "nr", "ca", "etc", "m.a.w", "i.p.v", "t.o.v", "mr", "dr",
                 "e.d", "o.m"}
WORD = re.compile(r"[A-Za-zÀ-ÿ0-9]+(?:[-'’][A-Za-zÀ-ÿ0-9]+)*")
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)]*(?=\s|$)")


# A vowel group: one of the nuclei (longest first) or a single vowel; a diaeresis vowel is never part of a nucleus,
# so it starts a group of its own (ideeën: i-dee-ën).
GROUP = re.compile("|".join(NUCLEI) + "|[" + "".join(sorted(VOWELS)) + "]")


def vowel_groups(word: str) -> int:
    """The syllables of one word counted as its Dutch vowel groups (at least one)."""
    spelled = re.sub("|".join(SPOKEN), lambda m: SPOKEN[m.group()], word.lower())
    return max(len(GROUP.findall(spelled)), 1)


@lru_cache(maxsize=50_000)  # a card repeats its words; an editor page scores every text of it
def syllables(word: str) -> int:
    """The syllables of one word, with abbreviations spelled out letter by letter."""
    if word.lower() in LOANS:
        return LOANS[word.lower()]
    if word == "Wmo":
        return 3
    if re.fullmatch(r"[A-Z]{2,6}", word):
        return len(word)
    if word.isdigit():
        return max(1, len(word))
    return sum(vowel_groups(part) for part in re.split(r"[-'’]", word) if part) or 1


def sentences(text: str) -> list[str]:
    """Split a passage into sentences; its end ends one too, and `bijv.` or `o.a.` end none."""
    found, start = [], 0
    for end in SENTENCE_END.finditer(text):
        before = text[start:end.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if end.group().startswith(".") and (last in ABBREVIATIONS or re.fullmatch(r"[a-z]", last)):
            continue
        found.append(text[start:end.end()])
        start = end.end()
    if text[start:].strip():
        found.append(text[start:])
    return [s for s in found if WORD.search(s)]


def plain(markdown: str) -> str:
    """The words a reader reads: signal markup, links to steps and emphasis taken out."""
    text = re.sub(r"\[\[(.+?)\|[^\]]*\]\]", r"\1", markdown)
    text = re.sub(r"\s*(→|->)\s*[\w-]+\s*$", "", text, flags=re.MULTILINE)
    return re.sub(r"[*_`#>]", "", text)


@dataclass(frozen=True)
class Score:
    """A text's Flesch-Douma score with the counts it stands on."""

    words: int
    sentences: int
    syllables: int

    @property
    def value(self) -> float:
        return 206.84 - 0.77 * (100.0 * self.syllables / self.words) - 0.93 * (self.words / self.sentences)

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences

    @property
    def judged(self) -> bool:
        """Whether the text is long enough for its score to mean something."""
        return self.words >= MINIMUM_WORDS

    @property
    def b1(self) -> bool:
        return not self.judged or self.value >= B1_MINIMUM

    def hint(self) -> str:
        """What to do about a text that is too hard, in Dutch; empty when it reaches B1."""
        if self.b1:
            return ""
        if self.words_per_sentence > 15:
            return (f"Lastig om te lezen (score {self.value:.0f}, B1 vraagt 60 of meer). Je zinnen zijn gemiddeld "
                    f"{self.words_per_sentence:.0f} woorden: maak ze korter, één gedachte per zin.")
        return (f"Lastig om te lezen (score {self.value:.0f}, B1 vraagt 60 of meer). Kies kortere, gewone woorden "
                "in plaats van lange of moeilijke.")


def score(markdown: str) -> Score | None:
    """The Flesch-Douma score of a text (Markdown allowed), or None when it has no words."""
    # A paragraph and a list item end a sentence too, as a reader takes a pause there.
    blocks = re.split(r"\n\s*\n|\n(?=\s*[-*+] )", markdown)
    parts = [s for block in blocks for s in sentences(" ".join(plain(re.sub(r"^\s*[-*+] ", "", block)).split()))]
    words = [w for s in parts for w in WORD.findall(s)]
    if not words:
        return None
    return Score(len(words), len(parts), sum(syllables(w) for w in words))
