"""The HTML of a report, made from what the views return: sortable tables (itables, offline),
count links, the summary sentences, the evidence section and the provenance table.

Pure functions from frames to HTML strings (the notebooks display them; tests read them).
Corpus text can hold anything (``<script>``, ``<img onerror=...>``): every value from the corpus
goes through :func:`escape` here, and tables are handed to itables as finished, escaped HTML.
Links are plain anchors, so a reader follows a count to its passages with scripts off too.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import pandas as pd

from analysis.reports import i18n

SMALL_N = "†"
OCR_MARK = "◊"
# Okabe–Ito colours: told apart by colour-blind readers; links also underlined, marks outlined.
REPORT_CSS = """<style>
.giaoban-report{font-family:"DejaVu Sans",Arial,sans-serif;line-height:1.45;max-width:78rem}
.giaoban-report a{color:#0059a0;text-decoration:underline}
.giaoban-findings{border-left:5px solid #0072B2;background:#f2f7fb;padding:.6rem 1rem;margin:.8rem 0}
.giaoban-findings li{margin:.3rem 0}
.giaoban-note{color:#444;font-size:.9em}
.giaoban-warning{border-left:5px solid #D55E00;background:#fff4ec;padding:.4rem .8rem}
.giaoban-report table td,.giaoban-report table th{text-align:left !important;vertical-align:top}
.giaoban-report table td.dt-type-numeric,.giaoban-report table th.dt-type-numeric{text-align:right !important}
table.giaoban{border-collapse:collapse;margin:.5rem 0;font-size:.9em}
table.giaoban th,table.giaoban td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
table.giaoban th{background:#f0f0f0}
.giaoban-passage{border:1px solid #ccc;border-radius:4px;padding:.5rem .8rem;margin:.6rem 0;scroll-margin-top:1rem}
.giaoban-passage:target{outline:3px solid #0072B2;background:#fffdf0}
.giaoban-passage header{font-size:.85em;color:#333}
.giaoban-passage p{margin:.4rem 0}
.giaoban-passage footer{font-size:.85em;color:#333}
.giaoban-chip{display:inline-block;border:1px solid #999;border-radius:3px;padding:0 .3rem;margin:.1rem .2rem .1rem 0}
mark.giaoban-topic{background:#ffe58f;outline:1px solid #b38f00}
mark.giaoban-term{background:#cfe8ff;outline:1px dashed #0059a0}
mark.giaoban-number{background:#d8f3dc;outline:1px dotted #1b7837}
.giaoban-bar{display:inline-block;height:.7em;background:#0072B2;vertical-align:middle}
</style>"""

TABLE_OPTIONS: dict[str, Any] = {
    "paging": False, "order": [], "autoWidth": False, "classes": "display compact cell-border",
    "text_in_header_can_be_selected": False,  # a click anywhere on a header sorts by that column
    "layout": {"topStart": None, "topEnd": "search", "bottomStart": "info", "bottomEnd": None},
    "style": "width:100%;margin:0;caption-side:top",
}
DATATABLES_LANGUAGE = {
    "vi": {"decimal": ",", "thousands": ".", "search": "Lọc:", "info": "_TOTAL_ dòng",
           "infoEmpty": "0 dòng", "infoFiltered": "(lọc từ _MAX_ dòng)", "zeroRecords": "Không có dòng nào",
           "emptyTable": "Không có dòng nào"},
    "en": {"decimal": ".", "thousands": ",", "search": "Filter:", "info": "_TOTAL_ row(s)",
           "infoEmpty": "0 rows", "infoFiltered": "(filtered from _MAX_ rows)", "zeroRecords": "No matching rows",
           "emptyTable": "No rows"},
}


def escape(value: Any) -> str:
    """HTML-escaped text of any cell value (None/NaN -> empty)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def link(anchor: str, label: str) -> str:
    """``label`` (already HTML) as a link to ``#anchor``; no anchor, no link."""
    return f'<a href="#{escape(anchor)}">{label}</a>' if anchor else label


def sortable_table(cells: pd.DataFrame, lang: str, caption: str = "") -> str:
    """A table a reader can sort and filter (DataTables through itables, offline), made from
    ``cells``: finished HTML per cell, so nothing is escaped twice and nothing is left unescaped.
    With scripts off the full table shows as plain HTML."""
    import itables

    if cells.empty:
        return f'<p class="giaoban-note">{escape(i18n.text(lang, "none"))}</p>'
    options = {**TABLE_OPTIONS, "language": DATATABLES_LANGUAGE[lang]}
    note = f'<p class="giaoban-note">{escape(caption)}</p>' if caption else ""
    # A Styler without its index: itables puts its full HTML table in the page (what a reader
    # without scripts sees) and DataTables sorts and filters that table in place.
    styler = cells.reset_index(drop=True).style.hide(axis="index")
    return note + itables.to_html_datatable(styler, allow_html=True, showIndex=False, **options)


def static_table(rows: Iterable[tuple[str, ...]], head: list[str]) -> str:
    """A plain table of finished HTML cells."""
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="giaoban"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


# --------------------------------------------------------------------------- cells


def count_cell(n: int, anchor: str, lang: str, key: str = "") -> str:
    """A count as a link to its first passage, carrying the view's key (0 is not a link)."""
    if int(n) == 0 or not anchor:
        return i18n.format_number(int(n), lang)
    return f'<a href="#{escape(anchor)}" data-key="{escape(key)}">{i18n.format_number(int(n), lang)}</a>'


def share_cells(row: pd.Series, lang: str) -> tuple[str, str]:
    """(share, interval) cells; "–" where the part has no passage; † where n is small."""
    if row["n_passages"] == 0:
        return "–", "–"
    dagger = f' <span title="small n">{SMALL_N}</span>' if row.get("small_n", False) else ""
    return (i18n.format_percent(row["share"], lang),
            i18n.format_interval(row["ci_low"], row["ci_high"], lang) + dagger)


def row_id(key: str) -> str:
    """The HTML id of a table row's first cell (what the summary's other numbers link to)."""
    return "row-" + "".join(ch if ch.isalnum() else "-" for ch in key)


def topic_cells(table: pd.DataFrame, labels: dict[str, str], lang: str, roles: bool) -> pd.DataFrame:
    """Cells of the topic (or topic × role) profile table."""
    t = lambda key: i18n.text(lang, key)  # noqa: E731
    rows = []
    for _, row in table.iterrows():
        share, interval = share_cells(row, lang)
        first = f'<span id="{row_id(row["key"])}">{escape(labels.get(row["topic"], row["topic"]))}</span>'
        cells = {t("h_topic"): first}
        if roles:
            cells[t("h_role")] = escape(i18n.role_name(lang, row["role"]))
        cells.update({t("h_passages"): count_cell(row["n_topic"], row["anchor"], lang, row["key"]),
                      t("h_role_passages" if roles else "h_all_passages"): i18n.format_number(row["n_passages"], lang),
                      t("h_share"): share, t("h_ci"): interval,
                      t("h_others"): i18n.format_percent(row["others"], lang)})
        rows.append(cells)
    return pd.DataFrame(rows)


def document_cells(documents: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Cells of the documents table (◊ marks a document read by OCR)."""
    t = lambda key: i18n.text(lang, key)  # noqa: E731
    rows = [{t("h_doc"): escape(r["doc_id"]) + (f" {OCR_MARK}" if r.get("ocr", False) else ""),
             t("h_title"): escape(r["title"]),
             t("h_type"): escape(i18n.names(i18n.DOC_TYPE_NAMES, lang, str(r["doc_type"]))),
             t("h_date"): escape(r["date"]), t("h_period"): escape(r["period"]),
             t("h_words"): i18n.format_number(r["n_words"], lang)} for _, r in documents.iterrows()]
    return pd.DataFrame(rows)


def keyness_cells(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Cells of the distinctive-terms table: counts link to the passages using the term."""
    t = lambda key: i18n.text(lang, key)  # noqa: E731
    rows = [{t("h_term"): escape(r["label"]), t("h_uses"): count_cell(r["count_target"], r["anchor"], lang, r["key"]),
             t("h_uses_others"): i18n.format_number(r["count_reference"], lang),
             t("h_term_passages"): count_cell(r["n_passages"], r["anchor"], lang, r["key"]),
             t("h_term_docs"): i18n.format_number(r["n_docs"], lang),
             t("h_g2"): i18n.format_number(r["g2"], lang, 1),
             t("h_p"): i18n.format_number(r["p_value"], lang, 3),
             t("h_log_ratio"): i18n.format_number(r["log_ratio"], lang, 1)} for _, r in table.iterrows()]
    return pd.DataFrame(rows)


def indicator_cells(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Cells of the indicators table: the number as written links to its passage."""
    t = lambda key: i18n.text(lang, key)  # noqa: E731
    rows = [{t("h_doc"): escape(r["doc_id"]), t("h_subject"): escape(r["subject"]),
             t("h_as_written"): link(r["anchor"], escape(r["as_written"])),
             t("h_value"): i18n.format_number(r["value"], lang, _decimals(r["value"])),
             t("h_unit"): escape(r["unit"]), t("h_kind"): escape(i18n.names(i18n.KIND_NAMES, lang, r["kind"])),
             t("h_comparator"): escape(r["comparator"]), t("h_evidence"): escape(r["evidence"])}
            for _, r in table.iterrows()]
    return pd.DataFrame(rows)


def _decimals(value: float) -> int:
    text = f"{value:.6g}"
    return len(text.split(".")[1]) if "." in text else 0


# --------------------------------------------------------------------------- summary


def _numbers_link(row: pd.Series, lang: str, with_share: bool) -> str:
    """"3 of 43 passages, 7.0% (2.4–19%)" (or "1 of 9") as a link to the count's first passage."""
    k, n = i18n.format_number(row["n_topic"], lang), i18n.format_number(row["n_passages"], lang)
    share = i18n.format_share(row["share"], row["ci_low"], row["ci_high"], lang)
    label = i18n.text(lang, "n_of_passages" if with_share else "n_of", k=k, n=n, share=share)
    return f'<a href="#{escape(row["anchor"])}" data-key="{escape(row["key"])}">{escape(label)}</a>'


def _share_link(row: pd.Series, lang: str) -> str:
    share = i18n.format_share(row["share"], row["ci_low"], row["ci_high"], lang)
    return f'<a href="#{escape(row["anchor"])}">{escape(share)}</a>' if row["anchor"] else escape(share)


def _others_link(row: pd.Series, lang: str) -> str:
    return f'<a href="#{row_id(row["key"])}">{escape(i18n.format_percent(row["others"], lang))}</a>'


def province_summary(findings: pd.DataFrame, roles: pd.DataFrame, labels: dict[str, str], lang: str,
                     n_docs: int, min_passages: int) -> str:
    """The summary sentences, written from the views' findings; every number is a link."""
    t = lambda key, **kw: i18n.text(lang, key, **kw)  # noqa: E731
    name = lambda topic: f"<b>{escape(labels.get(topic, topic))}</b>"  # noqa: E731
    role = lambda r: escape(i18n.role_name(lang, r))  # noqa: E731
    sentences = []
    weight = findings[findings["kind"] == "weight"]
    items = [t("s_weight_item", topic=name(r["topic"]), numbers=_numbers_link(r, lang, True), role=role(r["role"]))
             for _, r in weight.iterrows()]
    sentences.append(t("s_weight", items="; ".join(items)) if items else escape(t("s_none")))
    for _, r in findings[findings["kind"] == "difference"].iterrows():
        sentences.append(t("s_diff", topic=name(r["topic"]), numbers=_numbers_link(r, lang, False),
                           role=role(r["role"]), share=_share_link(r, lang), others=_others_link(r, lang)))
    for kind, key in (("achievement", "s_results"), ("shortcoming", "s_problems"), ("task", "s_tasks")):
        rows = findings[findings["kind"] == kind]
        found = [t("s_item", topic=name(r["topic"]), k=count_link(r, lang)) for _, r in rows.iterrows()]
        sentences.append(t(key, items=i18n.join_items(found, lang) or escape(t("s_nothing"))))
    sentences.append(_limits(roles, lang, n_docs, min_passages))
    body = "".join(f"<li>{s}</li>" for s in sentences)
    return f'<div class="giaoban-findings"><ul>{body}</ul></div>'


def count_link(row: pd.Series, lang: str) -> str:
    """A count of a view row as a link carrying its key (the summary and tables use the same)."""
    label = i18n.format_number(int(row["n_topic"]), lang)
    return f'<a href="#{escape(row["anchor"])}" data-key="{escape(row["key"])}">{label}</a>'


def _limits(roles: pd.DataFrame, lang: str, n_docs: int, min_passages: int) -> str:
    text = (i18n.text(lang, "s_limits_one") if n_docs == 1
            else i18n.text(lang, "s_limits_many", n=i18n.format_number(n_docs, lang)))
    small = roles[(roles["n_passages"] > 0) & roles["small_n"]]
    parts = list(dict.fromkeys(i18n.role_name(lang, r) for r in small["role"]))
    if parts:
        text += i18n.text(lang, "s_small", roles=i18n.join_items(parts, lang),
                          min_passages=i18n.format_number(min_passages, lang))
    return escape(text)


# --------------------------------------------------------------------------- evidence


def merge_spans(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, list[str]]]:
    """Overlapping highlight spans joined into one, keeping every kind they carry."""
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, kind in sorted(spans):
        if merged and start < merged[-1][1]:
            s, e, kinds = merged[-1]
            merged[-1] = (s, max(e, end), kinds + [kind] if kind not in kinds else kinds)
        else:
            merged.append((start, end, [kind]))
    return merged


def highlighted(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """Escaped ``text`` with each span in a <mark>: topic matches name their topics
    (``data-topics``), distinctive terms and indicator numbers have their own class."""
    out, at = [], 0
    for start, end, kinds in merge_spans(s for s in spans if 0 <= s[0] < s[1] <= len(text)):
        topics = " ".join(k.split(":", 1)[1] for k in kinds if k.startswith("topic:"))
        cls = "giaoban-topic" if topics else ("giaoban-number" if "number" in kinds else "giaoban-term")
        attr = f' data-topics="{escape(topics)}"' if topics else ""
        out.append(escape(text[at:start]) + f'<mark class="{cls}"{attr}>{escape(text[start:end])}</mark>')
        at = end
    return "".join(out) + escape(text[at:])


def key_label(key: str, labels: dict[str, str], lang: str) -> str:
    """What a count is about, for the evidence chips: "Thu, chi · hạn chế, tồn tại", "“khoản thu”"."""
    kind, _, rest = key.partition(":")
    if kind == "role":
        topic, _, role = rest.rpartition(":")
        return f"{labels.get(topic, topic)} · {i18n.role_name(lang, role)}"
    if kind == "topic":
        return labels.get(rest, rest)
    if kind == "term":
        return f"“{rest.replace('_', ' ')}”"
    if kind in ("group", "grouprole"):
        group, topic, *role = rest.split(":")
        return " · ".join([group, labels.get(topic, topic), *(i18n.role_name(lang, r) for r in role)])
    if kind == "period":
        group, period, topic = rest.rsplit(":", 2) if rest.count(":") >= 2 else (rest, "", "")
        return " · ".join([group, period, labels.get(topic, topic)])
    return i18n.text(lang, "indicators")


def evidence_section(passages: pd.DataFrame, labels: dict[str, str], lang: str) -> str:
    """Each passage once: document, date, part, topics, highlighted text, and for every count it
    belongs to its place in that count with a link to the count's next passage."""
    blocks = []
    for _, row in passages.iterrows():
        topics = ", ".join(escape(labels.get(t, t)) for t in row["topics"])
        head = " · ".join(x for x in (f"<b>{escape(row['title'])}</b>", escape(row["date"]),
                                      escape(i18n.role_name(lang, row["role"])), topics,
                                      OCR_MARK if row.get("ocr", False) else "") if x)
        chips = [f'<span class="giaoban-chip">{escape(key_label(key, labels, lang))}: {pos}/{total}'
                 + (f' · <a href="#{escape(nxt)}">{escape(i18n.text(lang, "next"))} →</a>' if nxt else "")
                 + (f" {escape(i18n.text(lang, 'more_passages', n=total - pos))}" if not nxt and total > pos else "")
                 + "</span>" for key, pos, total, nxt in row["counts"]]
        text = highlighted(str(row["text"]), row["marks"])
        blocks.append(f'<article class="giaoban-passage" id="{escape(row["anchor"])}"><header>{head}</header>'
                      f'<p>{text}</p><footer>{"".join(chips)}</footer></article>')
    return "".join(blocks)


# --------------------------------------------------------------------------- figures, provenance


def localize_ticks(figure: Any, lang: str) -> Any:
    """Plain number ticks written the reader's way ("0,15" in Vietnamese); dates and percentages
    keep their own formatters."""
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    if lang != "vi":
        return figure
    comma = FuncFormatter(lambda value, _: f"{value:g}".replace(".", ","))
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(comma)
    return figure


def figure_html(png: bytes, alt: str) -> str:
    """An embedded PNG with its alt text (what a screen reader, or a reader without images, gets)."""
    import base64

    data = base64.b64encode(png).decode("ascii")
    return f'<figure><img src="data:image/png;base64,{data}" alt="{escape(alt)}" style="max-width:100%"></figure>'


def shared_path(path: Any) -> str:
    """A path as it may appear in a shared file: relative to the project when inside it, else
    only its last part (the corpus or build folder's name), never the machine's absolute path."""
    from pathlib import Path

    from analysis import paths

    path = Path(str(path))
    if not path.is_absolute():
        return path.as_posix()
    for root, prefix in ((paths.REPO_ROOT, ""), (paths.PACKAGE_DIR, "analysis/")):
        try:
            return prefix + path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def profile_figure(roles: pd.DataFrame, province: str, labels: dict[str, str], lang: str):
    """(figure, alt text) of the province's topic shares by part against the other provinces."""
    from analysis import figures

    topics = list(dict.fromkeys(roles["topic"]))
    fig = figures.plot_profile_against_others(
        roles, province, topics, topic_labels=labels, role_names=i18n.ROLE_NAMES[lang],
        others_title=i18n.text(lang, "f_others"), xlabel=i18n.text(lang, "f_role_share"))
    top = roles[roles["n_passages"] > 0].sort_values("share", ascending=False).head(1)
    best = "–" if top.empty else (f"{labels.get(top['topic'].iloc[0], top['topic'].iloc[0])} · "
                                  f"{i18n.role_name(lang, top['role'].iloc[0])} "
                                  f"({i18n.format_percent(top['share'].iloc[0], lang)})")
    return fig, i18n.text(lang, "f_alt_profile", province=province, top=best)


def keyness_note(parameters: dict[str, Any], lang: str) -> str:
    """The distinctive-terms note with the thresholds this build used."""
    from analysis.compare.keyness import DISTINCTIVE_DEFAULTS

    p = {**DISTINCTIVE_DEFAULTS, **parameters}
    return i18n.text(lang, "keyness_note", min_log_ratio=i18n.format_number(p["min_log_ratio"], lang, 1),
                     min_passages=i18n.format_number(p["min_passages"], lang),
                     min_docs=i18n.format_number(p["min_docs"], lang))


# --------------------------------------------------------------------------- comparison


def group_cells(table: pd.DataFrame, labels: dict[str, str], lang: str) -> pd.DataFrame:
    """Cells of the comparison's profile table (province × topic)."""
    t = lambda key: i18n.text(lang, key)  # noqa: E731
    rows = []
    for _, row in table.iterrows():
        share, interval = share_cells(row, lang)
        rows.append({t("h_group"): f'<span id="{row_id(row["key"])}">{escape(row["group"])}</span>',
                     t("h_topic"): escape(labels.get(row["topic"], row["topic"])),
                     t("h_passages"): count_cell(row["n_topic"], row["anchor"], lang, row["key"]),
                     t("h_all_passages"): i18n.format_number(row["n_passages"], lang),
                     t("h_share"): share, t("h_ci"): interval,
                     t("h_per_1000"): i18n.format_number(row["per_1000_words"], lang, 1)})
    return pd.DataFrame(rows)


def role_split_cells(table: pd.DataFrame, labels: dict[str, str], lang: str) -> pd.DataFrame:
    """Cells of the role split: one row per province and topic, one column per part of the
    notices, each count a link to its passages."""
    from analysis.schema import ROLES

    t = lambda key: i18n.text(lang, key)  # noqa: E731
    roles = [r for r in ROLES if r in set(table["role"])]
    rows = []
    for (group, topic), part in table.groupby(["group", "topic"], sort=False):
        by_role = part.set_index("role")
        cells = {t("h_group"): escape(group), t("h_topic"): escape(labels.get(topic, topic))}
        for role in roles:
            cells[i18n.role_name(lang, role)] = (count_cell(by_role.at[role, "n_topic"], by_role.at[role, "anchor"],
                                                            lang, by_role.at[role, "key"])
                                                 if role in by_role.index else "0")
        rows.append(cells)
    return pd.DataFrame(rows)


def matrix_cells(matrix: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Cells of a group × group similarity matrix."""
    rows = [{i18n.text(lang, "h_group"): escape(group),
             **{escape(col): i18n.format_number(matrix.at[group, col], lang, 2) for col in matrix.columns}}
            for group in matrix.index]
    return pd.DataFrame(rows)


def timeline_cells(timeline: pd.DataFrame, labels: dict[str, str], lang: str) -> pd.DataFrame:
    """Cells of the timeline table (province × period × topic), each count a link to its passages."""
    t = lambda key: i18n.text(lang, key)  # noqa: E731
    rows = []
    for _, row in timeline.iterrows():
        share, interval = share_cells(row, lang)
        rows.append({t("h_group"): escape(row["group"]), t("h_period"): escape(row["period"]),
                     t("h_topic"): escape(labels.get(row["topic"], row["topic"])),
                     t("h_passages"): count_cell(row["n_topic"], row["anchor"], lang, row["key"]),
                     t("h_all_passages"): i18n.format_number(row["n_passages"], lang),
                     t("h_share"): share, t("h_ci"): interval})
    return pd.DataFrame(rows)


def comparison_summary(findings: pd.DataFrame, labels: dict[str, str], lang: str, n_docs: int) -> str:
    """The comparison's summary sentences; every number links to its passages or its row."""
    name = lambda topic: f"<b>{escape(labels.get(topic, topic))}</b>"  # noqa: E731
    sentences = [i18n.text(lang, "c_summary_top", group=escape(r["group"]), topic=name(r["topic"]),
                           numbers=_numbers_link(r, lang, True))
                 for _, r in findings[findings["kind"] == "top"].iterrows()]
    low, high = findings[findings["kind"] == "low"], findings[findings["kind"] == "high"]
    if not low.empty and not high.empty:
        lo, hi = low.iloc[0], high.iloc[0]
        sentences.append(i18n.text(lang, "c_summary_spread", topic=name(lo["topic"]),
                                   low=_share_link(lo, lang), low_group=escape(lo["group"]),
                                   high=_share_link(hi, lang), high_group=escape(hi["group"])))
    n_groups = findings.loc[findings["kind"] == "top", "group"].nunique()
    sentences.append(escape(i18n.text(lang, "c_summary_limits", n_docs=i18n.format_number(n_docs, lang),
                                      n=i18n.format_number(n_groups, lang))))
    return '<div class="giaoban-findings"><ul>' + "".join(f"<li>{s}</li>" for s in sentences) + "</ul></div>"


def comparison_figures(profiles: pd.DataFrame, roles: pd.DataFrame, similarity: pd.DataFrame,
                       timeline: pd.DataFrame, topics: list[str], labels: dict[str, str], lang: str):
    """(figure, alt text) pairs of the comparison: heat map, dendrogram, then per topic where
    each province reports it and how its share moves over time."""
    from analysis import figures

    t = lambda key, **kw: i18n.text(lang, key, **kw)  # noqa: E731
    best = profiles.sort_values("share", ascending=False).head(1)
    top = "" if best.empty else f"{best['group'].iloc[0]} · {labels.get(best['topic'].iloc[0])}: " \
                                f"{i18n.format_percent(best['share'].iloc[0], lang)}."
    yield (figures.plot_heatmap(profiles, title=t("c_profile"), topic_labels=labels, small_note="* n < 30"),
           t("f_alt_heatmap", top=top))
    if similarity.shape[0] > 1:
        long = similarity.stack().rename("cosine").reset_index().assign(basis="topics")
        yield (figures.plot_dendrogram(long, "topics", title=t("c_similarity"), xlabel=t("f_distance"),
                                       show_basis=False), t("f_alt_dendrogram"))
    for topic in topics:
        label = labels.get(topic, topic)
        if (roles["topic"] == topic).any():
            yield (figures.plot_role_shares(roles, topic, title=t("c_roles"), role_names=i18n.ROLE_NAMES[lang],
                                            xlabel=t("f_share"), topic_label=label),
                   t("c_roles_note") + f" ({label})")
        if (timeline["topic"] == topic).any() and timeline["period_start"].notna().any():
            yield (figures.plot_timeline(timeline, topic, title=t("c_timeline"), ylabel=t("f_share"),
                                         topic_label=label), t("f_alt_timeline", topic=label))
