# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (giaoban)
#     language: python
#     name: giaoban
# ---

# %% [markdown]
# # 03 · Themes and document clusters
#
# Passage themes (NMF on TF-IDF of segmented words) with their top words and most typical
# passages, and document clusters with silhouette scores. Written by
# `giaoban analyze --build build`; re-run it with `--k` to change the number of themes.

# %% tags=["parameters"]
build_dir: str = ""  # build folder (empty: the kit's build/)
theme: int = 0  # theme whose passages are listed

# %%

from analysis import build, figures, paths
from analysis.reports import display as rh

BUILD = rh.resolve_path(build_dir, paths.BUILD_DIR)
themes = build.read_table(BUILD, "themes")
theme_words = build.read_table(BUILD, "theme_words")
passage_themes = build.read_table(BUILD, "passage_themes")
scores = build.read_table(BUILD, "cluster_scores")
clusters = build.read_table(BUILD, "document_clusters")
passages = build.read_table(BUILD, "passages")
THEME = int(rh.check_choice("theme", str(theme), themes["theme"].astype(str)))

# %% [markdown]
# ## Themes

# %%
rh.show_table(themes[["theme", "label", "n_passages", "top_words"]])
rh.show_figure(figures.plot_theme_words(theme_words))

# %% [markdown]
# ## Passages of one theme

# %%
mine = passage_themes[passage_themes["theme"] == THEME]
rows = mine.merge(passages[["doc_id", "passage_id", "role", "text"]], on=["doc_id", "passage_id"])
rh.show_table(rows.drop(columns=[c for c in rows.columns if c in ("tokens",)]).head(15),
              caption=f"Theme {THEME}: {len(rows)} passages (first 15).")

# %% [markdown]
# ## Document clusters

# %%
rh.show_table(scores, caption="Silhouette score per method and k; `recommended` marks the chosen k.")
rh.show_table(clusters[clusters["recommended"]], caption="Documents in the recommended clustering.")
