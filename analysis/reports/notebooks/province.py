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
# # Province report
#
# One province's notices: a summary written from the numbers, its documents, how often each
# topic comes up in each part of the notices (achievements, shortcomings, tasks ...) against the
# average of the other provinces, its distinctive terms and its indicators, then every passage
# those counts were made from. Every frame comes from `analysis.reports.views` (what
# `giaoban analyze` wrote); every piece of HTML from `analysis.reports.report_html`, in the
# language `lang`. Rendered with `giaoban render province --province "Lào Cai" --lang vi`.
# (Cells tagged `notebook-only`, like this one, are left out of the HTML.)

# %% tags=["parameters"]
province: str = "Lào Cai"  # province to report on (pre-2025 name, as in the corpus)
topics: list = []  # topic ids shown (empty: the core topics, or every topic of a codebook without them)
period_from: str = ""  # first period included, e.g. "2022" or "2022-Q3" (empty: from the start)
period_to: str = ""  # last period included, e.g. "2023-Q4" (empty: up to the latest)
lang: str = "vi"  # language of the report: "vi" (Vietnamese) or "en" (English)
build_dir: str = ""  # build folder of the analysed corpus (empty: the kit's build/)
codebook: str = ""  # codebook YAML (empty: the kit's default codebook)

# %%
# Parameters checked, the build read (papermill injects parameters after the cell above).
from analysis.compare.profiles import MIN_PASSAGES
from analysis.reports import display as rh
from analysis.reports import i18n, views
from analysis.reports import report_html as page

start = rh.start_report(build_dir, codebook, lang)
tables, analysis = start.tables, start.analysis
PROVINCE = rh.check_choice("province", province,
                           tables["documents"]["province"].dropna().map(views.canonical_name).loc[lambda s: s != ""])
TOPICS = rh.check_choices("topic", topics or rh.default_topics(start.topics), start.topics)
PERIODS_SELECTED = bool(period_from or period_to)
selected = views.select_documents(tables["documents"], period_from, period_to)
mine = views.province_documents(selected, PROVINCE, period_from, period_to)

# %%
# The frames this report shows (counts with the passages behind them).
topic_profile = views.topic_profile(tables, analysis, selected, PROVINCE, TOPICS, PERIODS_SELECTED)
role_profile = views.role_profile(tables, analysis, selected, PROVINCE, TOPICS, PERIODS_SELECTED)
findings = views.province_findings(topic_profile, role_profile)
terms = views.distinctive_terms(tables, analysis, selected, PROVINCE, start.build, PERIODS_SELECTED)
indicators = views.indicators(tables, mine)
evidence = views.evidence_passages(tables, mine, [topic_profile, role_profile, terms, indicators])

# %%
rh.show_heading(start, "province_title", level=1, province=PROVINCE)
rh.show_note(start, "subtitle", n_docs=i18n.format_number(len(mine), lang),
             periods=views.periods_label(mine) or "–")
rh.show_heading(start, "summary")
rh.show_html(page.province_summary(findings, role_profile.table, start.labels, lang, len(mine), MIN_PASSAGES))

# %%
rh.show_heading(start, "documents")
rh.show_html(page.sortable_table(page.document_cells(mine, lang), lang))
if mine["ocr"].any():
    rh.show_note(start, "ocr_note")

# %%
rh.show_heading(start, "profile")
rh.show_note(start, "profile_note")
rh.show_html(page.sortable_table(page.topic_cells(topic_profile.table, start.labels, lang, roles=False), lang))
rh.show_html(page.sortable_table(page.topic_cells(role_profile.table, start.labels, lang, roles=True), lang))
rh.show_note(start, "small_n_note", min_passages=MIN_PASSAGES)
rh.show_figure_alt(*page.profile_figure(role_profile.table, PROVINCE, start.labels, lang), lang)

# %%
rh.show_heading(start, "keyness")
rh.show_html(f'<p class="giaoban-note">{page.escape(page.keyness_note(analysis.get("keyness", {}), lang))}</p>')
if len(mine) == 1:
    rh.show_note(start, "single_document", css="giaoban-warning")
rh.show_html(page.sortable_table(page.keyness_cells(terms.table, lang), lang) if not terms.table.empty
             else f'<p class="giaoban-note">{page.escape(i18n.text(lang, "no_terms"))}</p>')

# %%
rh.show_heading(start, "indicators")
rh.show_note(start, "indicators_note" if not indicators.table.empty else "no_indicators")
if not indicators.table.empty:
    rh.show_html(page.sortable_table(page.indicator_cells(indicators.table, lang), lang))

# %%
rh.show_heading(start, "evidence")
rh.show_note(start, "evidence_note")
rh.show_html(page.evidence_section(evidence, start.labels, lang))

# %%
rh.publish_overview(views.report_overview(mine, topic_profile, start.labels))
rh.show_provenance(start, {"province": province, "topics": topics, "period_from": period_from,
                           "period_to": period_to, "lang": lang, "build_dir": build_dir, "codebook": codebook})
