"""Topic tagging with a codebook: every tag carries its evidence (term and character span).

Semantics, the same for the fast matcher and the naive baseline in ``bench/``:
for each topic, exclude spans are found first; then include matches are taken leftmost first,
the longest of the patterns matching at that position, never overlapping an exclude span or
an earlier taken match. ``term`` is the matched text as it appears in the ORIGINAL passage,
``start``/``end`` index the original passage text.
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parser
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from tqdm.auto import tqdm

from analysis.schema import ROLES, TAG_COLUMNS
from analysis.text.fold import count_words, fold_case_and_tones, fold_with_offsets
from analysis.text.normalize import strip_diacritics
from analysis.timelimit import TimeLimitExceeded, time_limit
from analysis.topics.codebook import (
    LEFT_BOUNDARY,
    RIGHT_BOUNDARY,
    SEPARATOR_CLASS,
    Codebook,
    Pattern,
    compile_pattern,
    load_codebook,
    pattern_regex,
)

Span = tuple[int, int]
DOC_TOPIC_COLUMNS = ["doc_id", "topic", "n_passages", "n_matches", "passages_total",
                     "share_passages", "n_words", "per_1000_words"]
TOPIC_ROLE_COLUMNS = ["topic", "role", "n_passages", "share_of_topic", "share_of_role"]
# The time guard: one batch of passages may take this long, plus SECONDS_PER_MB per MB of its
# text (the matcher does ~15 MB/s), before tagging stops and names the pattern that was running.
# Patterns that can be slow are refused when the codebook is loaded; this catches the rest.
PATTERN_TIME_LIMIT = 5.0
SECONDS_PER_MB = 1.0


class PatternTimeoutError(ValueError):
    """Tagging stopped by the time guard; the message names the codebook, line, topic and pattern."""


@dataclass(frozen=True)
class PatternGroup:
    """The include (or exclude) side of one topic, compiled pattern by pattern."""

    plain: tuple[re.Pattern, ...]      # accent-sensitive patterns, run on the folded text
    bare: tuple[re.Pattern, ...]       # accentless patterns, run on the folded text without accents


@dataclass(frozen=True)
class TopicMatcher:
    id: str
    include: PatternGroup
    exclude: PatternGroup


@dataclass(frozen=True)
class Matcher:
    """A codebook compiled once: per-topic pattern groups (naive path), the list of all
    patterns as entries, and the anchor finders of the fast path."""

    topics: tuple[TopicMatcher, ...]
    codebook_hash: str
    needs_bare: bool
    entries: tuple[tuple[int, int, re.Pattern, bool], ...]  # (topic index, 0/1 include/exclude,
    #                                                          regex, safe to run on a batch)
    plain_finder: Finder
    bare_finder: Finder
    patterns: tuple[Pattern, ...] = ()  # the codebook pattern of each entry (for messages)
    source: str = "<codebook>"

    def describe(self, entry: int | None) -> str:
        """"codebook X, line N, topic 'T': pattern 'P'" for an entry (or just the codebook)."""
        if entry is None or entry >= len(self.patterns):
            return f"codebook {self.source}"
        pattern = self.patterns[entry]
        topic = self.topics[self.entries[entry][0]].id
        return f"codebook {self.source}, line {pattern.line}, topic {topic!r}: pattern {pattern.source!r}"


def _group(patterns: Iterable[Pattern]) -> PatternGroup:
    patterns = list(patterns)
    return PatternGroup(tuple(compile_pattern(p) for p in patterns if not p.accentless),
                        tuple(compile_pattern(p) for p in patterns if p.accentless))


def _local_safe(regex: str) -> bool:
    """True if the pattern (boundaries aside) only consumes word characters, digits, separators
    and escaped literals, so it cannot look past a passage joined into a batch."""
    core = regex.replace(LEFT_BOUNDARY, "").replace(RIGHT_BOUNDARY, "").replace(SEPARATOR_CLASS, "")
    core = re.sub(r"\\[dws]|\\[^A-Za-z0-9]", "", core)
    return not re.search(r"[.^$]|\\", core)


@lru_cache(maxsize=16)
def compile_codebook(codebook: Codebook) -> Matcher:
    """Compile every pattern of ``codebook`` once (cached per codebook)."""
    topics = tuple(TopicMatcher(t.id, _group(t.include), _group(t.exclude)) for t in codebook.topics)
    needs_bare = any(p.accentless for t in codebook.topics for p in (*t.include, *t.exclude))
    plain, bare = [], []
    for index, topic in enumerate(codebook.topics):
        for side, patterns in ((0, topic.include), (1, topic.exclude)):
            for p in patterns:
                item = (index, side, compile_pattern(p), pattern_regex(p.source, p.accentless), p)
                (bare if p.accentless else plain).append(item)
    entries = tuple((*item[:3], _local_safe(item[2].pattern)) for item in plain + bare)
    plain_finder = _finder([(item[2], item[3]) for item in plain])
    bare_finder = _finder([(item[2], item[3]) for item in bare], offset=len(plain))
    return Matcher(topics, codebook.hash, needs_bare, entries, plain_finder, bare_finder,
                   tuple(item[4] for item in plain + bare), codebook.source)


# --------------------------------------------------------------------------- matching


def text_matches(text: str, matcher: Matcher) -> list[tuple[str, str, int, int]]:
    """(topic, term, start, end) evidence in ``text``; spans index the original ``text``."""
    return texts_matches([text], matcher)[0]


def text_topics(text: str, matcher: Matcher) -> list[str]:
    """Sorted topic ids found in ``text``."""
    return sorted({topic for topic, *_ in text_matches(text, matcher)})


# The naive form of the same semantics: for each pattern a separate re.search. It is the
# baseline of bench/bench_tagging.py and the reference the fast path is tested against.

def next_start_naive(group: PatternGroup, plain: str, bare: str, pos: int) -> int | None:
    """Leftmost position >= pos where any pattern of ``group`` matches, one search per pattern."""
    found = [m.start() for regex, text in _pairs(group, plain, bare) if (m := regex.search(text, pos))]
    return min(found) if found else None


def group_spans(group: PatternGroup, plain: str, bare: str, forbidden: list[Span]) -> list[Span]:
    """Leftmost-longest non-overlapping matches of ``group`` that avoid ``forbidden`` spans."""
    spans: list[Span] = []
    pos = 0
    while (start := next_start_naive(group, plain, bare, pos)) is not None:
        ends = [m.end() for regex, text in _pairs(group, plain, bare)
                if (m := regex.match(text, start)) and m.end() > start]
        ends = [end for end in ends if not any(s < end and start < e for s, e in forbidden)]
        if ends:
            spans.append((start, max(ends)))
            pos = max(ends)
        else:
            pos = start + 1
    return spans


def _pairs(group: PatternGroup, plain: str, bare: str):
    return [(regex, plain) for regex in group.plain] + [(regex, bare) for regex in group.bare]


def text_matches_naive(text: str, matcher: Matcher) -> list[tuple[str, str, int, int]]:
    """:func:`text_matches` computed pattern by pattern (slow; a baseline and a reference)."""
    folded, offsets = fold_with_offsets(text)
    bare = strip_diacritics(folded, keep_length=True) if matcher.needs_bare else folded
    out = []
    for topic in matcher.topics:
        if next_start_naive(topic.include, folded, bare, 0) is None:
            continue
        forbidden = group_spans(topic.exclude, folded, bare, [])
        for start, end in group_spans(topic.include, folded, bare, forbidden):
            if offsets is not None:
                start, end = offsets[start], offsets[end]
            out.append((topic.id, text[start:end], start, end))
    return out


# --------------------------------------------------------------------------- fast path
#
# Python's regex engine tries every alternative of an alternation at every position, which is
# slow for a codebook of ~150 patterns. So every pattern is reduced to its literal prefixes
# ("anchors": words and separators it must start with); one trie-shaped regex finds all anchor
# occurrences in a whole batch of passages at once, and only there are the patterns tried.
# The set of (start, end) matches is exactly the one the per-pattern searches give.

_SEPARATOR_CHAR = re.compile(SEPARATOR_CLASS)
_SEP_ITEM = repr(sre_parser.parse(f"(?:{SEPARATOR_CLASS}+)").data[0])
_SEP = "\x00sep"                       # the separator token inside anchors
_MAX_ANCHOR_TOKENS = 24
_JOIN = "\x00"                         # joins passages in a batch: no pattern can cross it


def _prefixes(items: list, depth: int = 0) -> set[tuple]:
    """Literal token sequences every match of parsed ``items`` starts with (a ``()`` = any)."""
    if not items or depth >= _MAX_ANCHOR_TOKENS:
        return {()}
    op, arg = items[0]
    rest = list(items[1:])
    if op is sre_constants.LITERAL:
        if _SEPARATOR_CHAR.match(chr(arg)):
            # a literal separator ("/" in "đồng/học sinh") is one character of a separator run
            # in the text the anchors are read from: the anchor ends before it
            return {()}
        return {(chr(arg),) + tail for tail in _prefixes(rest, depth + 1)}
    if op is sre_constants.MAX_REPEAT and repr((op, arg)) == _SEP_ITEM:
        return {(_SEP,) + tail for tail in _prefixes(rest, depth + 1)}
    if op is sre_constants.SUBPATTERN:
        return _prefixes(list(arg[-1]) + rest, depth)
    if op is sre_constants.IN and len(arg) <= 8 and all(o is sre_constants.LITERAL for o, _ in arg):
        # the parser turns "(kỳ|kì)" into "k[ỳì]": expand small literal classes again
        tails = _prefixes(rest, depth + 1)
        return {(chr(code),) + tail for _, code in arg for tail in tails}
    if op is sre_constants.BRANCH:
        return set().union(*(_prefixes(list(alt) + rest, depth) for alt in arg[1]))
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and arg[:2] == (0, 1):
        return _prefixes(list(arg[2]) + rest, depth) | _prefixes(rest, depth)
    if op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return _prefixes(rest, depth)  # zero-width: the prefix is a necessary condition anyway
    return {()}


def pattern_anchors(regex: str) -> set[tuple] | None:
    """Anchors of a compiled pattern's regex; None when some match may start anywhere."""
    try:
        anchors = _prefixes(list(sre_parser.parse(regex).data))
    except RecursionError:
        return None
    if len(anchors) > 256 or any(not a or a[0] == _SEP for a in anchors):
        return None
    return anchors


