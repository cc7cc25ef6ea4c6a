"""Report rendering time on the seed corpus.

    python bench/bench_reports.py [--repeat N]

Measured (wall clock, each a fresh `giaoban` process, as a user or a cron job runs it):
- baseline: plain `jupyter nbconvert --execute --to html` of the Lào Cai province notebook
  (parameters injected beforehand with papermill's prepare_only, so it runs the same code);
- `giaoban render province --province "Lào Cai"` (papermill + offline HTML + sidecar + index);
- `giaoban render all` with --jobs 1 and --jobs 2 into empty folders;
- `giaoban render all --if-changed` when nothing changed.
Goal: one report < 10 s; `render all --if-changed` with nothing changed < 3 s; the HTML of a
province report < 3 MB (it carries the table library, figures and every evidence passage).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GIAOBAN = [str(BIN / "giaoban")]


def run(cmd: list[str]) -> float:
    """Wall time of ``cmd`` (fails loudly if it fails)."""
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    return time.perf_counter() - started


def build_seed(root: Path) -> Path:
    build = root / "build"
    run(GIAOBAN + ["ingest", "--corpus", str(REPO / "corpus"), "--build", str(build)])
    run(GIAOBAN + ["tag", "--build", str(build)])
    run(GIAOBAN + ["analyze", "--build", str(build), "--figures", str(root / "figures"), "--no-progress"])
    return build


def prepared_notebook(build: Path, root: Path) -> Path:
    """The province notebook with Lào Cai's parameters injected, not executed."""
    import papermill

    from analysis import paths
    from analysis.reports.jobs import load_notebook

    out = root / "baseline.ipynb"
    papermill.execute_notebook(load_notebook(paths.REPORT_NOTEBOOKS_DIR / "province.py"), str(out),
                               parameters={"province": "Lào Cai", "build_dir": str(build)},
                               prepare_only=True, progress_bar=False)
    return out


def measure(build: Path, root: Path, repeat: int) -> list[tuple[str, list[float]]]:
    notebook = prepared_notebook(build, root)
    nbconvert = [str(BIN / "jupyter"), "nbconvert", "--execute", "--to", "html", str(notebook),
                 "--output-dir", str(root / "baseline")]
    province = GIAOBAN + ["render", "province", "--province", "Lào Cai", "--build", str(build),
                          "--out", str(root / "one")]
    rows = [("baseline: jupyter nbconvert --execute --to html", [run(nbconvert) for _ in range(repeat)]),
            ('giaoban render province --province "Lào Cai"', [run(province) for _ in range(repeat)])]
    for jobs in (1, 2):
        times = []
        for i in range(repeat):
            out = root / f"all-{jobs}-{i}"
            times.append(run(GIAOBAN + ["render", "all", "--build", str(build), "--out", str(out),
                                        "--jobs", str(jobs)]))
        rows.append((f"giaoban render all --jobs {jobs}", times))
    unchanged = GIAOBAN + ["render", "all", "--build", str(build), "--out", str(root / "all-2-0"),
                           "--jobs", "2", "--if-changed"]
    rows.append(("giaoban render all --if-changed (nothing changed)", [run(unchanged) for _ in range(repeat)]))
    return rows


def html_sizes(folder: Path) -> list[tuple[str, float]]:
    """(report, MB) of every rendered HTML file in ``folder``, largest first."""
    sizes = [(page.name, page.stat().st_size / 1e6) for page in folder.glob("*.html")]
    return sorted(sizes, key=lambda item: -item[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement (median shown)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="giaoban-bench-reports-"))
    try:
        rows = measure(build_seed(root), root, args.repeat)
        sizes = html_sizes(root / "all-2-0")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    baseline = statistics.median(rows[0][1])
    print("| command | median s | runs (s) | vs baseline |")
    print("|---|---:|---|---:|")
    for name, times in rows:
        median = statistics.median(times)
        runs = ", ".join(f"{t:.1f}" for t in times)
        print(f"| {name} | {median:.2f} | {runs} | {median / baseline:.2f}× |")
    print("\n| HTML file | MB |\n|---|---:|")
    for name, megabytes in sizes:
        print(f"| {name} | {megabytes:.2f} |")


if __name__ == "__main__":
    main()
