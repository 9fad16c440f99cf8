"""Property: any valid scene survives save -> load unchanged, and saves byte-identically."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from see1previs.core.physical_limits import MAX_PROP_MASS, MIN_LENGTH, MIN_PROP_MASS
from see1previs.core.scene import (
    Actor,
    BoxShape,
    CapsuleShape,
    CylinderShape,
    Environment,
    ImpulseCue,
    Material,
    MeshShape,
    Pose,
    Prop,
    Scene,
    Simulation,
    SphereShape,
    SpinCue,
    Station,
    Velocity,
)
from see1previs.core.scenefile import load_scene, parse_scene, save_scene, scene_to_text
from see1previs.core.timebase import FrameRate


def _number(low: float, high: float, *, open_low: bool = False) -> st.SearchStrategy[float]:
    return st.floats(low, high, exclude_min=open_low, allow_nan=False, allow_infinity=False)


coordinate = _number(-3.0, 3.0)
vector = st.tuples(coordinate, coordinate, coordinate)
length = _number(MIN_LENGTH, 3.0)  # the physical range of a prop (core.physical_limits)

quaternion = st.tuples(*[_number(-10.0, 10.0)] * 4).filter(
    lambda q: math.sqrt(sum(c * c for c in q)) > 1e-3  # any non-zero quaternion, not just unit
)

frame_rate = st.sampled_from(
    [23.976, 24, 25, 29.97, 48, 60, "23.98", "24000/1001", "30000/1001", "51/2", 120]
).map(FrameRate.parse)

shape = st.one_of(
    st.builds(BoxShape, type=st.just("box"), size=st.tuples(length, length, length)),
    st.builds(SphereShape, type=st.just("sphere"), radius=length),
    st.builds(CylinderShape, type=st.just("cylinder"), radius=length, length=length),
    st.builds(CapsuleShape, type=st.just("capsule"), radius=length, length=length),
    st.builds(
        MeshShape,
        type=st.just("mesh"),
        file=st.sampled_from(["props/mug.glb", "Props/Slate v2.obj", "../shared/ring.stl"]),
        scale=st.sampled_from([1.0, 0.01, 0.001, 2.5]),
    ),
)

pose = st.builds(Pose, position=vector, orientation=quaternion)
velocity = st.builds(Velocity, linear=vector, angular=vector)
colour = st.none() | st.from_regex(r"#[0-9a-fA-F]{6}", fullmatch=True)
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


def _inertia(moments: tuple[float, float, float]) -> tuple[float, float, float] | None:
    a, b, c = sorted(moments)
    return moments if a + b >= c else None


@st.composite
def props(draw: st.DrawFn, ident: str) -> Prop:
    moments = draw(st.tuples(*[_number(1e-4, 10.0)] * 3))
    return Prop(
        id=ident,
        name=draw(text),
        shape=draw(shape),
        mass=draw(_number(MIN_PROP_MASS, MAX_PROP_MASS)),
        inertia=_inertia(moments) if draw(st.booleans()) else None,
        material=draw(st.builds(Material, restitution=_number(0, 1), friction=_number(0, 5))),
        drag_coefficient=draw(st.none() | _number(0, 5)),
        color=draw(colour),
        pose=draw(pose),
        velocity=draw(velocity),
    )


@st.composite
def actors(draw: st.DrawFn, ident: str) -> Actor:
    return Actor(
        id=ident,
        name=draw(text),
        height=draw(_number(1.0, 2.3)),
        mass=draw(_number(25, 200)),
        color=draw(colour),
        pose=draw(pose),
        velocity=draw(velocity),
    )


@st.composite
def scenes(draw: st.DrawFn) -> Scene:
    duration = draw(_number(0.0, 3600.0, open_low=True))
    prop_list = [draw(props(f"prop-{i}")) for i in range(draw(st.integers(0, 5)))]
    actor_list = [draw(actors(f"actor.{i}")) for i in range(draw(st.integers(0, 3)))]
    targets = [body.id for body in [*prop_list, *actor_list]]
    cues: list[Any] = []
    for i in range(draw(st.integers(0, 4)) if targets else 0):
        common = {
            "id": f"cue_{i}",
            "time": draw(_number(0.0, duration)),
            "target": draw(st.sampled_from(targets)),
        }
        if draw(st.booleans()):
            cues.append(
                ImpulseCue(type="impulse", impulse=draw(vector), point=draw(vector), **common)
            )
        else:
            cues.append(SpinCue(type="spin", angular_velocity=draw(vector), **common))
    flow = draw(st.tuples(*[_number(-1.1, 1.1)] * 3).filter(lambda v: math.hypot(*v) <= 2.0))
    return Scene(
        title=draw(text),
        frame_rate=draw(frame_rate),
        duration=duration,
        station=Station(interior=draw(st.sampled_from(["see1", "interiors/rev-b.glb"]))),
        environment=Environment(
            air_drag=draw(st.booleans()),
            air_density=draw(_number(0.0, 5.0, open_low=True)),
            drag_coefficient=draw(_number(0.0, 5.0)),
            ventilation=flow,
        ),
        simulation=Simulation(timestep=draw(_number(0.0002, 0.002))),
        props=prop_list,
        actors=actor_list,
        cues=cues,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenes())
def test_any_scene_round_trips_exactly(scene: Scene) -> None:
    text = scene_to_text(scene)
    again = parse_scene(text)
    assert again == scene
    assert scene_to_text(again) == text


@settings(max_examples=25, deadline=None)
@given(scenes())
def test_load_save_load_through_files_is_byte_identical(
    tmp_path_factory: pytest.TempPathFactory, scene: Scene
) -> None:
    folder = tmp_path_factory.mktemp("roundtrip")
    save_scene(scene, folder / "first.see1.json")
    loaded = load_scene(folder / "first.see1.json")
    assert loaded == scene
    save_scene(loaded, folder / "second.see1.json")
    assert (folder / "second.see1.json").read_bytes() == (folder / "first.see1.json").read_bytes()
