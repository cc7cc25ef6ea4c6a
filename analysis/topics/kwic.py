"""Keyword in context: every match of a topic (or of a phrase) with the words around it."""

from __future__ import annotations

import pandas as pd

from analysis.text.fold import one_line
from analysis.topics.codebook import Codebook, CodebookError, Pattern, Topic, compile_pattern, load_codebook, with_hash
from analysis.topics.tagging import passages_tag

KWIC_COLUMNS = ["doc_id", "passage_id", "province", "role", "topic", "left", "match", "right",
                "start", "end"]


def phrase_codebook(phrase: str) -> Codebook:
    """A one-topic codebook for a free phrase, read like any codebook pattern."""
    pattern = Pattern(phrase)
    try:
        compile_pattern(pattern)
    except ValueError as exc:
        raise CodebookError(f"kwic phrase {phrase!r}: {exc}") from None
    return with_hash(Codebook((Topic("phrase", phrase, phrase, include=(pattern,)),)))


def kwic(passages: pd.DataFrame, query: str, codebook: Codebook | None = None,
         documents: pd.DataFrame | None = None, width: int = 40) -> pd.DataFrame:
    """KWIC lines for ``query``: a topic id of ``codebook``, else a phrase pattern.

    One row per match: document, province (from ``documents``), role, left context, match,
    right context (``width`` characters each, whitespace folded), and the span in the passage.
    """
    if width < 0:
        raise ValueError(f"width must be >= 0, got {width}")
    codebook = codebook if codebook is not None else load_codebook()
    if query in codebook.ids:
        tags = passages_tag(passages, codebook.subset([query]))
    else:
        tags = passages_tag(passages, phrase_codebook(query)).assign(topic="")
    texts = passages.set_index(["doc_id", "passage_id"])
    provinces = {} if documents is None else dict(zip(documents["doc_id"], documents["province"]))
    rows = []
    for tag in tags.itertuples(index=False):
        key = (tag.doc_id, tag.passage_id)
        text = str(texts.at[key, "text"])
        role = texts.at[key, "role"] if "role" in texts.columns else None
        rows.append({"doc_id": tag.doc_id, "passage_id": tag.passage_id,
                     "province": provinces.get(tag.doc_id), "role": role, "topic": tag.topic,
                     "left": one_line(text[:tag.start])[-width:] if width else "",
                     "match": one_line(text[tag.start:tag.end]),
                     "right": one_line(text[tag.end:])[:width] if width else "",
                     "start": tag.start, "end": tag.end})
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)

