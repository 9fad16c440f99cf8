"""An edit in the session re-bakes only from the earliest time it affects."""

from __future__ import annotations

from see1previs.core.commands import move_cue
from see1previs.physics.simulation import simulate
from see1previs.session.session import Session
from tests.conftest import SCENES


def test_moving_a_late_cue_rebakes_from_just_before_it():
    session = Session(cache=None)
    session.open(SCENES / "zero-g-breakfast.see1.json")
    assert session.bake_now() is not None
    session.edit("Move cue", move_cue(session.scene, "mika-arms", 6.5))
    result = session.bake_now()
    assert result is not None and result.resumed_from is not None
    assert 4.0 < result.resumed_from < 5.5  # the cue was at 5.5 s
    full = simulate(session.scene, session.scene_dir)
    assert result.trajectory.content_hash() == full.trajectory.content_hash()
    # Undo goes back to exactly the first bake's motion, whichever way it is baked.
    session.undo()
    again = session.bake_now()
    assert (
        again.trajectory.content_hash()
        == simulate(session.scene, session.scene_dir).trajectory.content_hash()
    )
