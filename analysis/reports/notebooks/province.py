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
# # Province report
#
# One province's notices: its documents, how often each topic comes up in each part of
# the notices (achievements, shortcomings, tasks ...) against the average of the other
# provinces, its distinctive terms and its numeric indicators. Every number is followed by
# the passages it was counted from, so a reader can check the evidence.
# Rendered with `giaoban render province --province "Lào Cai"`.

# %% tags=["parameters"]
province: str = "Lào Cai"  # province to report on (pre-2025 name, as in the corpus)
topics: list = ["gdpt2018", "chuyen_doi_so", "thu_chi", "pho_cap"]  # topic ids shown
period_from: str = ""  # first period included, e.g. "2022" or "2022-Q3" (empty: from the start)
period_to: str = ""  # last period included, e.g. "2023-Q4" (empty: up to the latest)
build_dir: str = ""  # build folder of the analysed corpus (empty: the kit's build/)
codebook: str = ""  # codebook YAML (empty: the kit's default codebook)

# %%
# Derived values (papermill injects parameters after the cell above).
from IPython.display import Markdown, display

from analysis import figures
from analysis.compare import profiles as compare
from analysis.reports import runner as reports
from analysis.reports import display as rh

start = rh.start_report(build_dir, codebook)
clock, BUILD, CODEBOOK, tables = start.clock, start.build, start.codebook, start.tables
all_documents, passages, tags = tables["documents"], tables["passages"], tables["tags"]
PROVINCE = rh.check_choice("province", province, all_documents["province"].dropna().map(rh.nfc).loc[lambda s: s != ""])
TOPICS = rh.check_choices("topic", topics, compare.topic_ids(CODEBOOK, tags))
documents = reports.select_period(all_documents, period_from, period_to)
documents = documents.assign(province=documents["province"].fillna("").map(rh.nfc))
mine = documents[documents["province"] == PROVINCE]
if mine.empty:
    raise rh.ReportParameterError(f"no document of {PROVINCE} in periods {period_from or '…'} – {period_to or '…'}")
display(Markdown(f"# {rh.escape(PROVINCE)}: {len(mine)} document(s), "
                 f"periods {rh.escape(reports.province_period(BUILD, PROVINCE) or 'unknown')}"))

# %% [markdown]
# ## Documents

# %%
rh.show_table(mine.assign(ocr=rh.ocr_marks(mine))[["doc_id", "title", "doc_type", "date", "period",
                                                   "n_passages", "n_words", "ocr"]]
              .sort_values(["date", "doc_id"]),
              caption="The documents this report is based on; ocr: text read from a scan by OCR "
                      "(check a low confidence against the scan).")

# %% [markdown]
# ## Topic profile by role, against the other provinces
# `passages`: passages of this province with the topic in that role; `share`: their share of
# all its passages in that role (95% Wilson interval); `others`: the mean share of the other
# provinces. Passages with role `context` (legal basis, recipients, signatures) are left out.

# %%
by_role = compare.profiles_by_role(documents, passages, tags, topics=TOPICS)
profile = compare.profile_against_others(by_role, PROVINCE)
shown = profile[profile["n_topic"] > 0][["topic", "role", "n_topic", "n_passages", "share",
                                         "ci_low", "ci_high", "others", "small_n"]]
rh.show_table(shown.rename(columns={"n_topic": "passages", "n_passages": "role passages"}),
              caption="Topics × roles with at least one passage (all others are 0).")

# %%
rh.show_figure(figures.plot_profile_against_others(profile, PROVINCE, TOPICS))

# %% [markdown]
# ### What it names among its shortcomings, achievements and tasks

# %%
for role in ("shortcoming", "achievement", "task", "target", "proposal"):
    named = shown[shown["role"] == role]["topic"].tolist()
    display(Markdown(f"- **{role}**: {', '.join(f'`{t}`' for t in named) or '—'}"))

# %% [markdown]
# ### Evidence: the passages behind every count above

# %%
evidence = reports.tag_evidence(mine, passages, tags)
evidence = evidence[evidence["topic"].isin(TOPICS) & (evidence["role"] != "context")]
evidence = evidence.drop_duplicates(["doc_id", "passage_id", "topic"])
for (topic, role), rows in evidence.groupby(["topic", "role"], sort=False):
    rh.show_evidence(rows[["doc_id", "passage_id", "topic", "role", "text", "start", "end"]],
                     caption=f"{topic} · {role}: {len(rows)} passage(s)")

# %% [markdown]
# ## Distinctive terms
# Terms this province uses more than the rest of the corpus (log-likelihood keyness), each
# with the passages it occurs in.

# %%
keyness = reports.province_keyness(tables, PROVINCE)
keyness = keyness.head(10)
rh.show_table(keyness, caption="Top distinctive terms (from build/keyness.parquet).")
if not keyness.empty:
    rh.show_figure(figures.plot_keyness(keyness.assign(group=PROVINCE), PROVINCE))
mine_passages = passages[passages["doc_id"].isin(mine["doc_id"])]
for term in keyness["term"]:
    rh.show_evidence(reports.find_evidence(mine_passages, term)[["doc_id", "passage_id", "text", "start", "end"]],
                     caption=f"“{term}”", max_rows=3)

# %% [markdown]
# ## Indicators
# Numbers stated in the notices (percentages, targets, scores, rankings, counts), each with
# the passage it was read from.

# %%
indicators = reports.province_indicators(tables, mine)
columns = ["doc_id", "passage_id", "kind", "subject", "value", "unit", "comparator", "of_total"]
rh.show_table(indicators[columns], caption=f"{len(indicators)} indicator(s).")
rh.show_evidence(indicators[["doc_id", "passage_id", "kind", "value", "text", "start", "end"]],
                 caption="The passage of each indicator, its number marked.", max_rows=200)

# %% [markdown]
# ## Provenance

# %%
rh.show_table(rh.provenance(clock, {"province": province, "topics": topics, "period_from": period_from,
                                    "period_to": period_to, "build_dir": str(BUILD), "codebook": str(CODEBOOK)},
                            all_documents, CODEBOOK))
