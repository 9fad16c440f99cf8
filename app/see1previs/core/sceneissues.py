"""Problems found in scene data, as sentences a director can act on.

Owns :class:`SceneIssue` (one problem at one JSON path) and the translation of pydantic's
validation errors into issues: the error's location becomes the path as written in the file
(``props[2].shape.radius``), and its type becomes a sentence that uses the field's unit
(``must be greater than 0 kg, got -1``). It also owns the best-effort id/reference check on
raw data, which lets a file with both a bad value and a duplicate id report both: pydantic
only runs the scene's own reference check once every field is valid.

Reading and writing files lives in :mod:`see1previs.core.scenefile`.
"""

from __future__ import annotations

import difflib
import math
import re
import types
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, cast, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from see1previs.core.scene import COLOR_PATTERN, ID_PATTERN, Scene, reference_problems


@dataclass(frozen=True)
class SceneIssue:
    """One problem in a scene file: where it is (a JSON path) and what is wrong."""

    path: str
    """JSON path as written in the file, e.g. ``props[2].mass``; empty for the whole file."""
    message: str
    """A human sentence, e.g. ``must be greater than 0 kg, got -1``."""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


# Words people reach for instead of the type names the format uses.
_TYPE_SYNONYMS = {
    "cube": "box",
    "cuboid": "box",
    "block": "box",
    "ball": "sphere",
    "tube": "cylinder",
    "rod": "cylinder",
    "pill": "capsule",
    "model": "mesh",
    "file": "mesh",
    "push": "impulse",
    "kick": "impulse",
    "throw": "impulse",
    "rotate": "spin",
    "twist": "spin",
}

_VECTOR_LABELS = {3: "(x, y, z)", 4: "(w, x, y, z)"}

_NUMBER_ERRORS = {"float_type", "float_parsing", "decimal_type", "decimal_parsing"}
_WHOLE_NUMBER_ERRORS = {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}
_OBJECT_ERRORS = {"model_type", "model_attributes_type", "dict_type"}
_RANGE_WORDS = {
    "greater_than": ("greater than", "gt"),
    "greater_than_equal": ("at least", "ge"),
    "less_than": ("less than", "lt"),
    "less_than_equal": ("at most", "le"),
}
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_UNIT_IN_DESCRIPTION = re.compile(r"\[([^\]]+)\]")


def json_path(parent: str, key: str | int) -> str:
    """Extend a JSON path the way the file reads: ``props[2].shape``."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if not _KEY.match(key):
        return f'{parent}["{key}"]'
    return f"{parent}.{key}" if parent else key


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a near miss among ``candidates``, else an empty string."""
    options = list(candidates)
    lowered = {option.lower(): option for option in options}
    if word.lower() in lowered:
        return f" (did you mean '{lowered[word.lower()]}'?)"
    synonym = _TYPE_SYNONYMS.get(word.lower())
    if synonym in options:
        return f" (did you mean '{synonym}'?)"
    match = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""


def format_number(value: float) -> str:
    """A number as the file would spell it: ``-1``, ``0.25``, ``NaN``, ``Infinity``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # Python refuses to print integers with thousands of digits; nobody wants to read them.
        return str(value) if value.bit_length() <= 64 else "a number too large to use"
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def describe_value(value: Any) -> str:
    """What the file holds, in words: ``the text 'heavy'``, ``-1``, ``null``, ``a list``."""
    if value is None:
        return "null"
    if isinstance(value, bool | int | float):
        return format_number(value)
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text '{shown}'"
    if isinstance(value, list | tuple):
        return f"a list of {len(value)}" if value else "an empty list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


# -- where an error is: walking pydantic's location through the scene models -----------------


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``| None`` (pydantic adds no location level for either)."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation


def _union_members(annotation: Any) -> list[Any]:
    if get_origin(annotation) in (Union, types.UnionType):
        return [_unwrap(arg) for arg in get_args(annotation) if arg is not type(None)]
    return []


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _type_tag(model: Any) -> str | None:
    """The ``type`` value that selects ``model`` in a tagged union (``box`` for BoxShape)."""
    if not _is_model(model) or "type" not in model.model_fields:
        return None
    annotation = model.model_fields["type"].annotation
    if get_origin(annotation) is Literal:
        return str(get_args(annotation)[0])
    return None


@dataclass
class _Location:
    """An error's location resolved against the models."""

    path: str = ""
    annotation: Any = Scene
    """The type expected at this location."""
    field: FieldInfo | None = None
    """The model field of the nearest named segment (carries the unit)."""
    name: str | None = None
    """The nearest named segment (a field name, or an unknown key)."""
    owner: Any = None
    """The model that holds ``name``."""
    container: Any = None
    """When the last segment is an index: the list or tuple type it indexes."""


