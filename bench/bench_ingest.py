"""Ingestion throughput and peak memory on synthetic corpora of 2,000 and 10,000 documents.

    python bench/bench_ingest.py [N ...]

Each measurement runs in a fresh subprocess pinned to one core, so its peak RSS is its own.
Baseline measured in the same run: reading and UTF-8-decoding the same files, nothing else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # bench/ is a folder of scripts, not a package

from make_corpus import make_corpus  # noqa: E402

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, corpus, build = sys.argv[1:4]
started = time.perf_counter()
if mode == "baseline":
    total = sum(len(p.read_bytes().decode("utf-8")) for p in sorted(Path(corpus, "raw").glob("*.txt")))
    docs = None
else:
    from analysis.corpus.ingest import ingest
    result = ingest(corpus, build, progress=False)
    docs = len(result.documents)
elapsed = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb, "docs": docs}))
"""


def run_child(mode: str, corpus: Path, build: Path) -> dict:
    command = [sys.executable, "-c", CHILD, mode, str(corpus), str(build)]
    if hasattr(os, "sched_setaffinity"):
        command = ["taskset", "-c", "0", *command]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(n: int, workdir: Path) -> list[dict]:
    corpus = workdir / f"corpus_{n}"
    make_corpus(n, corpus)
    size_mb = sum(p.stat().st_size for p in (corpus / "raw").iterdir()) / 1e6
    build = workdir / f"build_{n}"
    rows = []
    for label, mode in (("read+decode baseline", "baseline"), ("ingest, first run", "ingest"),
                        ("ingest, unchanged re-run", "ingest")):
        stats = run_child(mode, corpus, build)
        rows.append({"docs": n, "MB": round(size_mb, 1), "run": label, "seconds": round(stats["seconds"], 2),
                     "MB/s": round(size_mb / stats["seconds"], 2), "docs/s": round(n / stats["seconds"]),
                     "peak MB": round(stats["peak_mb"])})
    return rows


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rows = [row for n in sizes for row in measure(n, Path(tmp))]
    header = list(rows[0])
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(str(row[h]) for h in header) + " |")
    for n in sizes:
        first, rerun = [r["seconds"] for r in rows if r["docs"] == n and r["run"].startswith("ingest")]
        print(f"{n} docs: unchanged re-run is {first / rerun:.1f}x faster than the first run")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2000, 10000])
