"""Vietnamese text features: word segmentation, stop words and TF-IDF.

Order matters: text is normalised (``analysis.textnorm``), segmented into words (pyvi by
default; underthesea as an optional GPL extra), lower-cased, domain phrases from
``data/phrases_vi.txt`` are re-joined so they stay whole, and only then are stop words from
``data/stopwords_vi.txt`` removed — so "năm học" survives while "năm" alone goes.
Words are written with underscores between syllables ("giáo_dục_phổ_thông").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from tqdm import tqdm

from analysis.paths import DATA_DIR
from analysis.textnorm import normalize_text

STOPWORDS_PATH = DATA_DIR / "stopwords_vi.txt"
PHRASES_PATH = DATA_DIR / "phrases_vi.txt"
SEGMENTERS = ("pyvi", "underthesea")
# One-syllable tokens ("ở", "số") and underscore-joined words are both single tokens;
# sklearn's default pattern would drop one-letter syllables.
TOKEN_PATTERN = r"(?u)[^\s]+"
_HAS_LETTER = re.compile(r"[^\W\d_]")
_WORD_EDGE_JUNK = re.compile(r"^[\W_]+|[\W_]+$")


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
        from pyvi import ViTokenizer

        return ViTokenizer.tokenize(text).split()
    if segmenter == "underthesea":
        try:
            from underthesea import word_tokenize
        except ImportError as exc:  # GPL extra, not installed by default
            raise ImportError("segmenter='underthesea' needs: pip install 'giaoban[underthesea]'") from exc
        return [w.replace(" ", "_") for w in word_tokenize(text)]
    raise ValueError(f"segmenter={segmenter!r}: choose one of {SEGMENTERS}")


def merge_phrases(words: Sequence[str], phrases: Sequence[tuple[str, ...]]) -> list[str]:
    """Re-join the syllables of known phrases, even where the segmenter cut across them
    ("sách giáo_khoa_giáo_dục phổ_thông" -> "sách giáo_khoa giáo_dục_phổ_thông")."""
    sylls: list[str] = []
    bounds: set[int] = set()
    for word in words:
        bounds.add(len(sylls))
        sylls.extend(word.split("_"))
    bounds.add(len(sylls))
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:  # phrases come longest first, so the first match is the longest
        by_first.setdefault(p[0], []).append(p)

    def phrase_at(i: int) -> tuple[str, ...] | None:
        return next((p for p in by_first.get(sylls[i], ()) if tuple(sylls[i:i + len(p)]) == p), None)

    out, i = [], 0
    while i < len(sylls):
        match = phrase_at(i)
        j = i + len(match) if match else i + 1
        while not match and j not in bounds and not phrase_at(j):
            j += 1
        out.append("_".join(sylls[i:j]))
        i = j
    return out


def segment_text(text: str, *, segmenter: str = "pyvi", phrases=None, stopwords=None) -> list[str]:
    """Words of one text: normalised, segmented, lower-cased, phrases joined, stop words out."""
    phrases = load_phrases() if phrases is None else phrases
    stopwords = load_stopwords() if stopwords is None else stopwords
    # Lower-case first: pyvi cuts upper-case headings differently from the same words in a sentence.
    words = _raw_segment(normalize_text(text).lower(), segmenter)
    words = [_WORD_EDGE_JUNK.sub("", w) for w in words]
    words = merge_phrases([w for w in words if _HAS_LETTER.search(w)], phrases)
    return [w for w in words if w not in stopwords]


def segment_texts(texts: Iterable[str], *, segmenter: str = "pyvi", phrases=None,
                  stopwords=None, progress: bool = False) -> list[str]:
    """Space-joined words for each text; each distinct text is segmented once (corpora repeat)."""
    texts = [str(t) for t in texts]
    phrases = load_phrases() if phrases is None else tuple(phrases)
    stopwords = load_stopwords() if stopwords is None else frozenset(stopwords)
    uniq, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True) if texts else ([], [])
    done = [" ".join(segment_text(t, segmenter=segmenter, phrases=phrases, stopwords=stopwords))
            for t in tqdm(uniq, desc="segment", unit="text", disable=not progress)]
    return [done[i] for i in np.asarray(inverse).ravel()]


def passages_segment(passages: pd.DataFrame, *, segmenter: str = "pyvi", phrases=None,
                     stopwords=None, progress: bool = False) -> pd.DataFrame:
    """Copy of ``passages`` with a ``tokens`` column (space-joined words)."""
    if "text" not in passages.columns:
        raise ValueError("passages: column 'text' is missing; pass the passages table from `giaoban ingest`")
    out = passages.copy()
    out["tokens"] = segment_texts(out["text"].fillna(""), segmenter=segmenter, phrases=phrases,
                                  stopwords=stopwords, progress=progress)
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
