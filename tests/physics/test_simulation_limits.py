"""What validation (``prepare_world``) refuses so that a scene it accepts can be simulated.

A flat mesh prop crashed inside Qhull, MuJoCo's own refusals surfaced as internal errors, and
an hour at 1000 fps with 100 props validated, then failed to allocate 34.9 GiB. Each is now
a problem at a JSON path before anything is baked; the memory estimate is checked against
the peak a real bake measures.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import mujoco
import numpy as np
import pytest

from see1previs.cinema.tracks import evaluate_camera
from see1previs.core.scene import Scene
from see1previs.physics import piece_cache
from see1previs.physics.bake import bake, station_for
from see1previs.physics.bake_budget import BAKE_MEMORY_LIMIT, bake_memory_estimate
from see1previs.physics.bodies import plan_prop
from see1previs.physics.simulation import SceneSetupError, prepare_world, simulate
from see1previs.physics.world import World, compile_error
from see1previs.station.collision import boundary_tiles
from tests.conftest import SCENES
from tests.physics.scenes import make_scene, sphere_prop


def _setup_problems(scene: Scene, folder: Path | None = None) -> list[tuple[str, str]]:
    with pytest.raises(SceneSetupError) as caught:
        prepare_world(scene, folder)
    return caught.value.problems


def _mesh_prop(file: str, scale: float = 1.0) -> dict:
    return {"id": "sheet", "shape": {"type": "mesh", "file": file, "scale": scale}, "mass": 0.2}


def _write(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(text, encoding="utf-8")
    return name


TETRA = "v 0 0 0\nv 0.1 0 0\nv 0 0.1 0\nv 0 0 0.1\nf 1 3 2\nf 1 2 4\nf 1 4 3\nf 2 3 4\n"


# -- mesh props --------------------------------------------------------------------------------


def test_a_one_triangle_mesh_prop_is_called_flat(tmp_path: Path) -> None:
    name = _write(tmp_path, "triangle.obj", "v 0 0 0\nv 0.1 0 0\nv 0 0.1 0\nf 1 2 3\n")
    problems = _setup_problems(make_scene([_mesh_prop(name)]), tmp_path)
    assert problems == [
        (
            "props[0].shape.file",
            "mesh file 'triangle.obj' at scale 1 is flat (0 m thick); a prop needs a solid "
            "shape at least 0.001 m (1 mm) thick in every direction",
        )
    ]


def test_a_flat_sheet_turned_at_an_angle_is_still_flat(tmp_path: Path) -> None:
    sheet = "v 0 0 0\nv 0.1 0.1 0\nv 0 0.1 0.1\nv 0.1 0.2 0.1\nf 1 2 3\nf 2 4 3\n"
    problems = _setup_problems(make_scene([_mesh_prop(_write(tmp_path, "s.obj", sheet))]), tmp_path)
    assert problems[0][0] == "props[0].shape.file" and "is flat" in problems[0][1]


@pytest.mark.parametrize(
    ("scale", "words"), [(1e300, "is 1.414e+299 m across"), (100.0, "is 14.14 m across")]
)
def test_a_mesh_scaled_beyond_the_module_is_refused(
    tmp_path: Path, scale: float, words: str
) -> None:
    scene = make_scene([_mesh_prop(_write(tmp_path, "tetra.obj", TETRA), scale)])
    ((path, message),) = _setup_problems(scene, tmp_path)
    assert path == "props[0].shape.scale" and words in message


def test_a_mesh_scaled_below_a_millimetre_is_refused(tmp_path: Path) -> None:
    scene = make_scene([_mesh_prop(_write(tmp_path, "tetra.obj", TETRA), 1e-3)])
    ((path, message),) = _setup_problems(scene, tmp_path)
    assert path == "props[0].shape.scale"
    assert "is 0.000141 m across; props must be at least 0.001 m (1 mm)" in message


def test_a_solid_mesh_within_range_validates(tmp_path: Path) -> None:
    scene = make_scene([_mesh_prop(_write(tmp_path, "tetra.obj", TETRA))])
    assert prepare_world(scene, tmp_path).bodies[0].plan.hulls


# -- what MuJoCo refuses -------------------------------------------------------------------------


def test_mujocos_refusal_names_the_prop() -> None:
    scene = make_scene([sphere_prop("mug")])
    plan = plan_prop(scene.props[0], 0, None)
    spec = mujoco.MjSpec()
    body = spec.worldbody.add_body(name="mug")
    body.add_freejoint()
    body.explicitinertial = True
    body.mass = 1e-20
    body.fullinertia = [1e-20, 1e-20, 1e-20, 0.0, 0.0, 0.0]
    body.add_geom(type=mujoco.mjtGeom.mjGEOM_SPHERE, size=[0.1, 0.0, 0.0])
    with pytest.raises(ValueError) as caught:
        spec.compile()
    error = compile_error(caught.value, [plan])
    assert error.path == "props[0]"
    assert error.message.startswith("cannot be simulated: ")
    assert "Element name" not in error.message


# -- memory --------------------------------------------------------------------------------------


def _grid_of_props(count: int) -> list[dict]:
    return [
        sphere_prop(f"p{i}", position=(-1 + 0.2 * (i % 10), -1 + 0.2 * (i // 10), 0), radius=0.05)
        for i in range(count)
    ]


def test_an_hour_at_1000_fps_with_100_props_is_refused_with_the_estimate() -> None:
    scene = make_scene(_grid_of_props(100), duration=3600, frame_rate=1000)
    assert _setup_problems(scene) == [
        (
            "duration",
            "baking 3600 s at 1000 fps with 100 bodies needs about 209.4 GiB of memory, more "
            "than the 4.0 GiB a bake may use; shorten the scene (at most about 68 s at this "
            "rate), lower the frame rate or split it into several scenes",
        )
    ]


def test_the_longest_scene_the_message_offers_fits() -> None:
    scene = make_scene(_grid_of_props(100), duration=68, frame_rate=1000)
    world = prepare_world(scene)
    assert bake_memory_estimate(world, scene) <= BAKE_MEMORY_LIMIT


def test_the_estimate_covers_the_measured_peak_without_overstating_it() -> None:
    # 40 props for 5,001 frames: a peak of about 100 MB, far above what does not grow with
    # the scene's length. (Articulated actors need over 10,000 frames for that: measured
    # by hand, documented in bake_budget.)
    scene = make_scene(_grid_of_props(40), duration=10, frame_rate=500)
    world = prepare_world(scene)
    estimate = bake_memory_estimate(world, scene)
    tracemalloc.start()
    try:
        bake(scene, world=world, memory=[])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= estimate <= 1.3 * peak


# -- the interior is computed once ---------------------------------------------------------------


def test_worlds_share_the_interior_pieces_and_compile_the_same_model() -> None:
    scene = make_scene([sphere_prop("mug")])
    station = station_for(scene, None)
    first = piece_cache.interior_pieces(station, 0.25)
    assert piece_cache.interior_pieces(station_for(scene, None), 0.25) is first
    fresh = boundary_tiles(station.boundary, thickness=0.25)
    assert len(fresh) == len(first.tiles)
    assert all(np.array_equal(a, b) for a, b in zip(fresh, first.tiles, strict=True))
    one, two = prepare_world(scene).model, prepare_world(scene).model
    assert np.array_equal(one.mesh_vert, two.mesh_vert)


# -- a camera turned by a huge quaternion --------------------------------------------------------


def test_a_camera_turned_by_a_huge_quaternion_has_a_real_orientation() -> None:
    data = make_scene([sphere_prop("mug")], duration=0.5).model_dump(mode="json")
    data["cameras"] = [
        {
            "id": "cam",
            "rig": {"type": "fixed", "position": [0, 0, 0], "orientation": [1e200, 0, 0, 0]},
        }
    ]
    scene = Scene.model_validate(data)
    result = simulate(scene)
    track = evaluate_camera(scene.cameras[0], scene, result.station, result.trajectory)
    assert np.allclose(track.orientations, [1.0, 0.0, 0.0, 0.0])


def test_props_pasted_in_one_place_are_reported_per_body_at_once() -> None:
    handle = {"type": "mesh", "file": "../assets/props/t-handle.obj"}
    props = [{"id": f"t{i}", "shape": handle, "mass": 0.3} for i in range(60)]
    props += [{**sphere_prop(f"s{i}"), "id": f"s{i}"} for i in range(440)]
    problems = _setup_problems(make_scene(props), SCENES)
    assert len(problems) == 500  # one per body, not one per pair (124,750)
    assert problems[0] == (
        "props[0].pose.position",
        "'t0' starts inside 't1' and 498 other bodies (their origins are 0 mm apart); move "
        "it apart",
    )


def test_a_few_overlaps_are_still_measured_exactly() -> None:
    props = [sphere_prop("a", radius=0.1), sphere_prop("b", position=(0.15, 0, 0), radius=0.1)]
    assert _setup_problems(make_scene(props)) == [
        ("props[0].pose.position", "'a' starts overlapping 'b' by 50 mm; move it apart")
    ]


def test_a_start_too_crowded_for_the_physics_memory_is_a_problem(monkeypatch) -> None:
    def overflow(*args, **kwargs):
        raise mujoco.FatalError("mj_stackAlloc: out of memory\n  nefc = 47790, ncon = 15930")

    monkeypatch.setattr(World, "build", overflow)
    assert _setup_problems(make_scene([sphere_prop("a")])) == [
        (
            "props",
            "the bodies start touching at 15,930 points, more than the physics can hold: many "
            "of them overlap where they start; move them apart",
        )
    ]
