"""Figures of the analysis: functions ``plot_*`` take tidy tables and return a matplotlib Figure.

The caller decides where to save (``save_figure`` writes PNG and SVG atomically). One style for
all figures; DejaVu Sans ships with matplotlib and has every Vietnamese diacritic.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI

import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy.cluster.hierarchy import dendrogram, linkage  # noqa: E402
from scipy.spatial.distance import squareform  # noqa: E402

from analysis.io import write_bytes_atomic  # noqa: E402

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "svg.fonttype": "path",  # glyphs as paths: SVGs render the same without the font installed
    "svg.hashsalt": "giaoban",  # deterministic SVG ids
}
# Readable in grey and by colour-blind readers: cividis is perceptually uniform and monotone in
# lightness; role colours are the Okabe–Ito palette, and each role also has its own hatching.
CMAP = "cividis"
ROLE_COLOURS = {"achievement": "#009E73", "shortcoming": "#D55E00", "task": "#0072B2",
                "target": "#E69F00", "proposal": "#CC79A7", "context": "#999999"}
ROLE_HATCHES = {"achievement": "", "shortcoming": "///", "task": "...", "target": "xxx",
                "proposal": "\\\\", "context": "--"}
LINE_STYLES = [("o", "-"), ("s", "--"), ("^", "-."), ("D", ":"), ("v", "-"), ("P", "--"), ("X", "-.")]


def _figure(width: float, height: float) -> tuple[Figure, plt.Axes]:
    with plt.rc_context(STYLE):
        fig = Figure(figsize=(width, height))
        return fig, fig.add_subplot()


def plot_heatmap(profile: pd.DataFrame, value: str = "share", title: str = "Topic share by province",
                 topic_labels: dict[str, str] | None = None, small_note: str = "* small n") -> Figure:
    """Group × topic heatmap of ``value``; small-n groups are marked with an asterisk."""
    wide = profile.pivot(index="group", columns="topic", values=value)
    wide = wide[list(dict.fromkeys(profile["topic"]))].sort_index()
    wide.columns = [(topic_labels or {}).get(t, t) for t in wide.columns]
    small = profile.groupby("group")["small_n"].any().reindex(wide.index)
    with plt.rc_context(STYLE):
        fig, ax = _figure(1.2 + 0.9 * wide.shape[1], 1.2 + 0.4 * wide.shape[0])
        image = ax.imshow(wide.to_numpy(dtype=float), cmap=CMAP, aspect="auto")
        ax.set_xticks(range(wide.shape[1]), wide.columns, rotation=40, ha="right")
        ax.set_yticks(range(wide.shape[0]), [f"{g}{' *' if s else ''}" for g, s in zip(wide.index, small)])
        values = wide.to_numpy(dtype=float)
        top = np.nanmax(values) if np.isfinite(values).any() else 1  # dark cells get white text
        for (i, j), v in np.ndenumerate(values):
            ax.text(j, i, "–" if np.isnan(v) else f"{v:.0%}" if value == "share" else f"{v:.2g}",
                    ha="center", va="center", fontsize=7, color="black" if v > 0.55 * top else "white")
        fig.colorbar(image, ax=ax, shrink=0.8)
        ax.set_title(title + (f"\n{small_note}" if small.any() else ""))
    return fig


def plot_role_shares(by_role: pd.DataFrame, topic: str | None = None,
                     title: str = "Where each province reports a topic", role_names: dict[str, str] | None = None,
                     xlabel: str = "share of the topic's passages", topic_label: str | None = None) -> Figure:
    """Stacked bars per group: how the topic's passages split across section roles."""
    data = by_role if topic is None else by_role[by_role["topic"] == topic]
    wide = data.groupby(["group", "role"])["n_topic"].sum().unstack(fill_value=0)
    roles = [r for r in ROLE_COLOURS if r in wide.columns]
    shares = wide[roles].div(wide[roles].sum(axis=1).replace(0, np.nan), axis=0).fillna(0).sort_index()
    with plt.rc_context(STYLE):
        fig, ax = _figure(7, 1.2 + 0.4 * len(shares))
        left = np.zeros(len(shares))
        for role in roles:
            ax.barh(shares.index, shares[role], left=left, color=ROLE_COLOURS[role],
                    label=(role_names or {}).get(role, role),
                    hatch=ROLE_HATCHES[role], edgecolor="white")
            left += shares[role].to_numpy()
        for y, n in enumerate(wide[roles].sum(axis=1).reindex(shares.index)):
            ax.text(1.01, y, f"n={n}", va="center", fontsize=7, transform=ax.get_yaxis_transform())
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel(xlabel)
        ax.legend(ncol=min(len(roles), 3), loc="upper center", bbox_to_anchor=(0.5, -0.25), frameon=False)
        ax.set_title(f"{title}: {topic_label or topic or 'all topics'}")
    return fig


