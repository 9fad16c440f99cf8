"""The scene model: what a ``*.see1.json`` file holds, as validated pydantic models.

A scene is the director's blocking: which interior, what is in it (props, actors), where it
starts and what happens when (cues), and how it is filmed (cameras, shots). Everything is in
SI units and the module frame (origin at the sphere centre, +X to the main hatch, +Z the
studio's reference up); quaternions are (w, x, y, z). Field metadata carries the unit so
error messages and docs can say it.

This module only describes and validates one scene on its own terms (types, ranges, ids and
references). Placement against the interior geometry is checked by the physics layer, and
reading/writing files lives in :mod:`see1previs.core.scenefile`.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from see1previs.core.cue_sequence import ordered_cues, sequence_problems
from see1previs.core.physical_limits import (
    MAX_ACTORS,
    MAX_CAMERAS,
    MAX_CUES,
    MAX_PROP_MASS,
    MAX_PROPS,
    MAX_SHOTS,
    MIN_LENGTH,
    MIN_PROP_MASS,
    inertia_problem,
    length_problem,
    prop_mass_problem,
)
from see1previs.core.poses import DEFAULT_POSE
from see1previs.core.scene_base import (
    COLOR_PATTERN,
    ID_PATTERN,
    Color,
    Finite,
    Identifier,
    Quat,
    SceneModel,
    Vec3,
    normalized_quaternion,
    quantity,
    within_reach,
)
from see1previs.core.scene_cameras import Camera, Shot
from see1previs.core.scene_cues import (
    ACTOR_CUE_TYPES,
    CatchCue,
    Cue,
    GrabCue,
    HoldCue,
    ImpulseCue,
    PoseCue,
    PushOffCue,
    ReleaseCue,
    SpinCue,
    TetherCue,
    ThrowCue,
    known_pose,
    valid_joint_overrides,
)
from see1previs.core.scene_envelope import Envelope
from see1previs.core.timebase import FrameRate

__all__ = [
    "COLOR_PATTERN",
    "ID_PATTERN",
    "Camera",
    "CatchCue",
    "Color",
    "Cue",
    "Finite",
    "GrabCue",
    "HoldCue",
    "Identifier",
    "ImpulseCue",
    "PoseCue",
    "PushOffCue",
    "Quat",
    "ReleaseCue",
    "SceneModel",
    "Shot",
    "SpinCue",
    "TetherCue",
    "ThrowCue",
    "Vec3",
    "quantity",
]

FORMAT_VERSION = 4
"""Scene-file format written by this version of the app."""
SAME_DATA_SINCE = 2
"""Oldest format whose data the current models read unchanged (formats 3 and 4 only added
optional fields: the ``envelope`` section; a grip ``part`` and ``release.target``), so
scenes built in code with ``"format": 2`` still validate."""

BUILTIN_INTERIOR = "see1"


def _parse_frame_rate(value: Any) -> FrameRate:
    if isinstance(value, FrameRate):
        return value
    return FrameRate.parse(value)


FrameRateField = Annotated[
    FrameRate,
    PlainValidator(_parse_frame_rate),
    PlainSerializer(lambda rate: rate.to_json(), when_used="always"),
    WithJsonSchema(
        {
            "anyOf": [
                # The same 1..1000 fps range FrameRate.parse enforces.
                {"type": "number", "minimum": 1, "maximum": 1000},
                {"type": "string", "pattern": r"^\d+(/\d+|\.\d+)?$"},
            ],
            "description": "Frames per second: 24, 25, 23.976, 29.97 or a fraction such as "
            "'24000/1001'",
        }
    ),
]


class Pose(SceneModel):
    """Where a body starts: position of its origin and orientation, module frame."""

    position: Vec3 = Field(default=(0.0, 0.0, 0.0), description="Position [m], module frame")
    orientation: Quat = Field(
        default=(1.0, 0.0, 0.0, 0.0),
        description="Orientation as a unit quaternion (w, x, y, z); normalised on load",
    )

    @field_validator("orientation")
    @classmethod
    def _unit_quaternion(cls, q: Quat) -> Quat:
        return normalized_quaternion(q)

    _on_set = field_validator("position")(classmethod(lambda cls, p: within_reach(p)))


class Velocity(SceneModel):
    """Initial velocity, module frame."""

    linear: Vec3 = Field(default=(0.0, 0.0, 0.0), description="Linear velocity [m/s]")
    angular: Vec3 = Field(
        default=(0.0, 0.0, 0.0), description="Angular velocity [rad/s], module frame axes"
    )


class Material(SceneModel):
    """Surface response in contacts."""

    restitution: float = quantity(
        "", "Coefficient of restitution (0 = dead, 1 = elastic)", ge=0, le=1, default=0.5
    )
    friction: float = quantity("", "Sliding friction coefficient", ge=0, le=5, default=0.5)


class BoxShape(SceneModel):
    type: Literal["box"]
    size: Vec3 = Field(description="Full edge lengths along the body's x, y, z [m]")

    @field_validator("size")
    @classmethod
    def _positive(cls, size: Vec3) -> Vec3:
        return _positive_lengths(size)


class SphereShape(SceneModel):
    type: Literal["sphere"]
    radius: float = quantity("m", "Radius", gt=0, le=3, minimum=MIN_LENGTH)

    _sized = field_validator("radius")(classmethod(lambda cls, value: _length(value)))


class CylinderShape(SceneModel):
    type: Literal["cylinder"]
    radius: float = quantity("m", "Radius", gt=0, le=3, minimum=MIN_LENGTH)
    length: float = quantity("m", "Length along the body's z axis", gt=0, le=6, minimum=MIN_LENGTH)

    _sized = field_validator("radius", "length")(classmethod(lambda cls, value: _length(value)))


class CapsuleShape(SceneModel):
    type: Literal["capsule"]
    radius: float = quantity("m", "Radius of the caps", gt=0, le=3, minimum=MIN_LENGTH)
    length: float = quantity(
        "m",
        "Length of the straight part along the body's z axis",
        gt=0,
        le=6,
        minimum=MIN_LENGTH,
    )

    _sized = field_validator("radius", "length")(classmethod(lambda cls, value: _length(value)))


class MeshShape(SceneModel):
    type: Literal["mesh"]
    file: str = Field(
        min_length=1,
        description="Mesh file (glb, gltf, obj, stl, ply), relative to the scene file's folder",
    )
    scale: float = quantity(
        "", "Uniform scale applied to the file's units to get metres", gt=0, default=1.0
    )


Shape = Annotated[
    BoxShape | SphereShape | CylinderShape | CapsuleShape | MeshShape,
    Field(discriminator="type"),
]


def _positive_lengths(values: Vec3) -> Vec3:
    for value in values:
        if value <= 0:
            raise ValueError(f"every length must be greater than 0 m, got {value:g}")
        problem = length_problem(value)
        if problem:
            raise ValueError(f"every length {problem}")
    return values


def _length(value: float) -> float:
    """A prop shape's length within the physical range (see physical_limits)."""
    problem = length_problem(value)
    if problem:
        raise ValueError(problem)
    return value