def _locate(loc: Sequence[str | int], root: type[BaseModel], prefix: str) -> _Location:
    where = _Location(path=prefix, annotation=root)
    for segment in loc:
        annotation = _unwrap(where.annotation)
        members = _union_members(annotation)
        if members and isinstance(segment, str):
            # Pydantic names the union member it tried ('box', 'function-after[...]'); the
            # file has no such level, so drop it and narrow to that member when we can.
            chosen = next(
                (m for m in members if segment in (_type_tag(m), getattr(m, "__name__", None))),
                None,
            )
            where.annotation = chosen if chosen is not None else annotation
            continue
        if isinstance(segment, int):
            where.path = json_path(where.path, segment)
            where.container = annotation
            args = get_args(annotation)
            if get_origin(annotation) is list and args:
                where.annotation = args[0]
            elif get_origin(annotation) is tuple and args:
                where.annotation = args[min(segment, len(args) - 1)]
            else:
                where.annotation = Any
            continue
        where.path = json_path(where.path, segment)
        where.container = None
        where.name = segment
        if _is_model(annotation) and segment in annotation.model_fields:
            where.owner = annotation
            where.field = annotation.model_fields[segment]
            where.annotation = where.field.annotation
        else:
            where.owner = annotation if _is_model(annotation) else None
            where.field = None
            where.annotation = Any
    return where


def _unit(field: FieldInfo | None) -> str:
    if field is None:
        return ""
    extra = field.json_schema_extra
    if isinstance(extra, dict) and isinstance(extra.get("unit"), str):
        return cast(str, extra["unit"])
    match = _UNIT_IN_DESCRIPTION.search(field.description or "")
    return match.group(1) if match else ""


def _with_unit(value: float, unit: str) -> str:
    return f"{format_number(value)} {unit}" if unit else format_number(value)


def _vector_message(size: int, value: Any) -> str:
    labels = _VECTOR_LABELS.get(size, "")
    expected = f"must be a list of {size} numbers {labels}".rstrip()
    return f"{expected}, got {describe_value(value)}"


def _tuple_size(annotation: Any) -> int | None:
    annotation = _unwrap(annotation)
    if get_origin(annotation) is tuple:
        args = get_args(annotation)
        if args and args[-1] is not Ellipsis:
            return len(args)
    return None


# -- turning one pydantic error into a sentence ------------------------------------------------


def _describe_error(error: Mapping[str, Any], root: type[BaseModel], prefix: str) -> SceneIssue:
    kind: str = error["type"]
    loc: tuple[str | int, ...] = tuple(error["loc"])
    value = error.get("input")
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    where = _locate(loc, root, prefix)

    # A vector of the wrong length: pydantic reports the missing item, or the list as a whole.
    size = _tuple_size(where.container) if loc and isinstance(loc[-1], int) else None
    if kind == "missing" and size is not None:
        return SceneIssue(_locate(loc[:-1], root, prefix).path, _vector_message(size, value))
    size = _tuple_size(where.annotation)
    if kind in {"tuple_type", "too_long", "too_short", "list_type"} and size is not None:
        return SceneIssue(where.path, _vector_message(size, value))

    return SceneIssue(where.path, _sentence(kind, value, ctx, where, error.get("msg", "")))


