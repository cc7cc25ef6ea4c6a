"""Text normalisation: a chain of small ``str -> str`` functions composed once.

PLACEHOLDER (to be completed): NFC + whitespace only for now. The public API is
``normalize_text(text) -> str`` (idempotent) and ``fold_for_matching(text) -> str``.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold_spaces(text: str) -> str:
    return _SPACES.sub(" ", text)


def normalize_text(text: str) -> str:
    """Normalise text for every later stage (NFC, canonical tone marks, folded spaces)."""
    return fold_spaces(nfc(text))