class Prop(SceneModel):
    """A free-floating rigid object: a mug, a wrench, a slate."""

    id: Identifier
    name: str = Field(default="", description="Name shown to people")
    shape: Shape
    mass: float = quantity("kg", "Mass", gt=0, le=MAX_PROP_MASS, minimum=MIN_PROP_MASS)
    inertia: Vec3 | None = Field(
        default=None,
        description="Principal moments of inertia about the body axes [kg·m²]; computed from "
        "the shape with uniform density when omitted",
    )
    material: Material = Field(default_factory=Material)
    drag_coefficient: float | None = quantity(
        "",
        "Air drag coefficient Cd; the environment's value when omitted",
        ge=0,
        le=5,
        default=None,
    )
    color: Color | None = None
    pose: Pose = Field(default_factory=Pose)
    velocity: Velocity = Field(default_factory=Velocity)

    @field_validator("inertia")
    @classmethod
    def _valid_inertia(cls, inertia: Vec3 | None) -> Vec3 | None:
        if inertia is None:
            return None
        a, b, c = inertia
        if min(inertia) <= 0:
            raise ValueError(f"every principal moment must be greater than 0 kg·m², got {inertia}")
        if a + b < c or b + c < a or a + c < b:  # physically realisable only if triangle holds
            raise ValueError(
                f"moments {inertia} kg·m² break the triangle inequality (each must be at most "
                "the sum of the other two); no real body has them"
            )
        problem = inertia_problem(inertia)
        if problem:
            raise ValueError(problem)
        return inertia

    @field_validator("mass")
    @classmethod
    def _prop_mass(cls, mass: float) -> float:
        problem = prop_mass_problem(mass)
        if problem:
            raise ValueError(problem)
        return mass


