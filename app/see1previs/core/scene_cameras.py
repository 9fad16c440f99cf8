"""Cameras and shots in the scene file: what the cinematographer sets up.

A camera is a body (sensor) with a lens on a rig: ``fixed`` on a mount or at a point,
``handheld`` by an actor, or moving along a keyframed ``path``. It may look at a target (a
prop, an actor or a point) and roll relative to the studio's reference up (+Z). A shot is a
span of the scene seen through one camera, with its place in the shooting order.

These models validate each camera and shot on their own terms (ranges, keyframe order).
References to bodies are checked with the rest of the scene in :mod:`see1previs.core.scene`;
the camera catalog (bodies, lenses, zoom ranges) and the interior's mount points are checked
by the cinema layer, which knows them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from see1previs.core.physical_limits import MAX_KEYFRAMES
from see1previs.core.scene_base import (
    Identifier,
    Quat,
    SceneModel,
    Vec3,
    normalized_quaternion,
    quantity,
    within_reach,
)

DEFAULT_BODY = "arri-alexa-mini-lf"


class LookAtPoint(SceneModel):
    """Aim at a fixed point of the module."""

    point: Vec3 = Field(description="Point to aim at [m], module frame")

    _on_set = field_validator("point")(classmethod(lambda cls, p: within_reach(p)))


LookAt = Annotated[
    Identifier | LookAtPoint,
    Field(description="Id of a prop or actor to keep in frame centre, or {'point': [x, y, z]}"),
]


class FixedRig(SceneModel):
    """A camera that does not move: on a named mount (fixture) or at a given position."""

    type: Literal["fixed"]
    mount: Identifier | None = Field(
        default=None, description="Fixture id of the camera mount (e.g. CAM-A)"
    )
    position: Vec3 | None = Field(
        default=None, description="Position [m], module frame (when there is no mount)"
    )
    offset: Vec3 = Field(
        default=(0.0, 0.0, 0.15),
        description="Lens position relative to the mount, in the mount's frame (+Z out of the "
        "wall) [m]",
    )
    orientation: Quat | None = Field(
        default=None,
        description="Camera orientation (w, x, y, z) when it has no look-at target; the camera "
        "looks along its local -Z with +Y up",
    )

    @field_validator("orientation")
    @classmethod
    def _unit(cls, q: Quat | None) -> Quat | None:
        return None if q is None else normalized_quaternion(q)

    _on_set = field_validator("position")(classmethod(lambda cls, p: within_reach(p)))

    @model_validator(mode="after")
    def _placed(self) -> FixedRig:
        if (self.mount is None) == (self.position is None):
            raise ValueError("a fixed camera needs exactly one of 'mount' or 'position'")
        return self


class HandheldRig(SceneModel):
    """A camera in an operator's hands: it moves as the operator floats."""

    type: Literal["handheld"]
    operator: Identifier = Field(description="Id of the actor holding the camera")
    offset: Vec3 = Field(
        default=(0.35, 0.0, 0.45),
        description="Lens position in the operator's body frame (+X facing, +Z head) [m]",
    )


class PathKeyframe(SceneModel):
    """Where a path camera is at one time; unset lens values carry over from the camera."""

    time: float = quantity("s", "Time of the keyframe", ge=0)
    position: Vec3 = Field(description="Lens position [m], module frame")
    orientation: Quat | None = Field(
        default=None, description="Orientation (w, x, y, z) when the camera has no look-at"
    )
    look_at: LookAt | None = None
    roll: float | None = quantity("°", "Roll about the view axis", ge=-180, le=180, default=None)
    focal_length: float | None = quantity("mm", "Focal length", gt=0, le=2000, default=None)
    focus_distance: float | None = quantity("m", "Focus distance", gt=0, le=1000, default=None)

    @field_validator("orientation")
    @classmethod
    def _unit(cls, q: Quat | None) -> Quat | None:
        return None if q is None else normalized_quaternion(q)

    _on_set = field_validator("position")(classmethod(lambda cls, p: within_reach(p)))


