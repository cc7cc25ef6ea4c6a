"""The topic codebook: a reviewed YAML file of topics and patterns, loaded and checked here.

A codebook is a list of topics; each has ``id``, ``label_vi``, ``label_en``, ``description``,
``include`` and ``exclude`` patterns. Patterns are Python regular expressions written the way a
researcher reads the text (see the header of ``codebooks/default.yml``): they are matched on a
*folded* copy of the text (case, NFC/NFD and tone-mark placement folded), a space matches any
run of spaces, line breaks, dashes, commas or slashes, and matches are whole words.

Errors in a codebook raise :class:`CodebookError` naming the file, the line and the topic.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis import paths
from analysis.text.fold import fold_case_and_tones
from analysis.text.normalize import strip_diacritics
from analysis.topics.regex_safety import slow_matching

TOP_LEVEL_KEYS = {"version", "topics"}
TOPIC_KEYS = {"id", "label_vi", "label_en", "description", "include", "exclude"}
PATTERN_KEYS = {"pattern", "accentless", "note"}
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")

# What a space in a pattern stands for: spaces and line breaks, hyphens and dashes, commas, slashes.
SEPARATOR_CLASS = r"[\s,/\-\u2010-\u2015\u2212]"
# Word characters plus combining marks (NFD text): a match never starts or ends inside a word.
LEFT_BOUNDARY = r"(?<![^\W_])(?<![\u0300-\u036f])"
RIGHT_BOUNDARY = r"(?![^\W_]|[\u0300-\u036f])"

class CodebookError(ValueError):
    """A codebook that cannot be used; the message names the file, line and topic."""


@dataclass(frozen=True)
class Pattern:
    """One include or exclude pattern as written in the codebook."""

    source: str
    accentless: bool = False
    line: int = field(default=0, compare=False)
    note: str = ""


@dataclass(frozen=True)
class Topic:
    """One topic of the codebook."""

    id: str
    label_vi: str
    label_en: str
    description: str = ""
    include: tuple[Pattern, ...] = ()
    exclude: tuple[Pattern, ...] = ()
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Codebook:
    """An ordered set of topics; ``source`` says where it was read from."""

    topics: tuple[Topic, ...]
    source: str = field(default="<codebook>", compare=False)
    version: int = 1
    hash: str = field(default="", compare=False)

    @property
    def ids(self) -> list[str]:
        return [topic.id for topic in self.topics]

    def topic(self, topic_id: str) -> Topic:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(f"unknown topic {topic_id!r}; the codebook has: {', '.join(self.ids)}")

    def subset(self, topic_ids: list[str]) -> Codebook:
        """The same codebook restricted to ``topic_ids`` (in codebook order)."""
        wanted = set(topic_ids)
        topics = tuple(t for t in self.topics if t.id in wanted)
        return with_hash(Codebook(topics, self.source, self.version))


# --------------------------------------------------------------------------- patterns

_TOKEN = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|[^\W\d_]+|\s+|.", re.S)


def pattern_regex(source: str, accentless: bool = False) -> str:
    """The regular expression, on folded text, that a codebook pattern stands for."""
    parts = []
    for token in _TOKEN.findall(unicodedata.normalize("NFC", source.strip())):
        if token.isspace():
            parts.append(f"(?:{SEPARATOR_CLASS}+)")  # a group, so " ?" makes it optional
        elif token.startswith("\\"):
            parts.append(token)
        elif token.startswith("["):  # a class: lower-case its letters, keep its escapes
            parts.append(re.sub(r"\\.|[^\\]+", lambda m: m.group(0) if m.group(0)[0] == "\\"
                                else m.group(0).lower(), token))
        else:
            folded = fold_case_and_tones(token)
            parts.append(strip_diacritics(folded, keep_length=True) if accentless else folded)
    return LEFT_BOUNDARY + "(?:" + "".join(parts) + ")" + RIGHT_BOUNDARY


def compile_pattern(pattern: Pattern) -> re.Pattern:
    """Compile one pattern; a :class:`CodebookError`-ready ``ValueError`` if it is unusable."""
    if re.search(r"\\[1-9]|\(\?P[<=]", pattern.source):
        raise ValueError("back-references and named groups are not allowed in patterns")
    try:
        compiled = re.compile(pattern_regex(pattern.source, pattern.accentless))
    except re.error as exc:
        raise ValueError(f"invalid regular expression ({exc})") from None
    if compiled.search("") or compiled.search(" "):
        raise ValueError("pattern can match empty text")
    slow = slow_matching(compiled.pattern)
    if slow:
        raise ValueError(slow)
    return compiled


# --------------------------------------------------------------------------- loading


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and check a codebook YAML file (the packaged default when ``path`` is None)."""
    path = Path(path) if path is not None else paths.DEFAULT_CODEBOOK
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CodebookError(f"codebook {path}: cannot read it ({exc.strerror}); "
                            "pass an existing YAML file with --codebook") from None
    return parse_codebook(text, source=str(path))