def _trie_regex(anchors: list[tuple]) -> str:
    """A deterministic regex for a set of token sequences, longest alternative first."""
    trie: dict = {}
    for anchor in anchors:
        node = trie
        for token in anchor:
            node = node.setdefault(token, {})
        node[""] = {}
    return _node_regex(trie)


def _node_regex(node: dict) -> str:
    branches = []
    for token in sorted(t for t in node if t):
        head = f"(?:{SEPARATOR_CLASS}+)" if token == _SEP else re.escape(token)
        branches.append(head + _node_regex(node[token]))
    if "" in node:
        branches.append("")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _common_word_chars() -> str:
    """A regex class body: digits, a-z, đ and every toned Vietnamese vowel (lower case)."""
    toned = {unicodedata.normalize("NFC", vowel + mark) for vowel in "aăâeêioôơuưy"
             for mark in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")}
    return "0-9a-zđ" + "".join(sorted(toned))


# A word can start only after a character outside this set. The set is a subset of the word
# characters, so its complement is a superset of the separators (nothing is missed, a rare
# foreign letter just gives a candidate that the pattern then rejects); as an explicit class
# it is tested far faster than \W.
_COMMON_WORD_CHARS = _common_word_chars()


@dataclass(frozen=True)
class Finder:
    """Anchor finder for one text variant (accented or accentless)."""

    regex: re.Pattern | None                      # finds word starts followed by an anchor
    entries: dict[str, tuple[int, ...]]           # matched anchor text -> pattern entry ids
    unanchored: tuple[int, ...]                   # entries tried at every position


def _finder(entries: list[tuple[re.Pattern, str]], offset: int = 0) -> Finder:
    """Build a finder for ``entries`` (compiled pattern, its regex source), numbered from offset."""
    by_anchor: dict[tuple, list[int]] = {}
    unanchored = []
    for index, (_, source) in enumerate(entries, start=offset):
        anchors = pattern_anchors(source)
        if anchors is None:
            unanchored.append(index)
            continue
        for anchor in anchors:
            by_anchor.setdefault(anchor, []).append(index)
    if not by_anchor:
        return Finder(None, {}, tuple(unanchored))
    regex = re.compile(f"[^{_COMMON_WORD_CHARS}](?=(" + _trie_regex(list(by_anchor)) + "))")
    return Finder(regex, _AnchorTable(by_anchor), tuple(unanchored))


class _AnchorTable(dict):
    """Matched anchor text -> entries of every anchor that is a prefix of it (memoised)."""

    def __init__(self, by_anchor: dict[tuple, list[int]]):
        super().__init__()
        self._by_anchor = by_anchor

    def __missing__(self, text: str) -> tuple[int, ...]:
        tokens = _tokens(text)
        found = sorted({i for n in range(1, len(tokens) + 1)
                        for i in self._by_anchor.get(tuple(tokens[:n]), ())})
        self[text] = tuple(found)
        return self[text]


def _candidates(chunk: str, texts: list[str], finder: Finder, matcher: Matcher,
                hits: list[tuple]) -> None:
    """Append every match of the finder's patterns to ``hits`` as
    (passage index, topic index, side, start, end), start and end in the passage.

    ``chunk`` is the batch's folded ``texts`` joined by ``_JOIN`` behind a leading ``_JOIN``.
    One flat list of tuples, not per-passage dicts of lists: far fewer objects to allocate
    (and for the garbage collector to scan) on a large corpus. When the time guard stops a
    match, the error names the pattern that was running (``entry``).
    """
    starts, pos = [], 1
    for text in texts:
        starts.append(pos)
        pos += len(text) + 1
    add = hits.append
    entry = None
    try:
        if finder.regex is not None:
            entries, table = matcher.entries, finder.entries
            for found in finder.regex.finditer(chunk):
                at = found.end()
                index = bisect_right(starts, at) - 1
                for entry in table[found.group(1)]:
                    topic, side, regex, safe = entries[entry]
                    # A pattern that only looks at word characters and separators matches the same
                    # in the chunk as in its passage (a joiner acts as the text's edge).
                    if safe:
                        match, shift = regex.match(chunk, at), starts[index]
                    else:
                        match, shift = regex.match(texts[index], at - starts[index]), 0
                    if match is not None and match.end() > match.start():
                        add((index, topic, side, match.start() - shift, match.end() - shift))
        for entry in finder.unanchored:
            topic, side, regex, _ = matcher.entries[entry]
            for index, text in enumerate(texts):
                pos = 0
                while (match := regex.search(text, pos)) is not None:
                    if match.end() > match.start():
                        add((index, topic, side, match.start(), match.end()))
                    pos = match.start() + 1
    except TimeLimitExceeded as exc:
        raise _timeout_error(matcher, entry, exc) from None


def _timeout_error(matcher: Matcher, entry: int | None, exc: TimeLimitExceeded) -> PatternTimeoutError:
    what = ("the pattern backtracks on this text: rewrite it so that no two repeated parts can match "
            "the same text") if entry is not None else "split the longest passages, or report this corpus"
    return PatternTimeoutError(
        f"{matcher.describe(entry)}: stopped by the time guard after {exc.seconds:.0f} s on one batch "
        f"of passages ({PATTERN_TIME_LIMIT:g} s, plus {SECONDS_PER_MB:g} s per MB of text); {what}")


def greedy_spans(matches: list[Span], forbidden: list[Span]) -> list[Span]:
    """Leftmost, then longest, non-overlapping ``matches`` that avoid ``forbidden`` spans."""
    if len(matches) == 1 and not forbidden:
        return matches
    by_start: dict[int, int] = {}
    for start, end in matches:
        if not any(s < end and start < e for s, e in forbidden):
            by_start[start] = max(end, by_start.get(start, end))
    spans, pos = [], 0
    for start in sorted(by_start):
        if start >= pos:
            spans.append((start, by_start[start]))
            pos = by_start[start]
    return spans


def fold_batch(texts: list[str]) -> tuple[str, list[str], list[list[int] | None]]:
    """(joined folded chunk, folded texts, offset maps) of a batch of passage texts."""
    chunk = _JOIN + _JOIN.join(texts)
    if unicodedata.is_normalized("NFC", chunk):
        folded = fold_case_and_tones(chunk)
        if len(folded) == len(chunk):  # lower() never shortens: equal total length = each kept
            return folded, folded[1:].split(_JOIN), [None] * len(texts)
    pairs = [fold_with_offsets(text) for text in texts]
    folded_texts = [pair[0] for pair in pairs]
    return _JOIN + _JOIN.join(folded_texts), folded_texts, [pair[1] for pair in pairs]


def texts_matches(texts: list[str], matcher: Matcher) -> list[list[tuple[str, str, int, int]]]:
    """For each text, its (topic, term, start, end) evidence: the fast batch form of
    :func:`text_matches` (same result as :func:`text_matches_naive`)."""
    texts = [text.replace(_JOIN, " ") for text in texts] if any(_JOIN in t for t in texts) else texts
    chunk, folded, offsets_list = fold_batch(texts)
    hits: list[tuple] = []
    try:
        with time_limit(PATTERN_TIME_LIMIT + SECONDS_PER_MB * len(chunk) / 1e6):
            _candidates(chunk, folded, matcher.plain_finder, matcher, hits)
            if matcher.needs_bare:
                bare = [strip_diacritics(f, keep_length=True) for f in folded]
                _candidates(strip_diacritics(chunk, keep_length=True), bare, matcher.bare_finder, matcher, hits)
    except TimeLimitExceeded as exc:  # outside any pattern (folding a huge batch, say)
        raise _timeout_error(matcher, None, exc) from None
    hits.sort()  # by passage, topic, side (includes first), start, end
    out: list[list[tuple[str, str, int, int]]] = [[] for _ in texts]
    first = 0
    while first < len(hits):
        index, topic = hits[first][0], hits[first][1]
        last = first
        while last < len(hits) and hits[last][0] == index and hits[last][1] == topic:
            last += 1
        out[index].extend(_evidence(texts[index], offsets_list[index], hits[first:last],
                                    matcher.topics[topic].id))
        first = last
    return out


def _evidence(text: str, offsets, group: list[tuple], topic: str) -> list[tuple[str, str, int, int]]:
    """Evidence rows of one topic in one passage from its sorted include/exclude matches."""
    include = [(h[3], h[4]) for h in group if h[2] == 0]
    if not include:
        return []
    exclude = [(h[3], h[4]) for h in group if h[2] == 1]
    rows = []
    for start, end in greedy_spans(include, greedy_spans(exclude, []) if exclude else []):
        if offsets is not None:
            start, end = offsets[start], offsets[end]
        rows.append((topic, text[start:end], start, end))
    return rows


_SEP_RUN = re.compile(f"{SEPARATOR_CLASS}+")


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    for piece in _SEP_RUN.split(text):
        out.extend(piece)
        out.append(_SEP)
    return out[:-1]


# --------------------------------------------------------------------------- tables


BATCH = 2000  # passages matched together: one anchor scan per batch


def passages_tag(passages: pd.DataFrame, codebook: Codebook | None = None,
                 progress: bool = False, naive: bool = False) -> pd.DataFrame:
    """Tags (``TAG_COLUMNS``) of every passage; one row per evidence span.

    ``naive=True`` uses the pattern-by-pattern baseline (same result, slower).
    """
    _require(passages, ["doc_id", "passage_id", "text"], "passages")
    matcher = compile_codebook(codebook if codebook is not None else load_codebook())
    texts = passages["text"].tolist()
    if not all(type(text) is str for text in texts):  # missing texts tag as empty ones
        texts = ["" if pd.isna(text) else str(text) for text in texts]
    # Columns of ints and strings, not row tuples: on 10^6 passages the garbage collector
    # would otherwise re-scan millions of tuples again and again.
    index: list[int] = []
    columns: tuple[list, ...] = ([], [], [], [])  # topic, term, start, end
    for first in tqdm(range(0, len(texts), BATCH), disable=not progress, desc="tagging",
                      unit="batch"):
        batch = texts[first:first + BATCH]
        found = ([text_matches_naive(t, matcher) for t in batch] if naive
                 else texts_matches(batch, matcher))
        for offset, matches in enumerate(found):
            for match in matches:
                index.append(first + offset)
                for column, value in zip(columns, match):
                    column.append(value)
    frame = pd.DataFrame({"doc_id": passages["doc_id"].to_numpy()[index],
                          "passage_id": passages["passage_id"].to_numpy()[index],
                          "topic": columns[0], "term": columns[1],
                          "start": columns[2], "end": columns[3]})
    return tags_frame(frame, like=passages)


def tags_frame(rows: list[tuple] | pd.DataFrame, like: pd.DataFrame | None = None) -> pd.DataFrame:
    """A tags table (rows or a frame) with the contract's columns, sorted stably.

    ``doc_id`` and ``passage_id`` keep the dtypes of the passages table ``like`` (if given).
    """
    frame = rows[TAG_COLUMNS] if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=TAG_COLUMNS)
    dtypes = {"topic": object, "term": object, "start": "int64", "end": "int64"}
    if like is not None:
        dtypes.update({key: like[key].dtype for key in ("doc_id", "passage_id")})
    frame = frame.astype(dtypes)
    return frame.sort_values(["doc_id", "passage_id", "topic", "start"], kind="stable",
                             ignore_index=True)


