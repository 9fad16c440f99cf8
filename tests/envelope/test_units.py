"""The envelope's parts without a cluster: seeds, variations, statistics, worker reuse."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from see1previs.core.scene import Scene
from see1previs.envelope import samples as sample_module
from see1previs.envelope.samples import ScenePackage, run_sample
from see1previs.envelope.seeds import sample_generator
from see1previs.envelope.statistics import scatter_ellipsoid, wilson_interval
from see1previs.envelope.variation import apply, draw
from tests.envelope.scenes import push_across, quiet_envelope


def test_a_sample_seed_is_the_spawned_child_of_the_run_seed() -> None:
    children = np.random.SeedSequence(42).spawn(5)
    for index, child in enumerate(children):
        expected = np.random.Generator(np.random.PCG64(child)).random(3)
        assert np.array_equal(sample_generator(42, index).random(3), expected)


def test_a_variation_depends_on_seed_and_index_only() -> None:
    scene = push_across(envelope={})
    later = draw(scene, {}, 7, 3).to_json()
    for index in (5, 0, 1):
        draw(scene, {}, 7, index)
    assert draw(scene, {}, 7, 3).to_json() == later
    assert draw(scene, {}, 8, 3).to_json() != later


def test_with_every_spread_off_the_variation_is_the_scene() -> None:
    scene = push_across(envelope=quiet_envelope())
    scene.envelope.cast  # noqa: B018  (the default cast range is still drawn: pin it)
    data = scene.model_dump(mode="json")
    data["envelope"]["cast"] = {"ren": {"height": [1.82, 1.82], "mass": [80.0, 80.0]}}
    scene = Scene.model_validate(data)
    varied = apply(scene, draw(scene, {}, 1, 0))
    assert varied.model_dump() == scene.model_dump()


def test_the_aim_error_is_a_normal_offset_across_the_aim() -> None:
    scene = push_across(envelope=quiet_envelope(push_off={"direction": 5.0}))
    aim = np.array(scene.cues[1].direction)
    errors = []
    for index in range(400):
        v = draw(scene, {"push": aim.tolist()}, 3, index)
        direction = np.array(v.vectors["push.direction"])
        assert np.linalg.norm(direction) == pytest.approx(1.0)
        angle = math.degrees(math.acos(min(1.0, float(direction @ aim))))
        assert angle == pytest.approx(v.parameters["push.aim_error_deg"], abs=1e-6)
        errors.append(math.tan(math.radians(angle)))
    # |offset| of a 2D normal with per-axis σ is Rayleigh: mean σ·√(π/2).
    sigma = math.tan(math.radians(5.0))
    assert np.mean(errors) == pytest.approx(sigma * math.sqrt(math.pi / 2), rel=0.08)


def test_cue_order_of_an_actor_survives_large_timing_noise() -> None:
    scene = push_across(envelope=quiet_envelope(timing=1.5))
    for index in range(50):
        varied = apply(scene, draw(scene, {}, 9, index))
        hold, push = varied.cues
        assert 0.0 <= hold.time < push.time <= scene.duration


def test_wilson_interval_known_values() -> None:
    assert wilson_interval(0, 100)[1] == pytest.approx(0.036994, abs=1e-5)
    low, high = wilson_interval(5, 10)
    assert (low, high) == pytest.approx((0.236593, 0.763407), abs=1e-5)
    assert wilson_interval(10, 10)[1] == 1.0


def test_scatter_ellipsoid_holds_ninety_percent_of_normal_points() -> None:
    rng = np.random.default_rng(0)
    points = rng.multivariate_normal([1, 2, 3], np.diag([0.04, 0.01, 0.0025]), size=4000)
    e = scatter_ellipsoid(points.tolist())
    axes = np.array(e["axes"]).T
    local = (points - e["mean"]) @ axes / np.array(e["semi_axes"])
    inside = np.mean(np.sum(local**2, axis=1) <= 1.0)
    assert inside == pytest.approx(0.9, abs=0.02)


def test_a_reused_world_bakes_the_bytes_of_a_fresh_one() -> None:
    scene = push_across(duration=1.5, envelope={}, air=True)
    package = ScenePackage.of(scene, None, {})
    sample_module._WORLDS.clear()
    fresh = [json.dumps(run_sample(package, 4, i), sort_keys=True) for i in (0, 1)]
    # Same cast for every sample: one world, reused by both.
    data = scene.model_dump(mode="json")
    data["envelope"]["cast"] = {"ren": {"height": [1.82, 1.82], "mass": [80.0, 80.0]}}
    fixed = Scene.model_validate(data)
    package = ScenePackage.of(fixed, None, {})
    sample_module._WORLDS.clear()
    first = json.dumps(run_sample(package, 4, 1), sort_keys=True)
    run_sample(package, 4, 0)
    assert len(sample_module._WORLDS) == 1
    sample_module._WORLDS.clear()
    alone = json.dumps(run_sample(package, 4, 1), sort_keys=True)
    assert first == alone
    assert fresh[0] != fresh[1]
