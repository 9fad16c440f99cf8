"""The bake cache, start-placement checks and prop mesh errors.

Cache: an unchanged scene is loaded instead of re-simulated and gives the same trajectory;
anything that changes the motion misses; a damaged entry is only a miss. Placement and mesh
problems stop a scene before baking with a SceneSetupError that lists every problem with the
JSON path of the object at fault and a message a director can act on.
"""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import trimesh

from see1previs.core.scene import Scene
from see1previs.physics.bake import BakeCancelled
from see1previs.physics.cache import BakeCache, bake_key
from see1previs.physics.simulation import SceneSetupError, prepare_world, simulate
from see1previs.physics.trajectory import Trajectory
from see1previs.station import load_station
from tests.conftest import ASSETS
from tests.physics.scenes import CLEAR_WALL_DIRECTION, box_prop, sphere_prop

T_HANDLE = ASSETS / "props" / "t-handle.obj"
HULL_RADIUS = 3.0  # m, SEE-1 is a ~6 m inner-diameter sphere


def scene_data(props: list[dict], **fields) -> dict:
    return {
        "format": 2,
        "title": "cache test",
        "frame_rate": 24,
        "duration": 1.0,
        "environment": {"air_drag": True},
        "props": props,
        **fields,
    }


def two_balls() -> dict:
    return scene_data(
        [
            sphere_prop("red", (-0.6, 0.0, 0.0), (0.8, 0.0, 0.0)),
            sphere_prop("blue", (0.4, 0.05, 0.0), (-0.3, 0.0, 0.0), mass=2.0),
        ],
        cues=[
            {
                "type": "spin",
                "id": "twirl",
                "time": 0.2,
                "target": "blue",
                "angular_velocity": [0.0, 0.0, 3.0],
            }
        ],
    )


def key_of(data: dict, scene_dir: Path | None = None) -> str:
    return bake_key(Scene.model_validate(data), load_station("see1"), scene_dir)


# ---- cache -------------------------------------------------------------------------------


def test_second_simulate_comes_from_the_cache(tmp_path: Path):
    cache = BakeCache(tmp_path / "cache")
    data = two_balls()
    first = simulate(Scene.model_validate(data), cache=cache)
    second = simulate(Scene.model_validate(data), cache=cache)
    assert first.from_cache is False
    assert second.from_cache is True
    assert second.cache_key == first.cache_key
    assert second.trajectory.content_hash() == first.trajectory.content_hash()
    assert second.trajectory.body_ids == ["red", "blue"]
    assert second.trajectory.frame_rate == first.trajectory.frame_rate
    assert np.array_equal(second.trajectory.contacts, first.trajectory.contacts)
    assert len(first.trajectory.contacts) == 1, "the balls meet: contacts are cached too"
    # One entry, readable by any NumPy reader.
    entries = list((tmp_path / "cache").glob("*.npz"))
    assert entries == [cache.path_for(first.cache_key)]
    with np.load(entries[0], allow_pickle=False) as archive:
        np.testing.assert_array_equal(archive["positions"], first.trajectory.positions)


