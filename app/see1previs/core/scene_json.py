"""Decoding a scene file's JSON, safely, whatever the file holds.

Turns text into plain data plus the problems found on the way, each at its place: syntax
errors at their line and column (a file cut short says so), keys a file repeats and text
holding half a character at their JSON path. Whatever the file, decoding takes time in
proportion to its size and never fails with anything but a problem to report:

- whole numbers longer than :data:`MAX_INT_DIGITS` digits become a stand-in too large for
  any field (Python takes seconds to read a number of a million digits);
- nesting deeper than :data:`MAX_DEPTH` levels is refused at its line and column;
- a list or object with more than :data:`MAX_ITEMS` entries, or a file with more than
  :data:`MAX_VALUES` values, is refused at the path where the limit was passed, and the
  scene's own lists (``props``, ``cues`` ...) longer than the format allows are refused
  before anything else is checked.

Scene validation itself is in :mod:`see1previs.core.scenefile`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from see1previs.core.physical_limits import (
    MAX_ACTORS,
    MAX_CAMERAS,
    MAX_CUES,
    MAX_PROPS,
    MAX_SHOTS,
)
from see1previs.core.sceneissues import SceneIssue, json_path

MAX_DEPTH = 32
"""Deepest nesting of lists and objects a scene file may have; real scenes need about 8."""

MAX_INT_DIGITS = 400
"""Longer whole numbers are read as a stand-in too large for any field: no scene value is
beyond 1e308."""

MAX_ITEMS = 20_000
"""Most entries in one list or object: the longest lists of a scene hold 10,000."""

MAX_VALUES = 1_000_000
"""Most values in one file: a scene with 10,000 cues holds about 100,000."""

GROUP_LIMITS = {
    "props": MAX_PROPS,
    "actors": MAX_ACTORS,
    "cues": MAX_CUES,
    "cameras": MAX_CAMERAS,
    "shots": MAX_SHOTS,
}
"""The scene's lists and how long the format lets them be (every format version)."""

_TOO_LARGE = 10**MAX_INT_DIGITS

# What json's messages mean, in words for someone editing a scene by hand.
_JSON_EXPECTATIONS = {
    "Expecting value": "expected a value (a number, text in double quotes, true, false, null, "
    "a list [...] or an object {...})",
    "Expecting ',' delimiter": "expected ',' between two items",
    "Expecting ':' delimiter": "expected ':' after a field name",
    "Expecting property name enclosed in double quotes": "expected a field name in double quotes",
    "Unterminated string starting at": "text in double quotes starts here but never ends",
    "Invalid control character at": "a line break or tab inside text in double quotes "
    "(write it as \\n or \\t)",
    "Invalid \\escape": "an invalid escape after a backslash (write a backslash as \\\\)",
    "Invalid \\uXXXX escape": "an invalid \\uXXXX escape",
    "Extra data": "more text after the end of the scene's object",
}

_BRACKET_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _JsonObject(dict[str, Any]):
    """A decoded JSON object that remembers which keys the file repeated."""

    repeated: dict[str, int]


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> _JsonObject:
    obj = _JsonObject()
    obj.repeated = {}
    for key, value in pairs:
        if key in obj:
            obj.repeated[key] = obj.repeated.get(key, 1) + 1
        obj[key] = value
    return obj


def _parse_int(digits: str) -> int:
    if len(digits) > MAX_INT_DIGITS:
        return -_TOO_LARGE if digits.startswith("-") else _TOO_LARGE
    return int(digits)


class _TooDeep(Exception):
    """Decoded data nested deeper than :data:`MAX_DEPTH`."""


class _TooMany(Exception):
    """Too many entries in one list or object, or values in the file."""

    def __init__(self, issue: SceneIssue) -> None:
        self.issue = issue


@dataclass
class _Walk:
    """What walking the decoded data has found and counted."""

    text_may_be_broken: bool
    """Whether the text can hold half characters at all (a ``\\ud800`` escape)."""
    found: list[SceneIssue] = field(default_factory=list)
    values: int = 0

    def count(self, container: dict[str, Any] | list[Any], path: str) -> None:
        self.values += len(container)
        if len(container) > MAX_ITEMS:
            kind = "object" if isinstance(container, dict) else "list"
            raise _TooMany(
                SceneIssue(
                    path,
                    f"this {kind} holds {len(container):,} entries; no list or object in a "
                    f"scene holds more than {MAX_ITEMS:,}",
                )
            )
        if self.values > MAX_VALUES:
            raise _TooMany(
                SceneIssue(
                    path,
                    f"the file holds more than {MAX_VALUES:,} values by here; a scene with "
                    "10,000 cues holds about 100,000",
                )
            )


