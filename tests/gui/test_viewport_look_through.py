"""Looking through a scene camera in the main viewport, in a real window.

Truth: the camera track evaluated here from the bake (cinema), the lens's horizontal angle of
view from sensor width and focal length (2·atan(w / 2f)), and the camera's pose turned into a
view matrix with the quaternion maths written out below.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPoint, Qt

from see1previs.cinema.tracks import evaluate_camera
from see1previs.gui.viewport import navigation


def _rotation(q) -> np.ndarray:
    w, x, y, z = q / np.linalg.norm(q)
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )


def _camera_view(position, orientation) -> np.ndarray:
    """World → camera: the camera looks along its local −Z with +Y up, as OpenGL's eye."""
    r = _rotation(np.asarray(orientation, float))
    view = np.eye(4)
    view[:3, :3] = r.T
    view[:3, 3] = -r.T @ np.asarray(position, float)
    return view


def _expect_camera(viewport, track, k) -> None:
    view, projection = viewport.view_matrices()
    assert np.allclose(view, _camera_view(track.positions[k], track.orientations[k]), atol=1e-6)
    # The sensor's whole gate is in the picture and touches its edges on one axis: the
    # half-angles of view are atan(sensor / 2f) (a lens focused at infinity).
    optics, focal = track.optics, track.focal_mm[k]
    gate_x = 2.0 * focal / optics.sensor_width_mm  # 1 / tan(horizontal half-angle)
    gate_y = 2.0 * focal / optics.sensor_height_mm
    assert projection[0, 0] <= gate_x * (1 + 1e-9) and projection[1, 1] <= gate_y * (1 + 1e-9)
    assert math.isclose(projection[0, 0], gate_x, rel_tol=1e-6) or math.isclose(
        projection[1, 1], gate_y, rel_tol=1e-6
    )
    w, h = viewport.view.width(), viewport.view.height()
    assert math.isclose(projection[1, 1], projection[0, 0] * w / h, rel_tol=1e-6)


def test_look_through_camera_follows_the_playhead_and_esc_or_orbit_leave(qtbot, make_window):
    window = make_window()
    session, viewport = window.session, window.viewport
    camera = session.scene.cameras[-1]
    track = evaluate_camera(camera, session.scene, session.bake.station, session.bake.trajectory)
    session.select([camera.id])
    k = len(track.times) // 3
    session.set_time(float(track.times[k]))

    assert window.look_through_action in viewport.context_menu().actions()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    viewport.view.setFocus()
    qtbot.keyClick(viewport.view, Qt.Key.Key_0, Qt.KeyboardModifier.KeypadModifier)
    assert viewport.looking_through == camera.id
    _expect_camera(viewport, track, k)
    assert not viewport.drawing.camera(camera.id).body.visible()  # not its own body in view
    viewport.render_image()  # draws without errors from the camera's eye

    k2 = 2 * len(track.times) // 3
    session.set_time(float(track.times[k2]))
    _expect_camera(viewport, track, k2)

    qtbot.keyClick(viewport.view, Qt.Key.Key_Escape)
    assert viewport.looking_through is None
    assert np.allclose(viewport.view_matrices()[0], navigation.view_matrix(viewport.view))
    assert viewport.drawing.camera(camera.id).body.visible()

    window.look_through_action.trigger()
    assert viewport.looking_through == camera.id
    # Orbiting from empty space (a corner of the view) returns to the free view.
    start = QPoint(8, 8)
    qtbot.mousePress(viewport.view, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, 5):
        qtbot.mouseMove(viewport.view, QPoint(8 + 10 * i, 8))
    qtbot.mouseRelease(viewport.view, Qt.MouseButton.LeftButton, pos=QPoint(48, 8))
    assert viewport.looking_through is None
