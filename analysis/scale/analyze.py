"""Analyze on a Dask cluster, without holding all passages in one process.

Three passes over the document partitions, each task reading only its own documents' rows:

1. *features*: segment the content passages (a per-partition segmentation cache in the build),
   keep the tokens in a scratch part, extract the indicators part, and return term document
   frequencies and the comparison sums (profiles, by role, timeline, co-occurrence, and the
   distinctive-term statistics, whose table the client then makes exactly as in one process).
2. *sums*: term counts with the global vocabulary, TF-IDF with the global idf (exactly the
   in-process formulas); return TF-IDF sums by group, and two deterministic
   samples chosen by hash (passages by the hash of their tokens, documents by the hash of their
   id), so the samples do not depend on how the corpus is partitioned.
   The client fits the themes (NMF) on the distinct sampled passages and the document space
   (LSA) and the clusterings (k-means, Ward) on the sampled documents.
3. *assign*: each partition's passages get their theme weights (``NMF.transform``) and its
   documents their clusters (the sample's own labels, else the nearest cluster centroid); the
   parts of ``passage_themes`` and ``document_clusters`` are written; the typical passages and
   the passages behind each distinctive term (``keyness_passages``) are gathered on the client.

Results with the fixed seeds are the same on every run with the same partitions. Counts and
everything computed from them (profiles, roles, timeline, co-occurrence, keyness, indicators) do
not depend on the partitioning at all and equal the in-process tables; TF-IDF sums by group differ
in the last bits with the order of addition (cosine similarities within 1e-12). Themes, theme
words, the document space and the clusters equal the in-process ones while the samples hold the
whole corpus (``THEME_SAMPLE`` sampled passages, ``CLUSTER_SAMPLE`` documents), and are fitted on
the samples beyond. Passage theme weights come from ``NMF.transform`` of each partition, whose
stopping rule looks at the partition as a whole: they differ from the in-process fit, and between
partitionings, by up to about 1e-4 (the dominant theme by less than 1% of passages; see
bench/README.md for the figures measured).
"""

from __future__ import annotations

import hashlib
import io
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import build
from analysis.compare import profiles as cmp
from analysis.compare import themes as th
from analysis.compare.features import TOKEN_PATTERN, cache_name, group_sum, passages_segment, raw_segments
from analysis.compare.keyness import (
    DISTINCTIVE_DEFAULTS,
    DistinctiveStats,
    distinctive_from_stats,
    distinctive_stats,
    term_counts,
    term_passages,
    text_terms,
)
from analysis.io import write_bytes_atomic, write_parquet_part
from analysis.scale.cluster import map_tasks, n_workers, share
from analysis.scale.partitions import Partition, build_partitions, read_rows

THEME_SAMPLE = 50_000    # passages the themes are fitted on (all of them in a smaller corpus)
CLUSTER_SAMPLE = 5_000   # documents the space and the clusterings are fitted on
PARTITIONED = ("passage_themes", "document_clusters", "indicators")
TOKENS = "_tokens"       # scratch parts inside the staging folder, never published
TERMS = "_terms"         # scratch: a partition's distinctive-term counts, from pass 1 to pass 3


# --------------------------------------------------------------------------- helpers


def _hash_fraction(values) -> np.ndarray:
    """A fixed number in [0, 1) per value (BLAKE2b), for samples that ignore partitioning."""
    return np.array([int.from_bytes(hashlib.blake2b(str(v).encode("utf-8"), digest_size=8).digest(), "big")
                     for v in values], dtype=float) / 2.0 ** 64