def decode_json(text: str) -> tuple[Any, list[SceneIssue]]:
    """The decoded data (None if there is none to check) and the problems found decoding."""
    if not text.strip():
        return None, [SceneIssue("", "the file is empty; a scene file is a JSON object {...}")]
    try:
        data = json.loads(text, object_pairs_hook=_object_from_pairs, parse_int=_parse_int)
        too_long = _group_issues(data)
        if too_long:
            return None, too_long  # a file this long is not checked any further
        walk = _Walk(bool(_SURROGATE_ESCAPE.search(text) or _SURROGATE.search(text)))
        return _plain(data, "", walk, 0), walk.found
    except json.JSONDecodeError as exc:
        return None, [_syntax_issue(text, exc)]
    except (_TooDeep, RecursionError):
        return None, [_too_deep(text)]
    except _TooMany as exc:
        return None, [exc.issue]


def _group_issues(data: Any) -> list[SceneIssue]:
    """The scene's lists longer than the format allows, found before anything else."""
    if not isinstance(data, dict):
        return []
    return [
        SceneIssue(group, f"must hold at most {limit} items, got a list of {len(data[group])}")
        for group, limit in GROUP_LIMITS.items()
        if isinstance(data.get(group), list) and len(data[group]) > limit
    ]


def _plain(value: Any, path: str, walk: _Walk, depth: int) -> Any:
    """``value`` with plain dicts, noting every key repeated within one object and every
    text holding half a character (a lone ``\\ud800`` escape, which JSON lets through; it
    is replaced by its escape so the rest of the file can still be checked)."""
    if isinstance(value, str):
        if walk.text_may_be_broken and _SURROGATE.search(value):
            walk.found.append(SceneIssue(path, _half_character("holds", value)))
            return _escaped(value)
        return value
    if isinstance(value, dict | list) and depth >= MAX_DEPTH:
        raise _TooDeep
    if isinstance(value, dict):
        walk.count(value, path)
        for key, count in getattr(value, "repeated", {}).items():
            walk.found.append(
                SceneIssue(
                    json_path(path, _escaped(key)),
                    f"appears {count} times in the same object; keep only one (JSON would "
                    "silently use the last)",
                )
            )
        plain = {}
        for key, item in value.items():
            if walk.text_may_be_broken and _SURROGATE.search(key):
                where = json_path(path, _escaped(key))
                walk.found.append(SceneIssue(where, _half_character("the field name holds", key)))
                key = _escaped(key)
            if isinstance(item, dict | list | str):
                item = _plain(item, json_path(path, key), walk, depth + 1)
            plain[key] = item
        return plain
    if isinstance(value, list):
        walk.count(value, path)
        return [
            _plain(item, json_path(path, index), walk, depth + 1)
            if isinstance(item, dict | list | str)
            else item
            for index, item in enumerate(value)
        ]
    return value


def _half_character(where: str, text: str) -> str:
    escape = "\\u" + f"{ord(_SURROGATE.search(text).group()):04x}"  # type: ignore[union-attr]
    return (
        f"{where} {escape}, half of a two-part character escape without its other half, "
        "which is not text; remove it or write the whole character"
    )


def _escaped(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _too_deep(text: str) -> SceneIssue:
    """Where ``text`` first nests deeper than :data:`MAX_DEPTH`, as a line and column."""
    depth, at = 0, 0
    for token in _BRACKET_OR_STRING.finditer(text):
        mark = token.group()
        depth += 1 if mark in "[{" else -1 if mark in "]}" else 0
        if depth > MAX_DEPTH:
            at = token.start()
            break
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return SceneIssue(
        "",
        f"lists and objects are nested too deeply at line {line}, column {column} (more than "
        f"{MAX_DEPTH} levels); a scene's fields are never nested that deeply",
    )


def _syntax_issue(text: str, exc: json.JSONDecodeError) -> SceneIssue:
    expected = _JSON_EXPECTATIONS.get(exc.msg, exc.msg[:1].lower() + exc.msg[1:])
    # JSON counts lines at "\n" only (splitlines() would also split at form feeds and the
    # like), and the error may point just past the last line of a file cut short.
    lines = text.split("\n")
    line_text = lines[exc.lineno - 1] if 0 < exc.lineno <= len(lines) else ""
    before = text[: exc.pos].rstrip()
    here = text[exc.pos : exc.pos + 1]
    hint = ""
    if not text[exc.pos :].strip():
        hint = "; the file ends here, so it looks cut short"
    elif before.endswith(",") and here in "]}":
        hint = "; JSON allows no comma before '}' or ']'"
    elif here == "/":
        hint = "; JSON has no comments"
    elif here == "'":
        hint = "; JSON text needs double quotes"
    near = line_text.strip()
    if len(near) > 60:
        start = max(0, exc.colno - 1 - 30)
        near = "..." + line_text[start : start + 60].strip() + "..."
    near = f" (near: {near})" if near else ""
    return SceneIssue(
        "", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {expected}{hint}{near}"
    )
