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
# # 04 · Comparing provinces
#
# Topic profiles with honest denominators (every province × topic, Wilson intervals, small-n
# flags), the role split, similarity, change over time, distinctive terms and indicators.
# Tables from `giaoban analyze --build build`; change `province` or `topic` and re-run all.

# %% tags=["parameters"]
build_dir: str = ""  # build folder (empty: the kit's build/)
province: str = "Hà Nội"  # province whose distinctive terms and indicators are shown
topic: str = "thu_chi"  # topic for the role split and timeline

# %%

from analysis import build, figures, paths
from analysis.reports import display as rh
from analysis.reports import jobs, views

BUILD = rh.resolve_path(build_dir, paths.BUILD_DIR)
tables = build.read_build(BUILD)
PROVINCE = rh.check_choice("province", province, jobs.corpus_provinces(BUILD))
TOPIC = rh.check_choice("topic", topic, tables["profiles"]["topic"])

# %% [markdown]
# ## Profiles

# %%
profiles = tables["profiles"]
rh.show_table(profiles[profiles["topic"] == TOPIC])
rh.show_figure(figures.plot_heatmap(profiles))

# %% [markdown]
# ## Where each province reports the topic

# %%
by_role = tables["profiles_by_role"]
rh.show_table(by_role[(by_role["topic"] == TOPIC) & (by_role["n_topic"] > 0)])
rh.show_figure(figures.plot_role_shares(by_role, TOPIC))

# %% [markdown]
# ## Similarity and timeline

# %%
rh.show_figure(figures.plot_dendrogram(tables["similarity"], "topics"))
rh.show_figure(figures.plot_timeline(tables["timeline"], TOPIC))

# %% [markdown]
# ## Distinctive terms and indicators of one province

# %%
keyness = tables["keyness"]
rh.show_table(keyness[keyness["group"] == PROVINCE].drop(columns=["group"]).head(15))
rh.show_figure(figures.plot_keyness(keyness, PROVINCE))
documents = tables["documents"]
indicators = views.indicators(tables, documents[documents["province"] == PROVINCE]).table
rh.show_table(indicators[["doc_id", "kind", "subject", "value", "unit", "comparator", "evidence"]])
