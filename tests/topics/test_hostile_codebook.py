"""Hostile and careless codebooks, one row per case: a researcher's edit (a typo, a pattern that
backtracks) must give one line naming the file, line and topic, an exit status, and never
freeze `giaoban tag`; the tags already in the build and the codebook file stay untouched."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis import paths
from analysis.cli import app
from analysis.corpus.ingest import ingest
from analysis.topics import codebook as codebook_module
from analysis.topics import tagging

DEFAULT = paths.DEFAULT_CODEBOOK.read_text(encoding="utf-8")
ANCHOR = "      - chuyển đổi số\n"  # the first include pattern of topic chuyen_doi_so
SLOW_DOUBLING = ("its matching time can double with every character (a repeated part can match the same "
                 "text in more than one way, as in '(a+)+'); rewrite it without a repeat inside a repeat")
SLOW_SQUARE = ("its matching time can grow with the square of the text or faster (two repeated parts can "
               "match the same text, as in '\\s+\\s+' or '[\\w ]+'); make the repeated parts exclude each "
               "other, e.g. words '\\w+' between separators")


def _line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def _with_pattern(pattern: str) -> str:
    return DEFAULT.replace(ANCHOR, ANCHOR + f"      - '{pattern}'\n", 1)


def _topic_broken(text: str, topic: str, line: str) -> str:
    """The codebook with ``line`` inserted after the labels of ``topic``."""
    lines = text.splitlines(keepends=True)
    at = next(i for i, current in enumerate(lines) if current.strip() == f"- id: {topic}")
    return "".join(lines[:at + 2] + [line] + lines[at + 2:])


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    line: Callable[[Path], str]  # the exact error line, given the codebook path
    status: int = 2
    seconds: float = 10.0
    unguarded: bool = False  # skip the load-time check, so that the time guard must stop it


def _pattern_line(pattern: str, reason: str) -> Callable[[Path], str]:
    text = _with_pattern(pattern)
    line = _line_of(text, f"- '{pattern}'")
    return lambda path: (f"giaoban tag: error: codebook {path}, line {line}, topic 'chuyen_doi_so': "
                         f"pattern {pattern!r}: {reason}")


WORDS = r"(\w+\s?)+$"
BROKEN_YAML = _topic_broken(DEFAULT, "thu_chi", "    label_en: [unclosed\n")
CASES = [
    Case("backtracking pattern (words)", _with_pattern(r"(\w+\s?)+$"), _pattern_line(r"(\w+\s?)+$", SLOW_DOUBLING)),
    Case("backtracking pattern (nested plus)", _with_pattern("(a+)+$"), _pattern_line("(a+)+$", SLOW_DOUBLING)),
    Case("quadratic pattern", _with_pattern(r"[\w ]+học"), _pattern_line(r"[\w ]+học", SLOW_SQUARE)),
    Case("backtracking pattern past the check", _with_pattern(WORDS), lambda path: (
        f"giaoban tag: error: codebook {path}, line {_line_of(_with_pattern(WORDS), WORDS)}, topic "
        f"'chuyen_doi_so': pattern {WORDS!r}: stopped by the time guard after 1 s on one batch of "
        "passages (1 s, plus 1 s per MB of text); the pattern backtracks on this text: rewrite it so that no "
        "two repeated parts can match the same text"), unguarded=True),
    Case("unknown top-level key", DEFAULT.replace("version: 1\n", "version: 1\ntopcs: []\n"), lambda path: (
        f"giaoban tag: error: codebook {path}, line {_line_of(DEFAULT, 'version: 1') + 1}: unknown top-level "
        "key 'topcs'; allowed: topics, version")),
    Case("version that is not a number", DEFAULT.replace("version: 1\n", "version: one\n"), lambda path: (
        f"giaoban tag: error: codebook {path}, line {_line_of(DEFAULT, 'version: 1')}: version must be a whole "
        "number such as 1, not 'one'")),
    Case("YAML error in the third topic", BROKEN_YAML, lambda path: (
        f"giaoban tag: error: codebook {path}, line {_line_of(BROKEN_YAML, '[unclosed') + 1} (in the part "
        f"starting on line {_line_of(BROKEN_YAML, '[unclosed')}), topic 'thu_chi': not valid YAML "
        "(expected ',' or ']', but got ':')")),
]


@pytest.fixture(scope="module")
def seed_tags(tmp_path_factory) -> Path:
    """A build of the seed corpus, tagged with the default codebook."""
    build = tmp_path_factory.mktemp("build")
    ingest(paths.CORPUS_DIR, build, progress=False)
    result = CliRunner().invoke(app, ["tag", "--build", str(build)])
    assert result.exit_code == 0, result.output
    return build


# A row that lets a runaway pattern run until the time guard stops it is slow.
@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.slow) if c.unguarded else c for c in CASES],
                         ids=[case.name for case in CASES])
def test_hostile_codebook(seed_tags: Path, tmp_path: Path, monkeypatch, case: Case) -> None:
    path = tmp_path / "mine.yml"
    path.write_text(case.text, encoding="utf-8")
    tags_before = (seed_tags / "tags.parquet").read_bytes()
    if case.unguarded:
        monkeypatch.setattr(codebook_module, "slow_matching", lambda regex: None)
        monkeypatch.setattr(tagging, "PATTERN_TIME_LIMIT", 1.0)
    started = time.monotonic()
    result = CliRunner().invoke(app, ["tag", "--build", str(seed_tags), "--codebook", str(path)])
    elapsed = time.monotonic() - started
    lines = result.output.splitlines()
    assert lines == [case.line(path)]
    assert result.exit_code == case.status
    assert elapsed < case.seconds, f"{elapsed:.1f} s"
    assert (seed_tags / "tags.parquet").read_bytes() == tags_before  # the build's tags are kept
    assert path.read_text(encoding="utf-8") == case.text


def test_the_default_codebook_passes_the_check_and_keeps_its_tags(seed_tags: Path) -> None:
    """Every pattern of the packaged codebook is accepted, and the tags equal the naive matcher's."""
    book = codebook_module.load_codebook()
    passages = pd.read_parquet(seed_tags / "passages.parquet")
    fast = tagging.passages_tag(passages, book)
    naive = tagging.passages_tag(passages, book, naive=True)
    pd.testing.assert_frame_equal(fast, naive)
    pd.testing.assert_frame_equal(fast, pd.read_parquet(seed_tags / "tags.parquet"))


