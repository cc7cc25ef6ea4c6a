"""Text normalisation: a chain of small ``str -> str`` functions composed once.

``normalize_text`` is the text every later stage sees: invisible characters removed, one kind of
newline, Unicode NFC, one canonical tone-mark placement (hoà → hòa, thuỷ → thủy, xoá → xóa),
plain dashes and quotes, single spaces. It keeps line structure (rejoining PDF-broken lines is
``analysis.corpus.passages``' job) and is idempotent. Copies of text made only to compare or match
it (case folding and the like) are in ``analysis.text.fold``.

Regexes and tables are compiled once here.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "TONE_MARKS",
    "canonical_tone_marks",
    "fold_dashes",
    "fold_newlines",
    "fold_quotes",
    "fold_spaces",
    "nfc",
    "normalize_text",
    "strip_diacritics",
    "DIACRITIC_TABLE",
    "strip_edges",
    "strip_invisible",
]

# --- tables ------------------------------------------------------------------------------------
TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook above, tilde, dot below
PLAIN_VOWELS = "aăâeêioôơuưy"
_MODIFIED_VOWELS = frozenset("ăâêôơư")  # a vowel with a hat/breve/horn carries the tone
_PLAIN_VOWEL_SET = frozenset(PLAIN_VOWELS)


def _compose(base: str, mark: str) -> str:
    return unicodedata.normalize("NFC", base + mark)


# (plain vowel, tone mark) -> toned letter and back, both cases.
_COMPOSE = {(v, t): _compose(v, t) for v0 in PLAIN_VOWELS for v in (v0, v0.upper()) for t in TONE_MARKS}
_SPLIT = {toned: (plain, tone) for (plain, tone), toned in _COMPOSE.items()}
_ALL_VOWELS = "".join(sorted(set(PLAIN_VOWELS + PLAIN_VOWELS.upper()) | set(_SPLIT)))
_LETTERS = "A-Za-zĐđ" + _ALL_VOWELS

# Runs of Vietnamese letters; only words whose spelling changes are then replaced, by a regex
# built from those few words (whole words only: not inside a longer non-Vietnamese word).
_NON_LETTERS = re.compile(f"[^{_LETTERS}]+")
_INVISIBLE = re.compile(
    "[\ufeff\u200b\u200c\u200d\u2060\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f]"
)
_NEWLINES = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
# str.replace per quote is ~20x faster than str.translate on long texts.
_QUOTES = tuple((q, '"') for q in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb") + tuple(
    (q, "'") for q in "\u2018\u2019\u201a\u201b\u2032"
)
_SPACE_CHARS = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
# Only runs that need changing (not every single space): much faster on long texts.
_SPACES = re.compile(f"[{_SPACE_CHARS}][ {_SPACE_CHARS}]*| [ {_SPACE_CHARS}]+")


# --- the chain ---------------------------------------------------------------------------------
def strip_invisible(text: str) -> str:
    """Remove BOMs, zero-width characters, soft hyphens, bidi marks and stray control codes."""
    return _INVISIBLE.sub("", text)


def fold_newlines(text: str) -> str:
    """Turn CRLF, CR, form feeds and Unicode line/paragraph separators into ``\\n``."""
    return _NEWLINES.sub("\n", text)


def nfc(text: str) -> str:
    """Unicode NFC (precomposed letters)."""
    return unicodedata.normalize("NFC", text)


def canonical_tone_marks(text: str) -> str:
    """Put each tone mark in the one canonical (old-style) place: hoà→hòa, thuỷ→thủy, xoá→xóa.

    Open syllables in oa/oe/uy carry the tone on the first vowel; a syllable with a final
    consonant carries it on the last vowel (hoàn, toán); a hat/breve/horn vowel always carries
    it (thuyết, người). "qu" and "gi" are onsets, so quý, quả, giá never change. NFD input is
    accepted; the output is NFC.
    """
    text = nfc(text)
    fixes = {}
    for word in set(_NON_LETTERS.split(text)):
        fixed = _FIXED.get(word)
        if fixed is None:
            if len(_FIXED) > _FIXED_MAX:  # bound memory on huge vocabularies
                _FIXED.clear()
            fixed = _FIXED[word] = _fix_syllable(word)
        if fixed != word:
            fixes[word] = fixed
    if not fixes:
        return text
    alternatives = "|".join(map(re.escape, sorted(fixes, key=lambda w: (-len(w), w))))
    pattern = re.compile(rf"(?:{alternatives})(?![^\W\d_])")
    return pattern.sub(lambda match: _replacement(match, fixes), text)


def fold_dashes(text: str) -> str:
    """Fold en/em dashes, minus and (non-breaking) hyphens to ``-``."""
    return _DASHES.sub("-", text)


def fold_quotes(text: str) -> str:
    """Fold typographic quotes to ASCII ``"`` and ``'`` (legacy encodings cannot hold them)."""
    for quote, ascii_quote in _QUOTES:
        if quote in text:
            text = text.replace(quote, ascii_quote)
    return text