def test_simulate_without_a_cache_writes_nothing(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SEE1_CACHE_DIR", str(tmp_path / "default-cache"))
    result = simulate(Scene.model_validate(two_balls()))
    assert result.from_cache is False
    assert not (tmp_path / "default-cache").exists()


def test_changing_a_mass_misses_the_cache(tmp_path: Path):
    cache = BakeCache(tmp_path)
    data = two_balls()
    first = simulate(Scene.model_validate(data), cache=cache)
    heavier = copy.deepcopy(data)
    heavier["props"][1]["mass"] = 2.5
    assert key_of(heavier) != key_of(data)
    second = simulate(Scene.model_validate(heavier), cache=cache)
    assert second.from_cache is False
    assert second.cache_key != first.cache_key
    assert second.trajectory.content_hash() != first.trajectory.content_hash()
    assert len(list(tmp_path.glob("*.npz"))) == 2


def test_changing_only_the_title_hits_the_cache(tmp_path: Path):
    cache = BakeCache(tmp_path)
    data = two_balls()
    first = simulate(Scene.model_validate(data), cache=cache)
    renamed = copy.deepcopy(data)
    renamed["title"] = "Take 2"
    assert key_of(renamed) == key_of(data)
    second = simulate(Scene.model_validate(renamed), cache=cache)
    assert second.from_cache is True
    assert second.trajectory.content_hash() == first.trajectory.content_hash()


def _with_camera_plan(data: dict) -> dict:
    data = copy.deepcopy(data)
    data["cameras"] = [
        {"id": "A", "body": "arri-alexa-mini-lf", "lens": "arri-signature-prime-35",
         "focal_length": 35, "rig": {"type": "fixed", "mount": "CAM-A"}, "look_at": "blue"}
    ]  # fmt: skip
    data["shots"] = [{"id": "1A", "camera": "A", "start": 0.0, "end": 0.5}]
    return data


def test_editing_the_camera_plan_keeps_the_bake():
    data = _with_camera_plan(two_balls())
    edited = copy.deepcopy(data)
    edited["cameras"][0]["focal_length"] = 50
    edited["shots"][0]["end"] = 0.8
    edited["shots"].append({"id": "1B", "camera": "A", "start": 0.2, "end": 0.9})
    assert key_of(edited) == key_of(data) == key_of(two_balls())


def test_moving_a_camera_an_actor_pushes_off_toward_changes_the_key():
    data = _with_camera_plan(two_balls())
    data["actors"] = [{"id": "ana", "pose": {"position": [0.0, -1.5, 0.0]}}]
    data["cues"].append(
        {"type": "push_off", "id": "go", "time": 0.3, "actor": "ana", "surface": "wall",
         "speed": 0.3, "toward": "A"}
    )  # fmt: skip
    moved = copy.deepcopy(data)
    moved["cameras"][0]["rig"] = {"type": "fixed", "mount": "CAM-B"}
    assert key_of(moved) != key_of(data)


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.update(duration=1.5),
        lambda d: d.update(frame_rate=25),
        lambda d: d.update(simulation={"timestep": 0.001}),
        lambda d: d["environment"].update(air_drag=False),
        lambda d: d["environment"].update(ventilation=[0.0, 0.05, 0.0]),
        lambda d: d["props"][0]["pose"].update(position=[-0.6, 0.0, 0.001]),
        lambda d: d["props"][0].update(material={"restitution": 0.9}),
        lambda d: d["cues"][0].update(time=0.25),
        lambda d: d["props"].append(sphere_prop("green", (0.0, 1.0, 0.0))),
    ],
    ids=[
        "duration",
        "frame_rate",
        "timestep",
        "air_drag",
        "ventilation",
        "position",
        "restitution",
        "cue_time",
        "new_prop",
    ],
)
def test_anything_that_changes_the_motion_changes_the_key(edit):
    data = two_balls()
    changed = copy.deepcopy(data)
    edit(changed)
    assert key_of(changed) != key_of(data)


def test_editing_a_mesh_file_changes_the_key(tmp_path: Path):
    shutil.copy(T_HANDLE, tmp_path / "wrench.obj")
    prop = {"id": "wrench", "shape": {"type": "mesh", "file": "wrench.obj"}, "mass": 0.3}
    data = scene_data([prop])
    before = key_of(data, tmp_path)
    assert key_of(data, tmp_path) == before, "the key is stable"
    mesh = trimesh.load(tmp_path / "wrench.obj", force="mesh")
    mesh.apply_scale(1.01)
    mesh.export(tmp_path / "wrench.obj")
    assert key_of(data, tmp_path) != before


def test_a_corrupt_cache_entry_is_a_miss_and_is_replaced(tmp_path: Path):
    cache = BakeCache(tmp_path)
    data = two_balls()
    first = simulate(Scene.model_validate(data), cache=cache)
    entry = cache.path_for(first.cache_key)
    entry.write_bytes(b"PK\x03\x04 this is not a trajectory" + bytes(range(256)))

    second = simulate(Scene.model_validate(data), cache=cache)
    assert second.from_cache is False
    assert second.trajectory.content_hash() == first.trajectory.content_hash()
    assert Trajectory.load_npz(entry).content_hash() == first.trajectory.content_hash()

    third = simulate(Scene.model_validate(data), cache=cache)
    assert third.from_cache is True


def test_a_cancelled_bake_leaves_no_cache_entry(tmp_path: Path):
    cache = BakeCache(tmp_path)
    scene = Scene.model_validate(two_balls())
    with pytest.raises(BakeCancelled):
        simulate(scene, cache=cache, should_cancel=lambda: True)
    assert not list(tmp_path.glob("*.npz"))
    assert simulate(scene, cache=cache).from_cache is False


