"""Vietnamese text features: word segmentation, stop words and TF-IDF.

Order matters: text is normalised (``analysis.textnorm``), lower-cased, segmented into words
(pyvi by default; underthesea as an optional GPL extra), domain phrases from
``data/phrases_vi.txt`` are re-joined so they stay whole, and only then are stop words from
``data/stopwords_vi.txt`` removed — so "năm học" survives while "năm" alone goes.
Words are written with underscores between syllables ("giáo_dục_phổ_thông").
Segmenting is the slow step, so each distinct text is segmented once, and the raw segmenter
output can be cached by text hash (``raw_segments``; the CLI keeps it in the build folder).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from tqdm import tqdm

from analysis.paths import DATA_DIR
from analysis.text.normalize import normalize_text

PROGRESS_MIN_TEXTS = 1000  # below this, segmenting takes under a second: no bar

STOPWORDS_PATH = DATA_DIR / "stopwords_vi.txt"
PHRASES_PATH = DATA_DIR / "phrases_vi.txt"
SEGMENTERS = ("pyvi", "underthesea")
# One-syllable tokens ("ở", "số") and underscore-joined words are both single tokens;
# sklearn's default pattern would drop one-letter syllables.
TOKEN_PATTERN = r"(?u)[^\s]+"
_HAS_LETTER = re.compile(r"[^\W\d_]")
_WORD_EDGE_JUNK = re.compile(r"^[\W_]+|[\W_]+$")


def strip_edge_junk(token: str) -> str:
    """``token`` without punctuation or underscores at its ends ("(sở," -> "sở")."""
    # A letter or digit at both ends (the usual case) leaves nothing to strip: skip the regex.
    return token if token[:1].isalnum() and token[-1:].isalnum() else _WORD_EDGE_JUNK.sub("", token)


def _norm_entry(line: str) -> str:
    return "_".join(normalize_text(line).lower().split())


def _read_list(path: Path) -> list[str]:
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path}: word list not found; pass an existing file")
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [_norm_entry(x) for x in lines if x.strip() and not x.lstrip().startswith("#")]


def load_stopwords(path: str | Path = STOPWORDS_PATH) -> frozenset[str]:
    """Stop words as segmented, lower-cased words ("thực hiện" -> "thực_hiện")."""
    return frozenset(_read_list(Path(path)))


def load_phrases(path: str | Path = PHRASES_PATH) -> tuple[tuple[str, ...], ...]:
    """Domain phrases as syllable tuples, longest first (longer phrases win)."""
    phrases = {tuple(p.split("_")) for p in _read_list(Path(path))}
    return tuple(sorted(phrases, key=lambda p: (-len(p), p)))


def _raw_segment(text: str, segmenter: str) -> list[str]:
    if segmenter == "pyvi":
        from analysis.compare.pyvi_fast import tokenize  # pyvi's output, ~2.4x faster

        return tokenize(text).split()
    if segmenter == "underthesea":
        try:
            from underthesea import word_tokenize
        except ImportError as exc:  # GPL extra, not installed by default
            raise ImportError("segmenter='underthesea' needs: pip install 'giaoban[underthesea]'") from exc
        return [w.replace(" ", "_") for w in word_tokenize(text)]
    raise ValueError(f"segmenter={segmenter!r}: choose one of {SEGMENTERS}")


@lru_cache(maxsize=16)
def _phrase_index(phrases: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    """Phrases by their first syllable, longest first; built once per phrase list, because the
    analysis merges phrases in every one of a corpus's texts."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:  # phrases come longest first, so the first match is the longest
        by_first.setdefault(p[0], []).append(p)
    return by_first


def merge_phrases(words: Sequence[str], phrases: Sequence[tuple[str, ...]]) -> list[str]:
    """Re-join the syllables of known phrases, even where the segmenter cut across them
    ("sách giáo_khoa_giáo_dục phổ_thông" -> "sách giáo_khoa giáo_dục_phổ_thông")."""
    by_first = _phrase_index(tuple(map(tuple, phrases)))
    sylls: list[str] = []
    bounds: set[int] = set()
    for word in words:
        bounds.add(len(sylls))
        sylls.extend(word.split("_"))
    bounds.add(len(sylls))
    starts = [by_first.get(syllable) for syllable in sylls]  # phrases that may start at each syllable
    if not any(starts):
        return list(words)  # no phrase can start here: the words stay as they are

    def phrase_at(i: int) -> tuple[str, ...] | None:
        candidates = starts[i]
        return next((p for p in candidates if tuple(sylls[i:i + len(p)]) == p), None) if candidates else None

    out, i, n = [], 0, len(sylls)
    while i < n:
        match = phrase_at(i)
        j = i + len(match) if match else i + 1
        while not match and j not in bounds and not phrase_at(j):
            j += 1
        out.append("_".join(sylls[i:j]))
        i = j
    return out


