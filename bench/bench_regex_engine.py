"""Which regular-expression engine for codebook patterns: Python's ``re`` (with the load-time
check of ``analysis.topics.regex_safety`` and the tagging time guard) or Google's RE2?

    python bench/bench_regex_engine.py

Measures, in one run: how many of the default codebook's pattern regexes each engine compiles
as the kit writes them; the cost of one ``match(text, pos)`` call at 2,000 positions of a batch
the size the tagger matches on (2.3 million characters), the way the fast tagger calls it; the
time of a backtracking pattern on 16-24 characters; and the time the load-time check takes on the
whole codebook. RE2 is measured only when ``google-re2`` is installed (it is not a dependency:
``pip install google-re2`` to repeat the comparison).
"""

from __future__ import annotations

import re
import time

from analysis.topics.codebook import load_codebook, pattern_regex
from analysis.topics.regex_safety import slow_matching

try:
    import re2
except ImportError:  # the kit does not depend on it
    re2 = None


def compiled_by(engine, regexes: list[str]) -> int:
    count = 0
    for regex in regexes:
        try:
            engine.compile(regex)
            count += 1
        except Exception:  # noqa: BLE001 -- each engine raises its own error type
            pass
    return count


def seconds_per_batch(engine) -> float:
    text = "Sở Giáo dục và Đào tạo tổ chức thu học phí đúng quy định. " * 40_000
    pattern = engine.compile("thu học phí")
    started = time.perf_counter()
    for index in range(2_000):
        pattern.match(text, index * 50)
    return time.perf_counter() - started


def main() -> None:
    codebook = load_codebook()
    regexes = [pattern_regex(p.source, p.accentless) for t in codebook.topics for p in (*t.include, *t.exclude)]
    engines = {"re": re} | ({"re2": re2} if re2 is not None else {})
    print(f"default codebook: {len(regexes)} pattern regexes")
    for name, engine in engines.items():
        print(f"{name:4} compiles {compiled_by(engine, regexes)}/{len(regexes)}; 2,000 match() calls on a "
              f"2.3M-character batch: {seconds_per_batch(engine):.4f} s")
    for n in (16, 20, 24):
        times = []
        for name, engine in engines.items():
            started = time.perf_counter()
            engine.match(r"(a+)+$", "a" * n + "!")
            times.append(f"{name} {time.perf_counter() - started:.4f} s")
        print(f"(a+)+$ on {n} characters: " + ", ".join(times))
    slow_matching.cache_clear()
    started = time.perf_counter()
    refused = sum(slow_matching(regex) is not None for regex in regexes)
    print(f"load-time check of the whole codebook: {time.perf_counter() - started:.3f} s, {refused} refused; "
          f"'(a+)+$' refused in {timed_check(r'(a+)+$'):.4f} s")
    if re2 is None:
        print("google-re2 is not installed: pip install google-re2 to compare with RE2")


def timed_check(source: str) -> float:
    started = time.perf_counter()
    assert slow_matching(pattern_regex(source)) is not None
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
