"""The regression corpus: scene files of every released format must keep loading.

``tests/data/scene-format-<N>/`` holds files exactly as format N wrote them. They are never
edited; these tests make every later version of the app read them with the same meaning.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import pytest

from see1previs.core.scene import (
    FORMAT_VERSION,
    Blocking,
    GrabCue,
    HoldCue,
    ImpulseCue,
    MeshShape,
    PoseCue,
    ReleaseCue,
    TetherCue,
    ThrowCue,
)
from see1previs.core.scenefile import load_scene, parse_scene, resolve_asset, scene_to_text
from tests.core.samples import DATA

CORPUS = sorted(DATA.glob("scene-format-*/*.see1.json"))


def test_there_are_samples_of_every_released_format() -> None:
    for version in range(1, FORMAT_VERSION + 1):
        assert list((DATA / f"scene-format-{version}").glob("*.see1.json")), version


@pytest.mark.parametrize("file", CORPUS, ids=lambda f: f"{f.parent.name}/{f.name}")
def test_sample_loads_and_saves_stably(file: Path) -> None:
    scene = load_scene(file)
    text = scene_to_text(scene)
    assert parse_scene(text) == scene
    assert scene_to_text(parse_scene(text)) == text


def _load(name: str, version: int = 1):
    return load_scene(DATA / f"scene-format-{version}" / name)


def test_format_1_mug_toss_means_what_it_meant() -> None:
    scene = _load("mug-toss.see1.json")
    assert scene.frame_rate.fps == Fraction(24000, 1001)
    assert scene.duration == 8.0
    assert [body.id for body in scene.bodies()] == ["mug", "maya", "ivo"]
    mug = scene.body("mug")
    assert mug.mass == 0.32
    assert mug.shape.type == "cylinder"
    assert mug.material.restitution == 0.3
    throw, recoil = scene.cues
    assert isinstance(throw, ImpulseCue) and isinstance(recoil, ImpulseCue)
    assert (throw.target, throw.time, throw.impulse) == ("mug", 1.5, (0.16, 0.0, 0.0))
    assert recoil.impulse == (-0.16, 0.0, 0.0)  # momentum is conserved in the throw
    assert scene.body("ivo").pose.orientation == (0.0, 0.0, 0.0, 1.0)


def test_format_1_tumbling_wrench_means_what_it_meant() -> None:
    scene = _load("tumbling-wrench.see1.json")
    assert scene.frame_rate.fps == 25
    assert scene.environment.air_drag is False
    assert scene.simulation.timestep == 0.001
    wrench = scene.body("wrench")
    assert wrench.inertia == (2.5e-4, 3.4e-3, 3.6e-3)
    assert scene.cues[0].angular_velocity == (0.01, 6.0, 0.0)


def test_format_1_hand_edited_file_means_what_it_meant() -> None:
    file = DATA / "scene-format-1" / "hand-edited-slate.see1.json"
    scene = load_scene(file)
    assert scene.frame_rate.fps == Fraction(24000, 1001)
    assert scene.duration == 12.0
    assert scene.station.interior == "interiors/see1-rev-b.glb"
    assert resolve_asset(file, scene.station.interior) == file.parent / "interiors/see1-rev-b.glb"
    slate = scene.body("slate")
    assert isinstance(slate.shape, MeshShape)
    assert slate.shape.scale == 0.01
    assert resolve_asset(file, slate.shape.file) == file.parent / "props" / "slate.glb"
    half = math.sqrt(0.5)
    assert slate.pose.orientation == pytest.approx((half, 0.0, 0.0, half), abs=1e-15)
    assert slate.drag_coefficient == 1.2
    assert scene.environment.ventilation == (0.08, 0.0, -0.02)
    assert scene.body("torch").color == "#FFD166"
    assert scene.body("camera-op.1").mass == 75.0  # the default, left out of the file
    assert [cue.id for cue in scene.cues] == ["nudge", "twirl", "push-off"]


def test_format_1_new_scene_is_all_defaults() -> None:
    scene = _load("new-scene.see1.json")
    assert scene.title == "New scene"
    assert scene.frame_rate.fps == 24
    assert scene.station.interior == "see1"
    assert scene.bodies() == [] and scene.cues == []


# -- format-1 files under format 2 -------------------------------------------------------------


def test_format_1_actors_load_as_the_rigid_placeholders_they_were() -> None:
    scene = _load("mug-toss.see1.json")
    assert scene.format == FORMAT_VERSION
    assert [(actor.id, actor.body) for actor in scene.actors] == [
        ("maya", "placeholder"),
        ("ivo", "placeholder"),
    ]
    maya = scene.body("maya")
    assert (maya.height, maya.mass) == (1.68, 61.0)
    assert maya.posture == "neutral" and maya.joints == {}  # defaults, unused by a placeholder


def test_format_1_files_gain_only_the_format_2_defaults() -> None:
    for name in ("mug-toss.see1.json", "tumbling-wrench.see1.json", "new-scene.see1.json"):
        scene = _load(name)
        assert scene.blocking == Blocking(), name
        assert all(actor.body == "placeholder" for actor in scene.actors), name
    slate = _load("hand-edited-slate.see1.json")
    assert [actor.body for actor in slate.actors] == ["placeholder"] * len(slate.actors)
    assert slate.actors, "the hand-edited file has an actor to migrate"


def test_a_migrated_format_1_file_saves_as_format_2_with_its_placeholders() -> None:
    text = scene_to_text(_load("mug-toss.see1.json"))
    assert text.startswith(f'{{\n  "format": {FORMAT_VERSION},')
    saved = parse_scene(text)
    assert [actor.body for actor in saved.actors] == ["placeholder", "placeholder"]
    assert '"body": "placeholder"' in text


# -- format 2 ----------------------------------------------------------------------------------


def test_format_2_new_scene_is_all_defaults() -> None:
    scene = _load("new-scene.see1.json", 2)
    assert scene.title == "New scene"
    assert scene.frame_rate.fps == 24
    assert scene.bodies() == [] and scene.cues == []
    assert scene.blocking == Blocking()


def test_format_2_two_actors_means_what_it_says() -> None:
    scene = _load("two-actors.see1.json", 2)
    assert scene.duration == 6.0
    assert [body.id for body in scene.bodies()] == ["ball", "ana", "ben"]
    ana, ben = scene.actors
    assert (ana.id, ana.body, ana.height, ana.mass) == ("ana", "humanoid", 1.55, 50.0)
    assert (ben.id, ben.body, ben.height, ben.mass) == ("ben", "humanoid", 1.95, 100.0)
    assert ana.posture == "neutral" and ben.posture == "tuck"
    assert [(cue.type, cue.id, cue.time) for cue in scene.cues] == [
        ("tether", "clip-ben", 0.0),
        ("pose", "ready", 0.5),
        ("hold", "steady", 1.0),
        ("grab", "take-ball", 1.5),
        ("release", "let-go", 2.0),
        ("throw", "toss", 2.5),
    ]
    tether, pose, hold, grab, release, throw = scene.cues
    assert isinstance(tether, TetherCue)
    assert (tether.actor, tether.fixture, tether.length, tether.until) == ("ben", "FR1", 2.0, None)
    assert isinstance(pose, PoseCue)
    assert (pose.actor, pose.pose, pose.duration) == ("ana", "reach-forward", 0.8)
    assert pose.joints == {"right_elbow_flexion": 20.0}
    assert isinstance(hold, HoldCue)
    assert (hold.actor, hold.fixture, hold.limb) == ("ana", "H5", "left_hand")
    assert isinstance(grab, GrabCue)
    assert (grab.actor, grab.target, grab.hand) == ("ana", "ball", "right")
    assert isinstance(release, ReleaseCue)
    assert (release.actor, release.fixture) == ("ana", "H5")
    assert isinstance(throw, ThrowCue)
    assert (throw.actor, throw.prop, throw.speed, throw.toward) == ("ana", "ball", 1.5, "ben")
    assert throw.direction is None


def test_format_4_person_catch_means_what_it_says() -> None:
    scene = _load("person-catch.see1.json", version=4)
    catch, grab, ana_lets_go, ren_lets_go = scene.cues
    assert (catch.type, catch.actor, catch.target, catch.hand, catch.part, catch.window) == (
        "catch",
        "ana",
        "ren",
        "right",
        "left_wrist",
        0.8,
    )
    assert isinstance(grab, GrabCue)
    assert (grab.actor, grab.target, grab.part) == ("ren", "ana", "harness")
    for release, actor, target in ((ana_lets_go, "ana", "ren"), (ren_lets_go, "ren", "ana")):
        assert isinstance(release, ReleaseCue)
        assert (release.actor, release.target, release.fixture) == (actor, target, None)


def test_earlier_grabs_name_no_part() -> None:
    scene = _load("two-actors.see1.json", version=2)
    grab = next(cue for cue in scene.cues if isinstance(cue, GrabCue))
    assert grab.part is None  # the part nearest the hand