class Actor(SceneModel):
    """A person in the module: an articulated body scaled from height and mass.

    ``pose`` places the body: for a humanoid its origin is the midpoint between the hip
    joints, with +Z toward the head, +X forward and +Y to the actor's left.
    """

    id: Identifier
    name: str = Field(default="", description="Character or performer name")
    body: Literal["humanoid", "placeholder"] = Field(
        default="humanoid",
        description="Physical model: 'humanoid' is a 16-segment articulated body with joint "
        "servos; 'placeholder' a rigid capsule with the person's height and mass",
    )
    height: float = quantity("m", "Standing height", ge=1.0, le=2.3, default=1.75)
    mass: float = quantity("kg", "Body mass", ge=25, le=200, default=75.0)
    posture: str = Field(
        default=DEFAULT_POSE,
        description="Library pose at the start (humanoid only); see docs/actors.md",
    )
    joints: dict[str, float] = Field(
        default_factory=dict,
        description="Per-joint angles at the start [deg], on top of the posture",
    )
    color: Color | None = None
    pose: Pose = Field(default_factory=Pose)
    velocity: Velocity = Field(default_factory=Velocity)

    @field_validator("posture")
    @classmethod
    def _known_posture(cls, name: str) -> str:
        return known_pose(name)

    @field_validator("joints")
    @classmethod
    def _joint_ranges(cls, joints: dict[str, float]) -> dict[str, float]:
        return valid_joint_overrides(joints)


class Blocking(SceneModel):
    """Thresholds the blocking report judges actors' cues and contacts by."""

    reach: float = quantity(
        "m",
        "How far a hand or foot may be from what it pushes off, holds or catches",
        gt=0,
        le=0.6,
        default=0.15,
    )
    safe_speed: float = quantity(
        "m/s",
        "Fastest an actor may hit the wall, a fixture or another actor",
        gt=0,
        le=5,
        default=0.5,
    )
    head_strike_speed: float = quantity(
        "m/s", "Head contacts faster than this are head strikes", gt=0, le=5, default=0.2
    )


class Environment(SceneModel):
    """The cabin's air."""

    air_drag: bool = Field(default=True, description="Quadratic air drag on every body")
    air_density: float = quantity("kg/m³", "Cabin air density", gt=0, le=5, default=1.225)
    drag_coefficient: float = quantity("", "Default drag coefficient Cd", ge=0, le=5, default=1.05)
    ventilation: Vec3 = Field(
        default=(0.0, 0.0, 0.0),
        description="Uniform ventilation flow [m/s], module frame (typically 0.05–0.2 m/s)",
    )

    @field_validator("ventilation")
    @classmethod
    def _plausible_flow(cls, flow: Vec3) -> Vec3:
        speed = math.sqrt(sum(c * c for c in flow))
        if speed > 2.0:
            raise ValueError(
                f"a {speed:.2f} m/s ventilation flow is a gale, not cabin air; "
                "must be at most 2 m/s"
            )
        return flow


class Station(SceneModel):
    """Which interior the scene plays in."""

    interior: str = Field(
        default=BUILTIN_INTERIOR,
        min_length=1,
        description="'see1' for the built-in SEE-1 module, or a mesh file (glb, gltf, obj, stl, "
        "ply) relative to the scene file's folder",
    )


class Simulation(SceneModel):
    """Physics settings."""

    # 2 ms is validated (docs/physics-validation.md); at 4 ms and 10 ms bodies escaped.
    timestep: float = quantity("s", "Physics time step", ge=0.0002, le=0.002, default=0.002)


