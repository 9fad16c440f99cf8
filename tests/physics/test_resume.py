"""Re-baking from the earliest affected time: a resumed bake equals a full bake, bit for bit.

Determinism is the independent truth here: the same scene baked from the start must give the
same arrays as the edited scene carried on from a checkpoint of the bake before the edit.
"""

from __future__ import annotations

import json
import math

import numpy as np

from see1previs.core.scenefile import parse_scene
from see1previs.physics.simulation import simulate
from tests.conftest import SCENES


def edited(name: str, change) -> tuple:
    path = SCENES / f"{name}.see1.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    original = parse_scene(json.dumps(data))
    change(data)
    return original, parse_scene(json.dumps(data)), path.parent


def cue(data: dict, cue_id: str) -> dict:
    return next(c for c in data["cues"] if c["id"] == cue_id)


def test_moving_a_late_actor_cue_resumes_and_matches_a_full_bake():
    before, after, folder = edited(
        "zero-g-breakfast", lambda d: cue(d, "mika-arms").update(time=6.5)
    )
    first = simulate(before, folder)
    resumed = simulate(after, folder, previous=first, affected_from=5.5)
    full = simulate(after, folder)
    assert resumed.resumed_from is not None and 4.0 < resumed.resumed_from < 5.5
    assert resumed.trajectory.content_hash() == full.trajectory.content_hash()
    assert resumed.trajectory.metadata["cue_outcomes"] == full.trajectory.metadata["cue_outcomes"]
    assert resumed.trajectory.content_hash() != first.trajectory.content_hash()


def test_props_with_contacts_resume_exactly_too():
    before, after, folder = edited(
        "first-light", lambda d: d["cues"][-1].update(time=round(d["cues"][-1]["time"] + 1, 3))
    )
    first = simulate(before, folder)
    resumed = simulate(after, folder, previous=first, affected_from=before.cues[-1].time)
    full = simulate(after, folder)
    assert resumed.resumed_from is not None
    assert resumed.trajectory.content_hash() == full.trajectory.content_hash()


def test_an_edit_that_changes_the_physics_model_starts_over():
    def heavier(data):
        data["props"][0]["mass"] = 0.5

    before, after, folder = edited("zero-g-breakfast", heavier)
    first = simulate(before, folder)
    again = simulate(after, folder, previous=first, affected_from=0.0)
    assert again.resumed_from is None
    assert again.trajectory.content_hash() == simulate(after, folder).trajectory.content_hash()


def test_a_checkpoint_after_the_first_changed_cue_is_never_used():
    # The caller claims the edit affects only from 7 s, but the cue really moved from 1.6 s.
    before, after, folder = edited(
        "zero-g-breakfast", lambda d: cue(d, "ren-relax").update(time=2.0)
    )
    first = simulate(before, folder)
    resumed = simulate(after, folder, previous=first, affected_from=7.0)
    assert resumed.resumed_from is None or resumed.resumed_from < 1.6
    assert resumed.trajectory.content_hash() == simulate(after, folder).trajectory.content_hash()


def test_an_edited_cue_re_bakes_from_just_before_it():
    """Checkpoints are kept at each cue as well as every second."""
    before, after, folder = edited(
        "first-light", lambda d: d["cues"][-1].update(time=round(d["cues"][-1]["time"] + 0.5, 3))
    )
    first = simulate(before, folder)
    old_time = before.cues[-1].time
    resumed = simulate(after, folder, previous=first)
    frame = 1.0 / float(before.frame_rate.fps)
    print(f"cue at {old_time:.3f} s moved: re-bake resumed from {resumed.resumed_from:.3f} s")
    assert resumed.resumed_from is not None
    assert old_time - 2 * frame < resumed.resumed_from < old_time
    assert resumed.trajectory.content_hash() == simulate(after, folder).trajectory.content_hash()


def test_a_streamed_rebake_hands_over_exactly_the_frames_it_keeps():
    before, after, folder = edited(
        "zero-g-breakfast", lambda d: cue(d, "mika-arms").update(time=6.5)
    )
    first = simulate(before, folder)
    batches = []
    resumed = simulate(after, folder, previous=first, affected_from=5.5, on_frames=batches.append)
    final = resumed.trajectory
    counts = [b.frame_count for b in batches]
    assert len(batches) >= 2 and counts == sorted(counts) and counts[-1] == final.frame_count
    # The first hand-over comes with the first new frame (the first frame after the resume
    # point) and the frames before it, which are the earlier bake's.
    resume_frame = math.ceil(resumed.resumed_from * float(final.frame_rate) - 1e-9)
    assert counts[0] == resume_frame + 1
    assert np.array_equal(
        batches[0].positions[:resume_frame], first.trajectory.positions[:resume_frame]
    )
    for batch in batches:  # what was shown is what the bake kept
        n = batch.frame_count
        assert np.array_equal(batch.times, final.times[:n])
        assert np.array_equal(batch.positions, final.positions[:n])
        assert np.array_equal(batch.orientations, final.orientations[:n])
        assert np.array_equal(batch.link_positions, final.link_positions[:n])
        assert np.array_equal(batch.link_orientations, final.link_orientations[:n])
        assert batch.links == final.links and batch.body_ids == final.body_ids
    # A streamed bake equals one that was not streamed.
    assert final.content_hash() == simulate(after, folder).trajectory.content_hash()


def test_a_streamed_bake_of_props_only_matches_too():
    _, scene, folder = edited("first-light", lambda d: None)
    batches = []
    result = simulate(scene, folder, on_frames=batches.append)
    final = result.trajectory
    assert batches and batches[0].frame_count == 1
    last = batches[-1]
    assert last.frame_count == final.frame_count
    assert np.array_equal(last.positions, final.positions)
    assert np.array_equal(last.angular_velocities, final.angular_velocities)
    assert last.link_positions is None and final.link_positions is None
