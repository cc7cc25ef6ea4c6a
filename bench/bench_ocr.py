"""OCR of scanned PDFs: pages per second with one and two jobs, and character error rate (CER).

    python bench/bench_ocr.py [--compare-seeds N]

Scans: the five seeds printed and 'scanned' by ``tests/ocr_fixtures.py`` (300 dpi, noise, a
slight turn, a red seal over the signature; 27 pages), and the same seeds as a degraded scan
(150 dpi, blur, heavy noise). Every timed run is a fresh process without an OCR cache; one job
runs pinned to one core (``taskset -c 0``), two jobs on both cores. Wall time (pages/s) and CPU
time per page (the process and its Tesseract children) are reported with the 1-minute load
average at the end of the run: on a shared machine the wall times vary, CPU time less.

1. The kit (``read_document``: pdfium rendering, red channel, Tesseract ``vie`` through
   pytesseract, general repairs), 1 and 2 jobs, on all scans.
2. Engine choice, on the first N seeds (default 2): the kit against OCRmyPDF (``ocrmypdf -l vie
   --sidecar``, its own rendering with Ghostscript, the same Tesseract), 1 and 2 jobs, and the
   kit with a luminance grey instead of the red channel (what a seal does to the text).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))  # the scan fixtures the tests use

from ocr_fixtures import DEGRADED, STAMPED, scanned_seed_corpus  # noqa: E402

PIN = ["taskset", "-c", "0"] if shutil.which("taskset") else []

KIT = r"""
import json, resource, sys, time
from pathlib import Path
from analysis.corpus import ocr
from analysis.corpus.readers import read_document
jobs, grey, files = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
if grey == "luminance":  # the alternative to the red channel, for the comparison
    def luminance(page):
        dpi = ocr._scan_dpi(page)
        return page.to_image(resolution=dpi, antialias=True).original.convert("L"), dpi
    ocr._render = luminance
settings = ocr.OcrSettings(jobs=jobs)
started = time.perf_counter()
docs = {Path(f).stem: read_document(f, ocr=settings) for f in files}
seconds = time.perf_counter() - started
cpu = sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
          for field in ("ru_utime", "ru_stime"))
print(json.dumps({"seconds": seconds, "cpu": cpu, "texts": {k: d.text for k, d in docs.items()},
                  "confidence": {k: d.ocr_confidence for k, d in docs.items()}}))
"""


def pages(files: list[Path]) -> int:
    import pdfplumber

    total = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            total += len(pdf.pages)
    return total


def cer(seed: str, text: str) -> float:
    from rapidfuzz.distance import Levenshtein

    from analysis.text.normalize import normalize_text

    reference = " ".join(normalize_text((REPO / "corpus" / "raw" / f"{seed}.txt").read_text("utf-8")).split())
    return Levenshtein.distance(reference, " ".join(normalize_text(text).split())) / len(reference)


def run_kit(files: list[Path], jobs: int, grey: str = "red") -> tuple[float, float, dict[str, str], list[float]]:
    command = [*(PIN if jobs == 1 else []), sys.executable, "-c", KIT, str(jobs), grey, *map(str, files)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["seconds"], result["cpu"], result["texts"], list(result["confidence"].values())


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_ocrmypdf(files: list[Path], jobs: int, workdir: Path) -> tuple[float, float, dict[str, str], list[float]]:
    texts, seconds, cpu_before = {}, 0.0, _children_cpu()
    for path in files:
        sidecar = workdir / f"{path.stem}.txt"
        command = [*(PIN if jobs == 1 else []), "ocrmypdf", "-q", "-l", "vie", "--jobs", str(jobs),
                   "--output-type", "pdf", "-O0", "--sidecar", str(sidecar), str(path), str(workdir / path.name)]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        seconds += time.perf_counter() - started
        texts[path.stem] = sidecar.read_text(encoding="utf-8")
    return seconds, _children_cpu() - cpu_before, texts, []  # (its text output has no confidences)


def row(run: str, files: list[Path], seconds: float, cpu: float, texts: dict[str, str],
        confidences: list[float]) -> dict:
    rates = [cer(seed, text) for seed, text in texts.items()]
    n_pages = pages(files)
    return {"run": run, "pages": n_pages, "wall s": round(seconds, 1), "pages/s (wall)": round(n_pages / seconds, 3),
            "CPU s per page": round(cpu / n_pages, 2), "mean CER %": round(100 * sum(rates) / len(rates), 2),
            "max CER %": round(100 * max(rates), 2),
            "confidence": f"{min(confidences):.2f}-{max(confidences):.2f}" if confidences else "-",
            "load": round(os.getloadavg()[0], 1)}


def table(rows: list[dict]) -> str:
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(r[h]) for h in header) + " |" for r in rows]
    return "\n".join(lines)


def main(compare_seeds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        stamped = sorted((scanned_seed_corpus(root / "stamped", STAMPED) / "raw").glob("*.pdf"))
        degraded = sorted((scanned_seed_corpus(root / "degraded", DEGRADED) / "raw").glob("*.pdf"))
        rows = []
        for jobs in (1, 2):
            rows.append(row(f"kit, {jobs} job(s), stamped scans", stamped, *run_kit(stamped, jobs)))
        rows.append(row("kit, 2 jobs, degraded scans", degraded, *run_kit(degraded, 2)))
        print(table(rows))
        one, two = rows[0]["pages/s (wall)"], rows[1]["pages/s (wall)"]
        print(f"\n2 jobs: {two / one:.2f}x the pages/s of 1 job\n")
        subset = stamped[:compare_seeds]
        if not subset:  # --compare-seeds 0: throughput and CER only
            return
        compare = [row("kit (pytesseract), 1 job", subset, *run_kit(subset, 1)),
                   row("kit (pytesseract), 2 jobs", subset, *run_kit(subset, 2)),
                   row("kit, luminance grey instead of red channel, 2 jobs", subset, *run_kit(subset, 2, "luminance"))]
        if shutil.which("ocrmypdf"):
            work = root / "ocrmypdf"
            work.mkdir()
            for jobs in (1, 2):
                compare.append(row(f"OCRmyPDF, {jobs} job(s)", subset, *run_ocrmypdf(subset, jobs, work)))
        else:
            print("(ocrmypdf not installed: apt-get install ocrmypdf to compare)")
        print(table(compare))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare-seeds", type=int, default=2,
                        help="seeds in the engine comparison (0: leave the comparison out)")
    main(parser.parse_args().compare_seeds)
