"""Cues: what happens when in a scene — pushes, spins, and the actors' blocking actions.

Two kinds. *Body cues* act on any prop or actor by id (``impulse``, ``spin``). *Actor cues*
are what a performer does (``push_off``, ``hold``, ``release``, ``grab``, ``catch``,
``throw``, ``tether``, ``pose``); each names the ``actor`` doing it. Whether an actor cue is
physically possible (a hand in reach of the handrail, the prop really in the hand) is decided
when the scene is baked and shown in the blocking report; this module checks what can be
checked from the file alone (types, ranges, pose names, joint ranges).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from see1previs.core.poses import POSES, joint_override_problems
from see1previs.core.scene_base import Identifier, SceneModel, Vec3, quantity

WALL = "wall"
"""``push_off.surface`` value for the bare cabin wall (rather than a named fixture)."""

Hand = Literal["left", "right"]
Limb = Literal["left_hand", "right_hand", "both_hands", "feet"]
GripPart = Literal["left_wrist", "right_wrist", "harness", "left_ankle", "right_ankle"]
"""Where a hand takes hold of another person (``grab`` / ``catch`` of an actor)."""


class ImpulseCue(SceneModel):
    """A sharp push on a body: an impulse applied at a point at ``time``."""

    type: Literal["impulse"]
    id: Identifier
    time: float = quantity("s", "When it happens", ge=0)
    target: Identifier = Field(description="Id of the prop or actor pushed")
    impulse: Vec3 = Field(description="Impulse [N·s], module frame")
    point: Vec3 = Field(
        default=(0.0, 0.0, 0.0),
        description="Where it is applied, in the body's own frame relative to its origin [m]",
    )


class SpinCue(SceneModel):
    """Set a body spinning: its angular velocity becomes ``angular_velocity`` at ``time``."""

    type: Literal["spin"]
    id: Identifier
    time: float = quantity("s", "When it happens", ge=0)
    target: Identifier = Field(description="Id of the prop or actor spun")
    angular_velocity: Vec3 = Field(description="New angular velocity [rad/s], module frame axes")


class _ActorCue(SceneModel):
    id: Identifier
    time: float = quantity("s", "When it happens", ge=0)
    actor: Identifier = Field(description="Id of the actor who does it")


def _nonzero(direction: Vec3 | None) -> Vec3 | None:
    if direction is not None and sum(c * c for c in direction) < 1e-12:
        raise ValueError("a direction must not be the zero vector")
    return direction


class PushOffCue(_ActorCue):
    """Push off a fixture or the wall toward a direction or a target, reaching ``speed``.

    Allowed only if a hand or foot is within reach of that surface at ``time``; the push
    lasts ``duration`` (people push for 0.3-0.5 s). A hold on that fixture is let go.
    """

    type: Literal["push_off"]
    surface: str = Field(
        min_length=1,
        description="Fixture id pushed against (e.g. 'H4', 'FR1'), or 'wall' for the bare wall",
    )
    speed: float = quantity("m/s", "Speed of the actor's centre of mass after the push", gt=0, le=4)
    toward: str | None = Field(
        default=None,
        description="Where to fly: a prop, actor, camera or fixture id (its position at the "
        "start of the push)",
    )
    direction: Vec3 | None = Field(
        default=None, description="Direction to fly, module frame (instead of 'toward')"
    )
    duration: float = quantity("s", "How long the push lasts", ge=0.1, le=1.0, default=0.4)

    _direction = field_validator("direction")(classmethod(lambda cls, v: _nonzero(v)))

    @model_validator(mode="after")
    def _one_aim(self) -> PushOffCue:
        if (self.toward is None) == (self.direction is None):
            raise ValueError("give exactly one of 'toward' (an id) or 'direction' (a vector)")
        return self


class HoldCue(_ActorCue):
    """Take hold of a fixture: the actor stays attached to it until released."""

    type: Literal["hold"]
    fixture: str = Field(min_length=1, description="Fixture id (handrail, foot restraint, ...)")
    limb: Limb | None = Field(
        default=None,
        description="What holds: 'left_hand', 'right_hand', 'both_hands' or 'feet'; feet for "
        "a foot restraint, the right hand otherwise",
    )


class ReleaseCue(_ActorCue):
    """Let go of a fixture the actor holds, or of a prop or person held in hand."""

    type: Literal["release"]
    fixture: str | None = Field(default=None, min_length=1, description="Fixture id let go of")
    target: Identifier | None = Field(
        default=None,
        description="Id of a prop or actor held in hand (taken by 'grab' or 'catch') let go "
        "of, instead of 'fixture'; it floats on with the velocity it has",
    )

    @model_validator(mode="after")
    def _one_thing(self) -> ReleaseCue:
        if (self.fixture is None) == (self.target is None):
            raise ValueError("give exactly one of 'fixture' (a fixture id) or 'target' (an id)")
        return self


_PART_DESCRIPTION = (
    "Where the hand takes hold of an actor target: 'left_wrist', 'right_wrist', 'harness' "
    "or 'left_ankle', 'right_ankle'; the part of them nearest the hand when omitted "
    "(not allowed for a prop)"
)


class GrabCue(_ActorCue):
    """Take a prop (or another actor) in hand: it must be within reach at ``time``.

    Taking a person who moves relative to the hand is a catch at that moment: the two
    share their momentum, then the grip (a ball joint at the hand) holds them together.
    """

    type: Literal["grab"]
    target: Identifier = Field(description="Id of the prop or actor taken")
    hand: Hand = Field(default="right", description="Which hand")
    part: GripPart | None = Field(default=None, description=_PART_DESCRIPTION)


class CatchCue(_ActorCue):
    """Catch a moving prop (or actor): the hand closes the moment it comes within reach.

    A caught person is held by a ball joint at the hand (by the ``part`` named, or the
    nearest) until a ``release`` naming them. The catch happens at the first moment within
    ``window`` seconds either side of ``time`` when the target is in reach; if it never is,
    the report gives the miss distance and the moment it came closest.
    """

    type: Literal["catch"]
    target: Identifier = Field(description="Id of the prop or actor caught")
    hand: Hand = Field(default="right", description="Which hand")
    part: GripPart | None = Field(default=None, description=_PART_DESCRIPTION)
    window: float = quantity(
        "s", "How early or late the catch may happen around 'time'", ge=0, le=2, default=0.3
    )


class ThrowCue(_ActorCue):
    """Throw a prop the actor holds; the actor recoils with equal and opposite momentum."""

    type: Literal["throw"]
    prop: Identifier = Field(description="Id of the held prop thrown")
    speed: float = quantity("m/s", "Release speed relative to the hand", gt=0, le=15)
    toward: str | None = Field(
        default=None,
        description="Aim at a prop, actor, camera or fixture id (its position at release)",
    )
    direction: Vec3 | None = Field(
        default=None, description="Direction of release, module frame (instead of 'toward')"
    )

    _direction = field_validator("direction")(classmethod(lambda cls, v: _nonzero(v)))

    @model_validator(mode="after")
    def _one_aim(self) -> ThrowCue:
        if (self.toward is None) == (self.direction is None):
            raise ValueError("give exactly one of 'toward' (an id) or 'direction' (a vector)")
        return self


class TetherCue(_ActorCue):
    """Clip a safety tether from the actor's harness to a fixture, with a maximum length."""

    type: Literal["tether"]
    fixture: str = Field(min_length=1, description="Fixture id the tether is clipped to")
    length: float = quantity("m", "Tether length: the farthest the harness can go", gt=0.2, le=6)
    until: float | None = quantity(
        "s", "When the tether is unclipped (kept to the end when omitted)", ge=0, default=None
    )

    @model_validator(mode="after")
    def _ends_after_start(self) -> TetherCue:
        if self.until is not None and self.until <= self.time:
            raise ValueError(
                f"the tether is unclipped at {self.until:g} s, not after it is clipped "
                f"({self.time:g} s)"
            )
        return self