def test_a_truncated_cache_entry_is_a_miss(tmp_path: Path):
    cache = BakeCache(tmp_path)
    data = two_balls()
    first = simulate(Scene.model_validate(data), cache=cache)
    entry = cache.path_for(first.cache_key)
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    second = simulate(Scene.model_validate(data), cache=cache)
    assert second.from_cache is False
    assert second.trajectory.content_hash() == first.trajectory.content_hash()


# ---- placement ---------------------------------------------------------------------------


def setup_problems(data: dict, scene_dir: Path | None = None) -> list[tuple[str, str]]:
    with pytest.raises(SceneSetupError) as caught:
        prepare_world(Scene.model_validate(data), scene_dir)
    problems = caught.value.problems
    assert problems, "a SceneSetupError must list its problems"
    # str() carries every problem too (what a log or a dialog shows).
    for path, message in problems:
        assert path in str(caught.value)
        assert message in str(caught.value)
    return problems


def problems_at(problems: list[tuple[str, str]], path: str) -> list[str]:
    return [message for p, message in problems if p == path]


def near_wall(distance: float) -> tuple[float, float, float]:
    return tuple(distance * c for c in CLEAR_WALL_DIRECTION)


def test_a_well_placed_scene_prepares():
    world = prepare_world(Scene.model_validate(two_balls()))
    assert [b.id for b in world.bodies] == ["red", "blue"]


def test_a_prop_outside_the_hull():
    data = scene_data(
        [sphere_prop("inside", (0.0, 0.0, 0.0)), sphere_prop("lost", (5.0, 0.0, 0.0))]
    )
    problems = setup_problems(data)
    messages = problems_at(problems, "props[1].pose.position")
    assert messages, problems
    assert "'lost'" in messages[0]
    assert "outside the interior" in messages[0]
    assert not any(p.startswith("props[0]") for p, _ in problems)


def test_a_prop_overlapping_the_wall():
    data = scene_data(
        [
            sphere_prop("ok", (0.0, 0.0, 0.0)),
            sphere_prop("buried", near_wall(2.85), radius=0.3),
        ]
    )
    problems = setup_problems(data)
    (message,) = problems_at(problems, "props[1].pose.position")
    assert "'buried'" in message
    assert "overlapping the wall" in message
    assert "outside" not in message
    assert len(problems) == 1


@pytest.mark.parametrize(("distance", "radius"), [(2.85, 0.3), (2.9, 0.2)])
def test_the_wall_overlap_is_reported_with_its_real_depth(distance: float, radius: float):
    data = scene_data([sphere_prop("buried", near_wall(distance), radius=radius)])
    (problem,) = setup_problems(data)
    match = re.search(r"by (\d+) mm", problem[1])
    assert match, problem
    expected_mm = 1000 * (radius - (HULL_RADIUS - distance))
    assert abs(int(match.group(1)) - expected_mm) < 15, (problem, expected_mm)


def test_a_prop_touching_nothing_near_the_wall_is_fine():
    data = scene_data([sphere_prop("close", near_wall(2.75), radius=0.2)])
    world = prepare_world(Scene.model_validate(data))
    assert world.bodies[0].id == "close"


def test_two_props_overlapping_each_other():
    data = scene_data(
        [
            sphere_prop("apple", (0.0, 0.0, 0.0), radius=0.15),
            box_prop("crate", size=(0.3, 0.3, 0.3), position=(0.2, 0.0, 0.0)),
        ]
    )
    problems = setup_problems(data)
    assert len(problems) == 1
    path, message = problems[0]
    assert path in ("props[0].pose.position", "props[1].pose.position")
    assert "'apple'" in message
    assert "'crate'" in message
    assert "overlapping" in message


def test_a_prop_overlapping_a_fixture_names_the_fixture():
    handrail = load_station("see1").fixture("H5")
    data = scene_data(
        [
            sphere_prop("free", (0.0, 0.0, 0.0)),
            sphere_prop("tangled", handrail.position, radius=0.05),
        ]
    )
    problems = setup_problems(data)
    messages = problems_at(problems, "props[1].pose.position")
    assert messages, problems
    assert any("H5" in m and "'tangled'" in m for m in messages), messages
    assert not any(p.startswith("props[0]") for p, _ in problems)


def test_an_actor_outside_the_hull_is_named_with_its_path():
    data = scene_data(
        [sphere_prop("ok", (0.0, 0.0, 0.0))],
        actors=[{"id": "mika", "pose": {"position": [0.0, 0.0, -4.5]}}],
    )
    problems = setup_problems(data)
    messages = problems_at(problems, "actors[0].pose.position")
    assert messages and "'mika'" in messages[0] and "outside the interior" in messages[0]


