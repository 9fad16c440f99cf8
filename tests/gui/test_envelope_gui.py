"""Scene ▸ Envelope… in a real window on a real two-worker Dask cluster: the run in the
background with progress, the tubes in the viewport, the risky moments clickable, the worst
sample opened as a scene, and the files written next to the scene."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.gui.envelope_runs import RUN_TIMEOUT_MS, toss_scene


def test_envelope_run_shows_tubes_and_opens_the_worst_sample(
    make_window, qtbot, envelope_cluster, tmp_path: Path, test_output: Path
) -> None:
    scene_file = toss_scene(tmp_path)  # most tosses miss
    window = make_window(scene_file)
    controller = window.envelope
    assert controller.action in window.menuBar().actions()[2].menu().actions()  # Scene menu
    seen = []
    controller.worker.progress.connect(lambda token, fraction: seen.append(fraction))
    controller.start(samples=4, seed=3, scheduler=envelope_cluster.address)
    qtbot.waitUntil(lambda: controller.dock.isVisible(), timeout=RUN_TIMEOUT_MS)
    assert seen and seen[-1] == pytest.approx(1.0)

    result = tmp_path / "toss.envelope.json"
    assert json.loads(result.read_text(encoding="utf-8"))["samples_done"] == 4
    assert (tmp_path / "toss.safety.pdf").stat().st_size > 0
    assert len(controller.overlay.items) == 4  # a tube and its mean path per actor
    panel = controller.panel
    misses = [m for m in panel.moments if m["risk"] == "catch.catch_missed"]
    assert misses, panel.moments
    index = panel.moments.index(misses[0])
    panel.strip.resize(600, 60)
    rect = panel.strip.marker_rect(index)
    qtbot.mouseClick(panel.strip, qtbot_button(), pos=rect.center().toPoint())
    assert window.session.time == pytest.approx(misses[0]["time"], abs=1 / 24)
    window.grab().save(str(test_output / "envelope-window.png"))
    panel.open_button.click()
    worst = misses[0]["worst_sample"]
    assert window.session.path == tmp_path / f"toss-sample-{worst}.see1.json"
    assert f"envelope sample {worst}" in window.session.scene.title


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