def _sentence(
    kind: str, value: Any, ctx: Mapping[str, Any], where: _Location, fallback: str
) -> str:
    got = f"got {describe_value(value)}"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        known = list(where.owner.model_fields) if _is_model(where.owner) else []
        hint = did_you_mean(str(where.name), known)
        if not hint and known:
            hint = f" (known fields: {', '.join(known)})"
        return f"unknown field '{where.name}'{hint}"
    if kind in _RANGE_WORDS:
        words, key = _RANGE_WORDS[kind]
        return f"must be {words} {_with_unit(ctx[key], _unit(where.field))}, {got}"
    if kind == "finite_number":
        return f"must be a finite number, {got}"
    if kind in _NUMBER_ERRORS:
        return f"must be a number, {got}"
    if kind in _WHOLE_NUMBER_ERRORS:
        return f"must be a whole number, {got}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"must be true or false, {got}"
    if kind == "string_type":
        return f"must be text in double quotes, {got}"
    if kind == "list_type":
        return f"must be a list [...], {got}"
    if kind in _OBJECT_ERRORS:
        return f"must be an object {{...}}, {got}"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern")
        if pattern == ID_PATTERN:
            return (
                "must be an id of letters, digits, '_', '-', '.' (starting with a letter or "
                f"digit), {got}"
            )
        if pattern == COLOR_PATTERN:
            return f"must be a colour written #RRGGBB (like #ff8800), {got}"
        return f"must match the pattern {pattern}, {got}"
    if kind in {"too_long", "too_short"}:
        limit = ctx.get("max_length" if kind == "too_long" else "min_length")
        words = "at most" if kind == "too_long" else "at least"
        return f"must hold {words} {limit} items, got {describe_value(value)}"
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return "must not be empty"
        return f"must be at least {ctx.get('min_length')} characters long, {got}"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters long, got {len(str(value))}"
    if kind == "literal_error":
        return f"must be {ctx.get('expected')}, {got}"
    if kind == "union_tag_invalid":
        tags = [tag.strip().strip("'") for tag in str(ctx.get("expected_tags", "")).split(",")]
        tag = str(ctx.get("tag"))
        return f"{_thing(where)} type '{tag}' is not one of {', '.join(tags)}" + did_you_mean(
            tag, tags
        )
    if kind == "union_tag_not_found":
        tags = [t for t in map(_type_tag, _union_members(_unwrap(where.annotation))) if t]
        if not isinstance(value, Mapping):
            return f'must be an object {{...}} with a "type", {got}'
        return f'needs a "type": one of {", ".join(tags)}'
    if kind in {"value_error", "assertion_error"}:
        # Our own validators already speak in sentences; drop pydantic's prefix.
        return re.sub(r"^(Value error|Assertion failed), ", "", fallback)
    text = fallback[:1].lower() + fallback[1:] if fallback else kind.replace("_", " ")
    return f"{text}, {got}"


def _thing(where: _Location) -> str:
    """What a tagged union holds, in words: 'shape' for a prop's shape, 'cue' for a cue."""
    name = where.name or "item"
    if where.container is not None and name.endswith("s"):
        return name[:-1]  # an item of 'cues' is a 'cue'
    return name


# -- whole errors ------------------------------------------------------------------------------


def issues_from_validation_error(
    error: ValidationError, root: type[BaseModel] = Scene, path: str = ""
) -> list[SceneIssue]:
    """Every problem in a pydantic ``ValidationError``, one issue each.

    ``root`` is the model that was validated and ``path`` where it sits in the scene, so an
    edit rejected by, say, ``Prop`` (``validate_assignment``) reads ``props[2].mass: ...``.
    """
    issues: list[SceneIssue] = []
    wrong_kind: set[SceneIssue] = set()
    for item in error.errors(include_url=False):
        if item["type"] == "scene_references":
            # The scene's model validator bundles every id/reference problem into one error.
            ctx = item.get("ctx") or {}
            issues.extend(SceneIssue(path, message) for path, message in ctx.get("problems", []))
        else:
            issues.append(_describe_error(item, root, path))
            if item["type"] in _KIND_ERRORS:
                wrong_kind.add(issues[-1])
    return unique(_without_other_branches(issues, wrong_kind))


_KIND_ERRORS = {"string_type", *_OBJECT_ERRORS}


def _without_other_branches(
    issues: list[SceneIssue], wrong_kind: set[SceneIssue]
) -> list[SceneIssue]:
    """``issues`` less "must be text" where a field takes text or an object and got an object
    with problems of its own (``look_at``): the object's problems are the ones to fix."""

    def explained(issue: SceneIssue) -> bool:
        return any(
            other not in wrong_kind
            and (
                other.path == issue.path
                or other.path.startswith((issue.path + ".", issue.path + "["))
            )
            for other in issues
        )

    return [issue for issue in issues if issue not in wrong_kind or not explained(issue)]


