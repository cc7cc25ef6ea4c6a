"""Generate a deterministic synthetic corpus by recombining the seed notices.

    python bench/make_corpus.py N OUT_DIR

Each document keeps the header of one seed (so metadata can still be read from its text),
with the province and years swapped for others, and a body of runs of lines drawn from all
seeds. The same N always gives byte-identical files.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from analysis import paths

PROVINCES = [
    "Hòa Bình", "Lào Cai", "Hà Nội", "Yên Bái", "Sơn La", "Điện Biên", "Lai Châu", "Hà Giang",
    "Tuyên Quang", "Thái Nguyên", "Bắc Giang", "Nghệ An", "Thanh Hóa", "Quảng Bình", "Đắk Lắk",
    "Gia Lai", "Cần Thơ", "Đà Nẵng", "Hải Phòng", "Bến Tre",
]
SEED_PROVINCES = ("Hòa Bình", "Lào Cai", "Hà Nội")
HEADER_LINES = 12
SEED = 20261122


def seed_lines() -> list[list[str]]:
    """Lines of each seed document, in file-name order."""
    return [p.read_text(encoding="utf-8").splitlines() for p in sorted(paths.RAW_DIR.glob("*.txt"))]


def synthetic_document(index: int, seeds: list[list[str]]) -> str:
    """Document ``index``: a seed header, then runs of lines from random seeds."""
    rng = random.Random(SEED * 100_003 + index)
    template = seeds[index % len(seeds)]
    body: list[str] = []
    for _ in range(rng.randint(4, 9)):
        lines = seeds[rng.randrange(len(seeds))]
        start = rng.randrange(HEADER_LINES, max(HEADER_LINES + 1, len(lines) - 20))
        body.extend(lines[start:start + rng.randint(8, 30)])
    text = "\n".join(template[:HEADER_LINES] + body + template[-8:])
    province = PROVINCES[rng.randrange(len(PROVINCES))]
    for name in SEED_PROVINCES:
        text = text.replace(name, province)
    shift = rng.randint(-2, 2)
    for year in ("2024", "2023", "2022"):  # highest first so a shifted year is not shifted again
        text = text.replace(year, f"<{int(year) + shift}>")
    return text.replace("<", "").replace(">", "") + "\n"


def make_corpus(n: int, out_dir: str | Path) -> Path:
    """Write ``n`` synthetic documents to ``out_dir/raw`` (idempotent) and return that folder."""
    raw = Path(out_dir) / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    seeds = seed_lines()
    for index in range(n):
        target = raw / f"syn_{index:05d}.txt"
        content = synthetic_document(index, seeds)
        if not target.exists() or target.read_text(encoding="utf-8") != content:
            target.write_text(content, encoding="utf-8")
    return raw


if __name__ == "__main__":
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        sys.exit("usage: python bench/make_corpus.py N OUT_DIR")
    folder = make_corpus(int(sys.argv[1]), sys.argv[2])
    print(f"{sys.argv[1]} documents in {folder}")
