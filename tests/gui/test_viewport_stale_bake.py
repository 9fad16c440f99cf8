"""A dragged body is drawn at its new start pose at once, while its re-bake runs.

Truth: the old bake (the trajectory the window showed before the drag), carried rigidly onto
the new start pose, and the pixels OpenGL drew where an independent projection puts them.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from see1previs.gui.viewport import navigation
from tests.gui.conftest import wait_for_bake_of
from tests.gui.test_viewport import drag


def _pixels(viewport) -> np.ndarray:
    image = viewport.render_image().convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    return data.reshape(height, image.bytesPerLine())[:, : width * 3].reshape(height, width, 3)


def _patch(image: np.ndarray, x: float, y: float, r: int = 2) -> np.ndarray:
    x, y = round(x), round(y)
    return image[y - r : y + r + 1, x - r : x + r + 1].reshape(-1, 3).astype(int)


def test_a_dragged_body_starts_from_its_new_pose_before_the_rebake(qtbot, make_window):
    window = make_window()
    session, viewport = window.session, window.viewport
    old = session.bake.trajectory
    session.set_time(0.0)
    session.select(["slate"])
    viewport.preset = None
    viewport.view.opts["fov"] = 60
    start = np.array(session.scene.body("slate").pose.position)
    viewport.view.setCameraPosition(
        pos=navigation.Vector(*start), distance=2.5, azimuth=-90.0, elevation=0.0
    )
    viewport.set_time(0.0)
    press = viewport.project(start)
    target = (press[0] + 90, press[1] - 40)
    before = _pixels(viewport).copy()

    drag(qtbot, viewport, press, target)
    window._bake_timer.stop()  # hold the re-bake: what shows now is drawn from the old bake
    moved = np.array(session.scene.body("slate").pose.position)
    assert not session.bake_is_current
    assert not np.allclose(moved, start, atol=0.05)

    # The body is drawn at its new start pose at once, not where the old bake had it.
    position, _ = viewport.drawn_pose("slate")
    assert np.allclose(position, moved, atol=1e-9)
    after = _pixels(viewport)
    x, y = viewport.project(moved)
    assert abs(x - target[0]) < 8 and abs(y - target[1]) < 8
    changed_new = np.abs(_patch(after, x, y) - _patch(before, x, y)).sum(axis=1)
    changed_old = np.abs(_patch(after, *press) - _patch(before, *press)).sum(axis=1)
    assert np.median(changed_new) > 30  # the slate arrived here ...
    assert np.median(changed_old) > 30  # ... and left its old place

    # Later in the shot it follows its old path carried onto the new start.
    t = 1.5
    viewport.set_time(t)
    expected = old.pose("slate", t)[0] + (moved - old.pose("slate", 0.0)[0])
    assert np.allclose(viewport.drawn_pose("slate")[0], expected, atol=1e-6)
    assert "out of date" in viewport.hud.text()
    # Its trail is carried along too: it now starts at the new start position.
    trail = np.asarray(viewport.drawing.selected_trails.pos)
    assert np.min(np.linalg.norm(trail - moved, axis=1)) < 1e-4

    # The new bake replaces the stale one.
    window.start_bake()
    wait_for_bake_of(qtbot, window)
    viewport.set_time(0.0)
    assert np.allclose(viewport.drawn_pose("slate")[0], moved, atol=1e-6)
    assert "out of date" not in viewport.hud.text()