def plot_profile_against_others(profile: pd.DataFrame, group: str, topics: list[str] | None = None, *,
                                topic_labels: dict[str, str] | None = None,
                                role_names: dict[str, str] | None = None,
                                others_title: str = "Average of the other provinces",
                                xlabel: str = "share of the role's passages") -> Figure:
    """Two bar panels: the group's topic shares by role, and the mean of the other groups.

    ``profile`` is ``compare.profile_against_others`` output (columns topic, role, share, others);
    ``topic_labels`` and ``role_names`` give the words the reader sees.
    """
    topics = topics or list(dict.fromkeys(profile["topic"]))
    topic_labels, role_names = topic_labels or {}, role_names or {}
    panels = {group: "share", others_title: "others"}
    with plt.rc_context(STYLE):
        fig = Figure(figsize=(11, 1.6 + 0.5 * len(topics)))
        axes = fig.subplots(1, 2, sharey=True)
        for ax, (title, column) in zip(axes, panels.items()):
            wide = profile.pivot_table(index="topic", columns="role", values=column, sort=False).reindex(topics)
            roles = [r for r in ROLE_COLOURS if r in wide.columns]
            height = 0.8 / max(len(roles), 1)
            for i, role in enumerate(roles):
                ax.barh(np.arange(len(topics)) + (i - (len(roles) - 1) / 2) * height, wide[role].fillna(0),
                        height=height, color=ROLE_COLOURS[role], hatch=ROLE_HATCHES[role], edgecolor="white",
                        label=role_names.get(role, role))
            ax.set_yticks(range(len(topics)), [topic_labels.get(t, t) for t in topics])
            ax.invert_yaxis()
            ax.set_title(title)
            ax.set_xlabel(xlabel)
            ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        axes[1].legend(fontsize=8, loc="lower right")
        fig.tight_layout()
    return fig


def plot_timeline(timeline: pd.DataFrame, topic: str, title: str = "Topic share over time",
                  ylabel: str = "share of passages", topic_label: str | None = None) -> Figure:
    """Share of passages on ``topic`` by period start, one line per group, with Wilson intervals."""
    data = timeline[(timeline["topic"] == topic) & timeline["period_start"].notna()]
    with plt.rc_context(STYLE):
        fig, ax = _figure(7, 3.6)
        for i, (group, rows) in enumerate(data.groupby("group", sort=True)):
            rows = rows.sort_values("period_start")
            spread = np.clip(np.vstack([rows["share"] - rows["ci_low"], rows["ci_high"] - rows["share"]]), 0, None)
            marker, line = LINE_STYLES[i % len(LINE_STYLES)]  # told apart without colour too
            ax.errorbar(rows["period_start"], rows["share"], yerr=spread, marker=marker, linestyle=line,
                        capsize=3, elinewidth=0.8, alpha=0.9, label=group)
        ax.set_ylabel(ylabel)
        ax.set_title(f"{title}: {topic_label or topic}")
        if len(data):
            ax.legend(fontsize=7, ncol=2, frameon=False)
        fig.autofmt_xdate()
    return fig


def plot_dendrogram(similarity: pd.DataFrame, basis: str = "topics",
                    title: str = "Province similarity", xlabel: str = "cosine distance",
                    show_basis: bool = True) -> Figure:
    """Average-linkage dendrogram on cosine distance (1 - cosine) between groups."""
    data = similarity[similarity["basis"] == basis]
    wide = data.pivot(index="group_a", columns="group_b", values="cosine").sort_index().sort_index(axis=1)
    dist = np.clip(1 - wide.to_numpy(dtype=float), 0, None)
    np.fill_diagonal(dist, 0)
    with plt.rc_context(STYLE):
        fig, ax = _figure(7, 1.2 + 0.35 * max(len(wide), 2))
        if len(wide) >= 2:
            tree = linkage(squareform((dist + dist.T) / 2, checks=False), method="average")
            dendrogram(tree, labels=list(wide.index), orientation="right", ax=ax, color_threshold=0)
        ax.set_xlabel(xlabel)
        ax.set_title(f"{title} ({basis})" if show_basis else title)
    return fig


def plot_keyness(keyness: pd.DataFrame, group: str, n: int = 15, title: str = "Distinctive terms",
                 xlabel: str = "log-likelihood G²") -> Figure:
    """Horizontal bars of G² for the top ``n`` terms of ``group``, annotated with the log ratio."""
    data = keyness[keyness["group"] == group].sort_values("rank").head(n)
    with plt.rc_context(STYLE):
        fig, ax = _figure(6, 1.2 + 0.3 * max(len(data), 1))
        ax.barh(data["term"].str.replace("_", " "), data["g2"], color="#0072B2")
        for y, (g2, lr) in enumerate(zip(data["g2"], data["log_ratio"])):
            ax.text(g2, y, f"  LR {lr:.1f}", va="center", fontsize=7)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.set_title(f"{title}: {group}")
    return fig


def plot_theme_words(themes: pd.DataFrame, n: int = 8, title: str = "Themes (NMF top words)") -> Figure:
    """One small bar chart per theme with its top ``n`` words."""
    ids = sorted(themes["theme"].unique())
    cols = min(4, max(len(ids), 1))
    rows = int(np.ceil(len(ids) / cols)) or 1
    with plt.rc_context(STYLE):
        fig = Figure(figsize=(3.2 * cols, 2.4 * rows))
        for i, theme in enumerate(ids):
            ax = fig.add_subplot(rows, cols, i + 1)
            data = themes[themes["theme"] == theme].sort_values("rank").head(n)
            ax.barh(data["word"].str.replace("_", " "), data["weight"], color="#41b6c4")
            ax.invert_yaxis()
            ax.set_title(f"theme {theme}", fontsize=9)
            ax.tick_params(axis="x", labelsize=6)
        fig.suptitle(title, fontweight="bold")
        fig.tight_layout()
    return fig


def save_figure(fig: Figure, folder: str | Path, name: str) -> list[Path]:
    """Write ``name``.png and ``name``.svg into ``folder`` atomically; returns both paths."""
    written = []
    for fmt in ("png", "svg"):
        buffer = io.BytesIO()
        with plt.rc_context(STYLE):
            fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
        written.append(write_bytes_atomic(Path(folder) / f"{name}.{fmt}", buffer.getvalue()))
    return written
