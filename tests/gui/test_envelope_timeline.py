"""The safety envelope's risky moments on the main timeline, from a real run on a real
two-worker Dask cluster: a flag per moment on its actor's track at its time, drawn in its
probability's colour; a click moves the playhead there, selects the moment in the Envelope
dock and offers the worst sample, which opens as a scene."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor

from see1previs.gui.risk_marks import FLAG_H, FLAG_TOP, risk_colour
from tests.gui.envelope_runs import RUN_TIMEOUT_MS, toss_scene


def close(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def test_risky_moments_are_flags_on_the_timeline_that_open_the_worst_sample(
    make_window, qtbot, envelope_cluster, tmp_path: Path, test_output: Path
) -> None:
    scene_file = toss_scene(tmp_path)  # most tosses miss
    window = make_window(scene_file)
    window.resize(1500, 950)
    controller = window.envelope
    controller.start(samples=4, seed=3, scheduler=envelope_cluster.address)
    qtbot.waitUntil(lambda: controller.dock.isVisible(), timeout=RUN_TIMEOUT_MS)

    # The moments come from the result file written next to the scene.
    document = json.loads((tmp_path / "toss.envelope.json").read_text(encoding="utf-8"))
    moments = document["summary"]["moments"]
    misses = [m for m in moments if m["risk"] == "catch.catch_missed"]
    assert misses, moments
    canvas = window.timeline.canvas
    marks = canvas.risk_marks
    assert marks.moments == moments

    # One flag per moment, on its actor's track, at its time.
    rows = {item: r for r, (kind, item) in enumerate(canvas.rows()) if kind == "actor"}
    tips = dict(marks.positions())
    assert sorted(tips) == list(range(len(moments)))
    for index, moment in enumerate(moments):
        tip = tips[index]
        assert canvas.time_at(tip.x()) == pytest.approx(moment["time"], abs=1e-6)
        assert tip.y() == pytest.approx(canvas.row_top(rows[moment["actor"]]))
        assert "% of samples" in marks.tooltip(index)

    # Drawn: the triangle's inside has the colour of the moment's probability.
    miss = moments.index(misses[0])
    image = canvas.grab().toImage()
    dpr = image.devicePixelRatio()
    inside = tips[miss] + QPointF(-3, FLAG_TOP + FLAG_H - 3)  # beside the '!'
    pixel = image.pixelColor(int(inside.x() * dpr), int(inside.y() * dpr))
    likeliest = max(
        (
            i
            for i, tip in tips.items()
            if abs(tip.x() - tips[miss].x()) < 6 and tip.y() == tips[miss].y()
        ),
        key=lambda i: moments[i]["probability"],
    )
    assert close(pixel, risk_colour(moments[likeliest]["probability"])), pixel.name()

    # A click: playhead there, the moment chosen in the dock, the worst sample offered.
    window.session.set_time(0.0)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=inside.toPoint())
    picked = marks.selected
    assert picked == likeliest
    assert window.session.time == pytest.approx(moments[picked]["time"])
    assert controller.panel.list.currentRow() == picked
    qtbot.waitUntil(lambda: marks.menu is not None and marks.menu.isVisible())
    window.grab().save(str(test_output / "envelope-timeline-window.png"))
    offer = next(a for a in marks.menu.actions() if a.objectName() == "open-worst-sample")
    worst = moments[picked]["worst_sample"]
    assert str(worst) in offer.text()
    marks.menu.close()
    offer.trigger()
    assert window.session.path == tmp_path / f"toss-sample-{worst}.see1.json"
    assert f"envelope sample {worst}" in window.session.scene.title
    assert marks.moments == moments  # a sample of the result keeps its risky moments

    # Another scene is not the result's: its timeline has no risky moments.
    other = toss_scene(tmp_path, name="other", spread_deg=0.0)
    assert window.open_file(other, confirm=False)
    assert marks.moments == [] and marks.positions() == []
