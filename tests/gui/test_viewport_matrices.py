"""The viewport's own view matrices equal pyqtgraph's; posing asks for one repaint only."""

from __future__ import annotations

import numpy as np
import pyqtgraph.opengl as gl
import pytest

from see1previs.gui.viewport import navigation
from tests.gui.test_viewport import (  # noqa: F401  (fixtures)
    SIZE,
    baked,
    no_drawing_errors,
    viewport,
)


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


def test_posing_every_item_asks_for_one_repaint(viewport, monkeypatch):  # noqa: F811
    requests = []
    # Count what reaches pyqtgraph's widget: item updates pass through the viewport first.
    base = type(viewport.view).__mro__[1]
    monkeypatch.setattr(base, "update", lambda self, *args: requests.append(args))
    viewport.set_selection(["mika"])
    requests.clear()
    viewport.set_time(3.0)
    assert len(requests) == 1
