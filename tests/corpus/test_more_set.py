"""The labelled set of documents from other provinces (tests/data/more, issue 9), scored whole:
its documents ingested in their raw form, passages matched with the labelled ones.

Targets: province, date, period and doc_type >= 0.95 each; roles >= 0.90, segmentation >= 0.90,
each core topic F1 >= 0.92. The asserted figures
are the ones reached on the whole set (the held-out third in HOLDOUT.txt included); where one
is below its target, the test asserts what was reached and says by how much the target is missed.
"""

from __future__ import annotations

import json
from functools import lru_cache

import pandas as pd
import pytest

from analysis.corpus.evaluate import match_gold, score_metadata
from analysis.corpus.ingest import ingest
from analysis.topics.codebook import load_codebook
from analysis.topics.evaluate import evaluate_codebook, gold_frame

from testdata import MORE_DIR as MORE

# (reached, target): figures reached on the whole set when these rules were written (issue 9),
# rounded down, and the targets. Reached: roles 0.998 (465/466), segmentation 0.987 (460/466
# cut identically), F1 gdpt2018 1.000, chuyen_doi_so 0.993, thu_chi 1.000, pho_cap 0.979.
ROLE_ACCURACY = (0.99, 0.90)
SEGMENTATION = (0.98, 0.90)
TOPIC_F1 = {"gdpt2018": (1.0, 0.92), "chuyen_doi_so": (0.97, 0.92), "thu_chi": (1.0, 0.92), "pho_cap": (0.97, 0.92)}
# Documents right of 24. Period's one miss is a plan whose title states its phase ("giai đoạn
# 2018 - 2025") and whose label is empty, from before phases had a form (README, "Validating the kit").
METADATA_RIGHT = {"province": (24, 0.95), "date": (24, 0.95), "period": (23, 0.95), "doc_type": (24, 0.95)}


@lru_cache(maxsize=1)
def _gold() -> pd.DataFrame:
    return pd.read_json(MORE / "passages.jsonl", lines=True)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    build = tmp_path_factory.mktemp("more_build")
    result = ingest(MORE / "docs", build, progress=False)
    assert not result.problems, result.problems
    return result


@pytest.fixture(scope="module")
def kit_passages(ingested) -> pd.DataFrame:
    return ingested.passages


def test_metadata_accuracy(ingested) -> None:
    labelled = pd.read_csv(MORE / "documents.csv", dtype=str, keep_default_na=False)
    scores, misses = score_metadata(ingested.documents, labelled)
    right = dict(zip(scores["field"], scores["right"]))
    for field, (reached, target) in METADATA_RIGHT.items():
        assert right[field] >= reached, f"{field}: {right[field]}/24 (target {target}); {misses.to_dict('records')}"


def test_every_document_of_the_set_is_labelled_and_ingested(kit_passages) -> None:
    files = {path.stem for path in (MORE / "docs").iterdir()}
    assert set(kit_passages["doc_id"]) == files
    assert {source.rsplit(".", 1)[0] for source in _gold()["source"]} == files


def test_segmentation_agreement(kit_passages) -> None:
    matched = match_gold(kit_passages, _gold().assign(ambiguous=False))
    exact = float((matched["match"] == "exact").mean())
    reached, target = SEGMENTATION
    assert exact >= reached, f"segmentation {exact:.3f} (target {target})"
    assert (matched["match"] != "none").mean() >= 0.98


def test_role_accuracy(kit_passages) -> None:
    gold = _gold()
    matched = match_gold(kit_passages, gold.assign(ambiguous=gold["role_ambiguous"]))
    accuracy = float((matched["role"] == matched["gold_role"]).mean())
    reached, target = ROLE_ACCURACY
    assert accuracy >= reached, f"role accuracy {accuracy:.3f} (target {target})"


def test_core_topic_f1() -> None:
    lines = [json.dumps(row, ensure_ascii=False)
             for row in _gold()[["id", "text", "topics", "ambiguous"]].to_dict("records")]
    scores, _ = evaluate_codebook(gold_frame(lines, "more"), load_codebook())
    f1 = dict(zip(scores["topic"], scores["f1"]))
    for topic, (reached, target) in TOPIC_F1.items():
        assert f1[topic] >= reached, f"{topic} F1 {f1[topic]:.3f} (target {target})"