@pytest.mark.parametrize(("pattern", "kind"), [
    (r"(a+)+$", "double"), (r"(\w+\s?)+$", "double"), (r"(a|a)*b", "double"), (r"(a*)*b", "double"),
    (r"(?:a|aa)+b", "double"), (r"x(?=(a+)+)", "double"),
    (r"\s+\s+x", "square"), (r"[\w ]+x", "square"), (r"thu[\w ]+x", "square"), (r"a.*b.*c", "square"),
    (r"(\w+ ?){1,5}x", "square"), (r"\d+\d+", "square"), (r"thu.{0,500}chi", "square"),
    (r"(\w+ ){1,5}", None), (r"\w+ học", None), (r"khoản (\w+ ){0,2}thu", None), ("ste(a)?m", None),
    (r"a{1,100}b", None), (r"(ab|a)*c", None), (r"(a|ab)+c", None), (r"\d+\.\d+", None),
    (r"thu.{0,50}chi", None), (r"số(?!\s?\d|\s(học|lượng)\b)", None),
])
def test_slow_patterns_are_told_from_linear_ones(pattern: str, kind: str | None) -> None:
    """The check agrees with what CPython's re does: each 'double' pattern below takes seconds on
    30 characters (measured in test_the_check_agrees_with_the_engine), each None one is linear."""
    from analysis.topics.codebook import pattern_regex
    from analysis.topics.regex_safety import slow_matching

    found = slow_matching(pattern_regex(pattern))
    assert (None if found is None else "double" if "double" in found else "square") == kind


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a*)*b", r"(\w+\s?)+$"])
def test_the_check_agrees_with_the_engine(pattern: str) -> None:
    """What the check calls exponential is: five more characters multiply the time by far more
    than the five-fold a linear pattern would show (about 32-fold: it doubles per character)."""
    def seconds(n: int) -> float:
        started = time.perf_counter()
        re.match(pattern, "a" * n + "!")
        return time.perf_counter() - started

    assert seconds(21) > 8 * seconds(16) > 0
