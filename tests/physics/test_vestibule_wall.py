"""The hatch tunnel as exact geometry: depth, bounces and energy in the vestibule.

Truth: the vestibule is a square tunnel (side 1.27 m) from the sphere to the hatch door, so
the cabin is the union of a ball and a box. A point's depth into the wall is its distance to
that union, computed here independently (sampled surface points of the body against the
sphere and the box written out by hand); a ball bounces off the door and the tunnel's side
walls with its restitution; no bounce anywhere in the vestibule, spinning or not, adds energy
(rigid-body impact theory, see test_bounce_energy.py).
"""

from __future__ import annotations

import mujoco
import numpy as np
import pytest

from see1previs.physics import analytic_wall, contact_forces
from see1previs.physics.bake import bake
from see1previs.physics.simulation import prepare_world
from see1previs.station.loader import load_station
from tests.physics.scenes import make_scene, sphere_prop
from tests.physics.test_bounce_energy import SHAPES, kinetic_energy, set_restitution
from tests.physics.test_contact_forces import SURFACE_CASES, posed_surface, wall_probe

STATION = load_station("see1")
HALF = 1.27 / 2  # the hatch's half width
DOOR = STATION.boundary.vertices[:, 0].max()  # the door plane, x


def union_depth(points: np.ndarray) -> np.ndarray:
    """Distance of each point into the wall (negative inside the cabin), by hand."""
    radius = np.median(np.linalg.norm(STATION.boundary.vertices, axis=1))
    sphere = np.linalg.norm(points, axis=1) - radius
    lo, hi = np.array([0.0, -HALF, -HALF]), np.array([DOOR, HALF, HALF])
    outside = np.linalg.norm(np.maximum(np.maximum(lo - points, points - hi), 0.0), axis=1)
    inside = np.max(np.maximum(lo - points, points - hi), axis=1)
    box = np.where(outside > 0.0, outside, inside)
    return np.minimum(sphere, box)


def test_the_door_is_where_the_station_model_puts_it():
    wall = analytic_wall.sphere_wall(STATION)
    (opening,) = wall.openings
    assert opening.door == pytest.approx(DOOR, abs=1e-9)
    assert opening.half_width == pytest.approx(HALF, abs=1e-6)
    assert abs(DOOR - 4.0) < 0.05  # 1 m of tunnel behind the 6 m sphere


@pytest.mark.parametrize(("kind", "shape", "mujoco_size"), SURFACE_CASES)
def test_depth_in_the_tunnel_is_the_deepest_surface_point(kind, shape, mujoco_size):
    world, radius, openings, samples, rng = wall_probe(kind, shape, mujoco_size, seed=7)
    model, data = world.model, world.data
    handle = world.by_id["p"]
    compared = 0
    for _ in range(40):
        # Deep in the tunnel, near its walls and the door (away from the rim's ridge).
        centre = np.array(
            [rng.uniform(3.35, DOOR + 0.05), rng.uniform(-0.75, 0.75), rng.uniform(-0.75, 0.75)]
        )
        geom, surface = posed_surface(world, samples, centre, rng.normal(size=4))
        sampled = float(np.max(union_depth(surface)))
        _, point, depth, normal = analytic_wall.deepest_point(
            model, data, handle.body_id, radius, openings, contact_forces.MARKER
        )
        assert depth >= sampled - 1e-12
        assert depth == pytest.approx(sampled, abs=2e-3)  # the sampling's resolution
        if depth > 0.0:  # pushed off the wall along the unit gradient at the deepest point
            assert np.linalg.norm(normal) == pytest.approx(1.0, abs=1e-12)
            assert union_depth(point[None])[0] == pytest.approx(depth, abs=1e-9)
            step = union_depth((point + 1e-6 * normal)[None])[0] - depth
            assert step == pytest.approx(1e-6, rel=1e-3)
            compared += 1
        gap = analytic_wall.wall_gap(model, data, [geom], contact_forces.MARKER)
        assert gap == pytest.approx(-depth, abs=1e-12)
    assert compared >= 5, "the poses must reach into the tunnel's walls"