def _counts(tokens: pd.Series, vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """Term counts of ``tokens`` over a fixed vocabulary (each distinct text counted once)."""
    from sklearn.feature_extraction.text import CountVectorizer

    if not len(tokens):
        return sparse.csr_matrix((0, len(vocabulary)))
    uniq, inverse = np.unique(np.asarray(tokens, dtype=object), return_inverse=True)
    vec = CountVectorizer(token_pattern=TOKEN_PATTERN, lowercase=False, strip_accents=None, vocabulary=vocabulary)
    return vec.transform(uniq)[np.asarray(inverse).ravel()].tocsr()


def _tfidf(counts: sparse.spmatrix, idf: np.ndarray) -> sparse.csr_matrix:
    """TfidfTransformer(sublinear_tf=True) with a given idf: the same operations, in order."""
    from sklearn.preprocessing import normalize

    x = sparse.csr_matrix(counts, dtype=np.float64, copy=True)
    np.log(x.data, x.data)
    x.data += 1
    x.data *= idf[x.indices]
    return normalize(x, norm="l2", copy=False)


def _idf(df: np.ndarray, n: int) -> np.ndarray:
    """Smoothed idf, as scikit-learn computes it."""
    return np.log((n + 1) / (df + 1)) + 1


def _add(frames: list) -> Any:
    """Sum count Series/DataFrames over their index (missing keys count 0)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.Series(dtype="int64")
    total = pd.concat(frames)
    return total.groupby(level=list(range(total.index.nlevels))).sum()


def _add_by_label(items: list[tuple[np.ndarray, sparse.spmatrix]]) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Sum matrices whose rows are labelled (groups), aligning the labels."""
    labels = np.array(sorted({str(x) for lab, _ in items for x in lab}), dtype=object)
    index = {label: i for i, label in enumerate(labels)}
    total = None
    for lab, matrix in items:
        rows = np.array([index[str(x)] for x in lab], dtype=int)
        spread = sparse.csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))),
                                   shape=(len(labels), len(rows))) @ matrix
        total = spread if total is None else total + spread
    return labels, sparse.csr_matrix(total)


# --------------------------------------------------------------------------- pass 1: features


def _segments(texts: pd.Series, cache_dir: Path) -> tuple[dict[str, str], str]:
    """Raw segmentation of ``texts`` through this partition's cache file (named by its texts)."""
    key = hashlib.blake2b("\x00".join(texts).encode("utf-8"), digest_size=16).hexdigest()
    path = cache_dir / f"{key}.parquet"
    cache: dict[str, str] = {}
    if path.is_file():
        try:
            old = pd.read_parquet(path)
            cache = dict(zip(old["key"], old["words"]))
        except Exception:  # noqa: BLE001 -- a damaged cache only costs time
            cache = {}
    raw = raw_segments(texts, cache=cache)
    if not cache:
        keys = sorted(raw)
        write_parquet_part(path, pd.DataFrame({"key": keys, "words": [raw[k] for k in keys]}))
    return raw, path.name