class Scene(SceneModel):
    """One blocking scene in one interior."""

    format: int = Field(default=FORMAT_VERSION, description="Scene-file format version")
    title: str = Field(default="Untitled scene", description="Scene title")
    frame_rate: FrameRateField = Field(default_factory=lambda: FrameRate.parse(24))
    duration: float = quantity("s", "Length of the scene", gt=0, le=3600, default=10.0)
    station: Station = Field(default_factory=Station)
    environment: Environment = Field(default_factory=Environment)
    simulation: Simulation = Field(default_factory=Simulation)
    blocking: Blocking = Field(default_factory=Blocking)
    props: list[Prop] = Field(default_factory=list, max_length=MAX_PROPS)
    actors: list[Actor] = Field(default_factory=list, max_length=MAX_ACTORS)
    cues: list[Cue] = Field(default_factory=list, max_length=MAX_CUES)
    cameras: list[Camera] = Field(default_factory=list, max_length=MAX_CAMERAS)
    shots: list[Shot] = Field(default_factory=list, max_length=MAX_SHOTS)
    envelope: Envelope = Field(default_factory=Envelope)

    @field_validator("format")
    @classmethod
    def _current_format(cls, version: int) -> int:
        if SAME_DATA_SINCE <= version < FORMAT_VERSION:
            return FORMAT_VERSION  # its migration changes nothing but this number
        if version != FORMAT_VERSION:
            raise ValueError(
                f"this model holds format {FORMAT_VERSION}; older files are migrated by the loader"
            )
        return version

    @model_validator(mode="after")
    def _ids_and_references(self) -> Scene:
        problems = reference_problems(self)
        if problems:
            # One error carrying every problem; the scene-file loader expands it into one
            # message per JSON path.
            raise PydanticCustomError(
                "scene_references",
                "{summary}",
                {
                    "summary": "; ".join(f"{path}: {message}" for path, message in problems),
                    "problems": problems,
                },
            )
        return self

    def bodies(self) -> list[Prop | Actor]:
        """Every simulated body (props then actors), in file order."""
        return [*self.props, *self.actors]

    def body(self, body_id: str) -> Prop | Actor:
        for body in self.bodies():
            if body.id == body_id:
                return body
        raise KeyError(body_id)


def reference_problems(scene: Scene) -> list[tuple[str, str]]:
    """Duplicate ids and cues naming unknown bodies, as (JSON path, message) pairs."""
    problems: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    groups: list[tuple[str, list[Any]]] = [
        ("props", scene.props),
        ("actors", scene.actors),
        ("cues", scene.cues),
        ("cameras", scene.cameras),
        ("shots", scene.shots),
    ]
    for group, items in groups:
        for index, item in enumerate(items):
            path = f"{group}[{index}].id"
            if item.id in seen:
                problems.append(
                    (path, f"id '{item.id}' is already used by {seen[item.id]}; ids must be unique")
                )
            else:
                seen[item.id] = f"{group}[{index}]"
    body_ids = [body.id for body in scene.bodies()]
    closest = _Closest()
    problems.extend(_cue_problems(scene, body_ids, closest))
    problems.extend(_camera_problems(scene, body_ids, closest))
    problems.extend(_envelope_problems(scene, closest))
    return problems


def _envelope_problems(scene: Scene, closest: _Closest) -> list[tuple[str, str]]:
    """Envelope spreads naming actors or cues the scene does not have."""
    problems: list[tuple[str, str]] = []
    envelope = getattr(scene, "envelope", None)
    if envelope is None:  # the loader's lenient first pass reads no envelope
        return problems
    actor_ids = [actor.id for actor in scene.actors]
    cue_ids = [cue.id for cue in scene.cues]
    for name in envelope.cast:
        if name not in actor_ids:
            problems.append(
                (f"envelope.cast.{name}", f"'{name}' is not an actor{closest(name, actor_ids)}")
            )
    for name in envelope.cues:
        if name not in cue_ids:
            problems.append(
                (f"envelope.cues.{name}", f"'{name}' is not a cue{closest(name, cue_ids)}")
            )
    return problems


def _cue_problems(scene: Scene, body_ids: list[str], closest: _Closest) -> list[tuple[str, str]]:
    """Cues naming unknown bodies or actors, cues after the end, and conflicting sequences.

    ``toward`` and fixture ids that are not bodies or cameras are left to the physics layer,
    which knows the interior's fixtures.
    """
    problems: list[tuple[str, str]] = []
    actor_ids = [actor.id for actor in scene.actors]
    prop_ids = [prop.id for prop in scene.props]
    bodies, actors, props = set(body_ids), set(actor_ids), set(prop_ids)

    def unknown(path: str, cue: Any, wanted: str, choices: list[str], kind: str) -> None:
        what = _cue_name(cue)
        if isinstance(cue, ACTOR_CUE_TYPES):
            what += f" ({cue.type})"
        problems.append(
            (
                path,
                f"{what} refers to '{wanted}', which is not {kind} in this "
                f"scene{closest(wanted, choices)}",
            )
        )

    for index, cue in enumerate(scene.cues):
        where = f"cues[{index}]"
        if not isinstance(cue, ACTOR_CUE_TYPES):
            if cue.type not in ("impulse", "spin", ""):
                continue  # an actor cue that failed validation: its own errors say why
            if cue.target not in bodies:
                unknown(f"{where}.target", cue, cue.target, body_ids, "a prop or actor")
        else:
            if cue.actor not in actors:
                unknown(f"{where}.actor", cue, cue.actor, actor_ids, "an actor")
            if isinstance(cue, GrabCue | CatchCue) and cue.target not in bodies:
                unknown(f"{where}.target", cue, cue.target, body_ids, "a prop or actor")
            if isinstance(cue, ThrowCue) and cue.prop not in props:
                unknown(f"{where}.prop", cue, cue.prop, prop_ids, "a prop")
        end = cue.until if isinstance(cue, TetherCue) and cue.until is not None else cue.time
        if end > scene.duration:
            field = "until" if end != cue.time else "time"
            problems.append(
                (
                    f"{where}.{field}",
                    f"{_cue_name(cue)} is at {end:g} s, after the scene ends "
                    f"({scene.duration:g} s)",
                )
            )
    problems.extend(sequence_problems(scene.cues, actor_ids, prop_ids))
    return problems


