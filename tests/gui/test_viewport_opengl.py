"""The viewport draws in a fresh process started the way the app starts (a separate process,
because the OpenGL settings only take effect before the QApplication exists)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO, SCENES

SCRIPT = r"""
import json, sys
import see1previs.gui  # the app imports the GUI package before it makes the QApplication
from PySide6.QtWidgets import QApplication
from PySide6.QtGui import QImage
import numpy as np
from see1previs.core.scenefile import load_scene
from see1previs.gui.viewport import SceneViewport, opengl_setup, shading

app = QApplication([])
scene = load_scene(sys.argv[1])
counts = []
for _ in range(2):  # a second viewport (a dock re-opened) must draw too
    widget = SceneViewport()
    widget.resize(320, 200)
    widget.show()
    widget.show_scene(scene)
    widget.set_view("hatch")
    image = widget.render_image().convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes()).copy()
    rows = data.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3]
    pixels = rows.reshape(image.height(), image.width(), 3).astype(int)
    counts.append(int(np.sum(np.any(np.abs(pixels - shading.BACKGROUND) > 3, axis=-1))))
    widget.close()
    widget.deleteLater()
    app.processEvents()
print(json.dumps({"drawn": counts, "pixels": 320 * 200,
                  "late": opengl_setup.late_setup_warning()}))
"""


def test_viewports_draw_in_a_process_started_like_the_app(tmp_path):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "app"), str(REPO)])
    env["SEE1_CACHE_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(SCENES / "first-light.see1.json")],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["late"] is None
    # From the hatch, inside the cabin, wall fills every pixel of both viewports.
    assert report["drawn"] == [report["pixels"]] * 2