def _document_frequencies(seg: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per term: passages containing it, and documents containing it."""
    from sklearn.feature_extraction.text import CountVectorizer

    texts = seg["tokens"].fillna("")
    if not texts.str.strip().any():
        return pd.Series(dtype="int64"), pd.Series(dtype="int64")
    vec = CountVectorizer(token_pattern=TOKEN_PATTERN, lowercase=False, strip_accents=None, binary=True)
    present = vec.fit_transform(texts)
    vocab = vec.get_feature_names_out()
    per_doc, _ = group_sum(present, seg["doc_id"])
    return (pd.Series(np.asarray(present.sum(axis=0)).ravel(), index=vocab),
            pd.Series(np.asarray((per_doc > 0).sum(axis=0)).ravel(), index=vocab))


def _comparison_counts(documents, passages, tags, by: str, topics: list[str]) -> dict[str, Any]:
    return {"profiles": cmp.profile_counts(documents, passages, tags, by),
            "by_role": cmp.by_role_counts(documents, passages, tags, by),
            "timeline": cmp.timeline_counts(documents, passages, tags, by),
            "cooccurrence": cmp.cooccurrence_counts(passages, tags, topics)}


def features_part(part: Partition, build_dir: str, staging: str, cache_dir: str, by: str,
                  topics: list[str]) -> dict[str, Any]:
    """Task (pass 1): tokens scratch part, indicators part, frequencies and comparison sums."""
    from analysis.compare.indicators import indicators_extract

    passages = read_rows(build_dir, "passages", part)
    documents = read_rows(build_dir, "documents", part)
    tags = read_rows(build_dir, "tags", part)
    tags = tags[tags["topic"].isin(topics)]
    content = passages[passages["role"] != "context"].reset_index(drop=True)
    raw, cache_file = _segments(content["text"].fillna("").astype(str), Path(cache_dir))
    seg = passages_segment(content, cache=raw).reset_index(drop=True)
    groups = cmp.passage_groups(documents, seg, by, include_context=True)["group"].to_numpy()
    tokens = seg[["doc_id", "passage_id", "tokens"]].assign(group=groups.astype(str))
    write_parquet_part(build.staged_part(Path(staging), TOKENS, part.index), tokens)
    write_parquet_part(build.staged_part(Path(staging), "indicators", part.index), indicators_extract(passages))
    df, doc_df = _document_frequencies(seg)
    counts, vocab = _term_counts(content, raw)
    _save_terms(_terms_path(staging, part), counts, vocab)  # pass 3 finds the evidence in them
    return {"df": df, "doc_df": doc_df, "rows": len(seg), "docs": seg["doc_id"].nunique(),
            "cache_file": cache_file, "compare": _comparison_counts(documents, passages, tags, by, topics),
            "distinctive": distinctive_stats(counts, vocab, groups, content["doc_id"].to_numpy())}


def _term_counts(content: pd.DataFrame, raw: dict[str, str]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Distinctive-term candidates of the partition's content passages, every two-word phrase kept
    (the corpus-wide rarity of a phrase is decided on the client, from the sums)."""
    from analysis.compare.features import load_phrases, load_stopwords, text_key

    phrases, stopwords = load_phrases(), load_stopwords()
    lists = [text_terms(raw[text_key(t)], phrases, stopwords) for t in content["text"].fillna("").astype(str)]
    return term_counts(lists, min_bigram_count=0)


def _terms_path(staging: str, part: Partition) -> Path:
    return build.staged_part(Path(staging), TERMS, part.index).with_suffix(".npz")


def _save_terms(path: Path, counts: sparse.csr_matrix, vocab: np.ndarray) -> None:
    """Write a term-count matrix and its vocabulary atomically (NumPy arrays, no pickle)."""
    buffer = io.BytesIO()
    np.savez(buffer, data=counts.data, indices=counts.indices, indptr=counts.indptr,
             shape=np.asarray(counts.shape), vocab=np.asarray(vocab, dtype=str))
    write_bytes_atomic(path, buffer.getvalue())


def _load_terms(path: Path) -> tuple[sparse.csr_matrix, np.ndarray]:
    with np.load(path, allow_pickle=False) as saved:
        counts = sparse.csr_matrix((saved["data"], saved["indices"], saved["indptr"]), shape=tuple(saved["shape"]))
        return counts, saved["vocab"].astype(object)


# --------------------------------------------------------------------------- pass 2: sums


def _matrices(part: Partition, staging: str, model: dict) -> tuple[pd.DataFrame, Any, Any, Any, np.ndarray]:
    """A partition's tokens, counts, TF-IDF, document TF-IDF and document ids."""
    tokens = pd.read_parquet(build.staged_part(Path(staging), TOKENS, part.index))
    counts = _counts(tokens["tokens"].fillna(""), model["vocabulary"])
    doc_counts, doc_ids = group_sum(counts, tokens["doc_id"])
    return tokens, counts, _tfidf(counts, model["idf"]), _tfidf(doc_counts, model["doc_idf"]), doc_ids


def sums_part(part: Partition, staging: str, model: dict) -> dict[str, Any]:
    """Task (pass 2): TF-IDF sums by group, and the hash-chosen samples."""
    tokens, counts, tfidf, doc_tfidf, doc_ids = _matrices(part, staging, model)
    groups = tokens["group"].to_numpy()
    tfidf_sums, tfidf_labels, sizes = cmp.tfidf_group_sums(tfidf, groups)
    picked = np.flatnonzero(_hash_fraction(tokens["tokens"].fillna("")) < model["passage_fraction"])
    picked_docs = np.flatnonzero(_hash_fraction(doc_ids) < model["doc_fraction"])
    return {"tfidf": (tfidf_labels, tfidf_sums), "sizes": (tfidf_labels, sizes),
            "passages": tfidf[picked], "documents": (doc_ids[picked_docs], doc_tfidf[picked_docs])}


def _fit_space(rows: sparse.csr_matrix, random_state: int = th.RANDOM_STATE) -> tuple[Any, np.ndarray]:
    """The LSA model (None when too few documents) and the sample's coordinates, as
    ``themes.document_space`` makes them."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    dims = min(100, rows.shape[0] - 1, rows.shape[1] - 1)
    if dims < 2:
        return None, normalize(rows.toarray())
    svd = TruncatedSVD(n_components=dims, algorithm="randomized", random_state=random_state)
    return svd, normalize(svd.fit_transform(rows))


def _space(svd: Any, rows: sparse.spmatrix) -> np.ndarray:
    from sklearn.preprocessing import normalize

    return normalize(rows.toarray() if svd is None else svd.transform(rows))


def _centroids(space: np.ndarray, labels: pd.DataFrame) -> dict[tuple[str, int], np.ndarray]:
    """Mean coordinates of each cluster of each (method, k), for assigning other documents."""
    out = {}
    for (method, k), rows in labels.groupby(["method", "k"]):
        clusters = rows["cluster"].to_numpy()
        out[(method, int(k))] = np.vstack([space[clusters == c].mean(axis=0) for c in range(clusters.max() + 1)])
    return out


def fit_clusters(doc_ids: np.ndarray, rows: sparse.csr_matrix) -> dict[str, Any]:
    """Space, clusterings and their scores on the document sample (in ``doc_id`` order)."""
    svd, space = _fit_space(rows)
    scores, labels = th.documents_cluster(list(doc_ids), space)
    chosen = set(zip(scores.loc[scores["recommended"], "method"], scores.loc[scores["recommended"], "k"]))
    sample = {(d, m, int(k)): c for d, m, k, c in zip(labels["doc_id"], labels["method"], labels["k"],
                                                        labels["cluster"])}
    return {"svd": svd, "scores": scores, "sample": sample, "centroids": _centroids(space, labels),
            "chosen": chosen}


# --------------------------------------------------------------------------- pass 3: assign


def _document_clusters(doc_ids: np.ndarray, doc_tfidf: sparse.spmatrix, clusters: dict) -> pd.DataFrame:
    """Cluster of every document for every (method, k): the sample's own label, else the
    nearest centroid."""
    space = _space(clusters["svd"], doc_tfidf) if len(doc_ids) else np.zeros((0, 1))
    frames = []
    for (method, k), centres in sorted(clusters["centroids"].items()):
        nearest = ((space[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2).argmin(axis=1) \
            if len(doc_ids) else np.zeros(0, dtype=int)
        labels = [clusters["sample"].get((d, method, k), int(n)) for d, n in zip(doc_ids, nearest)]
        frames.append(pd.DataFrame({"doc_id": doc_ids, "method": method, "k": k, "cluster": labels,
                                    "recommended": (method, k) in clusters["chosen"]}))
    columns = ["doc_id", "method", "k", "cluster", "recommended"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return out.astype({"doc_id": object, "k": "int64", "cluster": "int64", "recommended": bool})[columns]


def _term_evidence(part: Partition, staging: str, passages: pd.DataFrame, tokens: pd.DataFrame,
                   keyness: pd.DataFrame) -> pd.DataFrame:
    """This partition's passages behind each distinctive (group, term): ``keyness_passages`` rows."""
    content = passages[passages["role"] != "context"].reset_index(drop=True)
    counts, vocab = _load_terms(_terms_path(staging, part))
    mine = keyness[keyness["term"].isin(set(vocab))]
    return term_passages(mine, counts, vocab, content, tokens["group"].to_numpy())


def assign_part(part: Partition, build_dir: str, staging: str, model: dict, fitted: dict) -> dict[str, Any]:
    """Task (pass 3): passage_themes and document_clusters parts; typical candidates; evidence."""
    tokens, counts, tfidf, doc_tfidf, doc_ids = _matrices(part, staging, model)
    uniq, _, inverse = th._unique_rows(tfidf)
    weights = fitted["nmf"].transform(uniq)[inverse] if len(tokens) else np.zeros((0, fitted["nmf"].n_components))
    assigned = th.passage_themes(tokens, weights)
    candidates = assigned.dropna(subset=["typical_rank"])
    passages = read_rows(build_dir, "passages", part, columns=["doc_id", "passage_id", "role", "text"])
    candidates = candidates.merge(passages[["doc_id", "passage_id", "text"]], on=["doc_id", "passage_id"])
    assigned["typical_rank"] = pd.array([pd.NA] * len(assigned), dtype="Int64")  # set once, corpus-wide
    write_parquet_part(build.staged_part(Path(staging), "passage_themes", part.index), assigned)
    write_parquet_part(build.staged_part(Path(staging), "document_clusters", part.index),
                       _document_clusters(doc_ids, doc_tfidf, fitted["clusters"]))
    return {"candidates": candidates, "sizes": assigned[assigned["theme"] >= 0].groupby("theme").size(),
            "evidence": _term_evidence(part, staging, passages, tokens, fitted["keyness"])}


def _typical(candidates: pd.DataFrame, n_typical: int = 5) -> pd.DataFrame:
    """The corpus-wide most typical passages of each theme (as ``themes.passage_themes`` ranks them)."""
    ranked = candidates.sort_values(["theme", "weight", "doc_id", "passage_id"],
                                    ascending=[True, False, True, True], kind="mergesort")
    ranked = ranked.assign(typical_rank=ranked.groupby("theme").cumcount() + 1)
    return ranked[ranked["typical_rank"] <= n_typical].reset_index(drop=True)


def _mark_typical(staging: Path, parts: list[Partition], typical: pd.DataFrame) -> None:
    """Write the corpus-wide typical ranks into the staged passage_themes parts that hold them."""
    for part in parts:
        mine = typical[(typical["doc_id"] >= part.first) & (typical["doc_id"] <= part.last)]
        if mine.empty:
            continue
        path = build.staged_part(staging, "passage_themes", part.index)
        table = pd.read_parquet(path)
        ranks = dict(zip(zip(mine["doc_id"], mine["passage_id"]), mine["typical_rank"]))
        keys = zip(table["doc_id"], table["passage_id"])
        table["typical_rank"] = pd.array([ranks.get(key, pd.NA) for key in keys], dtype="Int64")
        write_parquet_part(path, table)


# --------------------------------------------------------------------------- driver


def _vocabulary(first: list[dict]) -> dict[str, Any]:
    """Global vocabulary (sorted, as CountVectorizer) and idf of passages and of documents."""
    df, doc_df = _add([f["df"] for f in first]), _add([f["doc_df"] for f in first])
    vocab = np.asarray(sorted(df.index), dtype=object)
    rows, docs = sum(f["rows"] for f in first), sum(f["docs"] for f in first)
    return {"vocab": vocab, "vocabulary": {term: i for i, term in enumerate(vocab)},
            "idf": _idf(df.reindex(vocab).to_numpy(), rows), "doc_idf": _idf(doc_df.reindex(vocab).to_numpy(), docs),
            "passage_fraction": min(1.0, THEME_SAMPLE / max(rows, 1)),
            "doc_fraction": min(1.0, CLUSTER_SAMPLE / max(docs, 1))}


def _comparisons(first: list[dict], second: list[dict], vocab: np.ndarray, topics: list[str]) -> dict:
    parts = [f["compare"] for f in first]
    profile = cmp.profiles_from_counts(_add([p["profiles"][0] for p in parts]),
                                       _add([p["profiles"][1] for p in parts]), topics)
    sizes = _add([pd.Series(s["sizes"][1], index=s["sizes"][0]) for s in second])
    labels, tfidf_sums = _add_by_label([s["tfidf"] for s in second])
    similarity = pd.concat([cmp.similarity_topics(profile),
                            cmp.similarity_tfidf_from_sums(tfidf_sums, labels, sizes.reindex(labels).to_numpy())],
                           ignore_index=True)
    both = sum(p["cooccurrence"][0] for p in parts)
    return {"profiles": profile,
            "profiles_by_role": cmp.profiles_by_role_from_counts(_add([p["by_role"][0] for p in parts]),
                                                                 _add([p["by_role"][1] for p in parts]), topics),
            "timeline": cmp.timeline_from_counts(_add([p["timeline"][0] for p in parts]),
                                                 _add([p["timeline"][1] for p in parts]), topics),
            "similarity": similarity,
            "cooccurrence": cmp.cooccurrence_from_counts(both, sum(p["cooccurrence"][1] for p in parts), topics),
            "keyness": _distinctive(first)}


def _distinctive(first: list[dict]) -> pd.DataFrame:
    """The distinctive terms, from the partitions' sums, exactly as in one process."""
    stats = DistinctiveStats.total([f["distinctive"] for f in first])
    return distinctive_from_stats(stats.without_rare_phrases(DISTINCTIVE_DEFAULTS["min_bigram_count"]))


def _fit(second: list[dict], vocab: np.ndarray, k: int) -> tuple[dict, pd.DataFrame]:
    """Themes on the passage sample, space and clusterings on the document sample."""
    passages = sparse.vstack([s["passages"] for s in second]).tocsr()
    uniq, _, _ = th._unique_rows(passages)
    nmf = th.themes_model(uniq, k=k)
    doc_ids = np.concatenate([s["documents"][0] for s in second])
    doc_rows = sparse.vstack([s["documents"][1] for s in second]).tocsr()
    return {"nmf": nmf, "clusters": fit_clusters(doc_ids, doc_rows)}, th.theme_words(nmf, vocab)


def analyze_on_cluster(client: Any, build_dir: str | Path, *, topics: list[str], by: str = "province",
                       k: int = 8, progress: bool = False, partition_docs: int | None = None,
                       timings: dict[str, float] | None = None) -> dict[str, pd.DataFrame]:
    """The analyze stage in three passes over the partitions (see the module docstring); writes
    every table and returns the small ones (the figures are made from them)."""
    build_dir, timings, clock = Path(build_dir), {} if timings is None else timings, time.perf_counter()
    parts = build_partitions(build_dir, n_workers(client), partition_docs)
    staging, cache_dir = build.staging_dir(build_dir, "analyze"), build_dir / (Path(cache_name()).stem + ".cache")
    cache_dir.mkdir(exist_ok=True)
    first = map_tasks(client, features_part, parts, str(build_dir), str(staging), str(cache_dir), by, topics,
                      desc="analyze 1/3 segment", progress=progress)
    model = _vocabulary(first)
    if not len(model["vocab"]):
        raise ValueError("passages: no text outside role 'context'; check the output of `giaoban ingest`")
    for stale in set(p.name for p in cache_dir.glob("*.parquet")) - {f["cache_file"] for f in first}:
        (cache_dir / stale).unlink(missing_ok=True)
    timings["features"], clock = time.perf_counter() - clock, time.perf_counter()
    shared = share(client, model)
    second = map_tasks(client, sums_part, parts, str(staging), shared, desc="analyze 2/3 sums", progress=progress)
    tables = _comparisons(first, second, model["vocab"], topics)
    fitted, words = _fit(second, model["vocab"], k)
    fitted["keyness"] = tables["keyness"][["group", "term"]]
    timings["clustering"], clock = time.perf_counter() - clock, time.perf_counter()
    third = map_tasks(client, assign_part, parts, str(build_dir), str(staging), shared, share(client, fitted),
                      desc="analyze 3/3 assign", progress=progress)
    typical = _typical(pd.concat([t["candidates"] for t in third], ignore_index=True))
    _mark_typical(staging, parts, typical)
    evidence = pd.concat([t["evidence"] for t in third], ignore_index=True)
    tables["keyness_passages"] = evidence.sort_values(["group", "term", "doc_id", "passage_id"], kind="mergesort",
                                                      ignore_index=True)
    tables.update(theme_words=words, cluster_scores=fitted["clusters"]["scores"],
                  themes=th.themes_summary(words, _add([t["sizes"] for t in third]), typical))
    build.write_tables(build_dir, tables)
    build.commit_staged(build_dir, staging, PARTITIONED)
    timings["comparisons"] = time.perf_counter() - clock
    return tables
