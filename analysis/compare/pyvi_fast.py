"""pyvi's word segmentation, the same output in less time.

``pyvi.ViTokenizer.tokenize`` spends most of its time building one Python dict of 13 features per
syllable, most of them ``False``, which python-crfsuite then turns into ``name:value`` strings.
This module builds the same features directly as the strings CRFsuite receives and leaves out
the ones whose weight is 0 (``False``): a zero-weight attribute adds nothing to a label's score,
so the same model gives the same labels. The syllable pattern, the model, the bigram and trigram
lists and the joining rules are pyvi's own; ``tests/compare/test_pyvi_fast.py`` checks the output
against ``ViTokenizer.tokenize`` on every passage of the labelled sets.
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import cache

# pyvi's syllable pattern (ViTokenizer.sylabelize), with its inner groups made non-capturing so
# that findall returns the whole match, as pyvi's ``token[0]`` does.
_SYLLABLE = re.compile(
    "(?:" + "|".join([
        r"[A-ZĐ]+\.", r"Tp\.", r"Mr\.", r"Mrs\.", r"Ms\.", r"Dr\.", r"ThS\.",  # abbreviations
        "==>", "->", r"\.\.\.", ">>", "\n",  # specials
        r"\w+://[^\s]+",  # web
        r"(?:[a-zA-Z0-9_.+-]+@(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+)",  # e-mail
        r"\d+(?:[\.,_]\d+)+", r"[^\w\s]", r"\w+",  # numbers, punctuation, words
    ]) + ")", re.UNICODE)
# pyvi tests "token in string.punctuation", a substring test: kept as it is.
_PUNCTUATION = string.punctuation


@cache
def _model():
    """(CRFsuite tagger, bigram set, trigram set) of pyvi, loaded once per process."""
    from pyvi.ViTokenizer import ViTokenizer

    return ViTokenizer.model.tagger_, ViTokenizer.bi_grams, ViTokenizer.tri_grams


def _features(tokens: list[str], bi_grams, tri_grams) -> list[list[str]]:
    """pyvi's word2features for every syllable, as the attribute strings CRFsuite receives
    ("name:value" for a string value, the bare name for a weight of 1)."""
    lows = [t.lower() for t in tokens]
    upper = [t.isupper() for t in tokens]
    title = [t.istitle() for t in tokens]
    last = len(tokens) - 1
    items = []
    for i, low in enumerate(lows):
        item = ["bias", "word.lower():" + low]
        if upper[i]:
            item.append("word.isupper()")
        if title[i]:
            item.append("word.istitle()")
        if tokens[i].isdigit():
            item.append("word.isdigit()")
        if i > 0:
            item.append("-1:word.lower():" + lows[i - 1])
            if title[i - 1]:
                item.append("-1:word.istitle()")
            if upper[i - 1]:
                item.append("-1:word.isupper()")
            if lows[i - 1] + " " + low in bi_grams:
                item.append("-1:word.bi_gram()")
            if i > 1 and lows[i - 2] + " " + lows[i - 1] + " " + low in tri_grams:
                item.append("-2:word.tri_gram()")
        if i < last:
            item.append("+1:word.lower():" + lows[i + 1])
            if title[i + 1]:
                item.append("+1:word.istitle()")
            if upper[i + 1]:
                item.append("+1:word.isupper()")
            if low + " " + lows[i + 1] in bi_grams:
                item.append("+1:word.bi_gram()")
            if i < last - 1 and low + " " + lows[i + 1] + " " + lows[i + 2] in tri_grams:
                item.append("+2:word.tri_gram()")
        items.append(item)
    return items


def tokenize(text: str) -> str:
    """The same string as ``pyvi.ViTokenizer.tokenize(text)``: syllables of a word joined by "_"."""
    if "Σ" in text:  # lower() of a joined n-gram differs from the joined lower()s only here
        from pyvi.ViTokenizer import ViTokenizer

        return ViTokenizer.tokenize(text)
    tokens = _SYLLABLE.findall(unicodedata.normalize("NFC", text))
    if not tokens:
        return text
    tagger, bi_grams, tri_grams = _model()
    labels = tagger.tag(_features(tokens, bi_grams, tri_grams))
    out = [tokens[0]]
    for i in range(1, len(labels)):
        word, previous = tokens[i], tokens[i - 1]
        joined = (labels[i] == "I_W" and word not in _PUNCTUATION and previous not in _PUNCTUATION
                  and not word[0].isdigit() and not previous[0].isdigit()
                  and not (word[0].istitle() and not previous[0].istitle()))
        out.append("_" if joined else " ")
        out.append(word)
    return "".join(out)
