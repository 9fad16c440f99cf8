"""The scene file's ``envelope`` section: how imprecise the people in a scene are assumed to be.

The safety envelope (:mod:`see1previs.envelope`) bakes many variations of a scene, each with
every human action perturbed: push-off speed and direction, cue timing, throw speed and
direction, catch timing and reach, each actor's height and mass within the cast's range, and
the cabin ventilation on or off. This section holds the spread of each perturbation. Every
field has a default with a stated source (docs/envelope.md); a scene overrides what its
director knows better, scene-wide or for one cue (``cues``) or one actor (``cast``).

A spread of 0 switches that perturbation off, which is how a study isolates one effect.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from see1previs.core.scene_base import Identifier, SceneModel, quantity


class PushOffSpread(SceneModel):
    """How far a push-off's speed and direction stray from what the cue asks."""

    speed: float = quantity(
        "",
        "1σ of the natural log of the speed reached (lognormal: 0.15 is about ±15 % with a "
        "long tail toward hard pushes)",
        ge=0,
        le=1,
        default=0.15,
    )
    direction: float = quantity(
        "deg",
        "1σ of the aim error on each axis across the aimed direction",
        ge=0,
        le=45,
        default=5.0,
    )


class ThrowSpread(SceneModel):
    """How far a throw's release speed and direction stray from what the cue asks."""

    speed: float = quantity(
        "", "1σ of the natural log of the release speed (lognormal)", ge=0, le=1, default=0.10
    )
    direction: float = quantity(
        "deg",
        "1σ of the aim error on each axis across the aimed direction",
        ge=0,
        le=45,
        default=5.0,
    )


class CatchSpread(SceneModel):
    """How far a catch's timing and the catching hand's reach stray."""

    timing: float = quantity(
        "s", "1σ of when the catching hand is ready (the catch window moves with it)",
        ge=0, le=2, default=0.15,
    )  # fmt: skip
    reach: float = quantity(
        "m",
        "1σ of the reach around blocking.reach (one draw per take: the bake judges every hand "
        "and foot by the scene's one reach)",
        ge=0,
        le=0.3,
        default=0.02,
    )


class CastRange(SceneModel):
    """The heights and masses of the people who may play one actor (each drawn uniformly)."""

    height: tuple[float, float] | None = Field(
        default=None,
        description="Lowest and highest standing height [m], within 1.0-2.3 m; by default the "
        "actor's height to 3 % taller (the spine lengthens in weightlessness)",
    )
    mass: tuple[float, float] | None = Field(
        default=None,
        description="Lowest and highest body mass [kg], within 25-200 kg; by default the "
        "actor's mass ±2 %",
    )

    @model_validator(mode="after")
    def _ordered_and_human(self) -> CastRange:
        for name, (low, high) in (("height", (1.0, 2.3)), ("mass", (25.0, 200.0))):
            span = getattr(self, name)
            if span is None:
                continue
            if span[0] > span[1]:
                raise ValueError(f"{name}: the lowest value {span[0]:g} is above the highest")
            if span[0] < low or span[1] > high:
                raise ValueError(f"{name}: {span[0]:g}-{span[1]:g} is outside {low:g}-{high:g}")
        return self


class VentilationSpread(SceneModel):
    """Whether the cabin fans run during the take, and how hard."""

    on_probability: float = quantity(
        "", "Chance the ventilation runs during the take", ge=0, le=1, default=0.5
    )
    speed: tuple[float, float] = Field(
        default=(0.076, 0.203),
        description="Flow speed range [m/s] when the scene sets no ventilation: drawn "
        "uniformly, in a random direction (a scene's own ventilation keeps its flow)",
    )

    @model_validator(mode="after")
    def _ordered(self) -> VentilationSpread:
        low, high = self.speed
        if not 0 <= low <= high <= 2:
            raise ValueError(f"speed: {low:g}-{high:g} m/s must be ordered and within 0-2 m/s")
        return self


class CueSpread(SceneModel):
    """Spreads for one cue, replacing the scene-wide ones (fields left out keep those)."""

    timing: float | None = quantity("s", "1σ of the cue's time", ge=0, le=2, default=None)
    speed: float | None = quantity(
        "", "1σ of the natural log of a push-off's or throw's speed", ge=0, le=1, default=None
    )
    direction: float | None = quantity(
        "deg", "1σ of a push-off's or throw's aim error per axis", ge=0, le=45, default=None
    )


class Envelope(SceneModel):
    """Spreads of every human action for the safety envelope (see docs/envelope.md)."""

    timing: float = quantity(
        "s", "1σ of when an actor cue happens (push-offs, holds, throws, poses ...)",
        ge=0, le=2, default=0.15,
    )  # fmt: skip
    push_off: PushOffSpread = Field(default_factory=PushOffSpread)
    throw: ThrowSpread = Field(default_factory=ThrowSpread)
    catch: CatchSpread = Field(default_factory=CatchSpread)
    ventilation: VentilationSpread = Field(default_factory=VentilationSpread)
    cast: dict[Identifier, CastRange] = Field(
        default_factory=dict, description="Height and mass ranges per actor id"
    )
    cast_levels: int = Field(
        default=3,
        ge=0,
        le=9,
        description="How many body sizes of each actor's cast range are drawn from: evenly "
        "spaced from the smallest (lowest height and mass) to the largest, so the physics is "
        "compiled once per combination and reused; 0 draws height and mass continuously and "
        "independently (a new physics model for every sample)",
    )
    cues: dict[Identifier, CueSpread] = Field(
        default_factory=dict, description="Spreads for single cues, by cue id"
    )
    camera_radius: float = quantity(
        "m", "How close to a camera's lens counts as hitting the camera", gt=0, le=1, default=0.2
    )