class PathRig(SceneModel):
    """A camera moving through keyframes: Catmull-Rom through positions, slerp between
    orientations (or an aim point moving between keyframe look-at targets), linear between
    lens values."""

    type: Literal["path"]
    keyframes: list[PathKeyframe] = Field(
        min_length=2, max_length=MAX_KEYFRAMES, description="At least two, in time order"
    )

    @field_validator("keyframes")
    @classmethod
    def _in_time_order(cls, keyframes: list[PathKeyframe]) -> list[PathKeyframe]:
        for earlier, later in itertools.pairwise(keyframes):
            if later.time <= earlier.time:
                raise ValueError(
                    f"keyframe times must increase; {later.time:g} s follows {earlier.time:g} s"
                )
        return keyframes


Rig = Annotated[FixedRig | HandheldRig | PathRig, Field(discriminator="type")]


class Camera(SceneModel):
    """A cinema camera: body and recording mode, lens, exposure, focus and rig."""

    id: Identifier
    name: str = Field(default="", description="Name on the call sheet, e.g. 'A camera'")
    body: str = Field(
        default=DEFAULT_BODY, min_length=1, description="Camera body id from the catalog"
    )
    mode: str | None = Field(
        default=None, description="Recording mode id of the body; its default mode when omitted"
    )
    sensor: tuple[float, float] | None = Field(
        default=None, description="Sensor width and height [mm], for the 'custom' body only"
    )
    lens: str | None = Field(default=None, description="Lens id from the catalog (prime or zoom)")
    focal_length: float = quantity("mm", "Focal length", gt=0, le=2000, default=35.0)
    f_stop: float = quantity("", "Aperture (f-number)", ge=0.7, le=64, default=2.8)
    focus_distance: float | None = quantity(
        "m", "Focus distance when there is no focus target", gt=0, le=1000, default=None
    )
    focus_target: Identifier | None = Field(
        default=None, description="Id of the prop or actor the focus puller follows"
    )
    look_at: LookAt | None = None
    roll: float = quantity(
        "°", "Roll about the view axis relative to studio up (+Z)", ge=-180, le=180, default=0.0
    )
    rig: Rig

    @field_validator("sensor")
    @classmethod
    def _positive_sensor(cls, sensor: tuple[float, float] | None) -> tuple[float, float] | None:
        if sensor is not None and (sensor[0] <= 0 or sensor[1] <= 0 or max(sensor) > 100):
            raise ValueError(f"sensor sizes must be between 0 and 100 mm, got {sensor}")
        return sensor


class Shot(SceneModel):
    """A span of the scene through one camera."""

    id: Identifier
    name: str = Field(default="", description="Shot name, e.g. '12A'")
    camera: Identifier = Field(description="Id of the camera")
    start: float = quantity("s", "Scene time the shot starts (in point)", ge=0)
    end: float = quantity("s", "Scene time the shot ends (out point)", gt=0)
    order: int = Field(default=0, ge=0, description="Shooting order (0 = file order)")
    description: str = Field(default="", description="What the shot shows")
    notes: str = Field(default="", description="Notes for the crew")

    @model_validator(mode="after")
    def _in_before_out(self) -> Shot:
        if self.start >= self.end:
            raise ValueError(
                f"shot '{self.id}' starts at {self.start:g} s but ends at {self.end:g} s; the "
                "in point must come before the out point"
            )
        return self


def in_shooting_order(shots: Iterable[Shot]) -> list[Shot]:
    """Shots in shooting order: numbered shots (``order`` 1, 2, 3…) first, ascending, then the
    unnumbered ones (``order`` 0) in file order; ties keep file order.

    The one ordering the shot list on screen and every export use, so a printed or exported
    shot list reads in the same order as the one the director sees.
    """
    return sorted(shots, key=lambda shot: (shot.order == 0, shot.order))  # sorted() is stable
