"""Ingest speed of this work tree against an earlier commit, on the same synthetic corpus.

    python bench/bench_ingest_change.py BASE_COMMIT [N_DOCS=2000] [ROUNDS=3]

The earlier commit's ``analysis/`` package is exported with ``git archive`` into a temporary
folder; each round runs a first ingest with the old code and with the current code, each in a
fresh process pinned to one core (``taskset -c 0``), alternating so that load from other work on
a shared machine hits both alike. Reported: CPU seconds of ``ingest()`` (the process's own time,
less disturbed by other work than wall time) per round, the median of each, and their ratio.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))  # bench/ is a folder of scripts, not a package

from make_corpus import make_corpus  # noqa: E402

CHILD = r"""
import sys, tempfile, time
from analysis.corpus.ingest import ingest
build = tempfile.mkdtemp()
started = time.process_time()
ingest(sys.argv[1], build, progress=False)
print(time.process_time() - started)
"""


def export_package(commit: str, target: Path) -> None:
    """``analysis/`` as it was at ``commit``, unpacked under ``target``."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "analysis"],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")


def cpu_seconds(package_root: Path, corpus: Path) -> float:
    command = [sys.executable, "-c", CHILD, str(corpus)]
    if hasattr(os, "sched_setaffinity"):
        command = ["taskset", "-c", "0", *command]
    env = {**os.environ, "PYTHONPATH": str(package_root)}
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env, cwd=package_root).stdout
    return float(out.strip().splitlines()[-1])


def main(commit: str, n_docs: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base, corpus = Path(tmp) / "base", Path(tmp) / "corpus"
        export_package(commit, base)
        make_corpus(n_docs, corpus)
        times: dict[str, list[float]] = {"base": [], "current": []}
        for _ in range(rounds):
            times["base"].append(cpu_seconds(base, corpus))
            times["current"].append(cpu_seconds(REPO, corpus))
    print(f"| code | {' | '.join(f'round {i + 1}' for i in range(rounds))} | median CPU s |")
    print("|---|" + "---|" * (rounds + 1))
    for name, values in times.items():
        label = commit[:10] if name == "base" else "this tree"
        print(f"| {label} | {' | '.join(f'{v:.2f}' for v in values)} | {statistics.median(values):.2f} |")
    ratio = statistics.median(times["current"]) / statistics.median(times["base"])
    print(f"\n{n_docs} documents: this tree takes {ratio:.3f}x the CPU time of {commit[:10]}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000,
         int(sys.argv[3]) if len(sys.argv) > 3 else 3)
