"""The viewport's own view matrices equal pyqtgraph's, and None survives a long playback.

PySide6 6.12.0 loses a reference to None on every void Qt call; on Python 3.11 that ends in
"deallocating None" after minutes of playback. The viewport avoids those calls where it can
(its view matrices are built in NumPy, posing asks for one repaint, not one per item) and
tops None up where it cannot (see ``none_guard``).
"""

from __future__ import annotations

import sys

import numpy as np
import pyqtgraph.opengl as gl
import pytest

from see1previs.gui.viewport import navigation, none_guard
from tests.gui.test_viewport import SIZE, baked, viewport  # noqa: F401  (fixtures)


@pytest.mark.parametrize(
    ("distance", "azimuth", "elevation", "fov"),
    [
        (12.0, -55.0, 28.0, 50.0),
        (2.55, 0.0, 6.0, 80.0),
        (11.0, -90.0, 90.0, 50.0),
        (1.0, 123.0, -40.0, 60.0),
    ],
)
def test_view_and_projection_matrices_are_pyqtgraphs(
    viewport,  # noqa: F811
    distance,
    azimuth,
    elevation,
    fov,
):
    view = viewport.view
    view.opts["fov"] = fov
    view.setCameraPosition(
        pos=navigation.Vector(0.3, -0.2, 0.5),
        distance=distance,
        azimuth=azimuth,
        elevation=elevation,
    )
    ours = navigation.view_matrix(view)
    theirs = navigation.matrix(gl.GLViewWidget.viewMatrix(view))
    assert ours == pytest.approx(theirs, abs=1e-5)
    # The eye pyqtgraph reports is the origin of our eye space.
    assert np.linalg.inv(ours)[:3, 3] == pytest.approx(navigation.eye_position(view), abs=1e-4)
    region = (0, 0, *SIZE)
    ours = navigation.projection_matrix(view, region, region)
    theirs = navigation.matrix(gl.GLViewWidget.projectionMatrix(view, region, region))
    assert ours == pytest.approx(theirs, rel=1e-5, abs=1e-6)


def test_playback_does_not_run_none_out(viewport):  # noqa: F811
    viewport.set_selection(["mika"])
    start = sys.getrefcount(None)
    for frame in range(200):
        viewport.set_time(frame / 24.0)
        viewport.view.repaint()
    lost_per_frame = (start - sys.getrefcount(None)) / 200
    assert lost_per_frame < 8  # with ~60 items posed each frame: not one loss per item
    assert sys.getrefcount(None) > none_guard._FLOOR or not none_guard.pyside_loses_none()


def test_the_guard_tops_none_up_when_it_runs_low(monkeypatch):
    if not none_guard.pyside_loses_none():
        pytest.skip("this PySide6 keeps its references to None: nothing to guard")
    monkeypatch.setattr(none_guard, "_FLOOR", sys.getrefcount(None) + 10)
    before = sys.getrefcount(None)
    none_guard.keep_none_alive()
    assert sys.getrefcount(None) >= before + none_guard._BLOCK
    none_guard._ballast.pop()
