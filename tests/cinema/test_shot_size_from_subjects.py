"""Shot size comes from what is in frame, every subject, people first; the camera angle."""

from __future__ import annotations

import pytest

from see1previs.cinema import optics
from see1previs.cinema.analysis import analyse_shot
from see1previs.cinema.tracks import evaluate_camera
from see1previs.core.scenefile import load_scene
from see1previs.physics.simulation import simulate
from see1previs.station.loader import load_station
from tests.cinema.test_analysis import actor, analysed, fixed
from tests.conftest import SCENES
from tests.physics.scenes import sphere_prop

PERSON_SIZES = ("ECU", "CU", "MCU", "MS", "MWS", "WS", "EWS")


@pytest.fixture(scope="module")
def see1():
    return load_station("see1")


@pytest.fixture(scope="module")
def breakfast():
    path = SCENES / "zero-g-breakfast.see1.json"
    scene = load_scene(path)
    result = simulate(scene, path.parent)
    tracks = {
        c.id: evaluate_camera(c, scene, result.station, result.trajectory) for c in scene.cameras
    }
    radii = {h.id: h.plan.bounding_radius for h in result.world.bodies if h.kind == "prop"}
    return {
        shot.id: analyse_shot(
            shot, scene, result.station, result.trajectory, tracks, body_radii=radii
        )
        for shot in scene.shots
    }


def test_the_breakfast_wide_master_is_sized_on_its_two_actors_not_insert(breakfast):
    wide = breakfast["1A"]  # 24 mm, aimed at the coffee bulb, Ren and Mika full figure
    assert wide.primary == "bulb"
    assert {"ren", "mika"} <= set(wide.subjects)
    assert wide.framing != "INSERT"
    assert wide.framing in ("MWS", "WS", "EWS")  # a master of two people, head to toe
    assert wide.framed_on in ("ren", "mika")


def test_a_prop_alone_in_frame_is_an_insert(see1):
    ball = sphere_prop("ball", (0.0, 0.0, 0.0))
    result = analysed(see1, [fixed("A", [-0.8, 0.0, 0.0], "ball", focal=50)], props=[ball])
    assert result.framing == "INSERT"
    assert result.framed_on is None


def test_a_person_in_frame_sets_the_size_when_the_camera_aims_at_a_prop(see1):
    ball = sphere_prop("ball", (0.0, 0.0, 0.3))
    person = actor("ana", [0.3, 0.0, 0.0], height=1.7)
    result = analysed(
        see1, [fixed("A", [-2.2, 0.0, 0.0], "ball", focal=24)], props=[ball], actors=[person]
    )
    assert result.framed_on == "ana"
    expected = optics.shot_size(optics.image_height_fraction(1.7, 2.5, 24, 24.0))
    assert result.framing in PERSON_SIZES
    # Within one size of the hand calculation (the sensor is the default body's, not 24 mm).
    assert abs(PERSON_SIZES.index(result.framing) - PERSON_SIZES.index(expected)) <= 1


def test_angle_against_the_persons_eye_line(see1):
    person = actor("ana", [0.0, 0.0, 0.0], height=1.7)  # upright: head towards studio +Z
    level = analysed(see1, [fixed("A", [-2.0, 0.0, 0.74], "ana", focal=35)], actors=[person])
    above = analysed(see1, [fixed("A", [-1.5, 0.0, 1.9], "ana", focal=35)], actors=[person])
    below = analysed(see1, [fixed("A", [-1.5, 0.0, -0.9], "ana", focal=35)], actors=[person])
    assert level.angle.startswith("eye level")
    assert above.angle.startswith("high angle")
    assert below.angle.startswith("low angle")
