"""Report parameters are checked with one-line errors (fault 3 of issue 8: a bad period)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.periods import PERIOD_FORMS
from analysis.reports import jobs, params, runner

DOCUMENTS = pd.DataFrame({"doc_id": ["a", "b", "c", "d"],
                          "period": ["2022-Q3", "2023-2024", "2024", ""]})


@pytest.mark.parametrize("name, value", [("period_from", "garbage"), ("period_to", "2022-13"),
                                         ("period_from", "2024-2023")])
def test_a_bad_period_is_one_line_naming_the_parameter_and_the_forms(name, value):
    with pytest.raises(params.ReportParameterError) as error:
        params.select_period(DOCUMENTS, **{name: value})
    message = str(error.value)
    assert message.startswith(f"{name}: {value!r}") and "\n" not in message
    if value == "garbage":
        assert message.endswith(PERIOD_FORMS)


@pytest.mark.parametrize("period_from, period_to, kept", [
    ("", "", ["a", "b", "c", "d"]),
    ("2023", "", ["b", "c"]),            # the school year 2023-2024 starts in September 2023
    ("", "2022-12", ["a"]),
    ("2023-2024", "2023-2024", ["b"]),
])
def test_period_selection_keeps_documents_whose_period_starts_in_the_range(period_from, period_to, kept):
    assert params.select_period(DOCUMENTS, period_from, period_to)["doc_id"].tolist() == kept


@pytest.mark.slow
def test_a_report_with_a_bad_period_fails_with_that_line(seed_build, tmp_path):
    job = jobs.province_job("Lào Cai", seed_build, tmp_path)
    job = jobs.ReportJob(job.kind, job.name, job.title, {**job.parameters, "period_from": "garbage"}, tmp_path)
    result = runner.render_report(job)
    assert result.status == "failed"
    assert result.error == f"ReportParameterError: period_from: 'garbage' is not a period; use {PERIOD_FORMS}"
