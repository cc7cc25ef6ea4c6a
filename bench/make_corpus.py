"""Generate a deterministic synthetic corpus by recombining the seed notices.

    python bench/make_corpus.py N OUT_DIR

Each document keeps the header of one seed (so metadata can still be read from its text),
with the province and years swapped for others, then runs of lines drawn from all seeds and the
seed's closing lines. Every sentence after the header has its content varied, as real notices
vary: numbers (counts, percentages, document numbers) redrawn with the same shape, day and month
of dates redrawn, people's names after "đồng chí/ông/bà" replaced, one word replaced by another
word of the seeds' vocabulary and (in a third of the sentences) two of its words swapped. So
passages are distinct (not a few thousand lines repeated; headings and very short lines still
repeat, as in real notices), and distinct-text caches gain nothing a real corpus would not give
them; `distinct_share` measures it. The same N always gives byte-identical files.
"""

from __future__ import annotations

import random
import re
import sys
from functools import cache
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
SWAP_RATE = 0.3
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý", "Đinh", "Lò", "Hà", "Mai", "Triệu"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Thu", "Kim", "Hồng"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn",
         "Tuyến", "Việt", "Yến"]
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"(?:19|20)\d\d")
_DAY_MONTH = re.compile(r"ngày \d{1,2} tháng \d{1,2}")
_NAME = re.compile(r"((?:đồng chí|Đồng chí|ông|Ông|bà|Bà) )(?:" + "|".join(SURNAMES)
                   + r")(?: [A-ZĐÂ][^\s,.;:()]*){1,3}")
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")


def seed_lines() -> list[list[str]]:
    """Lines of each seed document, in file-name order."""
    return [p.read_text(encoding="utf-8").splitlines() for p in sorted(paths.RAW_DIR.glob("*.txt"))]


@cache
def seed_vocabulary() -> tuple[str, ...]:
    """Lower-case words of the seeds (each once, sorted), for word replacement."""
    words = {w for lines in seed_lines() for line in lines for w in _WORD.findall(line) if w.islower()}
    return tuple(sorted(words))


def _other_number(token: str, rng: random.Random) -> str:
    """A number of the same shape (digits, separators); years are kept."""
    if _YEAR.fullmatch(token):
        return token
    digits = [str(rng.randrange(1 if i == 0 and ch != "0" else 0, 10)) if ch.isdigit() else ch
              for i, ch in enumerate(token)]
    return "".join(digits)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def vary_line(line: str, rng: random.Random, vocabulary: tuple[str, ...]) -> str:
    """``line`` with each of its sentences varied (:func:`vary_sentence`)."""
    return " ".join(vary_sentence(part, rng, vocabulary) for part in _SENTENCE_END.split(line))


def vary_sentence(line: str, rng: random.Random, vocabulary: tuple[str, ...]) -> str:
    """``line`` with its numbers, dates and names redrawn, one word replaced and maybe two
    swapped (never the first two words, which carry bullets, numbering and role cues)."""
    line = _DAY_MONTH.sub(lambda m: f"ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)}", line)
    line = _NUMBER.sub(lambda m: _other_number(m.group(0), rng), line)
    line = _NAME.sub(lambda m: m.group(1) + _person(rng), line)
    words = line.split(" ")
    movable = [i for i, w in enumerate(words) if i >= 2 and w.isalpha() and w.islower()]
    if len(movable) >= 2 and rng.random() < SWAP_RATE:
        a, b = rng.sample(movable, 2)
        words[a], words[b] = words[b], words[a]
    if movable:
        words[rng.choice(movable)] = rng.choice(vocabulary)
    return " ".join(words)


def distinct_share(texts) -> float:
    """Share of distinct texts among ``texts`` (1.0 = every passage different)."""
    texts = list(texts)
    return len(set(texts)) / len(texts) if texts else 1.0


def synthetic_document(index: int, seeds: list[list[str]]) -> str:
    """Document ``index``: a seed header, then runs of varied lines from random seeds."""
    rng = random.Random(SEED * 100_003 + index)
    template = seeds[index % len(seeds)]
    body: list[str] = []
    for _ in range(rng.randint(4, 9)):
        lines = seeds[rng.randrange(len(seeds))]
        start = rng.randrange(HEADER_LINES, max(HEADER_LINES + 1, len(lines) - 20))
        body.extend(lines[start:start + rng.randint(8, 30)])
    vocabulary = seed_vocabulary()
    varied = [vary_line(line, rng, vocabulary) if line.strip() else line for line in body + template[-8:]]
    text = "\n".join(template[:HEADER_LINES] + varied)
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