def _require(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} table lacks column(s) {', '.join(missing)}; "
                         f"expected {', '.join(columns)} (analysis.schema)")


def _word_counts(passages: pd.DataFrame) -> pd.Series:
    return passages["text"].fillna("").map(count_words).groupby(passages["doc_id"]).sum()


def tags_by_document(tags: pd.DataFrame, passages: pd.DataFrame, topics: list[str],
                     documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Documents x topics: passages tagged, matches, share of passages, matches per 1,000 words.

    Every document of ``passages`` (and ``documents``) appears with every topic, zeros included.
    ``n_words`` comes from ``documents.n_words`` when given, else from the passage texts.
    """
    words = _word_counts(passages)
    if documents is not None and "n_words" in documents.columns:
        given = documents.set_index("doc_id")["n_words"].dropna()
        words = given.astype("int64").combine_first(words)
    doc_ids = sorted(set(passages["doc_id"]) | set(words.index))
    grid = pd.MultiIndex.from_product([doc_ids, list(topics)], names=["doc_id", "topic"])
    grouped = tags.groupby(["doc_id", "topic"])
    out = pd.DataFrame(index=grid)
    out["n_passages"] = grouped["passage_id"].nunique().reindex(grid, fill_value=0)
    out["n_matches"] = grouped.size().reindex(grid, fill_value=0)
    out = out.reset_index()
    totals = passages.groupby("doc_id")["passage_id"].nunique()
    out["passages_total"] = out["doc_id"].map(totals).fillna(0).astype("int64")
    out["share_passages"] = (out["n_passages"] / out["passages_total"].where(
        out["passages_total"] > 0)).fillna(0.0)
    out["n_words"] = out["doc_id"].map(words).fillna(0).astype("int64")
    out["per_1000_words"] = (1000 * out["n_matches"] / out["n_words"].where(
        out["n_words"] > 0)).fillna(0.0)
    return out[DOC_TOPIC_COLUMNS].astype({"n_passages": "int64", "n_matches": "int64"})


def tags_by_role(tags: pd.DataFrame, passages: pd.DataFrame, topics: list[str]) -> pd.DataFrame:
    """Topics x roles: passages tagged with the topic in each section role, and shares.

    ``share_of_topic``: of the topic's passages, the share in this role;
    ``share_of_role``: of the role's passages, the share tagged with the topic.
    """
    return topic_roles_from_counts(*role_counts(tags, passages), topics)


def role_counts(tags: pd.DataFrame, passages: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The sums behind :func:`tags_by_role`: tagged passages per (topic, role) and passages per
    role. They add up across batches of documents (a cluster sums them, then finishes once)."""
    keys = passages[["doc_id", "passage_id", "role"]]
    tagged = tags[["doc_id", "passage_id", "topic"]].drop_duplicates().merge(
        keys, on=["doc_id", "passage_id"], how="left")
    return tagged.groupby(["topic", "role"]).size(), keys.groupby("role").size()


def topic_roles_from_counts(counts: pd.Series, role_sizes: pd.Series, topics: list[str]) -> pd.DataFrame:
    """The topic x role table from :func:`role_counts` (summed)."""
    roles = list(ROLES) + sorted(set(role_sizes.index) - set(ROLES))
    grid = pd.MultiIndex.from_product([list(topics), roles], names=["topic", "role"])
    out = counts.reindex(grid, fill_value=0).rename("n_passages").reset_index()
    per_topic = out.groupby("topic")["n_passages"].transform("sum")
    out["share_of_topic"] = (out["n_passages"] / per_topic.where(per_topic > 0)).fillna(0.0)
    sizes = out["role"].map(role_sizes).fillna(0)
    out["share_of_role"] = (out["n_passages"] / sizes.where(sizes > 0)).fillna(0.0)
    return out[TOPIC_ROLE_COLUMNS].astype({"n_passages": "int64"})
