"""Analysis benchmark: segmenters on the seeds, then `giaoban analyze` on 10,000 synthetic documents.

    python bench/bench_analysis.py [--docs N] [--build DIR]

1. Segmenters (pyvi, and underthesea if installed) on the gold seed passages: speed and how
   often known multi-syllable terms stay one word, raw and after giaoban's phrase joining.
2. A synthetic corpus of N documents (bench/make_corpus.py) is ingested and tagged (not timed
   here), unless --build points to a folder that already has documents, passages and tags.
3. In a fresh subprocess pinned to one core: the analyze stage function (the one the command
   runs), with the time of each of its steps and the peak RSS after each (ru_maxrss);
   baseline = reading the three input tables in the same process.
4. The whole `giaoban analyze` command, pinned to one core, with a cold and a warm segmentation cache.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# Multi-syllable words that are NOT in analysis/data/phrases_vi.txt, so "terms whole (raw)" measures
# the segmenter itself, not the kit's phrase joiner (checked at run time).
TERMS = ["chất lượng", "đào tạo", "chỉ đạo", "kế hoạch", "triển khai", "thực hiện", "nhiệm vụ", "hội nghị",
         "phòng học", "trường học", "đánh giá", "kiểm tra"]
PIN = ["taskset", "-c", "0"] if hasattr(os, "sched_setaffinity") else []

STAGES = r"""
import json, resource, sys, time
import pandas as pd
build = sys.argv[1]
rows, clock = [], time.perf_counter()
def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
docs, passages, tags = (pd.read_parquet(f"{build}/{n}.parquet") for n in ("documents", "passages", "tags"))
rows.append({"stage": "baseline: read 3 input tables", "seconds": time.perf_counter() - clock,
             "peak_mb": peak_mb(), "n": len(passages)})
from analysis.compare.analyze import analyze
from analysis.topics.codebook import load_codebook
content = passages[passages["role"] != "context"]
timings = {}
analyze(docs, passages, tags, topics=load_codebook().ids, timings=timings)  # the stage the CLI runs
for step, seconds in timings.items():
    rows.append({"stage": step, "seconds": seconds, "peak_mb": peak_mb()})
rows[1]["n"], rows[1]["distinct"] = len(content), int(content["text"].nunique())
print(json.dumps(rows))
"""


def segmenter_quality() -> list[dict]:
    """Speed and multi-syllable term integrity of each segmenter on the gold seed passages."""
    from analysis.compare import features as ft

    texts = [json.loads(x)["text"] for x in (REPO / "tests/data/topics_dev.jsonl").read_text("utf-8").splitlines() if x]
    syllables = sum(len(t.split()) for t in texts)
    phrases, stop = ft.load_phrases(), frozenset()
    listed = {" ".join(p) for p in phrases} & set(TERMS)
    assert not listed, f"benchmark terms in the phrase list: {sorted(listed)}"
    rows = []
    for name in ft.SEGMENTERS:
        try:
            ft.raw_words("khởi động", name)  # load the model outside the timing
        except ImportError:
            rows.append({"segmenter": name, "note": "not installed"})
            continue
        started = time.perf_counter()
        raw = [ft.raw_words(t, name) for t in texts]
        seconds = time.perf_counter() - started
        joined = [" ".join(ft.finish_words(r, phrases, stop)) for r in raw]
        rows.append({"segmenter": name, "seconds": round(seconds, 2), "syllables/s": round(syllables / seconds),
                     "terms whole (raw)": _whole(texts, raw), "terms whole (+phrases)": _whole(texts, joined)})
    return rows


def _whole(texts: list[str], segmented: list[str]) -> str:
    from analysis.text.normalize import normalize_text

    total = kept = 0
    for text, words in zip(texts, segmented):
        folded = " ".join(normalize_text(text).lower().split())
        for term in TERMS:
            n = folded.count(term)
            total += n
            joined = "_".join(term.split())
            kept += min(n, sum(f"_{joined}_" in f"_{w}_" for w in words.split()))
    return f"{kept}/{total}"


def prepare_build(n: int, workdir: Path) -> Path:
    """Synthetic corpus -> ingest -> tag, with the project's own CLI."""
    sys.path.insert(0, str(HERE))
    from make_corpus import make_corpus

    corpus, build = workdir / "corpus", workdir / "build"
    make_corpus(n, corpus)
    giaoban = [str(Path(sys.executable).with_name("giaoban"))]
    subprocess.run([*giaoban, "ingest", "--corpus", str(corpus), "--build", str(build), "--no-progress"],
                   check=True, capture_output=True)
    subprocess.run([*giaoban, "tag", "--build", str(build), "--no-progress"], check=True, capture_output=True)
    return build


def stage_times(build: Path) -> list[dict]:
    out = subprocess.run([*PIN, sys.executable, "-c", STAGES, str(build)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def whole_command(build: Path, cold: bool) -> dict:
    if cold:
        for cache in build.glob("segments_*.parquet"):
            cache.unlink()
    giaoban = str(Path(sys.executable).with_name("giaoban"))
    with tempfile.TemporaryDirectory() as figures:
        started = time.perf_counter()
        out = subprocess.run(["/usr/bin/time", "-f", "%M", *PIN, giaoban, "analyze", "--build", str(build),
                              "--figures", figures, "--no-progress"], check=True, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    return {"run": f"giaoban analyze ({'cold' if cold else 'warm'} segmentation cache)",
            "seconds": round(seconds, 1), "peak MB": round(int(out.stderr.strip().splitlines()[-1]) / 1024),
            "steps": out.stdout.strip().splitlines()[-1]}


def table(rows: list[dict]) -> str:
    cols = list(dict.fromkeys(k for r in rows for k in r))
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    return "\n".join(lines + ["| " + " | ".join(str(r.get(c, "")) for c in cols) + " |" for r in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--build", type=Path, help="existing build folder with documents, passages and tags")
    args = parser.parse_args()
    print("### Segmenters on the seed passages\n\n" + table(segmenter_quality()) + "\n", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        build = args.build or prepare_build(args.docs, Path(tmp))
        stages = stage_times(build)
        base = stages[0]["seconds"]
        for row in stages:
            row["seconds"] = round(row["seconds"], 2)
            row["× baseline"] = round(row["seconds"] / base, 1) if base else ""
            row["peak_mb"] = round(row["peak_mb"])
        print(f"### Stages on {build} (one core)\n\n" + table(stages) + "\n", flush=True)
        print("### Whole command (one core)\n\n" + table([whole_command(build, True), whole_command(build, False)]))


if __name__ == "__main__":
    main()
