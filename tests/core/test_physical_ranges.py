"""A scene that validates can be simulated: props are held to the ranges a film set has.

Masses of 1e-12 kg, boxes 1e300 m long or moments of 1e-30 kg·m² once validated and then
failed inside the physics with an "internal error"; a camera turned by [1e200, 0, 0, 0]
became a zero quaternion. Each is now refused (or read correctly) when the file loads.
"""

from __future__ import annotations

from typing import Any

import pytest

from see1previs.core.physical_limits import (
    MAX_INERTIA,
    MAX_LENGTH,
    MIN_INERTIA,
    MIN_LENGTH,
    MIN_PROP_MASS,
)
from see1previs.core.scenefile import scene_from_data, scene_json_schema
from tests.core.samples import problems, valid_scene_data


def _with_prop(**fields: Any) -> dict[str, Any]:
    data = valid_scene_data()
    data["props"][0].update(fields)
    return data


@pytest.mark.parametrize(
    ("mass", "shown"), [(1e-12, "1e-12"), (1e-320, "1e-320"), (0.0009, "0.0009")]
)
def test_a_prop_lighter_than_a_gram_is_refused(mass: float, shown: str) -> None:
    assert problems(_with_prop(mass=mass)) == [
        f"props[0].mass: must be at least 0.001 kg (1 g), got {shown}; nothing lighter can be "
        "simulated"
    ]


def test_zero_and_negative_masses_keep_their_plain_message() -> None:
    assert problems(_with_prop(mass=-1)) == ["props[0].mass: must be greater than 0 kg, got -1"]


def test_the_ends_of_the_ranges_are_allowed() -> None:
    data = _with_prop(
        mass=MIN_PROP_MASS,
        shape={"type": "box", "size": [MIN_LENGTH, MAX_LENGTH, 0.5]},
        inertia=[MIN_INERTIA, MIN_INERTIA, MIN_INERTIA],
    )
    data["props"][1].update(inertia=[MAX_INERTIA, MAX_INERTIA, MAX_INERTIA])
    scene = scene_from_data(data)
    assert scene.props[0].mass == MIN_PROP_MASS


def test_a_box_larger_than_the_module_is_refused() -> None:
    data = _with_prop(shape={"type": "box", "size": [1e300, 1, 1]})
    assert problems(data) == [
        "props[0].shape.size: every length must be at most 6 m (the module is 6 m across), "
        "got 1e+300"
    ]


@pytest.mark.parametrize(
    ("shape", "path"),
    [
        ({"type": "box", "size": [0.1, 1e-5, 0.1]}, "size"),
        ({"type": "sphere", "radius": 1e-5}, "radius"),
        ({"type": "cylinder", "radius": 0.1, "length": 1e-5}, "length"),
        ({"type": "capsule", "radius": 1e-5, "length": 0.1}, "radius"),
    ],
)
def test_shapes_smaller_than_a_millimetre_are_refused(shape: dict[str, Any], path: str) -> None:
    (problem,) = problems(_with_prop(shape=shape))
    assert problem.startswith(f"props[0].shape.{path}: ")
    assert "at least 0.001 m (1 mm), got 1e-05; nothing smaller can be simulated" in problem


def test_moments_of_inertia_outside_the_range_are_refused() -> None:
    assert problems(_with_prop(inertia=[1e-30, 1e-30, 1e-30])) == [
        "props[0].inertia: every principal moment must be at least 1e-10 kg·m² (a 1 g bead), "
        "got [1e-30, 1e-30, 1e-30]; smaller moments cannot be simulated"
    ]
    (problem,) = problems(_with_prop(inertia=[1e5, 1e5, 1e5]))
    assert problem.startswith("props[0].inertia: every principal moment must be at most 10000")


def test_a_huge_quaternion_is_normalised_not_zeroed() -> None:
    data = valid_scene_data()
    data["props"][0]["pose"] = {"orientation": [1e200, 0, 0, 0]}
    data["props"][1]["pose"] = {"orientation": [0, 1e308, 0, 1e308]}
    data["cameras"] = [
        {
            "id": "cam",
            "rig": {"type": "fixed", "position": [0, 0, 0], "orientation": [-1e200, 0, 0, 0]},
        }
    ]
    scene = scene_from_data(data)
    assert scene.props[0].pose.orientation == (1.0, 0.0, 0.0, 0.0)
    half = 0.5**0.5
    assert scene.props[1].pose.orientation == pytest.approx((0.0, half, 0.0, half), abs=1e-15)
    assert scene.cameras[0].rig.orientation == (-1.0, 0.0, 0.0, 0.0)


def test_a_vanishing_quaternion_is_still_refused() -> None:
    data = valid_scene_data()
    data["props"][0]["pose"] = {"orientation": [1e-200, 0, 0, 0]}
    assert problems(data) == [
        "props[0].pose.orientation: must be a non-zero quaternion (w, x, y, z)"
    ]


def test_the_schema_states_the_physical_floors() -> None:
    schema = scene_json_schema()
    defs = schema["$defs"]
    assert defs["Prop"]["properties"]["mass"]["minimum"] == MIN_PROP_MASS
    assert defs["SphereShape"]["properties"]["radius"]["minimum"] == MIN_LENGTH
    assert schema["properties"]["props"]["maxItems"] == 500
