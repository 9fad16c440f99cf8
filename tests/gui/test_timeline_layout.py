"""The timeline at real screen sizes: every track reachable, labels that never collide.

Truth: the scene's own list of bodies (one track each), the pixels the canvas paints for a
track's header, and plain rectangle geometry of the labels and cue diamonds as drawn.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent

from see1previs.core import commands as cmd
from see1previs.gui import timeline as tl
from tests.conftest import SCENES

HEADER_RGB = QColor("#252931").getRgb()[:3]


def _settle(qtbot, window, size) -> None:
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().width() == size[0], timeout=5_000)
    qtbot.wait(50)  # the dock fits itself once the resize is through


def _header_pixel(canvas, y: float) -> tuple[int, int, int]:
    image = canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    ratio = image.devicePixelRatio()
    colour = image.pixelColor(int(tl.HEADER_W * 0.9 * ratio), int(y * ratio))
    return colour.red(), colour.green(), colour.blue()


def test_every_track_is_reachable_by_scrolling_and_the_dock_grows(qtbot, make_window):
    window = make_window(SCENES / "stress-100.see1.json", wait_for_bake=False)
    window.cancel_bake()
    _settle(qtbot, window, (1600, 1000))
    timeline, canvas = window.timeline, window.timeline.canvas
    bodies = [b.id for b in window.session.scene.bodies()]
    rows = canvas.rows()
    assert [item for kind, item in rows if kind != "shots"] == bodies  # one track per body
    assert canvas.tracks_height() > canvas.visible_height()  # they do not all fit ...
    assert timeline.scrollbar.isVisible()  # ... so the scroll bar shows
    top_of_tracks = tl.RULER_H + tl.STRIP_H
    for row in range(len(rows)):
        timeline.scrollbar.setValue(
            min(row * tl.ROW_H, timeline.scrollbar.maximum())
        )  # as a user drags the bar
        top = canvas.row_top(row)
        assert top >= top_of_tracks - 1e-6 and top + tl.ROW_H <= canvas.height() + 1e-6, row
    # The last track is painted at the bottom when scrolled to the end (pixel of its header).
    timeline.scrollbar.setValue(timeline.scrollbar.maximum())
    last = canvas.row_top(len(rows) - 1)
    assert _header_pixel(canvas, last + tl.ROW_H / 2) == HEADER_RGB
    # The wheel scrolls too, and the scroll bar follows.
    timeline.scrollbar.setValue(0)
    qtbot.wait(10)
    centre = QPointF(canvas.width() / 2, canvas.height() / 2)
    wheel = QWheelEvent(
        centre,
        canvas.mapToGlobal(centre),
        QPoint(),
        QPoint(0, -240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    canvas.wheelEvent(wheel)
    assert canvas.scroll == 60 and timeline.scrollbar.value() == 60
    # Selecting a body far down the list brings its track into view.
    window.session.select([bodies[-1]])
    top = canvas.row_top(len(rows) - 1)
    assert top_of_tracks <= top and top + tl.ROW_H <= canvas.height()

    # On a bigger screen the dock grows to show more tracks.
    small = window.timeline_dock.height()
    _settle(qtbot, window, (2560, 1440))
    qtbot.waitUntil(lambda: window.timeline_dock.height() > small + 100, timeout=5_000)
    assert canvas.visible_height() >= 1440 // 3 - 120


def _diamond(centre: QPointF) -> QRectF:
    r = tl.CUE_R
    return QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)


def test_cue_labels_never_overlap_each_other_or_the_diamonds(qtbot, make_window):
    window = make_window(SCENES / "zero-g-breakfast.see1.json", wait_for_bake=False)
    window.cancel_bake()
    canvas = window.timeline.canvas
    scene = window.session.scene
    # A second cue at the very moment of the first: the two used to print over each other.
    index, first = max(enumerate(scene.cues), key=lambda item: item[1].time)
    data = cmd.scene_data(scene)
    twin = dict(data["cues"][index], id="twin-of-" + first.id)
    data["cues"].append(twin)
    assert window.session.edit("Twin cue", cmd.scene_from(data)) is not None
    window.cancel_bake()
    for size in ((1600, 1000), (1100, 800)):
        _settle(qtbot, window, size)
        labels = canvas.cue_label_rects()
        diamonds = [_diamond(c) for _, c in canvas.cue_positions()]
        assert labels
        for (_, a, _), (_, b, _) in itertools.combinations(labels, 2):
            assert not a.intersects(b), (a, b)
        for _, rect, _ in labels:
            assert not any(rect.intersects(d) for d in diamonds)
            assert rect.right() <= canvas.width()
        texts = [text for text, _, _ in labels]
        assert any(first.id in t and twin["id"] in t for t in texts)  # one shared label
        # Every label is whole or elided with an ellipsis, never cut mid-letter.
        for text, _, shown in labels:
            assert shown == text or shown.endswith("…")
