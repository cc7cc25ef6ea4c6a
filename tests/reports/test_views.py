"""Views give the frames a report shows, each count with the passages it was counted from; the
summary's numbers are the tables' numbers; report words and numbers in Vietnamese and English."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis.compare import profiles as compare
from analysis.compare.analyze import analyze
from analysis.compare.features import load_stopwords
from analysis.compare.keyness import DISTINCTIVE_DEFAULTS
from analysis.reports import i18n, views
from analysis.reports import report_html as page
from analysis.reports.params import ReportError
from analysis.schema import CORE_TOPICS

from _analysis_dev import dev_frames

TOPICS = list(CORE_TOPICS)
LABELS = {t: t.upper() for t in TOPICS}


@pytest.fixture(scope="module")
def build():
    documents, passages, tags = dev_frames()
    tables = {"documents": documents, "passages": passages, "tags": tags,
              **analyze(documents, passages, tags, topics=TOPICS, k=4)}
    analysis = {"by": "province", "topics": TOPICS, "keyness": DISTINCTIVE_DEFAULTS}
    return tables, analysis, views.select_documents(documents)


def _counts_match_evidence(counted: views.Counted, column: str) -> None:
    found = counted.evidence.groupby("key").size()
    for key, n, anchor in zip(counted.table["key"], counted.table[column], counted.table["anchor"]):
        assert found.get(key, 0) == n, key
        if n:
            assert anchor == counted.evidence.loc[counted.evidence["key"] == key, "anchor"].iloc[0]


def test_each_role_count_is_the_number_of_its_evidence_passages(build):
    tables, analysis, selected = build
    roles = views.role_profile(tables, analysis, selected, "Lào Cai", TOPICS)
    _counts_match_evidence(roles, "n_topic")
    lao_cai = selected.loc[selected["province"] == "Lào Cai", "doc_id"]
    assert set(roles.evidence["doc_id"]) <= set(lao_cai)
    shortcoming = roles.table.set_index("key").loc["role:thu_chi:shortcoming"]
    assert shortcoming["n_topic"] >= 1 and shortcoming["share"] == pytest.approx(
        shortcoming["n_topic"] / shortcoming["n_passages"])


def test_topic_counts_and_their_evidence_agree(build):
    tables, analysis, selected = build
    topics = views.topic_profile(tables, analysis, selected, "Hòa Bình", TOPICS)
    _counts_match_evidence(topics, "n_topic")
    others = tables["profiles"].query("group != 'Hòa Bình'").groupby("topic")["share"].mean()
    assert topics.table.set_index("topic")["others"].to_dict() == pytest.approx(others[TOPICS].to_dict())


def test_a_build_whose_counts_disagree_with_its_tags_is_refused(build):
    tables, analysis, selected = build
    bad = tables["profiles_by_role"].copy()
    bad.loc[(bad["group"] == "Lào Cai") & (bad["n_topic"] > 0), "n_topic"] += 1
    with pytest.raises(ReportError, match=r"disagree with its tags .* run `giaoban analyze` again"):
        views.role_profile({**tables, "profiles_by_role": bad}, analysis, selected, "Lào Cai", TOPICS)


def test_a_period_selection_recomputes_with_the_recorded_parameters(build):
    tables, analysis, _ = build
    selected = views.select_documents(tables["documents"], "2022-09", "2023")  # Hòa Bình 2022-Q3 and 2024 out
    roles = views.role_profile(tables, analysis, selected, "Lào Cai", TOPICS, recompute=True)
    expected = compare.profiles_by_role(selected, tables["passages"], tables["tags"], topics=TOPICS)
    expected = expected[(expected["group"] == "Lào Cai") & (expected["n_passages"] > 0)]
    merged = roles.table.merge(expected, on=["topic", "role"], suffixes=("", "_expected"))
    assert len(merged) == len(roles.table) > 0
    assert (merged["n_topic"] == merged["n_topic_expected"]).all()
    _counts_match_evidence(roles, "n_topic")


def test_findings_are_rows_of_the_tables(build):
    tables, analysis, selected = build
    topics = views.topic_profile(tables, analysis, selected, "Lào Cai", TOPICS)
    roles = views.role_profile(tables, analysis, selected, "Lào Cai", TOPICS)
    findings = views.province_findings(topics, roles)
    assert set(findings["kind"]) >= {"weight", "difference", "shortcoming"}
    rows = pd.concat([topics.table, roles.table]).set_index("key")
    for _, finding in findings.iterrows():
        row = rows.loc[finding["key"]]
        for column in ("n_topic", "n_passages", "share", "ci_low", "ci_high", "others", "anchor"):
            assert finding[column] == row[column], (finding["key"], column)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_summary_numbers_are_the_numbers_in_the_tables(build, lang):
    tables, analysis, selected = build
    topics = views.topic_profile(tables, analysis, selected, "Lào Cai", TOPICS)
    roles = views.role_profile(tables, analysis, selected, "Lào Cai", TOPICS)
    summary = BeautifulSoup(page.province_summary(views.province_findings(topics, roles), roles.table, LABELS,
                                                  lang, 1, compare.MIN_PASSAGES), "html.parser")
    cells = pd.concat([page.topic_cells(topics.table, LABELS, lang, roles=False),
                       page.topic_cells(roles.table, LABELS, lang, roles=True)])
    table_links = {a["data-key"]: (a.get_text(), a["href"]) for html_cell in cells.to_numpy().ravel()
                   if isinstance(html_cell, str) for a in BeautifulSoup(html_cell, "html.parser").find_all("a")}
    linked = summary.find_all("a", attrs={"data-key": True})
    assert len(linked) >= 5
    for a in linked:
        count, href = table_links[a["data-key"]]
        assert a.get_text().split()[0] == count and a["href"] == href
    assert all(a["href"].startswith("#") for a in summary.find_all("a"))


def test_distinctive_terms_are_compounds_or_phrases_off_the_stop_list_in_several_passages(build):
    tables, analysis, selected = build
    stop = load_stopwords()
    for province in ("Hà Nội", "Hòa Bình", "Lào Cai"):
        terms = views.distinctive_terms(tables, analysis, selected, province, "/nonexistent")
        _counts_match_evidence(terms, "n_passages")
        table = terms.table
        assert ((table["n_passages"] >= 2) & (table["n_docs"] >= 2) & (table["log_ratio"] >= 1)).all()
        for term in table["term"]:
            words = term.split(" ")
            assert "_" in term or len(words) == 2, term
            assert not set(words) & stop, term


def test_distinctive_terms_recomputed_for_a_period_use_the_recorded_thresholds(build):
    tables, analysis, selected = build
    again = views.distinctive_terms(tables, analysis, selected, "Hòa Bình", "/nonexistent", recompute=True)
    built = views.distinctive_terms(tables, analysis, selected, "Hòa Bình", "/nonexistent")
    assert again.table["term"].tolist() == built.table["term"].tolist()
    strict = {**analysis, "keyness": {**DISTINCTIVE_DEFAULTS, "min_passages": 4}}
    fewer = views.distinctive_terms(tables, strict, selected, "Hòa Bình", "/nonexistent", recompute=True)
    assert set(fewer.table["term"]) < set(built.table["term"]) and (fewer.table["n_passages"] >= 4).all()


def test_each_passage_appears_once_with_all_its_topics_and_chains(build):
    tables, analysis, selected = build
    mine = views.province_documents(selected, "Lào Cai")
    counted = [views.topic_profile(tables, analysis, selected, "Lào Cai", TOPICS),
               views.role_profile(tables, analysis, selected, "Lào Cai", TOPICS),
               views.distinctive_terms(tables, analysis, selected, "Lào Cai", "/nonexistent")]
    evidence = views.evidence_passages(tables, mine, counted)
    assert not evidence.duplicated(["doc_id", "passage_id"]).any()
    anchors = set(evidence["anchor"])
    for view in counted:
        assert set(view.table.loc[view.table["anchor"] != "", "anchor"]) <= anchors
    tags = tables["tags"].merge(evidence[["doc_id", "passage_id"]])
    for _, row in evidence.iterrows():
        assert set(row["topics"]) == set(tags.loc[(tags["doc_id"] == row["doc_id"])
                                                  & (tags["passage_id"] == row["passage_id"]), "topic"])
        for _key, position, total, following in row["counts"]:
            assert 1 <= position <= total and (following in anchors or (following == "" and position == total))


# --------------------------------------------------------------------------- words and numbers


@pytest.mark.parametrize(("lang", "expected"), [("vi", "6,3% (1,1–28%)"), ("en", "6.3% (1.1–28%)")])
def test_share_with_interval_in_each_language(lang, expected):
    assert i18n.format_share(0.063, 0.011, 0.28, lang) == expected


def test_numbers_in_each_language():
    assert i18n.format_number(1234.5, "vi", 1) == "1.234,5" and i18n.format_number(1234.5, "en", 1) == "1,234.5"
    assert i18n.format_percent(0.25, "vi") == "25%" and i18n.format_percent(0.0996, "en") == "10%"


def test_every_sentence_exists_in_both_languages():
    assert set(i18n.TEXT["vi"]) == set(i18n.TEXT["en"])
    for key in i18n.TEXT["vi"]:
        assert set(re.findall(r"{(\w+)}", i18n.TEXT["vi"][key])) == set(re.findall(r"{(\w+)}", i18n.TEXT["en"][key])), key


def test_an_unknown_language_is_one_line():
    with pytest.raises(ValueError, match=r"^unknown lang 'fr'; valid values: vi, en$"):
        i18n.check_lang("fr")


def test_corpus_text_is_escaped_in_highlights_and_passages():
    text = 'thu chi <script>alert(1)</script> học phí'
    out = page.highlighted(text, [(0, 7, "topic:thu_chi"), (4, 7, "term"), (34, 41, "term")])
    assert "<script>" not in out and "&lt;script&gt;" in out
    soup = BeautifulSoup(out, "html.parser")
    assert [m.get_text() for m in soup.find_all("mark")] == ["thu chi", "học phí"]
    assert soup.find("mark")["data-topics"] == "thu_chi"


def test_shared_paths_are_never_absolute(tmp_path):
    from analysis import paths

    assert page.shared_path(tmp_path / "build") == "build"
    assert page.shared_path(paths.DEFAULT_CODEBOOK) == "analysis/codebooks/default.yml"
    assert page.shared_path("corpus") == "corpus"
