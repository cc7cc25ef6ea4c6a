"""Tagging throughput of the default codebook on the synthetic corpus, against a naive baseline.

    python bench/bench_tagging.py [N_DOCS] [SAMPLE_EVERY]

Passages: the non-empty lines of ``make_corpus.synthetic_document(i)`` for i < N_DOCS
(default 10,000 documents), made in memory, so the benchmark measures tagging only.
Baseline, measured in the same run on a sample (every SAMPLE_EVERY-th document, default 10):
for each passage, for each pattern, a separate ``re.search`` (``passages_tag(naive=True)``).
The fast matcher runs on the same sample (ratio and identical tags) and on the whole corpus.
The process is pinned to one core; MB are UTF-8 bytes of passage text; times are the best of
2 (naive) or 3 (fast) runs, in CPU seconds (``time.process_time``) and wall seconds, because
the machine is shared with other jobs.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # bench/ is a folder of scripts, not a package

from make_corpus import seed_lines, synthetic_document  # noqa: E402

from analysis.topics.codebook import load_codebook  # noqa: E402
from analysis.topics.tagging import compile_codebook, passages_tag  # noqa: E402


def synthetic_passages(n_docs: int, every: int = 1) -> pd.DataFrame:
    """Passages (doc_id, passage_id, text) of synthetic documents 0, every, 2*every, ... < n_docs."""
    seeds = seed_lines()
    rows = []
    for index in range(0, n_docs, every):
        lines = [line for line in synthetic_document(index, seeds).splitlines() if line.strip()]
        rows.extend((f"syn_{index:05d}", number, line) for number, line in enumerate(lines, start=1))
    return pd.DataFrame(rows, columns=["doc_id", "passage_id", "text"])


def timed(passages: pd.DataFrame, codebook, naive: bool, repeat: int) -> tuple[pd.DataFrame, float, float]:
    """Tags and the best CPU and wall seconds of ``repeat`` runs (the machine is shared)."""
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        tags = passages_tag(passages, codebook, naive=naive)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return tags, best_cpu, best_wall


def row(label: str, passages: pd.DataFrame, tags: pd.DataFrame, cpu: float, wall: float) -> dict:
    megabytes = passages["text"].str.encode("utf-8").str.len().sum() / 1e6
    return {"run": label, "passages": len(passages), "MB": round(megabytes, 1),
            "tags": len(tags), "CPU s": round(cpu, 2), "wall s": round(wall, 2),
            "MB/s (CPU)": round(megabytes / cpu, 2), "passages/s (CPU)": round(len(passages) / cpu)}


def main(n_docs: int = 10_000, every: int = 10) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    codebook = load_codebook()
    compile_codebook(codebook)  # compiled once, outside the timings
    n_patterns = sum(len(t.include) + len(t.exclude) for t in codebook.topics)
    sample = synthetic_passages(n_docs, every)
    naive_tags, naive_cpu, naive_wall = timed(sample, codebook, naive=True, repeat=2)
    fast_tags, fast_cpu, fast_wall = timed(sample, codebook, naive=False, repeat=3)
    identical = fast_tags.equals(naive_tags)
    corpus = synthetic_passages(n_docs)
    all_tags, all_cpu, all_wall = timed(corpus, codebook, naive=False, repeat=3)
    table = pd.DataFrame([
        row(f"naive baseline, sample 1/{every}", sample, naive_tags, naive_cpu, naive_wall),
        row(f"fast, sample 1/{every}", sample, fast_tags, fast_cpu, fast_wall),
        row(f"fast, all {n_docs:,} docs", corpus, all_tags, all_cpu, all_wall),
    ])
    print(f"codebook: {len(codebook.topics)} topics, {n_patterns} patterns; "
          f"{len(corpus) / n_docs:.1f} passages per document")
    print(table.to_markdown(index=False) if _has_tabulate() else table.to_string(index=False))
    print(f"\nspeed-up over the naive baseline on the sample (CPU): {naive_cpu / fast_cpu:.1f}x; "
          f"tags identical: {identical} ({len(fast_tags):,} tags)")
    if not identical:
        raise SystemExit("fast and naive tags differ")


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
