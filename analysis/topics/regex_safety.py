"""Does a regular expression match in linear time under Python's backtracking ``re``?

A backtracking matcher is slow exactly when the pattern is *ambiguous*: when one text can be
matched along many paths, it tries them all. Following Weideman, van der Merwe, Berglund and
Watson ("Analyzing matching time behavior of backtracking regular expression matchers by using
ambiguity of NFA", CIAA 2016), the pattern is turned into its Glushkov automaton (one state per
character position of the pattern) and checked for

- **exponential ambiguity**: a state with two different loops reading the same text (``(a+)+``,
  ``(\\w+\\s?)+``, ``(a|a)*``): time doubles with every extra character;
- **polynomial ambiguity**: two different looping states ``p``, ``q`` with loops at ``p`` and at
  ``q`` and a path ``p`` -> ``q``, all reading the same text (``\\s+\\s+``, or ``[\\w ]+x``
  searched for: each start scans the rest): time grows as a power of the text length.

Searching tries every start position, so the pattern is prefixed with "any text, then a
character that is not part of a word" (the codebook's left word boundary: a match starts only
there) before the check. Lookarounds are zero-width in the automaton and their bodies are
checked on their own. Character classes are compared on a sample alphabet: every character the
pattern names, the ends of its ranges, and one of each kind (letter, digit, space, punctuation,
Vietnamese letter, combining mark ...). Patterns too large to check are refused.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parser
from dataclasses import dataclass, field
from functools import lru_cache

MAX_POSITIONS = 2000  # character positions after expanding bounded repeats
MAX_COPIES = 100  # a bounded repeat {m,n} with n above this is checked as unbounded
_SAMPLE = "aAzZ0 9_\t\n\r,-/.:;()!?'\"\x00đĐéẹưƯ\u0301\u0300\u00a0\u2013中"
_UNBOUNDED = sre.MAXREPEAT


class SlowPatternError(ValueError):
    """A pattern whose matching time can grow faster than linearly with the text."""


@dataclass
class _Automaton:
    """Glushkov automaton with edge multiplicities: ``follow[x][y]`` counts the different ways
    (through different loops or empty alternatives) the pattern goes from position x to y; a
    plain Glushkov automaton would merge them and hide the ambiguity of ``(a+)+``."""

    labels: list[object] = field(default_factory=list)  # per position: parse item (None = start)
    follow: list[dict[int, int]] = field(default_factory=list)

    def new(self, label) -> int:
        if len(self.labels) >= MAX_POSITIONS:
            raise SlowPatternError("pattern too large to check for slow matching; split it into several patterns")
        self.labels.append(label)
        self.follow.append({})
        return len(self.labels) - 1

    def link(self, last: dict[int, int], first: dict[int, int]) -> None:
        for x, ways_x in last.items():
            for y, ways_y in first.items():
                self.follow[x][y] = self.follow[x].get(y, 0) + ways_x * ways_y


@dataclass(frozen=True)
class _Part:
    empty: int  # ways to match the empty text
    first: dict[int, int]  # position -> ways to start there
    last: dict[int, int]  # position -> ways to end there


_EMPTY = _Part(1, {}, {})
_NOTHING = _Part(0, {}, {})


def _add(*weighted: tuple[int, dict[int, int]]) -> dict[int, int]:
    out: dict[int, int] = {}
    for factor, ways in weighted:
        for key, count in ways.items():
            if factor:
                out[key] = out.get(key, 0) + factor * count
    return out


def _concat(auto: _Automaton, a: _Part, b: _Part) -> _Part:
    auto.link(a.last, b.first)
    return _Part(a.empty * b.empty, _add((1, a.first), (a.empty, b.first)), _add((1, b.last), (b.empty, a.last)))


def _union(parts: list[_Part]) -> _Part:
    return _Part(sum(p.empty for p in parts), _add(*((1, p.first) for p in parts)),
                 _add(*((1, p.last) for p in parts)))


def _optional(part: _Part) -> _Part:
    return _Part(part.empty + 1, part.first, part.last)


def _sequence(auto: _Automaton, items, lookarounds: list) -> _Part:
    part = _EMPTY
    for op, arg in items:
        part = _concat(auto, part, _item(auto, op, arg, lookarounds))
    return part


def _item(auto: _Automaton, op, arg, lookarounds: list) -> _Part:
    """Glushkov construction of one parse item (positions, first/last ways, follow links)."""
    if op in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
        position = auto.new((op, arg))
        return _Part(0, {position: 1}, {position: 1})
    if op is sre.SUBPATTERN:
        return _sequence(auto, arg[-1], lookarounds)
    if op is sre.ATOMIC_GROUP:
        return _sequence(auto, arg, lookarounds)
    if op is sre.BRANCH:
        return _union([_sequence(auto, alt, lookarounds) for alt in arg[1]])
    if op is sre.GROUPREF_EXISTS:
        _, yes, no = arg
        return _union([_sequence(auto, yes, lookarounds), _sequence(auto, no or [], lookarounds)])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        return _repeat(auto, *arg, lookarounds)
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        if arg[0] == 1:  # a lookahead; a lookbehind has a fixed width in Python, so it is quick
            lookarounds.append(arg[1])
        return _EMPTY
    if op is sre.AT:
        return _EMPTY
    raise SlowPatternError(f"cannot check this kind of pattern ({op}); rewrite it without it")


def _repeat(auto: _Automaton, low: int, high, body, lookarounds: list) -> _Part:
    """{low,high} as the engine runs it: ``low`` copies, then optional ones nested
    (x{0,2} = (x(x)?)?); when unbounded, the last required copy loops back to itself."""
    required = min(low, MAX_COPIES)
    if high is _UNBOUNDED or high > MAX_COPIES:
        copies = [_sequence(auto, body, lookarounds) for _ in range(max(required, 1))]
        auto.link(copies[-1].last, copies[-1].first)
        part = _EMPTY
        for copy in copies:
            part = _concat(auto, part, copy)
        return part if required else _optional(part)
    copies = [_sequence(auto, body, lookarounds) for _ in range(high)]
    tail = _EMPTY
    for copy in reversed(copies[required:]):
        tail = _optional(_concat(auto, copy, tail))
    part = _EMPTY
    for copy in copies[:required]:
        part = _concat(auto, part, copy)
    return _concat(auto, part, tail)


# --------------------------------------------------------------------------- labels


_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W",
}


def _class_matches(items, char: str) -> bool:
    negate, found = False, False
    for op, arg in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            found |= ord(char) == arg
        elif op is sre.RANGE:
            found |= arg[0] <= ord(char) <= arg[1]
        elif op is sre.CATEGORY:
            found |= _in_category(arg, char)
    return found != negate


@lru_cache(maxsize=1024)
def _in_category(category, char: str) -> bool:
    return re.fullmatch(_CATEGORIES.get(category, r"\w"), char) is not None


def _label_set(label, alphabet: str) -> frozenset[str]:
    op, arg = label
    if op is sre.LITERAL:
        return frozenset(c for c in alphabet if ord(c) == arg)
    if op is sre.NOT_LITERAL:
        return frozenset(c for c in alphabet if ord(c) != arg)
    if op is sre.ANY:
        return frozenset(c for c in alphabet if c != "\n")
    return frozenset(c for c in alphabet if _class_matches(arg, c))


def _alphabet(labels: list) -> str:
    chars = set(_SAMPLE)
    for op, arg in labels:
        if op in (sre.LITERAL, sre.NOT_LITERAL):
            chars.add(chr(arg))
        elif op is sre.IN:
            for item_op, item_arg in arg:
                if item_op is sre.LITERAL:
                    chars.add(chr(item_arg))
                elif item_op is sre.RANGE:
                    chars.update(chr(code) for code in (item_arg[0], item_arg[1], (item_arg[0] + item_arg[1]) // 2))
    return "".join(sorted(chars))


# --------------------------------------------------------------------------- ambiguity


def _sccs(nodes: list, edges) -> dict:
    """Strongly connected component id of every node (iterative Tarjan)."""
    index, low, comp, on_stack, stack, counter = {}, {}, {}, set(), [], [0]
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(edges(root)))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]
                    counter[0] += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(edges(nxt))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp[member] = node
                    if member == node:
                        break
    return comp


@dataclass
class _Checker:
    follow: list[dict[int, int]]
    sets: list[frozenset[str]]

    def pair_edges(self, state):
        p, q = state
        for a in self.follow[p]:
            for b in self.follow[q]:
                if self.sets[a] & self.sets[b]:
                    yield (a, b)

    def exponential(self, looping: list[int]) -> bool:
        """Some state has two different loops on the same text: in the automaton of pairs of
        states, a component holding a pair (q, q) also holds a pair (p, r) with p != r, or an
        edge (x, x) -> (y, y) that the pattern can take in two ways."""
        seen, todo = set(), [(q, q) for q in looping]
        while todo:
            state = todo.pop()
            if state not in seen:
                seen.add(state)
                todo.extend(self.pair_edges(state))
        comp = _sccs(sorted(seen), lambda s: [t for t in self.pair_edges(s) if t in seen])
        diagonal = {comp[(q, q)] for q in looping if (q, q) in comp}
        if any(p != q and comp[(p, q)] in diagonal for p, q in seen):
            return True
        return any(ways > 1 and (x, x) in comp and (y, y) in comp and comp[(x, x)] == comp[(y, y)]
                   and comp[(x, x)] in diagonal
                   for x in range(len(self.follow)) for y, ways in self.follow[x].items())

    def polynomial(self, looping: list[int], scc: dict, reach: dict) -> bool:
        """Two looping states p != q with loops at each and a path p -> q on one text."""
        for p in looping:
            for q in looping:
                if p != q and scc[p] != scc[q] and q in reach[p] and self._triple_path(p, q, scc):
                    return True
        return False

    def _triple_path(self, p: int, q: int, scc: dict) -> bool:
        start, goal = (p, p, q), (p, q, q)
        seen, todo = {start}, [start]
        while todo:
            a, b, c = todo.pop()
            for a2 in self.follow[a]:
                if scc[a2] != scc[p]:
                    continue
                for c2 in self.follow[c]:
                    common = self.sets[a2] & self.sets[c2]
                    if scc[c2] != scc[q] or not common:
                        continue
                    for b2 in self.follow[b]:
                        state = (a2, b2, c2)
                        if state not in seen and common & self.sets[b2]:
                            if state == goal:
                                return True
                            seen.add(state)
                            todo.append(state)
        return False


def _reachable(follow: list[dict[int, int]], start: int) -> set[int]:
    seen, todo = set(), list(follow[start])
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(follow[node])
    return seen


def _label_sets(labels: list) -> list[frozenset[str]]:
    """The sample characters each position reads (computed once per distinct label)."""
    alphabet = _alphabet([label for label in labels if label is not None])
    by_text: dict[str, frozenset[str]] = {}
    sets = []
    for label in labels:
        key = repr(label)
        if key not in by_text:
            by_text[key] = frozenset(alphabet) if label is None else _label_set(label, alphabet)
        sets.append(by_text[key])
    return sets


def _ambiguity(items, searched: bool) -> str | None:
    """'exponential', 'polynomial' or None for a parsed pattern (``searched``: tried at every
    position after a non-word character, as the codebook's boundary allows)."""
    auto, lookarounds = _Automaton(), []
    start = auto.new(None)  # the state before anything is read
    body = _sequence(auto, items, lookarounds)
    if searched:
        anything = auto.new((sre.ANY, None))  # Σ*: the text before a match ...
        boundary = auto.new((sre.IN, [(sre.CATEGORY, sre.CATEGORY_NOT_WORD)]))  # ... ending in a non-word char
        auto.link({anything: 1}, {anything: 1, boundary: 1})
        auto.link({start: 1}, {anything: 1, boundary: 1})
        auto.link({boundary: 1}, body.first)
    auto.link({start: 1}, body.first)
    nodes = list(range(len(auto.labels)))
    scc = _sccs(nodes, lambda n: auto.follow[n])
    sizes: dict[int, int] = {}
    for node in nodes:
        sizes[scc[node]] = sizes.get(scc[node], 0) + 1
    looping = [q for q in nodes if sizes[scc[q]] > 1 or q in auto.follow[q]]
    checker = _Checker(auto.follow, _label_sets(auto.labels))
    if checker.exponential(looping):
        return "exponential"
    reach = {p: _reachable(auto.follow, p) for p in looping}
    if checker.polynomial(looping, scc, reach):
        return "polynomial"
    for body_items in lookarounds:
        found = _ambiguity(body_items, searched=False)
        if found:
            return found
    return None


@lru_cache(maxsize=4096)
def slow_matching(regex: str, searched: bool = True) -> str | None:
    """Why ``regex`` can take more than linear time, as one phrase, or None when it cannot."""
    kind = _ambiguity(sre_parser.parse(regex).data, searched)
    if kind == "exponential":
        return ("its matching time can double with every character (a repeated part can match the "
                "same text in more than one way, as in '(a+)+'); rewrite it without a repeat inside a repeat")
    if kind == "polynomial":
        return ("its matching time can grow with the square of the text or faster (two repeated "
                "parts can match the same text, as in '\\s+\\s+' or '[\\w ]+'); make the repeated parts "
                "exclude each other, e.g. words '\\w+' between separators")
    return None
