"""Screenshots of the main window, camera monitor and timeline for people to look at.

Saved under ``test-output/``. Checked, not just written: each must be far from blank, and
the camera monitor must show the SEE-1 interior (its light grey wall fills much of a view
from a wall-mounted camera).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from see1previs.render.camera_view import WALL_RGBA
from tests.gui.conftest import wait_for_monitor


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * height)
    return data.reshape(height, image.bytesPerLine())[:, : width * 3].reshape(height, width, 3)


def test_main_window_monitor_and_timeline_screenshots(qtbot, make_window, test_output):
    window = make_window()
    window.resize(1480, 920)
    window.session.select(["mika"])
    window.session.set_time(6.5)
    window.monitor.show_camera("A")
    wait_for_monitor(qtbot, window)
    qtbot.wait(300)
    shots = {
        "main-window": window.grab().toImage(),
        "camera-monitor": window.monitor.grab().toImage(),
        "timeline": window.timeline_dock.grab().toImage(),
        "viewport": window.viewport.render_image(),
    }
    for name, image in shots.items():
        assert image.save(str(test_output / f"gui-{name}.png"))
        rgb = pixels(image)
        assert rgb.std() > 12, f"{name} looks blank"
        assert len(np.unique(rgb.reshape(-1, 3)[::7], axis=0)) > 50, f"{name} is nearly flat"
    # The 3D view draws the cabin: many pixels differ from its background colour.
    view = pixels(shots["viewport"]).astype(int)
    background = view[2, 2]
    assert (np.abs(view - background).max(axis=2) > 30).mean() > 0.03, "the 3D view is empty"
    # The interior in the monitor: pixels near the wall's grey (lit anywhere from dim to full).
    frame = pixels(window.monitor.frame.image).astype(float)
    wall = np.array(WALL_RGBA[:3]) * 255
    brightness = frame.sum(axis=2) / wall.sum()
    greyish = np.abs(frame - brightness[..., None] * wall).max(axis=2) < 25
    lit = (brightness > 0.2) & (brightness < 1.3)
    assert (greyish & lit).mean() > 0.3, "the monitor does not show the interior wall"
    # The window is dark themed: most of its pixels are dark.
    window_rgb = pixels(shots["main-window"])
    assert np.median(window_rgb.mean(axis=2)) < 80
