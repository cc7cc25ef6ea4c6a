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

# %% [markdown] tags=["notebook-only"]
# # Province comparison
#
# Several provinces side by side: a summary from the numbers, how much of their notices each
# topic takes, in which part of the notices (achievements, shortcomings, tasks ...), how similar
# the provinces are and how topics move over time; each count links to (up to five of) its
# passages. Frames from `analysis.reports.views`, HTML from `analysis.reports.report_html`, in the
# language `lang`. Rendered with `giaoban render comparison` (all provinces) or
# `--provinces A --provinces B`. (Cells tagged `notebook-only` are left out of the HTML.)

# %% tags=["parameters"]
provinces: list = []  # provinces to compare (empty: every province of the corpus)
topics: list = []  # topic ids shown (empty: the core topics, or every topic of a codebook without them)
by: str = "province"  # group by the pre-2025 "province" or the merged "province_2025"
lang: str = "vi"  # language of the report: "vi" (Vietnamese) or "en" (English)
build_dir: str = ""  # build folder of the analysed corpus (empty: the kit's build/)
codebook: str = ""  # codebook YAML (empty: the kit's default codebook)

# %%
# Parameters checked, the build read (papermill injects parameters after the cell above).
from analysis.compare.profiles import GROUPINGS
from analysis.reports import display as rh
from analysis.reports import i18n, views
from analysis.reports import report_html as page

start = rh.start_report(build_dir, codebook, lang)
tables, analysis = start.tables, start.analysis
BY = rh.check_choice("grouping", by, GROUPINGS)
documents, VALID = views.select_groups(tables["documents"], BY, [])
PROVINCES = rh.check_choices(BY, provinces, VALID) if provinces else VALID
TOPICS = rh.check_choices("topic", topics or rh.default_topics(start.topics), start.topics)
SUBSET = sorted(PROVINCES) != sorted(VALID)
documents, _ = views.select_groups(tables["documents"], BY, PROVINCES)

# %%
# The frames this report shows.
profiles = views.group_profiles(tables, analysis, documents, PROVINCES, BY, TOPICS, SUBSET)
roles = views.group_roles(tables, analysis, documents, PROVINCES, BY, TOPICS, SUBSET)
similarity = views.group_similarity(tables, profiles, PROVINCES, SUBSET)
timeline = views.group_timeline(tables, analysis, documents, PROVINCES, BY, TOPICS, SUBSET)
findings = views.comparison_findings(profiles)
evidence = views.evidence_passages(tables, documents, [profiles, roles, timeline])

# %%
rh.show_heading(start, "comparison_title", level=1)
rh.show_note(start, "c_groups", n=len(PROVINCES), names=", ".join(PROVINCES),
             n_docs=i18n.format_number(len(documents), lang))
rh.show_heading(start, "summary")
rh.show_html(page.comparison_summary(findings, start.labels, lang, len(documents)))

# %%
rh.show_heading(start, "c_profile")
rh.show_note(start, "c_profile_note")
rh.show_html(page.sortable_table(page.group_cells(profiles.table, start.labels, lang), lang))
rh.show_note(start, "small_n_note", min_passages=30)

# %%
rh.show_heading(start, "c_roles")
rh.show_note(start, "c_roles_note")
rh.show_html(page.sortable_table(page.role_split_cells(roles.table, start.labels, lang), lang))

# %%
rh.show_heading(start, "c_similarity")
rh.show_note(start, "c_similarity_note")
rh.show_html(page.sortable_table(page.matrix_cells(similarity, lang), lang))

# %%
rh.show_heading(start, "c_timeline")
rh.show_note(start, "c_timeline_note")
rh.show_html(page.sortable_table(page.timeline_cells(timeline.table, start.labels, lang), lang))

# %%
rh.show_heading(start, "figures")
for figure, alt in page.comparison_figures(profiles.table, roles.table, similarity, timeline.table, TOPICS,
                                           start.labels, lang):
    rh.show_figure_alt(figure, alt, lang)

# %%
rh.show_heading(start, "evidence")
rh.show_note(start, "evidence_note")
rh.show_html(page.evidence_section(evidence, start.labels, lang))

# %%
rh.publish_overview(views.report_overview(documents, profiles, start.labels))
rh.show_provenance(start, {"provinces": provinces, "topics": topics, "by": by, "lang": lang,
                           "build_dir": build_dir, "codebook": codebook})
