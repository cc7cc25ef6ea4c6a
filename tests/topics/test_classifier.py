"""The trainable classifier on a small labelled set: Vietnamese-aware features, deterministic
training, cross-validation next to the codebook on the same folds, and versioned model files."""

from __future__ import annotations

import io

import joblib
import numpy as np
import pandas as pd
import pytest

from analysis.topics.classifier import (
    ModelError,
    combine_tags,
    cross_validate_topics,
    load_model,
    model_tags,
    save_model,
    topic_pipeline,
    train_model,
)
from analysis.topics.codebook import load_codebook
from analysis.topics.evaluate import evaluate_codebook, read_gold

from testdata import SEED_GOLD

CODEBOOK = load_codebook()
GOLD = read_gold(SEED_GOLD)
# A small labelled set: the passages of two seed documents.
SMALL = GOLD[GOLD["id"].str[:3].isin(["000", "004"])].reset_index(drop=True)


def test_features_keep_one_letter_syllables_and_accents():
    vectorizer = topic_pipeline().named_steps["tfidf"]
    assert vectorizer.strip_accents is None
    vectorizer.fit(["Thu chi ở trường", "Thư ký chỉ đạo", "HOÀ BÌNH", "Hòa Bình"])
    vocabulary = set(vectorizer.vocabulary_)
    assert {"ở", "thu", "thư", "chi", "chỉ"} <= vocabulary
    assert "hòa bình" in vocabulary and "hoà bình" not in vocabulary  # tone placement folded


def test_training_is_deterministic_and_learns_the_small_set():
    first = train_model(SMALL, CODEBOOK, random_state=0)
    second = train_model(SMALL, CODEBOOK, random_state=0)
    texts = SMALL["text"].tolist()
    for topic in first.topics:
        np.testing.assert_array_equal(first.pipelines[topic].predict_proba(texts),
                                      second.pipelines[topic].predict_proba(texts))
    predicted = first.predict(texts)
    kept = ~SMALL["ambiguous"]
    agree = [p == t for p, t, k in zip(predicted, SMALL["topics"], kept) if k]
    assert sum(agree) / len(agree) > 0.9


def test_cross_validation_reports_both_methods_on_the_same_folds():
    table = cross_validate_topics(SMALL, CODEBOOK, n_splits=3, random_state=0)
    assert set(table["method"]) == {"classifier", "codebook"}
    by_method = {m: t.set_index("topic") for m, t in table.groupby("method")}
    assert by_method["classifier"]["support"].equals(by_method["codebook"]["support"])
    # The codebook is not trained: pooled over the folds it scores as on the whole set.
    whole, _ = evaluate_codebook(SMALL, CODEBOOK)
    pd.testing.assert_series_equal(by_method["codebook"]["f1"], whole.set_index("topic")["f1"],
                                   check_names=False)
    assert by_method["classifier"]["f1"].between(0, 1).all()


def test_model_file_round_trip_and_version_check(tmp_path):
    model = train_model(SMALL, CODEBOOK)
    path = save_model(model, tmp_path / "model.joblib")
    loaded = load_model(path)
    texts = GOLD["text"].head(40).tolist()
    assert loaded.predict(texts) == model.predict(texts)
    assert (loaded.codebook_hash, loaded.version) == (CODEBOOK.hash, model.version)

    data = joblib.load(path)
    data["version"] = "0.0.1"
    buffer = io.BytesIO()
    joblib.dump(data, buffer)
    (tmp_path / "old.joblib").write_bytes(buffer.getvalue())
    with pytest.raises(ModelError, match=r"saved by giaoban 0\.0\.1, this is giaoban .*retrain") as caught:
        load_model(tmp_path / "old.joblib")
    assert "\n" not in str(caught.value)
    (tmp_path / "junk.joblib").write_text("not a model", encoding="utf-8")
    with pytest.raises(ModelError, match="not a giaoban model file"):
        load_model(tmp_path / "junk.joblib")
    with pytest.raises(ModelError, match="no such file"):
        load_model(tmp_path / "missing.joblib")


def test_model_tags_and_combination_with_codebook_tags():
    from analysis.topics.tagging import passages_tag

    model = train_model(SMALL, CODEBOOK)
    passages = pd.DataFrame({"doc_id": ["d"] * 3, "passage_id": [1, 2, 3],
                             "text": ["Các khoản thu đầu năm học.", "THÔNG BÁO",
                                      "Triển khai chương trình GDPT 2018."]})
    predicted = model_tags(passages, model)
    assert (predicted["start"] == -1).all() and (predicted["term"] == "").all()
    expected = {(1 + i, t) for i, ts in enumerate(model.predict(passages["text"].tolist())) for t in ts}
    assert set(zip(predicted["passage_id"], predicted["topic"])) == expected
    book = passages_tag(passages, CODEBOOK)
    both = combine_tags(book, predicted)
    keys = set(zip(both["passage_id"], both["topic"]))
    assert keys == set(zip(book["passage_id"], book["topic"])) | expected
    assert len(both) == len(book) + len(expected - set(zip(book["passage_id"], book["topic"])))
