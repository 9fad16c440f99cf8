"""Regenerate the generated parts of docs/scene-format.md and docs/scene-format.schema.json.

The field tables, the example scene and the example error report in the scene-format
document are produced from the pydantic models and the real loader, so the document cannot
drift from the code. Run after changing the scene models:

    python docs/gen_scene_format.py          # rewrite the generated parts
    python docs/gen_scene_format.py --check  # exit 1 if they are stale (the tests do this)

Everything between ``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED: name -->``
is replaced; the prose around it is written by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from see1previs.core import physical_limits as limits
from see1previs.core import scene as model
from see1previs.core import scene_cameras as cameras
from see1previs.core import scene_envelope as envelope
from see1previs.core.poses import POSES
from see1previs.core.scenefile import SceneFileError, parse_scene, scene_json_schema, scene_to_text
from see1previs.core.sceneissues import format_number
from see1previs.core.timebase import FrameRate

DOCS = Path(__file__).resolve().parent
DOCUMENT = DOCS / "scene-format.md"
SCHEMA = DOCS / "scene-format.schema.json"

# (heading, model) in the order the document explains them.
SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("Scene (top level)", model.Scene),
    ("station", model.Station),
    ("environment", model.Environment),
    ("simulation", model.Simulation),
    ("blocking", model.Blocking),
    ("Prop", model.Prop),
    ("Shape: box", model.BoxShape),
    ("Shape: sphere", model.SphereShape),
    ("Shape: cylinder", model.CylinderShape),
    ("Shape: capsule", model.CapsuleShape),
    ("Shape: mesh", model.MeshShape),
    ("material", model.Material),
    ("pose", model.Pose),
    ("velocity", model.Velocity),
    ("Actor", model.Actor),
    ("Cue: impulse", model.ImpulseCue),
    ("Cue: spin", model.SpinCue),
    ("Cue: push_off", model.PushOffCue),
    ("Cue: hold", model.HoldCue),
    ("Cue: release", model.ReleaseCue),
    ("Cue: grab", model.GrabCue),
    ("Cue: catch", model.CatchCue),
    ("Cue: throw", model.ThrowCue),
    ("Cue: tether", model.TetherCue),
    ("Cue: pose", model.PoseCue),
    ("Camera", model.Camera),
    ("Rig: fixed", cameras.FixedRig),
    ("Rig: handheld", cameras.HandheldRig),
    ("Rig: path", cameras.PathRig),
    ("Path keyframe", cameras.PathKeyframe),
    ("Look-at point", cameras.LookAtPoint),
    ("Shot", model.Shot),
    ("envelope", envelope.Envelope),
    ("envelope.push_off", envelope.PushOffSpread),
    ("envelope.throw", envelope.ThrowSpread),
    ("envelope.catch", envelope.CatchSpread),
    ("envelope.ventilation", envelope.VentilationSpread),
    ("envelope.cast entry", envelope.CastRange),
    ("envelope.cues entry", envelope.CueSpread),
]

ACTOR_CUES = (
    model.PushOffCue,
    model.HoldCue,
    model.ReleaseCue,
    model.GrabCue,
    model.CatchCue,
    model.ThrowCue,
    model.TetherCue,
    model.PoseCue,
)

# Rules enforced by validators rather than by field constraints, so not introspectable.
RULES = {
    (model.Scene, "frame_rate"): "1–1000 fps; see Frame rates",
    (model.Scene, "cues"): "every cue at or before `duration`",
    (model.Scene, "format"): f"{model.FORMAT_VERSION} (this version)",
    (model.BoxShape, "size"): f"each {format_number(limits.MIN_LENGTH)}–"
    f"{format_number(limits.MAX_LENGTH)}",
    (model.Prop, "inertia"): f"each {format_number(limits.MIN_INERTIA)}–"
    f"{format_number(limits.MAX_INERTIA)}; each at most the sum of the other two",
    (model.Pose, "orientation"): "non-zero; normalised to unit length on load",
    (model.Pose, "position"): f"each within ±{format_number(limits.MAX_DISTANCE)}",
    (cameras.FixedRig, "position"): f"each within ±{format_number(limits.MAX_DISTANCE)}",
    (cameras.PathKeyframe, "position"): f"each within ±{format_number(limits.MAX_DISTANCE)}",
    (cameras.LookAtPoint, "point"): f"each within ±{format_number(limits.MAX_DISTANCE)}",
    (model.Environment, "ventilation"): "speed ≤ 2",
    (model.ImpulseCue, "target"): "id of a prop or actor",
    (model.SpinCue, "target"): "id of a prop or actor",
    (model.Actor, "posture"): "a library pose: " + ", ".join(f"`{name}`" for name in POSES),
    (model.Actor, "joints"): "joint names of an actor, each angle within its human range",
    **{(cue, "actor"): "id of an actor" for cue in ACTOR_CUES},
    (model.PushOffCue, "surface"): 'a fixture of the interior, or `"wall"`',
    (model.PushOffCue, "toward"): "give `toward` or `direction`, not both",
    (model.PushOffCue, "direction"): "not zero; give `toward` or `direction`, not both",
    (model.HoldCue, "fixture"): "a fixture of the interior",
    (model.ReleaseCue, "fixture"): "a fixture the actor holds at `time`",
    (model.GrabCue, "target"): "id of a prop or actor",
    (model.CatchCue, "target"): "id of a prop or actor",
    (model.ThrowCue, "prop"): "id of a prop the actor holds at `time`",
    (model.ThrowCue, "toward"): "give `toward` or `direction`, not both",
    (model.ThrowCue, "direction"): "not zero; give `toward` or `direction`, not both",
    (model.TetherCue, "fixture"): "a fixture of the interior",
    (model.TetherCue, "until"): "after `time`; ≤ the scene's `duration`",
    (model.PoseCue, "pose"): "give `pose`, `joints` or both",
    (model.PoseCue, "joints"): "joint names of an actor, each angle within its human range",
    (model.Camera, "look_at"): "id of a prop or actor, or a point",
    (model.Camera, "focus_target"): "id of a prop or actor",
    (model.Camera, "sensor"): "each > 0 and ≤ 100",
    (cameras.FixedRig, "mount"): "a camera-mount fixture of the interior; or give `position`",
    (cameras.HandheldRig, "operator"): "id of an actor",
    (cameras.PathKeyframe, "look_at"): "id of a prop or actor, or a point",
    (cameras.PathRig, "keyframes"): "at least 2, times increasing, the last ≤ `duration`",
    (model.Shot, "camera"): "id of a camera",
    (model.Shot, "end"): "after `start`; ≤ the scene's `duration`",
    (envelope.Envelope, "cast"): "keys are actor ids",
    (envelope.Envelope, "cues"): "keys are cue ids",
    (envelope.CastRange, "height"): "lowest ≤ highest, within 1.0–2.3",
    (envelope.CastRange, "mass"): "lowest ≤ highest, within 25–200",
    (envelope.VentilationSpread, "speed"): "lowest ≤ highest, within 0–2",
}

# Meanings of fields the models leave undescribed.
DESCRIPTIONS = {
    (model.Scene, "props"): "Free-floating objects, in any order",
    (model.Scene, "actors"): "People in the module, in any order",
    (model.Scene, "cues"): "What happens when, in any order",
    (model.Prop, "shape"): "Collision shape; the mass is spread uniformly through it",
    (model.Prop, "color"): "Display colour in the viewport",
    (model.Actor, "color"): "Display colour in the viewport",
    **{
        (shape, "type"): "Selects this shape"
        for shape in (
            model.BoxShape,
            model.SphereShape,
            model.CylinderShape,
            model.CapsuleShape,
            model.MeshShape,
        )
    },
    **{(cue, "type"): "Selects this kind of cue" for cue in (model.ImpulseCue, model.SpinCue)},
    **{(cue, "type"): "Selects this kind of cue" for cue in ACTOR_CUES},
    (model.Scene, "cameras"): "Cinema cameras, in any order",
    (model.Scene, "shots"): "Shots; shooting order is each shot's `order`",
    (model.Camera, "rig"): "How the camera is held: fixed, handheld or path",
    (model.Camera, "look_at"): "What the camera keeps in the centre of frame",
    (cameras.PathKeyframe, "look_at"): "Aim here at this keyframe (overridden by the "
    "camera's own look_at)",
    **{
        (rig, "type"): "Selects this kind of rig"
        for rig in (cameras.FixedRig, cameras.HandheldRig, cameras.PathRig)
    },
}

EXAMPLE = model.Scene(
    title="Sc. 4 — the wrench handoff",
    frame_rate=FrameRate.parse("23.976"),
    duration=6.0,
    props=[
        model.Prop(
            id="wrench",
            name="Torque wrench",
            shape=model.BoxShape(type="box", size=(0.3, 0.05, 0.02)),
            mass=0.45,
            color="#c0c0c0",
            pose=model.Pose(position=(-0.6, 0.0, 0.3)),
        )
    ],
    actors=[
        model.Actor(
            id="ana", name="Ana", height=1.68, mass=61.0, pose=model.Pose(position=(-1, 0, 0))
        )
    ],
    cues=[
        model.PoseCue(
            type="pose", id="reach", time=0.5, actor="ana", pose="reach-forward", duration=0.5
        ),
        model.ImpulseCue(
            type="impulse", id="handoff", time=1.0, target="wrench", impulse=(0.09, 0.0, 0.0)
        ),
    ],
)

BAD_EXAMPLE = """\
{
  "format": @FORMAT@,
  "title": "Sc. 4 — the wrench handoff",
  "frame_rate": 23.976,
  "props": [
    {"id": "wrench", "shape": {"type": "cube", "size": [0.3, 0.05, 0.02]}, "mass": 0.45},
    {"id": "mug", "shape": {"type": "sphere", "radius": 0.05}, "mas": 0.3},
    {"id": "wrench", "shape": {"type": "sphere", "radius": 0.05}, "mass": -1}
  ],
  "cues": [
    {"type": "impulse", "id": "handoff", "time": 1, "target": "wrenhc", "impulse": [0.09, 0]}
  ]
}
""".replace("@FORMAT@", str(model.FORMAT_VERSION))


# -- field tables --------------------------------------------------------------------------------


def anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def _link(target: type[BaseModel]) -> str:
    heading = next(title for title, section in SECTIONS if section is target)
    return f"[{heading}](#{anchor(heading)})"


def _strip(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """(annotation without Annotated and None, whether null is allowed, Annotated metadata)."""
    nullable = False
    metadata: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            metadata += extra
        elif origin in (Union, types.UnionType) and type(None) in get_args(annotation):
            nullable = True
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            annotation = Union[tuple(members)] if len(members) > 1 else members[0]  # noqa: UP007
        else:
            return annotation, nullable, metadata


def _pattern(metadata: list[Any]) -> str | None:
    """The string pattern among field metadata (a FieldInfo inside Annotated nests its own)."""
    for item in metadata:
        pattern = getattr(item, "pattern", None) or _pattern(getattr(item, "metadata", []))
        if pattern:
            return pattern
    return None


def type_text(annotation: Any, field: FieldInfo) -> str:
    """What a field holds, in words."""
    annotation, nullable, metadata = _strip(annotation)
    text = _type_words(annotation, _pattern([*field.metadata, *metadata]))
    return f"{text} or null" if nullable else text


def _type_words(annotation: Any, pattern: str | None = None) -> str:
    origin = get_origin(annotation)
    if origin is Literal:
        return " or ".join(f'`"{value}"`' for value in get_args(annotation))
    if origin in (Union, types.UnionType):
        stripped = [_strip(arg) for arg in get_args(annotation)]
        if all(isinstance(m, type) and issubclass(m, BaseModel) for m, _, _ in stripped):
            return "object, one of " + ", ".join(_link(m) for m, _, _ in stripped)
        return " or ".join(
            f"object ({_link(m)})"
            if isinstance(m, type) and issubclass(m, BaseModel)
            else _type_words(m, _pattern(extra))
            for m, _, extra in stripped
        )
    if origin is list:
        (item,) = get_args(annotation)
        return f"list of {_type_words(_strip(item)[0])}"
    if origin is dict:
        key, value = get_args(annotation)
        return f"object of {_type_words(key)} → {_type_words(value)}"
    if origin is tuple:
        labels = {2: "[width, height]", 3: "[x, y, z]", 4: "[w, x, y, z]"}
        return f"{labels.get(len(get_args(annotation)), 'list')} numbers"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"object ({_link(annotation)})"
    if annotation is FrameRate:
        return "frame rate: number or text"
    if annotation is bool:
        return "true or false"
    if annotation is int:
        return "whole number"
    if annotation is float:
        return "number"
    if annotation is str:
        if pattern == model.ID_PATTERN:
            return "id (text)"
        if pattern == model.COLOR_PATTERN:
            return 'colour `"#RRGGBB"`'
        return "text"
    return getattr(annotation, "__name__", str(annotation))


def unit_text(field: FieldInfo) -> str:
    extra = field.json_schema_extra
    if isinstance(extra, dict) and extra.get("unit"):
        return str(extra["unit"])
    match = re.search(r"\[([^\]]+)\]", field.description or "")
    return match.group(1) if match else ""


def default_text(field: FieldInfo) -> str:
    if field.is_required():
        return "**required**"
    value = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
    if isinstance(value, BaseModel):
        return "all defaults"
    if isinstance(value, FrameRate):
        return f"`{json.dumps(value.to_json())}`"
    if isinstance(value, tuple):
        return "`[" + ", ".join(format_number(v) for v in value) + "]`"
    if isinstance(value, bool) or value is None:
        return f"`{json.dumps(value)}`"
    if isinstance(value, int | float):
        return f"`{format_number(value)}`"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def range_text(owner: type[BaseModel], name: str, field: FieldInfo) -> str:
    parts = []
    symbols: list[tuple[type[Any], str, str]] = [
        (annotated_types.Gt, "gt", ">"),
        (annotated_types.Ge, "ge", "≥"),
        (annotated_types.Lt, "lt", "<"),
        (annotated_types.Le, "le", "≤"),
    ]
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    floor = extra.get("minimum")
    for item in field.metadata:
        for kind, attribute, symbol in symbols:
            if isinstance(item, kind) and not (floor is not None and symbol in "≥>"):
                parts.append(f"{symbol} {format_number(getattr(item, attribute))}")
        if isinstance(item, annotated_types.MaxLen):
            listed = get_origin(_strip(field.annotation)[0]) is list
            parts.append(f"at most {item.max_length:,} {'items' if listed else 'characters'}")
    if isinstance(floor, int | float):
        # A physical floor checked by a validator replaces the "> 0" of the field.
        parts.insert(0, f"≥ {format_number(floor)}")
    if name == "id":
        parts.append(
            "letters, digits, `_` `-` `.`; unique among props, actors, cues, cameras and shots"
        )
    if isinstance(field.metadata, list) and any(
        isinstance(item, annotated_types.MinLen) and item.min_length == 1 for item in field.metadata
    ):
        parts.append("not empty")
    rule = RULES.get((owner, name))
    if rule:
        parts.append(rule)
    return "; ".join(parts)


def description_text(owner: type[BaseModel], name: str, field: FieldInfo, hint: Any) -> str:
    text = field.description or DESCRIPTIONS.get((owner, name))
    if text is None:
        # The frame rate documents itself through its JSON schema; a section through its model.
        for item in get_args(hint)[1:] if get_origin(hint) is Annotated else ():
            schema = getattr(item, "json_schema", None)
            if isinstance(schema, dict):
                text = schema.get("description")
        section, _, _ = _strip(field.annotation)
        if text is None and isinstance(section, type) and issubclass(section, BaseModel):
            text = (section.__doc__ or "").strip().split("\n")[0]
    text = re.sub(r"\s*\[[^\]]+\]", "", text or "", count=1)  # the unit has its own column
    return text.replace("|", "\\|")


def model_table(heading: str, owner: type[BaseModel]) -> str:
    intro = (owner.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
    intro = intro.replace("``", "`")
    lines = [f"### {heading}", ""]
    if intro:
        lines += [intro, ""]
    lines += [
        "| field | type | unit | default | allowed | meaning |",
        "|---|---|---|---|---|---|",
    ]
    hints = get_type_hints(owner, include_extras=True)
    for name, field in owner.model_fields.items():
        lines.append(
            f"| `{name}` | {type_text(field.annotation, field)} | {unit_text(field)} | "
            f"{default_text(field)} | {range_text(owner, name, field)} | "
            f"{description_text(owner, name, field, hints.get(name))} |"
        )
    return "\n".join(lines)


def render_fields() -> str:
    return "\n\n".join(model_table(heading, owner) for heading, owner in SECTIONS)


def render_example() -> str:
    return f"```json\n{scene_to_text(EXAMPLE)}```"


def render_errors() -> str:
    try:
        parse_scene(BAD_EXAMPLE, "blocking.see1.json")
    except SceneFileError as exc:
        report = str(exc)
    else:  # pragma: no cover - the example is meant to be broken
        raise AssertionError("BAD_EXAMPLE loaded without errors")
    return f"```json\n{BAD_EXAMPLE}```\n\nis reported as\n\n```text\n{report}\n```"


GENERATORS: dict[str, Callable[[], str]] = {
    "fields": render_fields,
    "example": render_example,
    "errors": render_errors,
}


# -- writing ---------------------------------------------------------------------------------------


def render_document(text: str) -> str:
    """``text`` with every generated block brought up to date."""
    for name, render in GENERATORS.items():
        begin, end = f"<!-- BEGIN GENERATED: {name} -->", f"<!-- END GENERATED: {name} -->"
        if begin not in text or end not in text:
            raise ValueError(f"{DOCUMENT.name} has no '{name}' block ({begin} ... {end})")
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{begin}\n\n{render()}\n\n{end}{tail}"
    return text


def render_schema() -> str:
    return json.dumps(scene_json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the files are stale")
    args = parser.parse_args(argv)
    wanted = {
        DOCUMENT: render_document(DOCUMENT.read_text(encoding="utf-8")),
        SCHEMA: render_schema(),
    }
    stale = [
        path
        for path, text in wanted.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if args.check:
        for path in stale:
            print(f"{path.name} is stale; run python docs/gen_scene_format.py", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8", newline="\n")
        print(f"wrote {path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
