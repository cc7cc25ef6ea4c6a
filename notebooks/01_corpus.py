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
# # 01 · What is in the corpus
#
# The ingested documents with their metadata (and where each field was read from), the
# quality of that metadata, and the passages by section role. Build the tables first with
# `giaoban ingest --corpus corpus --build build`; change a value below and re-run all.

# %% tags=["parameters"]
build_dir: str = ""  # build folder (empty: the kit's build/)
role: str = "shortcoming"  # section role whose passages are listed at the end
n_examples: int = 8  # passages listed for that role

# %%
import pandas as pd

from analysis import build, paths
from analysis.corpus.checks import check_list
from analysis.reports import display as rh
from analysis.schema import ROLES, TRACED_FIELDS

BUILD = rh.resolve_path(build_dir, paths.BUILD_DIR)
ROLE = rh.check_choice("role", role, ROLES)
documents = build.read_table(BUILD, "documents")
passages = build.read_table(BUILD, "passages")
print(f"{len(documents)} documents, {len(passages)} passages in {BUILD}")

# %% [markdown]
# ## Documents

# %%
rh.show_table(documents[["doc_id", "title", "doc_type", "province", "province_2025", "date",
                         "period", "signer", "chair", "n_passages", "n_words"]])

# %% [markdown]
# ## Metadata quality
# For each traced field: how many documents got it from the text, from the manifest, or not
# at all — and the words it was read from.

# %%
sources = pd.DataFrame({field: documents[f"{field}_source"].value_counts() for field in TRACED_FIELDS})
rh.show_table(sources.fillna(0).astype(int).rename_axis("source").reset_index(),
              caption="Documents per field and source.")
rh.show_table(documents[["doc_id", *[f"{f}_evidence" for f in TRACED_FIELDS], "source_note"]],
              caption="Evidence of each field.")

# %% [markdown]
# ## Check these
# Documents whose province, date, period or type is unknown or was read from conflicting
# clues (the same list as `check_these.csv` in the build folder and at the end of
# `giaoban ingest`). Fix them with a row in `corpus/manifest.csv` before comparing provinces.

# %%
rh.show_table(check_list(documents), caption="Fields to check, with the reason.")

# %% [markdown]
# ## Passages by role

# %%
by_role = pd.crosstab(passages["doc_id"], passages["role"]).reindex(columns=list(ROLES), fill_value=0)
rh.show_table(by_role.reset_index(), caption="Passages per document and role.")
examples = passages[passages["role"] == ROLE].head(n_examples)
rh.show_table(examples[["doc_id", "passage_id", "section", "text"]], caption=f"First passages with role {ROLE}.")
