"""Folding: copies of text made only to compare, match, name or count it.

The corpus text itself is never folded (it is what readers see); each folding here exists once,
named for what it does:

- ``fold_for_matching``: any text -> normalised, case-folded, one space between words (gold
  matching, comparisons of texts from different sources);
- ``fold_normalized``: the cheap version for text that ``normalize_text`` already made (cue
  matching during ingestion, which runs on every line of every document);
- ``fold_case_and_tones`` / ``fold_with_offsets``: the length-preserving fold the tagger matches
  on, so a match maps back to a span of the original passage;
- ``one_line``: whitespace runs -> one space (display of a passage on one line);
- ``canonical_name``: a name as typed by a user or found in a table (NFC, canonical tone marks);
- ``name_key``: an accent- and case-blind key of a name (province and district look-ups);
- ``slug``: an ASCII file-name part;
- ``term_regex``: a regex for a (segmented) term as a whole word;
- ``count_words``: the one word count every table uses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from analysis.text.normalize import TONE_MARKS, canonical_tone_marks, fold_dashes, nfc, normalize_text, strip_diacritics

__all__ = [
    "canonical_name", "count_words", "fold_case_and_tones", "fold_for_matching", "fold_normalized",
    "fold_with_offsets", "name_key", "one_line", "slug", "term_regex",
]

_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def fold_normalized(text: str) -> str:
    """Case-folded NFC text, plain dashes, one space between words: the cheap fold of text
    that ``normalize_text`` made (cue matching runs on every line of every document)."""
    # str.split() splits on exactly the characters "\s" matches (checked on every code point) and
    # is twice as fast as a regex substitution here.
    return " ".join(fold_dashes(unicodedata.normalize("NFC", text).casefold()).split())


def fold_for_matching(text: str) -> str:
    """``normalize_text`` + casefold + every whitespace run (newlines too) → one space."""
    # Casefold first: folding after normalising could turn "ÀA" + "ß" into a new syllable "àass".
    return fold_normalized(normalize_text(text.casefold()))


def one_line(text: str) -> str:
    """Every whitespace run (line breaks included) → one space (a passage shown on one line)."""
    return _WHITESPACE.sub(" ", str(text))


def canonical_name(text: object) -> str:
    """A name in NFC with canonical tone marks, stripped: "Hoà Bình" typed on any keyboard
    (NFC or NFD, new or old tone placement) is the "Hòa Bình" of the corpus."""
    return canonical_tone_marks(nfc(str(text))).strip()


def name_key(text: str) -> str:
    """Accent-, case- and spacing-blind key of a name ("Hoà  Bình" → "hoa binh")."""
    return " ".join(strip_diacritics(str(text)).casefold().split())


def slug(text: str, sep: str = "-") -> str:
    """ASCII file-name part of a Vietnamese name: "Lào Cai" → "lao-cai" (``sep`` between words)."""
    plain = strip_diacritics(str(text)).lower()
    return re.sub(r"[^a-z0-9]+", sep, plain).strip(sep) or "unknown"


def term_regex(term: str) -> re.Pattern:
    """Regex for a term as a whole word, case-blind; syllables joined by ``_`` (segmented
    words) or spaces match any run of spaces or dashes ("năm_học" matches "năm  học")."""
    syllables = [re.escape(s) for s in re.split(r"[_\s]+", canonical_name(term)) if s]
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(syllables) + r"(?!\w)", re.IGNORECASE)


def count_words(texts: str | Iterable[str]) -> int:
    """Word tokens (Vietnamese syllables, numbers) in a text or a series of texts.

    The one definition behind every ``n_words`` column: runs of word characters, so "99,37%"
    is two tokens and a segmented "giáo_dục" one.
    """
    if isinstance(texts, str):
        return len(_WORD.findall(texts))
    return sum(len(_WORD.findall(text)) for text in texts if isinstance(text, str))


# --------------------------------------------------------------------------- tagger folding

# Tone marks sit on the first vowel of "oa", "oe", "uy" at the end of a word in the folded text
# ("hoà" and "hòa" both fold to "hòa"), the placement normalize_text makes canonical, so ingested
# passages are already folded. This is a cheap, length-preserving swap (the tagger maps matches
# back to the original text by position).
_TONE_SWAP: dict[str, str] = {
    first + unicodedata.normalize("NFC", second + mark): unicodedata.normalize("NFC", first + mark) + second
    for mark in TONE_MARKS for first, second in (("o", "a"), ("o", "e"), ("u", "y"))
}
# Whole-word endings only, and not after "q": in "quý" the "u" belongs to the onset "qu".
_TONE_RE = re.compile(f"(?<!q)(?:{'|'.join(sorted(_TONE_SWAP))})(?![^\\W\\d_])")


def fold_case_and_tones(text: str) -> str:
    """Lower-case and canonical tone placement of NFC text (length-preserving for Vietnamese)."""
    return _TONE_RE.sub(lambda m: _TONE_SWAP[m.group(0)], text.lower())


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Fold ``text`` like :func:`fold_case_and_tones`; return the folded text and its offset map.

    The map gives, for each folded position (and one past the end), the position in ``text``;
    it is ``None`` when folding kept every character in place (NFC text, the usual case).
    """
    if unicodedata.is_normalized("NFC", text):
        folded = fold_case_and_tones(text)
        if len(folded) == len(text):
            return folded, None
    pieces: list[str] = []
    offsets: list[int] = []
    for start, cluster in _clusters(text):
        piece = unicodedata.normalize("NFC", cluster).lower()
        pieces.append(piece)
        offsets.extend([start] * len(piece))
    offsets.append(len(text))
    return _TONE_RE.sub(lambda m: _TONE_SWAP[m.group(0)], "".join(pieces)), offsets


def _clusters(text: str):
    """(start, base character + its combining marks) pieces of ``text``."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            yield start, text[start:index]
            start = index

