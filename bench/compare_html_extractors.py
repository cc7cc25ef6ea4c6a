"""Main text, title and date of labelled web pages: the kit's BeautifulSoup reader against
trafilatura (with htmldate for the date).

    python bench/compare_html_extractors.py [SET_DIR] [--exclude-list FILE | --only-list FILE]

For every ``.html`` document of a labelled set (default ``tests/data/more``) each extractor's
text goes through the kit's own passage splitting; the figures are the share of labelled
passages found cut identically (``exact``) or not at all (``lost``), the kit passages that match
no labelled passage (``extra``: menus, counters, related links that got through), whether the
title is the labelled headline, and whether the date is the labelled one (the kit's metadata
rules on the BeautifulSoup text; htmldate's publication date for trafilatura). The extractor
that measures better is the one ``analysis.corpus.readers`` uses (see README; figures in
bench/README.md). trafilatura is not a dependency of the kit: install it to run this.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from analysis.corpus.evaluate import match_gold
from analysis.corpus.metadata import extract_metadata
from analysis.corpus.passages import split_passages
from analysis.corpus.readers import read_document
from analysis.evaluation import read_labelled_set, read_name_list, select_documents
from analysis.text.fold import fold_for_matching
from analysis.text.normalize import normalize_text


def trafilatura_page(path: Path) -> tuple[str, str, str]:
    """(title + main text, publication date, title) from trafilatura and htmldate."""
    try:
        import trafilatura
    except ImportError:
        sys.exit("this comparison needs trafilatura (not a dependency of the kit): pip install 'trafilatura>=2,<3'")

    data = path.read_bytes()
    doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False, include_tables=True)
    if doc is None:
        return "", "", ""
    text = doc.text or ""
    if doc.title and not text.startswith(doc.title):
        text = f"{doc.title}\n{text}"
    return normalize_text(text), doc.date or "", normalize_text(doc.title or "")


def soup_page(path: Path) -> tuple[str, str, str]:
    """(main text, date, title) from the kit's reader and metadata rules."""
    text = read_document(path).text
    meta = extract_metadata(text, split_passages(text, path.stem))
    return text, meta["date"], meta["title"]


def score_page(text: str, date: str, title: str, gold: pd.DataFrame, expected_date: str, doc_id: str) -> dict:
    passages = split_passages(text, doc_id)
    matched = match_gold(passages, gold.assign(ambiguous=False))
    gold_texts = [fold_for_matching(t) for t in gold["text"]]
    extra = sum(1 for t in passages["text"]
                if not any(fold_for_matching(t) in g or g in fold_for_matching(t) for g in gold_texts))
    return {"labelled": len(matched), "exact": int((matched["match"] == "exact").sum()),
            "lost": int((matched["match"] == "none").sum()), "extra": extra,
            "headline": fold_for_matching(title) == gold_texts[0], "date": date == expected_date}


def compare(labelled) -> pd.DataFrame:
    rows = []
    for row in labelled.documents.itertuples(index=False):
        if not row.file.lower().endswith((".html", ".htm")):
            continue
        path = labelled.docs_dir / row.file
        gold = labelled.passages[labelled.passages["source"] == row.file]
        for name, extractor in (("beautifulsoup", soup_page), ("trafilatura", trafilatura_page)):
            text, date, title = extractor(path)
            rows.append({"file": row.file, "extractor": name,
                         **score_page(text, date, title, gold, row.date, Path(row.file).stem)})
    return pd.DataFrame(rows)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set_dir", nargs="?", default="tests/data/more")
    parser.add_argument("--exclude-list")
    parser.add_argument("--only-list")
    args = parser.parse_args(argv)
    labelled = select_documents(read_labelled_set(args.set_dir),
                                read_name_list(args.exclude_list) if args.exclude_list else None,
                                read_name_list(args.only_list) if args.only_list else None)
    table = compare(labelled)
    print(table.to_string(index=False))
    totals = table.groupby("extractor").agg(pages=("file", "size"), labelled=("labelled", "sum"),
                                            exact=("exact", "sum"), lost=("lost", "sum"), extra=("extra", "sum"),
                                            headline=("headline", "sum"), date=("date", "sum"))
    totals["exact_share"] = (totals["exact"] / totals["labelled"]).round(3)
    print()
    print(totals.to_markdown())


if __name__ == "__main__":
    main(sys.argv[1:])
