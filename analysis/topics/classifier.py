"""A trainable topic classifier: one scikit-learn Pipeline (TF-IDF + logistic regression) per topic.

Researchers who label their own passages (gold jsonl format) train it with ``giaoban train``;
``cross_validate_topics`` scores it next to the codebook on the same folds. Models are saved
with the package version and the codebook hash; a model from another version is refused.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline

import analysis
from analysis.io import write_bytes_atomic
from analysis.text.fold import fold_for_matching
from analysis.topics.codebook import Codebook
from analysis.topics.evaluate import evaluation_topics, gold_predict, score_topics

MODEL_FORMAT = "giaoban-topic-classifier"
# Vietnamese syllables can be one letter ("ở", "y"): keep every run of word characters.
TOKEN_PATTERN = r"(?u)\b\w+\b"


class ModelError(ValueError):
    """A model file that cannot be used (wrong format or package version)."""


def topic_pipeline(random_state: int = 0) -> Pipeline:
    """TF-IDF over syllables and syllable pairs, then a class-balanced logistic regression."""
    return Pipeline([
        ("tfidf", TfidfVectorizer(preprocessor=fold_for_matching, token_pattern=TOKEN_PATTERN,
                                  strip_accents=None, ngram_range=(1, 2), sublinear_tf=True)),
        ("clf", LogisticRegression(class_weight="balanced", C=10.0, max_iter=2000,
                                   random_state=random_state)),
    ])


def _fit_one(texts: list[str], y: np.ndarray, random_state: int) -> Pipeline:
    if len(set(y.tolist())) < 2:  # a topic never (or always) present: predict that constant
        pipe = Pipeline([("tfidf", TfidfVectorizer(preprocessor=fold_for_matching,
                                                   token_pattern=TOKEN_PATTERN, strip_accents=None)),
                         ("clf", DummyClassifier(strategy="constant", constant=int(y[0]) if len(y) else 0))])
        return pipe.fit(texts or [""], y if len(y) else np.array([0]))
    return topic_pipeline(random_state).fit(texts, y)


@dataclass
class TopicModel:
    """Fitted pipelines per topic, with what they were trained with."""

    pipelines: dict[str, Pipeline]
    codebook_hash: str
    version: str
    random_state: int
    n_train: int

    @property
    def topics(self) -> list[str]:
        return list(self.pipelines)

    def predict(self, texts: list[str]) -> list[list[str]]:
        """Sorted predicted topic ids for each text."""
        if not texts:
            return []
        flags = {topic: pipe.predict(list(texts)) for topic, pipe in self.pipelines.items()}
        return [sorted(t for t in self.pipelines if flags[t][i]) for i in range(len(texts))]


def _usable(gold: pd.DataFrame) -> pd.DataFrame:
    kept = gold.loc[~gold["ambiguous"]].reset_index(drop=True)
    if kept.empty:
        raise ValueError("the gold file has no passages that are not marked ambiguous")
    return kept


def train_model(gold: pd.DataFrame, codebook: Codebook, topics: list[str] | None = None,
                random_state: int = 0) -> TopicModel:
    """Fit one pipeline per topic on the non-ambiguous gold passages."""
    kept = _usable(gold)
    topics = topics or evaluation_topics(gold, codebook)
    texts = kept["text"].tolist()
    pipelines = {t: _fit_one(texts, _labels(kept, t), random_state) for t in topics}
    return TopicModel(pipelines, codebook.hash, analysis.__version__, random_state, len(kept))


def _labels(frame: pd.DataFrame, topic: str) -> np.ndarray:
    return frame["topics"].map(lambda ts: int(topic in ts)).to_numpy()


def cross_validate_topics(gold: pd.DataFrame, codebook: Codebook, n_splits: int = 5,
                          random_state: int = 0) -> pd.DataFrame:
    """P/R/F1 per topic of the classifier and of the codebook, pooled over the same K folds."""
    kept = _usable(gold)
    if len(kept) < n_splits or n_splits < 2:
        raise ValueError(f"need at least {max(n_splits, 2)} passages for {n_splits}-fold "
                         f"cross-validation, the gold has {len(kept)}")
    topics = evaluation_topics(gold, codebook)
    folds = KFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    model_rows, book_rows = [], []
    for train, test in folds.split(kept):
        model = train_model(kept.iloc[train], codebook, topics, random_state)
        held = kept.iloc[test]
        model_rows.append(pd.DataFrame({"id": held["id"].tolist(),
                                        "topics": model.predict(held["text"].tolist())}))
        book_rows.append(gold_predict(held, codebook)[["id", "topics"]])
    out = []
    for method, rows in (("classifier", model_rows), ("codebook", book_rows)):
        scores = score_topics(kept, pd.concat(rows, ignore_index=True), topics)
        out.append(scores.assign(method=method))
    table = pd.concat(out, ignore_index=True)
    return table[["topic", "method"] + [c for c in table.columns if c not in ("topic", "method")]]


def save_model(model: TopicModel, path: str | Path) -> Path:
    """Write ``model`` with joblib (atomically), tagged with format and package version."""
    buffer = io.BytesIO()
    joblib.dump({"format": MODEL_FORMAT, "version": model.version,
                 "codebook_hash": model.codebook_hash, "random_state": model.random_state,
                 "n_train": model.n_train, "pipelines": model.pipelines}, buffer)
    return write_bytes_atomic(path, buffer.getvalue())


def load_model(path: str | Path) -> TopicModel:
    """Read a model saved by :func:`save_model`; refuse other formats and package versions."""
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"model {path}: no such file; train one with `giaoban train --out {path}`")
    try:
        data = joblib.load(path)
    except Exception as exc:  # joblib/pickle raise many types for a file that is not a model
        raise ModelError(f"model {path}: not a giaoban model file ({type(exc).__name__})") from None
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise ModelError(f"model {path}: not a giaoban model file")
    if data.get("version") != analysis.__version__:
        raise ModelError(f"model {path} was saved by giaoban {data.get('version')}, this is "
                         f"giaoban {analysis.__version__}: retrain it with `giaoban train`")
    return TopicModel(data["pipelines"], data["codebook_hash"], data["version"],
                      data["random_state"], data["n_train"])


def model_tags(passages: pd.DataFrame, model: TopicModel) -> pd.DataFrame:
    """Tags (``TAG_COLUMNS``) predicted by ``model``: no evidence span (term "", start/end -1)."""
    from analysis.topics.tagging import tags_frame

    predicted = model.predict(["" if pd.isna(t) else str(t) for t in passages["text"]])
    rows = [(doc, pid, topic, "", -1, -1)
            for doc, pid, topics in zip(passages["doc_id"], passages["passage_id"], predicted)
            for topic in topics]
    return tags_frame(rows, like=passages)


def combine_tags(codebook_tags: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Codebook tags plus model tags for (passage, topic) pairs the codebook did not find."""
    from analysis.topics.tagging import tags_frame

    found = set(zip(codebook_tags["doc_id"], codebook_tags["passage_id"], codebook_tags["topic"]))
    extra = predicted[[key not in found for key in
                       zip(predicted["doc_id"], predicted["passage_id"], predicted["topic"])]]
    return tags_frame(list(pd.concat([codebook_tags, extra]).itertuples(index=False, name=None)),
                      like=codebook_tags)
