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
# # 02 · Topics: codebook, tags, keyword in context, evaluation
#
# The codebook's topics, how many passages each tags, every match of one topic in context,
# and precision/recall/F1 against a gold file. Build the tags first with
# `giaoban tag --build build`; to try your own codebook, set `codebook` below.

# %% tags=["parameters"]
build_dir: str = ""  # build folder (empty: the kit's build/)
codebook: str = ""  # codebook YAML (empty: the kit's default codebook)
topic: str = "thu_chi"  # topic shown in context
gold: str = "tests/data/topics_dev.jsonl"  # gold passages to evaluate against (relative to the repo)

# %%
import pandas as pd

from analysis import build, paths
from analysis.reports import display as rh
from analysis.topics import kwic as kwic_stage
from analysis.topics.codebook import codebook_dict, load_codebook
from analysis.topics.evaluate import evaluate_codebook, read_gold

BUILD = rh.resolve_path(build_dir, paths.BUILD_DIR)
CODEBOOK = load_codebook(rh.resolve_path(codebook, paths.DEFAULT_CODEBOOK))
TOPIC = rh.check_choice("topic", topic, CODEBOOK.ids)
documents, passages, tags = (build.read_table(BUILD, n) for n in ("documents", "passages", "tags"))

# %% [markdown]
# ## The codebook

# %%
entries = codebook_dict(CODEBOOK)["topics"]
rh.show_table(pd.DataFrame([{"id": t["id"], "label_vi": t.get("label_vi", ""), "label_en": t.get("label_en", ""),
                             "include": len(t.get("include", [])), "exclude": len(t.get("exclude", []))}
                            for t in entries]), caption=f"{len(entries)} topics from {CODEBOOK.source}")

# %% [markdown]
# ## Tags per topic

# %%
per_topic = (tags.drop_duplicates(["doc_id", "passage_id", "topic"]).groupby("topic").size()
             .reindex(CODEBOOK.ids, fill_value=0).rename("passages").reset_index())
rh.show_table(per_topic)

# %% [markdown]
# ## Keyword in context

# %%
lines = kwic_stage.kwic(passages, TOPIC, CODEBOOK, documents=documents)
rh.show_table(lines[["doc_id", "province", "role", "left", "match", "right"]],
              caption=f"{len(lines)} matches of {TOPIC}")

# %% [markdown]
# ## Evaluation against the gold passages

# %%
scores, errors = evaluate_codebook(read_gold(rh.resolve_path(gold, paths.REPO_ROOT / "tests/data/topics_dev.jsonl")),
                                   CODEBOOK)
rh.show_table(scores, caption="Precision, recall and F1 per topic (ambiguous passages left out).")
rh.show_table(errors.head(30), caption=f"{len(errors)} false positives / negatives (first 30).")
