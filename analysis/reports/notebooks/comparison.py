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
# # Province comparison
#
# Several provinces side by side: how much of their notices each topic takes, in which
# part of the notices (achievements, shortcomings, tasks ...), how similar the provinces
# are, how topics move over time, and the indicators they report.
# Rendered with `giaoban render comparison` (all provinces) or `--provinces A --provinces B`.

# %% tags=["parameters"]
provinces: list = []  # provinces to compare (empty: every province of the corpus)
topics: list = []  # topic ids shown (empty: the core topics, or every topic of a codebook without them)
by: str = "province"  # group by the pre-2025 "province" or the merged "province_2025"
build_dir: str = ""  # build folder of the analysed corpus (empty: the kit's build/)
codebook: str = ""  # codebook YAML (empty: the kit's default codebook)

# %%
# Derived values (papermill injects parameters after the cell above).
import pandas as pd
from IPython.display import Markdown, display

from analysis import figures
from analysis.compare import profiles as compare
from analysis.reports import display as rh
from analysis.reports import views
from analysis.text.fold import canonical_name

start = rh.start_report(build_dir, codebook)
clock, BUILD, CODEBOOK, tables = start.clock, start.build, start.codebook, start.tables
BY = rh.check_choice("grouping", by, compare.GROUPINGS)
all_documents, passages, tags = tables["documents"], tables["passages"], tables["tags"]
documents = all_documents.assign(**{BY: all_documents[BY].fillna("").map(canonical_name)})
VALID = sorted(set(documents[BY]) - {""})
PROVINCES = rh.check_choices(BY, provinces, VALID) if provinces else VALID
TOPICS = rh.check_choices("topic", topics or rh.default_topics(start.topics), start.topics)
documents = documents[documents[BY].isin(PROVINCES)]
display(Markdown(f"**{len(PROVINCES)} groups** ({rh.escape(', '.join(PROVINCES))}), "
                 f"{len(documents)} documents; grouped by `{BY}`."))

# %% [markdown]
# ## Topic profiles
# Share of each group's passages (role `context` left out) that carry the topic, with a 95%
# Wilson interval; `small_n` groups have too few passages to be ranked.

# %%
profile = compare.profiles(documents, passages, tags, by=BY, topics=TOPICS)
rh.show_table(profile[["group", "topic", "n_docs", "n_passages", "n_topic", "share", "ci_low",
                       "ci_high", "per_1000_words", "small_n", "rank"]])
rh.show_figure(figures.plot_heatmap(profile, title=f"Topic share by {BY}"))

# %% [markdown]
# ## Role split
# Of each group's passages on a topic, the share in each role: does a province report the
# topic as an achievement, a shortcoming or a task?

# %%
by_role = compare.profiles_by_role(documents, passages, tags, by=BY, topics=TOPICS)
split = by_role.pivot_table(index=["group", "topic"], columns="role", values="n_topic", aggfunc="sum",
                            sort=False).fillna(0).astype(int)
rh.show_table(split.reset_index(), caption="Passages per group, topic and role.")
for topic in TOPICS:
    rh.show_figure(figures.plot_role_shares(by_role, topic))

# %% [markdown]
# ## Similarity
# Cosine similarity of the groups' topic-share vectors (and, when `giaoban analyze` grouped
# the same way, of the centroids of their passages' TF-IDF vectors).

# %%
similarity = compare.similarity_topics(profile)
matrix = similarity.pivot(index="group_a", columns="group_b", values="cosine")
rh.show_table(matrix.reset_index().rename(columns={"group_a": "group"}))
rh.show_figure(figures.plot_dendrogram(similarity, "topics"))
tfidf = tables.get("similarity", pd.DataFrame(columns=["basis", "group_a", "group_b"]))
tfidf = tfidf[(tfidf["basis"] == "tfidf") & tfidf["group_a"].isin(PROVINCES) & tfidf["group_b"].isin(PROVINCES)]
if tfidf["group_a"].nunique() == len(PROVINCES) > 1:
    rh.show_figure(figures.plot_dendrogram(tfidf, "tfidf"))

# %% [markdown]
# ## Timeline
# Topic share per period (periods each group has documents for).

# %%
timeline = compare.timeline(documents, passages, tags, by=BY, topics=TOPICS)
rh.show_table(timeline[["group", "period", "topic", "n_passages", "n_topic", "share", "small_n"]])
for topic in TOPICS:
    rh.show_figure(figures.plot_timeline(timeline, topic))

# %% [markdown]
# ## Indicators
# Numbers the notices state, by group, each with the words it was read from.

# %%
indicators = views.province_indicators(tables, documents)
indicators = indicators.merge(documents[["doc_id", BY]].rename(columns={BY: "group"}), on="doc_id")
rh.show_table(indicators[["group", "doc_id", "kind", "subject", "value", "unit", "comparator",
                          "of_total", "evidence"]], caption=f"{len(indicators)} indicator(s).")

# %% [markdown]
# ## Provenance

# %%
rh.show_table(rh.provenance(clock, {"provinces": provinces, "topics": topics, "by": by,
                                    "build_dir": str(BUILD), "codebook": str(CODEBOOK)},
                            all_documents, CODEBOOK))
