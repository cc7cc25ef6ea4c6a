"""pyvi's own tokenizer against the kit's fast path to the same model (analysis.compare.pyvi_fast).

    python bench/bench_pyvi_fast.py [N_DOCS] [ROUNDS]

Texts: the distinct passages of N_DOCS documents of the benchmark corpus (bench/make_corpus.py,
default 2,000), prepared as the analysis feeds them to the segmenter (normalised, lower-cased).
Each round times both on all texts in this process (CPU seconds, alternating which goes first);
the table gives every round, the medians, their ratio, and how many outputs are identical.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # bench/ is a folder of scripts, not a package

from make_corpus import make_corpus  # noqa: E402


def corpus_texts(n_docs: int, workdir: Path) -> list[str]:
    from analysis.corpus.ingest import read_document
    from analysis.corpus.passages import split_passages
    from analysis.text.normalize import normalize_text

    texts: dict[str, None] = {}
    for index, path in enumerate(sorted(make_corpus(n_docs, workdir).iterdir())):
        text = normalize_text(read_document(path).text)
        for passage in split_passages(text, str(index))["text"]:
            texts[normalize_text(passage).lower()] = None
    return list(texts)


def main() -> None:
    from pyvi.ViTokenizer import ViTokenizer

    from analysis.compare.pyvi_fast import tokenize

    n_docs = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as workdir:
        texts = corpus_texts(n_docs, Path(workdir))
    runs = {"pyvi ViTokenizer.tokenize": ViTokenizer.tokenize, "analysis.compare.pyvi_fast.tokenize": tokenize}
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    outputs: dict[str, list[str]] = {}
    for round_ in range(rounds):
        for name in (list(runs) if round_ % 2 == 0 else list(runs)[::-1]):
            started = time.process_time()
            outputs[name] = [runs[name](text) for text in texts]
            seconds[name].append(time.process_time() - started)
    same = sum(a == b for a, b in zip(*outputs.values()))
    print(f"{len(texts):,} distinct passages of {n_docs:,} documents; {rounds} rounds\n")
    print("| tokenizer | " + " | ".join(f"round {r + 1}" for r in range(rounds)) + " | median CPU s | texts/s |")
    print("|---|" + "---|" * rounds + "---|---|")
    for name, values in seconds.items():
        median = statistics.median(values)
        cells = " | ".join(f"{v:.2f}" for v in values)
        print(f"| {name} | {cells} | {median:.2f} | {len(texts) / median:,.0f} |")
    base, fast = (statistics.median(v) for v in seconds.values())
    print(f"\nfast path: {base / fast:.2f}x faster; identical output for {same:,} of {len(texts):,} texts")


if __name__ == "__main__":
    main()
