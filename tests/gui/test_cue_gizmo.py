"""The cue arrow in the viewport and picking a field's value by clicking it there.

Driven with real mouse events on the 3D view: the arrow's tip is found where it is drawn
(projected), dragged, and the cue's stored direction and speed are checked against the
geometry of the drag; picking clicks where a handrail's marker is drawn.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from see1previs.render.cue_arrow import METRES_PER_M_S
from tests.conftest import SCENES
from tests.gui.conftest import wait_for_bake_of
from tests.gui.test_main_window import click_outliner
from tests.gui.test_viewport import drag

BREAKFAST = SCENES / "zero-g-breakfast.see1.json"


def cue(window, cue_id):
    return next(c for c in window.session.scene.cues if c.id == cue_id)


def test_dragging_the_arrow_tip_sets_direction_and_speed_and_snaps_toward_an_actor(
    qtbot, make_window
):
    window = make_window(BREAKFAST)
    viewport = window.viewport
    viewport.set_view("top")
    click_outliner(qtbot, window, "ren-push")
    arrow = viewport.cue_tools.arrow
    qtbot.waitUntil(lambda: arrow.aim is not None and arrow.line.visible())
    assert arrow.aim.toward == "mika" and arrow.aim.speed == pytest.approx(0.25)
    assert arrow.text.isVisible() and arrow.text.text() == "0.25 m/s toward Mika (host)"
    tip = arrow.tip_px()
    origin = viewport.project(arrow.origin)
    # Drag the tip sideways (across the line to Mika): no longer toward her.
    side = np.array([-(tip[1] - origin[1]), tip[0] - origin[0]])
    side = 40 * side / np.linalg.norm(side)
    drag(qtbot, viewport, tip, (tip[0] + side[0], tip[1] + side[1]))
    edited = cue(window, "ren-push")
    assert edited.toward is None and edited.direction is not None
    assert window.session.stack.history[-1].startswith("Aim ren-push")
    # Independent check: the stored direction, drawn from Ren's centre, passes under the
    # mouse where the tip was let go.
    end = np.asarray(arrow.origin) + np.asarray(edited.direction) * edited.speed * METRES_PER_M_S
    drawn = viewport.project(end)
    assert np.hypot(drawn[0] - tip[0] - side[0], drawn[1] - tip[1] - side[1]) < 6
    # Dragging it back onto the line to Mika snaps to her.
    tip = arrow.tip_px()
    mika = viewport.project(arrow.targets(edited, arrow.moment(edited.time))["mika"])
    towards = np.array(mika) - np.array(origin)
    back = np.array(origin) + towards * (
        np.linalg.norm(np.array(tip) - origin) / np.linalg.norm(towards)
    )
    drag(qtbot, viewport, tip, back)
    assert cue(window, "ren-push").toward == "mika" and cue(window, "ren-push").direction is None
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert cue(window, "ren-push").toward == "mika" and cue(window, "ren-push").speed == 0.25


def test_a_hold_fixture_is_picked_in_the_viewport_from_the_handrails_in_reach(qtbot, make_window):
    window = make_window(BREAKFAST)
    viewport = window.viewport
    viewport.set_view("top")
    index = next(i for i, c in enumerate(window.session.scene.cues) if c.id == "ren-holds-h6")
    click_outliner(qtbot, window, "ren-holds-h6")
    box = window.inspector.editors[("cues", index, "fixture")]
    button = box.parentWidget().pick_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    pick = viewport.cue_tools.pick
    assert pick.active and "Esc cancels" in viewport.hud.text()
    assert set(pick.candidates) == {"H6"}, "only the handrail within reach of Ren's hand"
    # Esc leaves pick mode; a click elsewhere afterwards selects as usual.
    qtbot.keyClick(viewport.view, Qt.Key.Key_Escape)
    assert not pick.active
    # A picked value the blocking cannot take is refused under the field, as if typed:
    # Ren would still hold H5 when he catches (his push-off lets go of H6).
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    pick.start("Click the fixture", {"H5": STATION_H5(window)}, pick.on_pick)
    x, y = viewport.project(STATION_H5(window))
    qtbot.mouseClick(viewport.view, Qt.MouseButton.LeftButton, pos=QPointF(x, y).toPoint())
    assert cue(window, "ren-holds-h6").fixture == "H6"
    assert "release it first" in window.inspector.problem_text(("cues", index, "fixture"))
    # A tether may be clipped to any handrail or foot restraint: all are offered.
    tether = next(i for i, c in enumerate(window.session.scene.cues) if c.id == "mika-tether")
    click_outliner(qtbot, window, "mika-tether")
    box = window.inspector.editors[("cues", tether, "fixture")]
    qtbot.mouseClick(box.parentWidget().pick_button, Qt.MouseButton.LeftButton)
    assert {"FR1", "FR2", "H5", "H6"} <= set(pick.candidates)
    station = window.session.bake.station
    x, y = viewport.project(station.fixture("FR2").position)
    qtbot.mouseClick(viewport.view, Qt.MouseButton.LeftButton, pos=QPointF(x, y).toPoint())
    assert cue(window, "mika-tether").fixture == "FR2"
    assert not pick.active


def STATION_H5(window):
    return np.asarray(window.session.bake.station.fixture("H5").position)


def test_an_impulse_arrow_sets_the_impulse_from_the_dragged_speed_and_the_prop_mass(
    qtbot, make_window
):
    window = make_window(BREAKFAST)
    viewport = window.viewport
    viewport.set_view("top")
    click_outliner(qtbot, window, "bulb")
    window.session.set_time(7.0)
    cue_id = window.cue_palette.add("impulse")
    arrow = viewport.cue_tools.arrow
    wait_for_bake_of(qtbot, window)
    qtbot.waitUntil(lambda: arrow.aim is not None)
    before = np.asarray(cue(window, cue_id).impulse)
    mass = window.session.scene.body("bulb").mass
    assert arrow.aim.speed == pytest.approx(np.linalg.norm(before) / mass)
    tip = arrow.tip_px()
    drag(qtbot, viewport, tip, (tip[0] + 30, tip[1] + 25))
    after = np.asarray(cue(window, cue_id).impulse)
    assert not np.allclose(after, before)
    # The stored impulse is the prop's mass times the arrow's speed, along the arrow.
    assert np.linalg.norm(after) == pytest.approx(mass * arrow.aim.speed, rel=1e-3)
    drawn = viewport.project(np.asarray(arrow.origin) + after / mass * METRES_PER_M_S)
    assert np.hypot(drawn[0] - tip[0] - 30, drawn[1] - tip[1] - 25) < 6


def test_right_click_on_an_actor_selects_her_and_offers_her_cues(qtbot, make_window):
    from PySide6.QtWidgets import QApplication

    window = make_window(BREAKFAST)
    viewport = window.viewport
    viewport.set_view("top")
    window.session.select([])
    window.session.set_time(0.0)
    qtbot.wait(50)
    x, y = viewport.project(window.session.bake.trajectory.pose("mika", 0.0)[0])
    point = QPointF(x, y).toPoint()
    qtbot.mousePress(viewport.view, Qt.MouseButton.RightButton, pos=point)
    qtbot.mouseRelease(viewport.view, Qt.MouseButton.RightButton, pos=point)
    assert window.session.selection == ("mika",)
    menu = QApplication.activePopupWidget()
    assert menu is not None
    add = menu.actions()[0].menu()
    assert window.cue_palette.actions["throw"] in add.actions()
    assert window.cue_palette.actions["hold"].isEnabled()
    menu.close()


def test_dragging_a_push_off_tip_shows_a_ghost_path_that_follows_the_drag(qtbot, make_window):
    window = make_window(BREAKFAST)
    viewport = window.viewport
    viewport.set_view("top")
    click_outliner(qtbot, window, "ren-push")
    arrow = viewport.cue_tools.arrow
    wait_for_bake_of(qtbot, window)
    qtbot.waitUntil(lambda: arrow.aim is not None and arrow.line.visible())
    ghost = arrow.ghost
    tip = arrow.tip_px()
    origin = viewport.project(arrow.origin)
    # Turn the arrow 90° on screen and lengthen it, holding the button down.
    out = np.array(tip) - np.array(origin)
    side = np.array([-out[1], out[0]]) * 1.5
    end = np.array(origin) + side
    view = viewport.view
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPointF(*tip).toPoint())
    for i in range(1, 7):
        at = np.array(tip) + (end - np.array(tip)) * i / 6
        qtbot.mouseMove(view, QPointF(*at).toPoint())
    assert arrow.dragging
    qtbot.waitUntil(
        lambda: ghost.points is not None and ghost._shown == ghost._asked, timeout=30000
    )
    assert ghost.line.visible() and ghost.failure is None
    points = ghost.points
    # It starts at Ren where the cue happens ...
    assert np.linalg.norm(points[0] - arrow.origin) < 0.02
    # ... and heads, on screen, where the arrow was dragged (not where it pointed before).
    # Half a second after the push ends (later the wall and the air may bend it):
    push = cue(window, "ren-push")
    frame = round((push.duration + 0.5) * float(window.session.scene.frame_rate.fps))
    first, later = viewport.project(points[0]), viewport.project(points[frame])
    went = np.array(later) - np.array(first)
    assert np.linalg.norm(went) > 10
    dragged = np.array(viewport.project(cue_arrow_tip(arrow))) - np.array(origin)
    before = out / np.linalg.norm(out)
    cosine = went @ dragged / (np.linalg.norm(went) * np.linalg.norm(dragged))
    assert cosine > 0.9 and abs(went @ before) / np.linalg.norm(went) < 0.5
    # The drag never waited for the bakes: the arrow follows the mouse at once.
    assert np.hypot(*(np.array(arrow.tip_px()) - end)) < 6
    # Letting go removes the ghost; the real re-bake then draws the path.
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPointF(*end).toPoint())
    assert not ghost.line.visible() and not ghost.active
    assert cue(window, "ren-push").toward is None


def cue_arrow_tip(arrow):
    from see1previs.render.cue_arrow import tip

    return tip(arrow.origin, arrow.aim)


def test_dragging_an_impulse_tip_shows_the_ghost_path_of_the_prop(qtbot, make_window):
    window = make_window(BREAKFAST)
    viewport = window.viewport
    viewport.set_view("top")
    click_outliner(qtbot, window, "bulb")
    window.session.set_time(7.0)
    window.cue_palette.add("impulse")
    arrow = viewport.cue_tools.arrow
    wait_for_bake_of(qtbot, window)
    qtbot.waitUntil(lambda: arrow.aim is not None and arrow.line.visible())
    tip = np.array(arrow.tip_px())
    view = viewport.view
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPointF(*tip).toPoint())
    end = QPointF(tip[0] + 30, tip[1] - 20).toPoint()
    qtbot.mouseMove(view, end)
    ghost = arrow.ghost
    qtbot.waitUntil(
        lambda: ghost.points is not None and ghost._shown == ghost._asked, timeout=30000
    )
    assert ghost.failure is None and ghost.line.visible()
    assert np.linalg.norm(ghost.points[0] - arrow.origin) < 0.02  # from the bulb
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=end)
    assert not ghost.line.visible()


def test_a_push_that_cannot_be_done_shows_why_on_the_arrow_instead_of_a_ghost(qtbot, make_window):
    from see1previs.core.commands import scene_data, scene_from

    window = make_window(BREAKFAST)
    viewport = window.viewport
    viewport.set_view("top")
    data = scene_data(window.session.scene)
    next(c for c in data["cues"] if c["id"] == "ren-push")["surface"] = "H2"  # far away
    data["cues"].append(
        {"type": "release", "id": "ren-lets-go", "time": 0.9, "actor": "ren", "fixture": "H6"}
    )
    window.session.edit("Push off H2", scene_from(data))
    wait_for_bake_of(qtbot, window)
    click_outliner(qtbot, window, "ren-push")
    arrow = viewport.cue_tools.arrow
    qtbot.waitUntil(lambda: arrow.aim is not None and arrow.line.visible())
    tip = arrow.tip_px()
    view = viewport.view
    end = QPointF(tip[0] + 25, tip[1] + 10).toPoint()
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPointF(*tip).toPoint())
    qtbot.mouseMove(view, end)
    ghost = arrow.ghost
    qtbot.waitUntil(lambda: ghost.failure is not None, timeout=30000)
    assert not ghost.line.visible() and ghost.points is None
    assert "within reach of H2" in arrow.text.text()
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=end)
    assert "within reach" not in arrow.text.text()