def fold_spaces(text: str) -> str:
    """Runs of spaces, tabs and no-break spaces within a line → one space; strip line ends."""
    # After the first step each run is one space, so one replace per line end is enough.
    return _SPACES.sub(" ", text).replace(" \n", "\n").replace("\n ", "\n").strip(" ")


def strip_edges(text: str) -> str:
    """Drop blank lines at the start and end of the text."""
    return text.strip("\n")


_CHAIN = (strip_invisible, fold_newlines, nfc, canonical_tone_marks, fold_dashes, fold_quotes,
          fold_spaces, strip_edges)


def normalize_text(text: str) -> str:
    """Normalise text for every later stage; keeps newlines; idempotent; NFC/NFD-blind."""
    for step in _CHAIN:
        text = step(text)
    return text


def _diacritic_table() -> dict[int, str]:
    """Precomposed Latin letter -> its plain base letter (đ→d explicit: it has no decomposition)."""
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii():
            table[code] = base
    return table


# Translating with this table keeps every character in place (same length as the NFC input),
# which the tagger needs to map matches back to the original text.
DIACRITIC_TABLE = _diacritic_table()
_COMBINING_MARK = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def strip_diacritics(text: str, keep_length: bool = False) -> str:
    """Remove every diacritic, đ→d and Đ→D included (for explicit accent-blind matching only).

    On NFC text the result has the same length, character for character; ``keep_length`` keeps
    it so on any text (marks on letters outside the table then stay), as the tagger needs to
    map matches back by position.
    """
    plain = (text if keep_length else nfc(text)).translate(DIACRITIC_TABLE)
    if not keep_length and _COMBINING_MARK.search(plain):  # marks on letters outside the table (rare)
        plain = "".join(c for c in unicodedata.normalize("NFD", plain) if not unicodedata.combining(c))
    return plain


# --- tone placement internals ------------------------------------------------------------------
_FIXED: dict[str, str] = {}  # word -> canonical spelling; Vietnamese has a few thousand syllables
_FIXED_MAX = 200_000


def _replacement(match: re.Match[str], fixes: dict[str, str]) -> str:
    word, text, start, end = match.group(0), match.string, match.start(), match.end()
    # Whole words only (a lookbehind in the pattern would be tried at every position: slow);
    # a combining mark right after the word belongs to its last letter: leave such words alone.
    if start and (text[start - 1].isalpha() or unicodedata.combining(text[start - 1])):
        return word
    if end < len(text) and unicodedata.combining(text[end]):
        return word
    return fixes[word]


def _fix_syllable(word: str) -> str:
    """Move the single tone mark of ``word`` to its canonical vowel (unchanged if not a syllable)."""
    parts = [_SPLIT.get(c, (c, "")) for c in word]
    toned = [i for i, (_, tone) in enumerate(parts) if tone]
    if len(toned) != 1:
        return word
    target = _tone_target("".join(plain for plain, _ in parts).lower())
    if target is None or target == toned[0]:
        return word
    letters = [plain for plain, _ in parts]
    letters[target] = _COMPOSE[(letters[target], parts[toned[0]][1])]
    return "".join(letters)


def _tone_target(plain: str) -> int | None:
    """Index of the vowel that carries the tone in toneless lower-case syllable ``plain``."""
    start = 0
    while start < len(plain) and plain[start] not in _PLAIN_VOWEL_SET:
        start += 1
    # "qu" and "gi" before another vowel are onsets: quý, quả, giá, giường.
    if (plain[:start], plain[start:start + 1]) in (("q", "u"), ("g", "i")) \
            and plain[start + 1:start + 2] in _PLAIN_VOWEL_SET:
        start += 1
    end = start
    while end < len(plain) and plain[end] in _PLAIN_VOWEL_SET:
        end += 1
    nucleus, coda = plain[start:end], plain[end:]
    if not nucleus or any(c in _PLAIN_VOWEL_SET for c in coda) or len(nucleus) > 3:
        return None  # not one Vietnamese syllable (loanword, abbreviation ...)
    modified = [i for i, c in enumerate(nucleus) if c in _MODIFIED_VOWELS]
    if modified:
        return start + modified[-1]
    if coda or len(nucleus) == 1:
        return end - 1
    return start + (1 if len(nucleus) == 3 else 0)