def test_every_placement_problem_is_reported_at_once():
    handrail = load_station("see1").fixture("H5")
    data = scene_data(
        [
            sphere_prop("fine", (0.0, 0.0, 0.0)),
            sphere_prop("lost", (5.0, 0.0, 0.0)),
            sphere_prop("buried", near_wall(2.85), radius=0.3),
            sphere_prop("one", (0.0, 1.0, 0.0), radius=0.2),
            sphere_prop("two", (0.0, 1.25, 0.0), radius=0.2),
            sphere_prop("tangled", handrail.position, radius=0.05),
        ]
    )
    problems = setup_problems(data)
    assert "outside the interior" in " ".join(problems_at(problems, "props[1].pose.position"))
    assert "the wall" in " ".join(problems_at(problems, "props[2].pose.position"))
    pair = problems_at(problems, "props[3].pose.position") + problems_at(
        problems, "props[4].pose.position"
    )
    assert any("'one'" in m and "'two'" in m for m in pair), problems
    assert "H5" in " ".join(problems_at(problems, "props[5].pose.position"))
    assert not problems_at(problems, "props[0].pose.position")


# ---- prop meshes -------------------------------------------------------------------------


def mesh_scene(file_name: str) -> dict:
    return scene_data(
        [
            sphere_prop("ball", (0.0, 0.0, 0.0)),
            {
                "id": "gizmo",
                "shape": {"type": "mesh", "file": file_name},
                "mass": 0.5,
                "pose": {"position": [1.0, 0.0, 0.0]},
            },
        ]
    )


def mesh_problem(tmp_path: Path, file_name: str) -> str:
    problems = setup_problems(mesh_scene(file_name), tmp_path)
    assert [path for path, _ in problems] == ["props[1].shape.file"]
    message = problems[0][1]
    assert Path(file_name).name in message
    return message


def test_a_missing_mesh_file(tmp_path: Path):
    message = mesh_problem(tmp_path, "props/not-there.obj")
    assert "does not exist" in message


def test_an_empty_mesh_file(tmp_path: Path):
    (tmp_path / "empty.stl").write_bytes(b"")
    assert "empty" in mesh_problem(tmp_path, "empty.stl")


@pytest.mark.parametrize("suffix", ["stl", "obj", "ply", "glb"])
def test_a_corrupt_mesh_file(tmp_path: Path, suffix: str):
    junk = np.random.default_rng(7).integers(0, 256, 4096, dtype=np.uint8).tobytes()
    (tmp_path / f"junk.{suffix}").write_bytes(junk)
    message = mesh_problem(tmp_path, f"junk.{suffix}")
    assert "could not be read" in message or "no triangles" in message


def test_a_mesh_with_no_triangles(tmp_path: Path):
    (tmp_path / "points.obj").write_text("v 0 0 0\nv 0.1 0 0\nv 0 0.1 0\nv 0 0 0.1\n")
    assert "no triangles" in mesh_problem(tmp_path, "points.obj")


def test_a_mesh_over_the_face_limit(tmp_path: Path):
    sphere = trimesh.creation.icosphere(subdivisions=7, radius=0.1)  # 327,680 triangles
    sphere.export(tmp_path / "dense.stl")
    message = mesh_problem(tmp_path, "dense.stl")
    assert "327,680" in message
    assert "decimate" in message


def test_a_valid_mesh_prop_prepares(tmp_path: Path):
    shutil.copy(T_HANDLE, tmp_path / "wrench.obj")
    world = prepare_world(Scene.model_validate(mesh_scene("wrench.obj")), tmp_path)
    assert [b.id for b in world.bodies] == ["ball", "gizmo"]


def test_a_latin1_obj_prop_loads(tmp_path: Path):
    """OBJ files from European CAD tools often carry Latin-1 comments; the geometry is fine."""
    box = trimesh.creation.box((0.1, 0.1, 0.1))
    text = box.export(file_type="obj")
    (tmp_path / "caisse.obj").write_bytes("# modèle exporté\n".encode("latin-1") + text.encode())
    world = prepare_world(Scene.model_validate(mesh_scene("caisse.obj")), tmp_path)
    assert world.bodies[1].id == "gizmo"


def test_no_home_folder_still_gives_a_cache_folder(monkeypatch):
    from see1previs.physics.cache import default_cache_dir

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    for variable in ("SEE1_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    folder = default_cache_dir()
    assert folder.is_absolute() and folder.parts[-2:] == ("see1previs", "bakes")
