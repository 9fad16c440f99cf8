"""A re-bake streams: the viewport draws the new motion as it is baked, not after the bake.

Truth: the frames the bake hands over (each equal to the finished bake's first frames, see
tests/physics/test_resume.py) posed at the playhead, and the finished bake at the end.
"""

from __future__ import annotations

import numpy as np

from tests.conftest import SCENES
from tests.gui.conftest import wait_for_bake_of


def test_an_edit_shows_its_new_motion_frame_batch_by_batch(qtbot, make_window):
    window = make_window(SCENES / "zero-g-breakfast.see1.json")
    session, viewport = window.session, window.viewport
    # A bake from the cache keeps no checkpoints: bake once more so the edit resumes.
    session.cache = None
    window.start_bake()
    wait_for_bake_of(qtbot, window)
    assert session.bake.memory is not None
    session.set_time(7.5)  # past the edited cue: the new motion reaches it batch by batch
    old = session.bake.trajectory
    link = "mika/right_hand"
    assert link in old.links

    seen = []

    def check(frames) -> None:  # runs after the window's own listener has drawn the frames
        t = min(session.time, frames.duration)
        drawn = viewport.drawn_pose(link)[0]
        seen.append((frames.frame_count, np.abs(drawn - frames.link_pose(link, t)[0]).max(), t))
        seen[-1] += (viewport.hud.text(),)

    listener = session.bake_streamed.connect(check)
    cues = [
        c.model_copy(update={"time": 5.8}) if c.id == "mika-arms" else c for c in session.scene.cues
    ]
    session.edit("Move Mika's arms cue", session.scene.model_copy(update={"cues": cues}))
    wait_for_bake_of(qtbot, window)
    session.bake_streamed.disconnect(listener)

    final = session.bake.trajectory
    assert session.bake.resumed_from is not None and session.bake.resumed_from > 5.0
    assert len(seen) >= 2, "the re-bake handed over its frames once at most"
    counts = [count for count, *_ in seen]
    assert counts == sorted(counts) and counts[0] < final.frame_count
    for count, error, _, hud in seen:
        assert error < 1e-9, f"with {count} frames baked the viewport drew another pose"
        assert "Re-baking — new motion up to" in hud
    # While the first batch was shown the hand waited at the last baked frame, short of the
    # playhead; the finished bake then moves it on, and the old motion is gone.
    assert seen[0][2] < 7.5
    viewport.set_time(session.time)
    assert np.allclose(viewport.drawn_pose(link)[0], final.link_pose(link, 7.5)[0], atol=1e-9)
    assert not np.allclose(final.link_pose(link, 7.5)[0], old.link_pose(link, 7.5)[0], atol=1e-3)
    assert "Re-baking" not in viewport.hud.text()
    assert session.streamed is None
