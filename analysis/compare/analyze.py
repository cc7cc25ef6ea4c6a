"""The analyze stage: documents, passages and tags -> themes, clusters, comparisons, keyness,
indicators and figures.

``analyze`` is the stage itself (DataFrames in, dict of DataFrames out), ``analyze_figures`` makes
the standard figures from its tables, and ``analyze_build`` is its edge on a build folder: it
reads the tables, keeps the segmentation cache, writes tables and figures and records itself in
the build manifest. The topics are those of the codebook the tags were made with.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import build

MAX_FIGURE_TOPICS = 8
OUTPUTS = ("themes", "theme_words", "passage_themes", "document_clusters", "cluster_scores", "profiles",
           "profiles_by_role", "keyness", "keyness_passages", "similarity", "timeline", "cooccurrence",
           "indicators")


def _features(passages: pd.DataFrame, progress: bool, cache):
    from analysis.compare.features import count_matrix, passages_segment, tfidf_matrix

    seg = passages_segment(passages, progress=progress, cache=cache).reset_index(drop=True)
    counts, vocab = count_matrix(seg["tokens"])
    return seg, counts, vocab, tfidf_matrix(counts)


def _clusters(seg, counts, k: int) -> dict[str, pd.DataFrame]:
    from analysis.compare import themes as th
    from analysis.compare.features import group_sum, tfidf_matrix

    doc_counts, doc_ids = group_sum(counts, seg["doc_id"])
    space = th.document_space(tfidf_matrix(doc_counts))
    scores, labels = th.documents_cluster(list(doc_ids), space)
    chosen = set(zip(scores.loc[scores["recommended"], "method"], scores.loc[scores["recommended"], "k"]))
    labels = labels.assign(recommended=[(m, kk) in chosen for m, kk in zip(labels["method"], labels["k"])])
    labels = labels.sort_values(["method", "k", "doc_id"], kind="mergesort").reset_index(drop=True)
    return {"cluster_scores": scores, "document_clusters": labels}


def _themes(seg, tfidf, vocab, k: int) -> dict[str, pd.DataFrame]:
    from analysis.compare import themes as th

    words, weights = th.themes_fit(tfidf, vocab, k=k)
    assigned = th.passage_themes(seg, weights)
    return {"theme_words": words, "passage_themes": assigned,
            "themes": th.themes_typical(words, assigned, seg)}


def _comparisons(documents, passages, tags, seg, tfidf, raw, by: str,
                 topics: list[str]) -> dict[str, pd.DataFrame]:
    from analysis.compare import profiles as cmp
    from analysis.compare.keyness import distinctive_terms

    args = dict(by=by, topics=topics)
    profile = cmp.profiles(documents, passages, tags, **args)
    groups = cmp.passage_groups(documents, seg, by, include_context=True)["group"].to_numpy()
    similarity = pd.concat([cmp.similarity_topics(profile), cmp.similarity_tfidf(tfidf, groups)],
                           ignore_index=True)
    return {"profiles": profile, "profiles_by_role": cmp.profiles_by_role(documents, passages, tags, **args),
            "timeline": cmp.timeline(documents, passages, tags, **args),
            **distinctive_terms(documents, passages, raw, by=by),
            "similarity": similarity, "cooccurrence": cmp.cooccurrence(passages, tags, topics=topics)}


def analyze(documents: pd.DataFrame, passages: pd.DataFrame, tags: pd.DataFrame, *,
            topics: list[str], by: str = "province", k: int = 8, progress: bool = False,
            timings: dict[str, float] | None = None,
            segment_cache: Mapping[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """Every analysis table from the three pipeline tables (context passages left out of features).

    ``topics``: the topic ids of the codebook the tags were made with (codebook order); topics of
    ``tags`` outside it are left out. ``segment_cache`` maps text keys to raw segmenter output
    (``features.raw_segments``).
    """
    from analysis.compare.features import raw_segments
    from analysis.compare.indicators import indicators_extract
    from analysis.compare.profiles import GROUPINGS

    if by not in GROUPINGS:
        raise ValueError(f"--by {by!r}: choose one of {', '.join(GROUPINGS)}")
    timings = {} if timings is None else timings
    clock = time.perf_counter()
    tags = tags[tags["topic"].isin(topics)]

    def lap(name: str) -> None:
        nonlocal clock
        timings[name] = time.perf_counter() - clock
        clock = time.perf_counter()

    content = passages[passages["role"] != "context"].reset_index(drop=True)
    if not content["text"].fillna("").str.contains(r"\w", regex=True).any():
        raise ValueError("passages: no text outside role 'context'; check the output of `giaoban ingest`")
    raw = raw_segments(content["text"].fillna(""), cache=segment_cache, progress=progress)
    seg, counts, vocab, tfidf = _features(content, progress, raw)
    lap("features")
    out = {**_themes(seg, tfidf, vocab, k), **_clusters(seg, counts, k)}
    lap("clustering")
    out.update(_comparisons(documents, passages, tags, seg, tfidf, raw, by, list(topics)))
    lap("comparisons")
    out["indicators"] = indicators_extract(passages)
    lap("indicators")
    return {name: out[name].reset_index(drop=True) for name in OUTPUTS}


def figure_topics(tables: dict[str, pd.DataFrame], topics: list[str], limit: int = MAX_FIGURE_TOPICS) -> list[str]:
    """Topics that get their own role and timeline figures: the first ``limit`` of ``topics``
    (codebook order) that occur in the profiles."""
    present = set(tables["profiles"].loc[tables["profiles"]["n_topic"] > 0, "topic"])
    return [t for t in topics if t in present][:limit]


def analyze_figures(tables: dict[str, pd.DataFrame], topics: list[str]) -> Iterator[tuple[str, object]]:
    """(name, Figure) pairs for the standard figures, made one at a time; ``topics`` get a role
    and a timeline figure each."""
    from analysis import figures as fg
    from analysis.text.fold import slug

    yield "heatmap_share", fg.plot_heatmap(tables["profiles"])
    yield "heatmap_per_1000_words", fg.plot_heatmap(tables["profiles"], "per_1000_words",
                                                    "Topic mentions per 1,000 words")
    for topic in topics:
        yield f"roles_{topic}", fg.plot_role_shares(tables["profiles_by_role"], topic)
        yield f"timeline_{topic}", fg.plot_timeline(tables["timeline"], topic)
    for basis in ("topics", "tfidf"):
        yield f"dendrogram_{basis}", fg.plot_dendrogram(tables["similarity"], basis)
    for group in sorted(tables["keyness"]["group"].unique()):
        yield f"keyness_{slug(group, sep='_')}", fg.plot_keyness(tables["keyness"], group)
    yield "themes", fg.plot_theme_words(tables["theme_words"])


def segment_cache(build_dir: Path, passages: pd.DataFrame, progress: bool) -> dict[str, str]:
    """Raw segmentation of the content passages, reusing and refreshing the cache in ``build_dir``.

    A cache file that cannot be read is discarded (and rebuilt) with a warning: it only saves time.
    """
    import warnings

    from analysis.compare.features import cache_name, raw_segments
    from analysis.io import write_parquet_atomic

    path = Path(build_dir) / cache_name()
    old = pd.DataFrame({"key": [], "words": []})
    if path.is_file():
        try:
            old = pd.read_parquet(path, columns=["key", "words"])
        except Exception as exc:  # noqa: BLE001 -- any damage: rebuild
            warnings.warn(f"{path} is corrupt ({type(exc).__name__}); segmenting again", stacklevel=2)
    cache = dict(zip(old["key"], old["words"]))
    texts = passages.loc[passages["role"] != "context", "text"].fillna("")
    raw = raw_segments(texts, cache=cache, progress=progress)
    if set(raw) - set(cache):
        merged = {**cache, **raw}
        keys = sorted(merged)
        write_parquet_atomic(path, pd.DataFrame({"key": keys, "words": [merged[k] for k in keys]}))
    return raw


def build_topics(build_dir: Path, codebook=None) -> list[str]:
    """The topics to analyse: those the build's tags were made with; a ``codebook`` given here
    must be that one (else the tables would mix two codebooks)."""
    record = build.stage_record(build_dir, "tag")
    made_with = record.get("codebook", {})
    if codebook is not None and made_with and made_with.get("hash") != codebook.hash:
        raise ValueError(f"the tags in {build_dir} were made with codebook {made_with.get('source')} "
                         f"({made_with.get('hash')}), not {Path(codebook.source).name} ({codebook.hash}); "
                         f"run `giaoban tag --build {build_dir} --codebook {codebook.source}` first")
    topics = build.tagged_topics(build_dir)
    if topics is None:
        from analysis.topics.codebook import load_codebook

        topics = (codebook or load_codebook()).ids
    return topics


@dataclass
class AnalyzeResult:
    """What ``analyze_build`` made: the tables, the figure files and the time of each step."""

    tables: dict[str, pd.DataFrame]
    figures: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def analyze_build(build_dir: str | Path, figures_dir: str | Path, *, codebook=None, by: str = "province",
                  k: int = 8, progress: bool = False, client=None,
                  partition_docs: int | None = None) -> AnalyzeResult:
    """Run :func:`analyze` on a build folder; write its tables, figures and manifest record.

    With a Dask ``client`` the stage runs in passes over document partitions
    (``analysis.scale.analyze``); ``tables`` then holds the tables that are not partitioned."""
    import matplotlib.pyplot as plt

    from analysis.compare.keyness import DISTINCTIVE_DEFAULTS
    from analysis.compare.profiles import GROUPINGS
    from analysis.figures import save_figure

    if by not in GROUPINGS:  # before any work: a typo must not cost a run
        raise ValueError(f"--by {by!r}: choose one of {', '.join(GROUPINGS)}")
    build_dir = Path(build_dir)
    topics = build_topics(build_dir, codebook)
    started, timings = time.perf_counter(), {}
    if client is not None:
        from analysis.scale.analyze import analyze_on_cluster

        build.read_tables(build_dir, ["documents"])  # a missing build fails here, in one line
        tables = analyze_on_cluster(client, build_dir, topics=topics, by=by, k=k, progress=progress,
                                    partition_docs=partition_docs, timings=timings)
    else:
        frames = build.read_tables(build_dir, ["documents", "passages", "tags"])
        raw = segment_cache(build_dir, frames["passages"], progress)
        timings["segmentation"] = time.perf_counter() - started
        tables = analyze(frames["documents"], frames["passages"], frames["tags"], topics=topics, by=by, k=k,
                         progress=progress, timings=timings, segment_cache=raw)
        build.write_tables(build_dir, tables)
    written = []
    for name, fig in analyze_figures(tables, figure_topics(tables, topics)):
        written.extend(save_figure(fig, figures_dir, name))
        plt.close(fig)
    timings["figures"] = time.perf_counter() - started - sum(timings.values())
    build.record_stage(build_dir, "analyze", inputs=("documents", "passages", "tags"), outputs=OUTPUTS,
                       parameters={"by": by, "k": k, "topics": topics, "keyness": DISTINCTIVE_DEFAULTS})
    return AnalyzeResult(tables, written, timings)