def actor_cues(scene: Scene, actor_id: str) -> list[tuple[int, Any]]:
    """(file index, cue) of one actor's cues in the order they act."""
    return [
        (index, cue)
        for index, cue in ordered_cues(scene.cues)
        if isinstance(cue, ACTOR_CUE_TYPES) and cue.actor == actor_id
    ]


def _camera_problems(scene: Scene, body_ids: list[str], closest: _Closest) -> list[tuple[str, str]]:
    """Cameras naming unknown bodies or operators; shots naming unknown cameras or times."""
    problems: list[tuple[str, str]] = []
    actor_ids = [actor.id for actor in scene.actors]
    camera_ids = [camera.id for camera in scene.cameras]

    def unknown(path: str, what: str, wanted: str, choices: list[str], kind: str) -> None:
        problems.append(
            (path, f"{what} refers to '{wanted}', which is not {kind}{closest(wanted, choices)}")
        )

    for index, camera in enumerate(scene.cameras):
        where = f"cameras[{index}]"
        what = f"camera '{camera.id}'"
        if isinstance(camera.look_at, str) and camera.look_at not in body_ids:
            unknown(f"{where}.look_at", what, camera.look_at, body_ids, "a prop or actor")
        if camera.focus_target is not None and camera.focus_target not in body_ids:
            unknown(f"{where}.focus_target", what, camera.focus_target, body_ids, "a prop or actor")
        operator = getattr(camera.rig, "operator", None)
        if operator is not None and operator not in actor_ids:
            unknown(f"{where}.rig.operator", what, operator, actor_ids, "an actor")
        keyframes = getattr(camera.rig, "keyframes", [])
        for k, key in enumerate(keyframes):
            if isinstance(key.look_at, str) and key.look_at not in body_ids:
                unknown(
                    f"{where}.rig.keyframes[{k}].look_at",
                    what,
                    key.look_at,
                    body_ids,
                    "a prop or actor",
                )
        if keyframes and keyframes[-1].time > scene.duration:
            problems.append(
                (
                    f"{where}.rig.keyframes[{len(keyframes) - 1}].time",
                    f"{what} has a keyframe at {keyframes[-1].time:g} s, after the scene ends "
                    f"({scene.duration:g} s)",
                )
            )
    for index, shot in enumerate(scene.shots):
        what = f"shot '{shot.id}'"
        if shot.camera not in camera_ids:
            unknown(f"shots[{index}].camera", what, shot.camera, camera_ids, "a camera")
        if shot.end > scene.duration + 1e-9:
            problems.append(
                (
                    f"shots[{index}].end",
                    f"{what} ends at {shot.end:g} s, after the scene ends ({scene.duration:g} s)",
                )
            )
    return problems


def _cue_name(cue: Any) -> str:
    """``cue 'toss'``, or what a cue with no id is in words (the lenient check meets those)."""
    return f"cue '{cue.id}'" if isinstance(cue.id, str) else "a cue without an id"


class _Closest:
    """Did-you-mean hints for unknown ids, within a fixed number of comparisons per scene.

    Comparing every unknown reference with every id grows with their product: 16,000 cues
    naming unknown props among 3,000 would take a minute. The first references get their
    hint; past the budget the message simply has none.
    """

    BUDGET = 200_000

    def __init__(self) -> None:
        self.spent = 0
        self.found: dict[tuple[str, int], str] = {}

    def __call__(self, word: str, candidates: list[str]) -> str:
        key = (word, id(candidates))
        if key not in self.found:
            if self.spent + len(candidates) > self.BUDGET:
                return ""
            self.spent += len(candidates)
            import difflib

            match = difflib.get_close_matches(word, candidates, n=1)
            self.found[key] = f" (did you mean '{match[0]}'?)" if match else ""
        return self.found[key]