@pytest.mark.parametrize(
    ("start", "velocity", "axis"),
    [
        ((3.2, 0.0, 0.35), (1.0, 0.0, 0.0), 0),  # straight into the door, beside its handle
        ((3.5, 0.0, 0.2), (0.0, 1.0, 0.0), 1),  # across the tunnel into its +Y side
        ((3.5, 0.2, 0.0), (0.0, 0.0, -1.0), 2),  # into its floor (-Z)
    ],
)
def test_a_ball_bounces_off_the_door_and_the_tunnel_walls_with_its_restitution(
    start, velocity, axis
):
    e = 0.8
    ball = sphere_prop("ball", start, velocity, radius=0.06)
    ball["material"] = {"restitution": e, "friction": 0.0}
    scene = make_scene([ball], duration=1.2, frame_rate=200)
    scene = scene.model_copy(
        update={"environment": scene.environment.model_copy(update={"air_drag": False})}
    )
    world = prepare_world(scene)
    world.model.numeric(analytic_wall.NUMERIC_NAME).data[1] = 0.0  # frictionless wall
    trajectory = bake(scene, world=world)
    (episode,) = trajectory.contacts
    assert "station" in (episode["body_a"], episode["body_b"])  # the wall, not a fixture
    # The report's approach speed is along the wall's own normal there: all of the 1 m/s.
    assert episode["approach_speed"] == pytest.approx(1.0, rel=0.02)
    after = int(np.searchsorted(trajectory.times, episode["end"] + 0.02))
    rebound = trajectory.linear_velocities[after, 0]
    print(f"vestibule: rebound {rebound} from {velocity}")
    assert rebound[axis] == pytest.approx(-e * velocity[axis], rel=0.05)
    others = [k for k in range(3) if k != axis]
    assert np.abs(rebound[others]).max() < 1e-6


def _wall_target(rng) -> np.ndarray:
    """A point on the door, a tunnel wall or the rim where the tunnel meets the sphere."""
    where = rng.integers(3)
    lateral = rng.uniform(-0.5, 0.5, size=2)
    if where == 0:  # the door, away from the handle at its centre
        return np.array([DOOR, lateral[0], 0.3 * np.sign(lateral[1]) + 0.3 * lateral[1]])
    side = np.array([0.0, 0.0])
    side[rng.integers(2)] = HALF * rng.choice([-1.0, 1.0])
    side[side == 0.0] = lateral[0]
    if where == 1:  # a tunnel wall
        return np.array([rng.uniform(3.1, DOOR - 0.1), *side])
    return np.array([np.sqrt(9.0 - side @ side), *side])  # the rim


@pytest.mark.parametrize("shape", ["box", "plate", "capsule", "cylinder", "mesh"])
def test_no_bounce_in_the_vestibule_adds_energy(shape):
    """Spinning props thrown at the door, the tunnel walls and the rim: never a gain."""
    # (Aimed from the tunnel's middle; a body clipping a handrail on the way counts too.)
    world = prepare_world(
        make_scene(
            [{"id": "body", "shape": SHAPES[shape], "mass": 0.5, "material": {}}], duration=1.0
        )
    )
    model, data = world.model, world.data
    handle = world.by_id["body"]
    rng = np.random.default_rng(12)
    worst, ratios = (0.0, None), []
    for restitution in (0.3, 0.9, 1.0):
        set_restitution(world, restitution)
        for _ in range(5):
            target = _wall_target(rng)
            start = np.array([3.5, 0.0, 0.0])
            direction = (target - start) / np.linalg.norm(target - start)
            mujoco.mj_resetData(model, data)
            data.qpos[handle.qpos_adr : handle.qpos_adr + 3] = start
            orientation = rng.normal(size=4)
            data.qpos[handle.qpos_adr + 3 : handle.qpos_adr + 7] = orientation / np.linalg.norm(
                orientation
            )
            mujoco.mj_forward(model, data)
            spin = rng.normal(size=3)
            world.set_body_velocity("body", direction * 2.0, spin / np.linalg.norm(spin) * 20.0)
            mujoco.mj_forward(model, data)
            before = kinetic_energy(world)
            touched = False
            for _ in range(int(1.0 / model.opt.timestep)):
                mujoco.mj_step(model, data)
                if contact_forces.touch_count(model, data):
                    touched = True
                elif touched:
                    break
            assert touched, "every launch must reach the vestibule's wall"
            ratio = kinetic_energy(world) / before
            ratios.append(ratio)
            worst = max(worst, (ratio, restitution), key=lambda w: w[0])
    print(
        f"vestibule {shape}: worst energy ratio {worst[0]:.6f} at e = {worst[1]}, "
        f"lowest {min(ratios):.3f}"
    )
    assert worst[0] <= 1.0 + 1e-6
