"""Scaling benchmark: ingest + tag + analyze in one process, on local:1 and on local:2.

    python bench/bench_scale.py [--docs 2000 10000 100000] [--modes in-process local:1 local:2]
                                [--workdir DIR]

For each corpus size a corpus of distinct passages is generated (bench/make_corpus.py, kept in
--workdir between runs), then each mode runs the three stage functions (the ones the CLI calls)
in a fresh process on a fresh build folder. Reported per run: seconds per stage (analyze without
its figures, which the driver draws alike in every mode, shown apart), their sum, the
speed-up of local:2 over local:1 (same corpus, same run), the peak memory of the driver process
and of every worker (ru_maxrss of each process over the whole run), the share of distinct
passages among the content passages, and the load average while measuring (the machine is shared).
The baseline in the same run is the in-process mode.
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
sys.path.insert(0, str(HERE))  # bench/ is a folder of scripts, not a package

from bench_analysis import table  # noqa: E402 -- the same markdown table
from make_corpus import make_corpus  # noqa: E402

CHILD = r"""
import json, resource, sys, time
from contextlib import nullcontext
mode, corpus, build = sys.argv[1:4]
from analysis.compare.analyze import analyze_build
from analysis.corpus.ingest import ingest
from analysis.scale.cluster import connect
from analysis.topics.codebook import load_codebook
from analysis.topics.tag import tag_build

def worker_peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

seconds = {}
with (nullcontext() if mode == "in-process" else connect(mode)) as client:
    for stage, run in (("ingest", lambda: ingest(corpus, build, progress=False, client=client)),
                       ("tag", lambda: tag_build(build, load_codebook(), client=client)),
                       ("analyze", lambda: analyze_build(build, build + "-figures", client=client))):
        started = time.perf_counter()
        result = run()
        seconds[stage] = time.perf_counter() - started
    seconds["figures"] = result.timings["figures"]  # made by the driver in every mode
    seconds["analyze"] -= seconds["figures"]
    workers = sorted(client.run(worker_peak_mb).values()) if client is not None else []
print(json.dumps({"seconds": seconds, "driver_mb": worker_peak_mb(), "workers_mb": workers}))
"""


def content_distinct_share(build: Path) -> tuple[int, float]:
    """Content passages and the share of distinct texts among them (hashed part by part)."""
    import hashlib

    import pyarrow.parquet as pq

    from analysis import build as catalog

    seen, total = set(), 0
    for part in catalog.table_parts(build, "passages"):
        table = pq.read_table(part, columns=["role", "text"]).to_pandas()
        texts = table.loc[table["role"] != "context", "text"].fillna("")
        total += len(texts)
        seen.update(hashlib.blake2b(t.encode(), digest_size=8).digest() for t in texts)
    return total, len(seen) / max(total, 1)


def run_mode(mode: str, corpus: Path, build: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(corpus), str(build)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(n: int, modes: list[str], workdir: Path) -> list[dict]:
    corpus = workdir / f"corpus_{n}"
    make_corpus(n, corpus)
    size_mb = sum(p.stat().st_size for p in (corpus / "raw").iterdir()) / 1e6
    rows = []
    for mode in modes:
        build = workdir / f"build_{n}_{mode.replace(':', '')}"
        subprocess.run(["rm", "-rf", str(build), f"{build}-figures"], check=True)
        load = os.getloadavg()[0]
        stats = run_mode(mode, corpus, build)
        passages, share = content_distinct_share(build)
        total = sum(v for k, v in stats["seconds"].items() if k != "figures")
        rows.append({"docs": n, "MB": round(size_mb), "mode": mode,
                     **{f"{k} s": round(v, 1) for k, v in stats["seconds"].items()},
                     "ingest+tag+analyze s": round(total, 1),
                     "driver peak MB": round(stats["driver_mb"]),
                     "worker peak MB": "/".join(str(round(w)) for w in stats["workers_mb"]) or "-",
                     "content passages": passages, "distinct": f"{share:.1%}",
                     "load (1 min) before": round(load, 1), "load after": round(os.getloadavg()[0], 1)})
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    by_mode = {r["mode"]: r["ingest+tag+analyze s"] for r in rows}
    for row in rows:
        if "local:1" in by_mode:
            row["speed-up vs local:1"] = round(by_mode["local:1"] / row["ingest+tag+analyze s"], 2)
    return rows


def agreement(here: Path, there: Path) -> dict:
    """How far a cluster build's analysis tables are from the in-process ones (theme numbers are
    arbitrary when the fits differ: the adjusted Rand index compares the partitions themselves)."""
    import numpy as np
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score

    from analysis import build as catalog
    from analysis.compare.analyze import OUTPUTS

    def read(folder: Path, name: str, keys: list[str]) -> pd.DataFrame:
        return catalog.read_table(folder, name).sort_values(keys, kind="mergesort").reset_index(drop=True)

    keys = {"passage_themes": ["doc_id", "passage_id"], "document_clusters": ["method", "k", "doc_id"],
            "indicators": ["doc_id", "passage_id", "start"], "similarity": ["basis", "group_a", "group_b"]}
    equal = [n for n in OUTPUTS if read(here, n, keys.get(n, [])).equals(read(there, n, keys.get(n, [])))]
    a, b = (read(x, "passage_themes", keys["passage_themes"]) for x in (here, there))
    c, d = (read(x, "document_clusters", keys["document_clusters"]) for x in (here, there))
    words = [set(read(x, "theme_words", ["theme", "rank"])["word"]) for x in (here, there)]
    return {"identical tables": ", ".join(equal),
            "dominant theme: same / adjusted Rand": f"{(a['theme'] == b['theme']).mean():.1%} / "
                                                     f"{adjusted_rand_score(a['theme'], b['theme']):.3f}",
            "max |weight| difference": f"{np.abs(a['weight'] - b['weight']).max():.1e}",
            "theme words shared": f"{len(words[0] & words[1])}/{len(words[0])}",
            "document clusters, adjusted Rand (mean over method, k)": round(float(np.mean(
                [adjusted_rand_score(x["cluster"], y["cluster"]) for (_, x), (_, y)
                 in zip(c.groupby(["method", "k"]), d.groupby(["method", "k"]))])), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--modes", nargs="+", default=["in-process", "local:1", "local:2"])
    parser.add_argument("--workdir", type=Path, help="keep corpora and builds here (default: a temporary folder)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="giaoban-bench-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M")
    rows = [row for n in args.docs for row in measure(n, args.modes, workdir)]
    print(f"\n### Scaling ({started}, {os.cpu_count()} cores)\n\n" + table(rows))
    if {"in-process", "local:2"} <= set(args.modes):
        compared = [{"docs": n, **agreement(workdir / f"build_{n}_in-process", workdir / f"build_{n}_local2")}
                    for n in args.docs]
        print("\n### local:2 against in-process\n\n" + table(compared))


if __name__ == "__main__":
    main()