class PoseCue(_ActorCue):
    """Change posture: joints move to a library pose (plus overrides) over ``duration``."""

    type: Literal["pose"]
    pose: str | None = Field(
        default=None,
        description=f"Library pose: {', '.join(POSES)}; the current pose when omitted",
    )
    joints: dict[str, float] = Field(
        default_factory=dict, description="Per-joint angles [deg] on top of the pose"
    )
    duration: float = quantity("s", "How long the change takes", ge=0.1, le=10, default=1.0)

    @field_validator("pose")
    @classmethod
    def _known_pose(cls, name: str | None) -> str | None:
        return known_pose(name)

    @field_validator("joints")
    @classmethod
    def _joint_ranges(cls, joints: dict[str, float]) -> dict[str, float]:
        return valid_joint_overrides(joints)

    @model_validator(mode="after")
    def _changes_something(self) -> PoseCue:
        if self.pose is None and not self.joints:
            raise ValueError("give a 'pose', 'joints' or both")
        return self


def known_pose(name: str | None) -> str | None:
    if name is not None and name not in POSES:
        import difflib

        match = difflib.get_close_matches(name, list(POSES), n=1)
        hint = f" (did you mean '{match[0]}'?)" if match else ""
        raise ValueError(f"'{name}' is not a pose in the library ({', '.join(POSES)}){hint}")
    return name


def valid_joint_overrides(joints: dict[str, float]) -> dict[str, float]:
    problems = joint_override_problems(joints)
    if problems:
        raise ValueError("; ".join(message for _, message in problems))
    return joints


ActorCue = PushOffCue | HoldCue | ReleaseCue | GrabCue | CatchCue | ThrowCue | TetherCue | PoseCue
ACTOR_CUE_TYPES = (PushOffCue, HoldCue, ReleaseCue, GrabCue, CatchCue, ThrowCue, TetherCue, PoseCue)

Cue = Annotated[
    ImpulseCue | SpinCue | ActorCue,
    Field(discriminator="type"),
]