def parse_codebook(text: str, source: str = "<codebook>") -> Codebook:
    """Parse codebook YAML ``text``; errors name ``source``, the line and the topic."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise CodebookError(_yaml_error(exc, text, source)) from None
    if not isinstance(root, yaml.MappingNode):
        raise CodebookError(f"codebook {source}: expected a mapping with a 'topics' list")
    top = _mapping(root)
    unknown = sorted(set(top) - TOP_LEVEL_KEYS)
    if unknown:
        key_node = next(key for key, _ in root.value if str(key.value) == unknown[0])
        raise _fail(source, key_node, None,
                    f"unknown top-level key {unknown[0]!r}; allowed: {', '.join(sorted(TOP_LEVEL_KEYS))}")
    topics_node = top.get("topics")
    if not isinstance(topics_node, yaml.SequenceNode) or not topics_node.value:
        raise CodebookError(f"codebook {source}, line {_line(root)}: needs a non-empty 'topics' list")
    topics: list[Topic] = []
    seen: dict[str, int] = {}
    for node in topics_node.value:
        topic = _topic(node, source)
        if topic.id in seen:
            raise CodebookError(f"codebook {source}, line {topic.line}, topic {topic.id!r}: "
                                f"duplicate id (first defined on line {seen[topic.id]})")
        seen[topic.id] = topic.line
        topics.append(topic)
    return with_hash(Codebook(tuple(topics), source, _version(top.get("version"), source)))


def _version(node: yaml.Node | None, source: str) -> int:
    if node is None:
        return 1
    value = _scalar(node)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _fail(source, node, None, f"version must be a whole number such as 1, not {node.value!r}")
    return value


def _yaml_error(exc: yaml.YAMLError, text: str, source: str) -> str:
    """One line: where the YAML broke, where the broken part started, and in which topic."""
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    where = f", line {mark.line + 1}" if mark is not None else ""
    if context is not None and mark is not None and context.line != mark.line:
        where += f" (in the part starting on line {context.line + 1})"
    # The topic is the last id above where the parser stopped (the start of the enclosing part
    # may be the whole topics list, whose first topic is innocent).
    where_broken = mark if mark is not None else context
    topic = None
    if where_broken is not None:
        ids = re.findall(r"^\s*-?\s*id:\s*['\"]?([^'\"\s#]+)", "\n".join(
            text.splitlines()[:where_broken.line + 1]), re.M)
        topic = ids[-1] if ids else None
    who = f", topic {topic!r}" if topic else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"codebook {source}{where}{who}: not valid YAML ({problem})"


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar(node: yaml.Node):
    return yaml.safe_load(yaml.serialize(node))


def _mapping(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    return {str(key.value): value for key, value in node.value}


def _fail(source: str, node: yaml.Node, topic: str | None, message: str) -> CodebookError:
    who = f", topic {topic!r}" if topic else ""
    return CodebookError(f"codebook {source}, line {_line(node)}{who}: {message}")


def _topic(node: yaml.Node, source: str) -> Topic:
    """One topic from its YAML node, checked."""
    if not isinstance(node, yaml.MappingNode):
        raise _fail(source, node, None, "each topic must be a mapping with id, labels and patterns")
    fields = _mapping(node)
    topic_id = str(fields["id"].value) if "id" in fields else None
    if topic_id is None or not _ID_RE.match(topic_id):
        raise _fail(source, fields.get("id", node), topic_id,
                    "topic id must be lower-case letters, digits and '_' (e.g. thu_chi)")
    unknown = sorted(set(fields) - TOPIC_KEYS)
    if unknown:
        raise _fail(source, fields[unknown[0]], topic_id,
                    f"unknown key {unknown[0]!r}; allowed: {', '.join(sorted(TOPIC_KEYS))}")
    for key in ("label_vi", "label_en"):
        if key not in fields or not str(_scalar(fields[key]) or "").strip():
            raise _fail(source, fields.get(key, node), topic_id, f"missing {key}")
    include = _patterns(fields.get("include"), source, topic_id, node, "include")
    if not include:
        raise _fail(source, fields.get("include", node), topic_id, "needs at least one include pattern")
    exclude = _patterns(fields.get("exclude"), source, topic_id, node, "exclude")
    return Topic(topic_id, str(_scalar(fields["label_vi"])).strip(),
                 str(_scalar(fields["label_en"])).strip(),
                 str(_scalar(fields["description"]) or "").strip() if "description" in fields else "",
                 include, exclude, _line(node))


def _patterns(node, source: str, topic_id: str, parent, kind: str) -> tuple[Pattern, ...]:
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "null", "~")):
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise _fail(source, node, topic_id, f"{kind} must be a list of patterns")
    return tuple(_pattern(item, source, topic_id) for item in node.value)


def _pattern(node: yaml.Node, source: str, topic_id: str) -> Pattern:
    """One pattern (a string, or a mapping with ``pattern`` and options), compiled to check it."""
    accentless, note = False, ""
    if isinstance(node, yaml.MappingNode):
        fields = _mapping(node)
        unknown = sorted(set(fields) - PATTERN_KEYS)
        if unknown or "pattern" not in fields:
            raise _fail(source, node, topic_id, "a pattern mapping needs 'pattern' and may have "
                        "'accentless' (true/false) and 'note'")
        accentless = _scalar(fields["accentless"]) if "accentless" in fields else False
        if not isinstance(accentless, bool):
            raise _fail(source, fields["accentless"], topic_id, "accentless must be true or false")
        note = str(_scalar(fields["note"]) or "") if "note" in fields else ""
        node = fields["pattern"]
    value = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(value, (str, int)) or not str(value).strip():
        raise _fail(source, node, topic_id, "empty pattern")
    pattern = Pattern(str(value), accentless, _line(node), note)
    try:
        compile_pattern(pattern)
    except ValueError as exc:
        raise _fail(source, node, topic_id, f"pattern {pattern.source!r}: {exc}") from None
    return pattern


def with_hash(codebook: Codebook) -> Codebook:
    """The same codebook with ``hash`` set from its content (patterns, options, labels)."""
    digest = hashlib.sha256(json.dumps(codebook_dict(codebook), ensure_ascii=False,
                                       sort_keys=True).encode("utf-8")).hexdigest()[:16]
    return Codebook(codebook.topics, codebook.source, codebook.version, digest)


def codebook_dict(codebook: Codebook) -> dict:
    """Plain data (for YAML/JSON) of a codebook; what its hash is computed on."""
    def pattern(p: Pattern):
        if not p.accentless and not p.note:
            return p.source
        out = {"pattern": p.source}
        if p.accentless:
            out["accentless"] = True
        if p.note:
            out["note"] = p.note
        return out

    topics = []
    for t in codebook.topics:
        item = {"id": t.id, "label_vi": t.label_vi, "label_en": t.label_en,
                "description": t.description, "include": [pattern(p) for p in t.include]}
        if t.exclude:
            item["exclude"] = [pattern(p) for p in t.exclude]
        topics.append(item)
    return {"version": codebook.version, "topics": topics}


def codebook_yaml(codebook: Codebook) -> str:
    """The codebook as YAML text that :func:`parse_codebook` reads back to an equal codebook."""
    return yaml.safe_dump(codebook_dict(codebook), allow_unicode=True, sort_keys=False, width=100)