def unique(issues: Iterable[SceneIssue]) -> list[SceneIssue]:
    """``issues`` in order without repeats (a short vector reports each missing item)."""
    return list(dict.fromkeys(issues))


# -- ids and references on raw data ------------------------------------------------------------


@dataclass
class _RawItem:
    id: Any
    target: str = ""
    time: float = -math.inf
    type: str = ""  # a cue's type, so actor cues are not read as body cues


@dataclass
class _RawScene:
    """Just enough of a Scene, read leniently from raw data, for ``reference_problems``."""

    props: list[_RawItem]
    actors: list[_RawItem]
    cues: list[_RawItem]
    duration: float
    # Cameras and shots are checked once the file validates; the lenient pass skips them.
    cameras: list[_RawItem] = field(default_factory=list)
    shots: list[_RawItem] = field(default_factory=list)

    def bodies(self) -> list[_RawItem]:
        # Bodies whose id is not text cannot be referred to; leaving them out keeps the
        # did-you-mean suggestions to real ids.
        return [body for body in [*self.props, *self.actors] if isinstance(body.id, str)]


def _finite(value: Any, otherwise: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return otherwise
    if isinstance(value, int) and value.bit_length() > 1000:
        return otherwise  # beyond any float: a time of 1 followed by 400 zeros
    number = float(value)
    return number if math.isfinite(number) else otherwise


class MissingId:
    """The id of a raw item that has none (or not as text): never equal to another id.

    Shown in messages as what it is, ``a cue without an id``, never as an object address.
    """

    def __str__(self) -> str:
        return "(no id)"

    def __format__(self, spec: str) -> str:
        return str(self)


def _raw_items(data: Mapping[str, Any], group: str) -> list[_RawItem]:
    entries = data.get(group)
    if not isinstance(entries, list):
        return []
    items = []
    for entry in entries:
        entry = entry if isinstance(entry, Mapping) else {}
        raw_id = entry.get("id")
        target = entry.get("target")
        items.append(
            _RawItem(
                # A fresh marker never equals another id, so a missing id is never a duplicate.
                id=raw_id if isinstance(raw_id, str) else MissingId(),
                target=target if isinstance(target, str) else "",
                time=_finite(entry.get("time"), -math.inf),
                type=entry.get("type") if isinstance(entry.get("type"), str) else "",
            )
        )
    return items


def raw_reference_issues(
    data: Mapping[str, Any], already_reported: Iterable[SceneIssue]
) -> list[SceneIssue]:
    """Duplicate ids, unknown cue targets and late cues, checked on raw (invalid) data.

    Uses the scene's own ``reference_problems`` so the sentences are identical to those of a
    valid scene. Problems under a path that already has an issue are left out: a cue with no
    valid target, or a prop that is not even an object, has been reported already.
    """
    reported = {issue.path for issue in already_reported}
    duration = data.get("duration", Scene.model_fields["duration"].default)
    if "duration" in reported:
        duration = math.inf  # an invalid length says nothing about which cues are late
    raw = _RawScene(
        props=_raw_items(data, "props"),
        actors=_raw_items(data, "actors"),
        cues=_raw_items(data, "cues"),
        duration=_finite(duration, math.inf),
    )
    if "" in reported:
        return []  # the whole file is already reported
    issues = []
    for path, message in reference_problems(cast(Scene, raw)):
        if reported.isdisjoint(_path_and_parents(path)):
            issues.append(SceneIssue(path, message))
    return issues


_PARENT_END = re.compile(r"(?=[.\[])")


def _path_and_parents(path: str) -> list[str]:
    """``cues[3].target`` and every path that contains it: ``cues``, ``cues[3]``.

    A set lookup of each of these replaces comparing every problem with every reported path,
    which took most of a minute for a file with 16,000 cues.
    """
    cuts = [match.start() for match in _PARENT_END.finditer(path) if match.start() > 0]
    return [path[:cut] for cut in cuts] + [path]