def text_key(text: str) -> str:
    """Cache key of a passage text (BLAKE2b of its UTF-8 bytes)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def cache_name(segmenter: str = "pyvi") -> str:
    """File name of the segmentation cache: changes with the segmenter's version."""
    return f"segments_{segmenter}-{importlib.metadata.version(segmenter)}.parquet"


def raw_words(text: str, segmenter: str = "pyvi") -> str:
    """Segmenter output for one text: normalised, lower-cased, words space-separated (cached part)."""
    # Lower-case first: pyvi cuts upper-case headings differently from the same words in a sentence.
    return " ".join(_raw_segment(normalize_text(text).lower(), segmenter))


def finish_words(raw: str, phrases, stopwords) -> list[str]:
    """Clean segmenter output: drop punctuation and numbers, join phrases, remove stop words."""
    words = [strip_edge_junk(w) for w in raw.split()]
    words = merge_phrases([w for w in words if _HAS_LETTER.search(w)], phrases)
    return [w for w in words if w not in stopwords]


def segment_text(text: str, *, segmenter: str = "pyvi", phrases=None, stopwords=None) -> list[str]:
    """Words of one text: normalised, lower-cased, segmented, phrases joined, stop words out."""
    phrases = load_phrases() if phrases is None else phrases
    stopwords = load_stopwords() if stopwords is None else stopwords
    return finish_words(raw_words(text, segmenter), phrases, stopwords)


def raw_segments(texts: Iterable[str], *, segmenter: str = "pyvi", cache: Mapping[str, str] | None = None,
                 progress: bool = False) -> dict[str, str]:
    """``text_key -> raw_words`` for every distinct text, segmenting only those not in ``cache``."""
    cache = cache or {}
    keyed = {text_key(t): t for t in dict.fromkeys(str(t) for t in texts)}
    todo = [k for k in keyed if k not in cache]
    bar = tqdm(todo, desc="segment", unit="text", disable=not progress or len(todo) < PROGRESS_MIN_TEXTS)
    done = {k: raw_words(keyed[k], segmenter) for k in bar}
    return {k: done[k] if k in done else cache[k] for k in keyed}


def segment_texts(texts: Iterable[str], *, segmenter: str = "pyvi", phrases=None, stopwords=None,
                  progress: bool = False, cache: Mapping[str, str] | None = None) -> list[str]:
    """Space-joined words for each text; each distinct text is segmented once (corpora repeat)."""
    codes, uniq = pd.factorize(pd.Series([str(t) for t in texts], dtype=object))
    phrases = load_phrases() if phrases is None else tuple(phrases)
    stopwords = load_stopwords() if stopwords is None else frozenset(stopwords)
    raw = raw_segments(uniq, segmenter=segmenter, cache=cache, progress=progress)
    done = [" ".join(finish_words(raw[text_key(t)], phrases, stopwords)) for t in uniq]
    return [done[c] for c in codes]


def passages_segment(passages: pd.DataFrame, *, segmenter: str = "pyvi", phrases=None,
                     stopwords=None, progress: bool = False, cache: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Copy of ``passages`` with a ``tokens`` column (space-joined words)."""
    if "text" not in passages.columns:
        raise ValueError("passages: column 'text' is missing; pass the passages table from `giaoban ingest`")
    out = passages.copy()
    out["tokens"] = segment_texts(out["text"].fillna(""), segmenter=segmenter, phrases=phrases,
                                  stopwords=stopwords, progress=progress, cache=cache)
    return out


def count_matrix(tokens: Sequence[str], *, min_df: int = 1) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Term counts (rows = texts) and the sorted vocabulary; distinct texts are counted once."""
    tokens = np.asarray(list(tokens), dtype=object)
    uniq, inverse = np.unique(tokens, return_inverse=True)
    vec = CountVectorizer(token_pattern=TOKEN_PATTERN, lowercase=False, strip_accents=None)
    counts = vec.fit_transform(uniq)[np.asarray(inverse).ravel()]
    vocab = vec.get_feature_names_out()
    if min_df > 1:
        keep = np.flatnonzero(np.asarray((counts > 0).sum(axis=0)).ravel() >= min_df)
        counts, vocab = counts[:, keep], vocab[keep]
    return counts.tocsr(), vocab


def tfidf_matrix(counts: sparse.spmatrix) -> sparse.csr_matrix:
    """L2-normalised TF-IDF (smooth idf, sublinear tf) from a count matrix."""
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()


def group_sum(matrix: sparse.spmatrix, keys: Sequence) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Sum the rows of ``matrix`` by ``keys``; returns (summed rows, sorted distinct keys)."""
    labels, codes = np.unique(np.asarray(keys, dtype=object).astype(str), return_inverse=True)
    codes = np.asarray(codes).ravel()
    indicator = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))),
                                  shape=(len(labels), len(codes)))
    return (indicator @ matrix).tocsr(), labels
