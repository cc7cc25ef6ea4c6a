"""``giaoban analyze``: build tables -> themes, clusters, comparisons, keyness, indicators, figures.

``analyze_tables`` is pure (DataFrames in, dict of DataFrames out) so notebooks can call it;
the command only reads the build folder and writes tables and figures.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd
import typer

from analysis import paths

OUTPUTS = ("themes", "theme_words", "passage_themes", "document_clusters", "cluster_scores", "profiles",
           "profiles_by_role", "keyness", "similarity", "timeline", "cooccurrence", "indicators")


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


def _comparisons(documents, passages, tags, seg, counts, vocab, tfidf, by: str) -> dict[str, pd.DataFrame]:
    from analysis.compare import profiles as cmp
    from analysis.compare.keyness import keyness_by_group, keyness_evidence

    topics = cmp.topic_ids(tags=tags)
    args = dict(by=by, topics=topics)
    profile = cmp.profiles(documents, passages, tags, **args)
    groups = cmp.passage_groups(documents, seg, by, include_context=True)["group"].to_numpy()
    key = keyness_evidence(keyness_by_group(counts, vocab, groups), counts, vocab, seg, groups)
    similarity = pd.concat([cmp.similarity_topics(profile), cmp.similarity_tfidf(tfidf, groups)],
                           ignore_index=True)
    return {"profiles": profile, "profiles_by_role": cmp.profiles_by_role(documents, passages, tags, **args),
            "timeline": cmp.timeline(documents, passages, tags, **args), "keyness": key,
            "similarity": similarity, "cooccurrence": cmp.cooccurrence(passages, tags, topics=topics)}


def analyze_tables(documents: pd.DataFrame, passages: pd.DataFrame, tags: pd.DataFrame, *,
                   by: str = "province", k: int = 8, progress: bool = False,
                   timings: dict[str, float] | None = None,
                   segment_cache: Mapping[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """Every analysis table from the three pipeline tables (context passages left out of features).

    ``segment_cache`` maps text keys to raw segmenter output (``features.raw_segments``).
    """
    from analysis.compare.indicators import indicators_extract

    timings = {} if timings is None else timings
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        timings[name] = time.perf_counter() - clock
        clock = time.perf_counter()

    content = passages[passages["role"] != "context"].reset_index(drop=True)
    if not content["text"].fillna("").str.contains(r"\w", regex=True).any():
        raise ValueError("passages: no text outside role 'context'; check the output of `giaoban ingest`")
    seg, counts, vocab, tfidf = _features(content, progress, segment_cache)
    lap("features")
    out = {**_themes(seg, tfidf, vocab, k), **_clusters(seg, counts, k)}
    lap("clustering")
    out.update(_comparisons(documents, passages, tags, seg, counts, vocab, tfidf, by))
    lap("comparisons")
    out["indicators"] = indicators_extract(passages)
    lap("indicators")
    return {name: out[name].reset_index(drop=True) for name in OUTPUTS}


def analyze_figures(tables: dict[str, pd.DataFrame], topics: list[str] | None = None) -> Iterator[tuple[str, object]]:
    """(name, Figure) pairs for the standard figures, made one at a time."""
    from analysis import figures as fg
    from analysis.schema import CORE_TOPICS
    from analysis.text.fold import slug

    topics = list(topics or CORE_TOPICS)
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


def _read(build: Path, name: str, stage: str) -> pd.DataFrame:
    path = paths.build_file(build, name)
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run `giaoban {stage} --build {build}` first")
    return pd.read_parquet(path)


def _segment_cache(build: Path, passages: pd.DataFrame, progress: bool) -> dict[str, str]:
    """Raw segmentation of the content passages, reusing and refreshing the cache in ``build``."""
    from analysis.compare.features import cache_name, raw_segments
    from analysis.io import write_parquet_atomic

    path = paths.build_file(build, cache_name())
    old = pd.read_parquet(path) if path.is_file() else pd.DataFrame({"key": [], "words": []})
    cache = dict(zip(old["key"], old["words"]))
    texts = passages.loc[passages["role"] != "context", "text"].fillna("")
    raw = raw_segments(texts, cache=cache, progress=progress)
    if set(raw) - set(cache):
        merged = {**cache, **raw}
        keys = sorted(merged)
        write_parquet_atomic(path, pd.DataFrame({"key": keys, "words": [merged[k] for k in keys]}))
    return raw


def analyze_command(
    build: Path = typer.Option(paths.BUILD_DIR, "--build", help="Build folder with documents, passages and tags."),
    figures: Path = typer.Option(paths.FIGURES_DIR, "--figures", help="Folder for PNG and SVG figures."),
    k: int = typer.Option(8, "--k", min=1, help="Number of passage themes (NMF components)."),
    by: str = typer.Option("province", "--by", help="Group documents by 'province' or 'province_2025'."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bars."),
) -> None:
    """Themes, clusters, province comparisons, keyness, indicators and figures from a build folder."""
    from analysis.compare.profiles import GROUPINGS
    from analysis.figures import save_figure
    from analysis.io import write_parquet_atomic

    if by not in GROUPINGS:
        typer.echo(f"error: --by {by!r}: choose one of {', '.join(GROUPINGS)}", err=True)
        raise typer.Exit(2)
    try:
        frames = [_read(build, paths.DOCUMENTS_FILE, "ingest"), _read(build, paths.PASSAGES_FILE, "ingest"),
                  _read(build, paths.TAGS_FILE, "tag")]
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    started, timings = time.perf_counter(), {}
    raw = _segment_cache(build, frames[1], progress)
    timings["segmentation"] = time.perf_counter() - started
    try:
        tables = analyze_tables(*frames, by=by, k=k, progress=progress, timings=timings, segment_cache=raw)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    for name, table in tables.items():
        write_parquet_atomic(paths.build_file(build, f"{name}.parquet"), table)
    n_figures = 0
    for name, fig in analyze_figures(tables):
        save_figure(fig, figures, name)
        n_figures += 1
    timings["figures"] = time.perf_counter() - started - sum(timings.values())
    steps = ", ".join(f"{name} {sec:.1f} s" for name, sec in timings.items())
    typer.echo(f"{len(tables)} tables -> {build}; {n_figures} figures (PNG+SVG) -> {figures}; "
               f"{time.perf_counter() - started:.1f} s ({steps})")


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_command)
