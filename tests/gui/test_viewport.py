"""The 3D viewport in a real window (Xvfb, software OpenGL), checked against the bake.

Truth comes from outside the widget: the baked trajectory, the camera tracks, the station's
fixtures and the pixels OpenGL actually drew, found where an independent projection of the
trajectory says they should be.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage

from see1previs.cinema.tracks import evaluate_camera
from see1previs.core import quaternion as quat
from see1previs.core.scenefile import load_scene
from see1previs.gui.viewport import SceneViewport, navigation, shading
from see1previs.physics.simulation import simulate
from tests.conftest import SCENES

SIZE = (640, 360)
SCENE_PATH = SCENES / "first-light.see1.json"


@pytest.fixture(autouse=True)
def no_drawing_errors(capfd):
    """pyqtgraph prints an item's drawing error and carries on: make that a failure."""
    yield
    assert "Error while drawing item" not in capfd.readouterr().err


@pytest.fixture(scope="module")
def baked():
    scene = load_scene(SCENE_PATH)
    return scene, simulate(scene, SCENE_PATH.parent)


@pytest.fixture
def viewport(qtbot, baked):
    scene, result = baked
    widget = SceneViewport()
    qtbot.addWidget(widget)
    widget.resize(*SIZE)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_scene(scene, result.world, result.trajectory)
    return widget


def pixels(widget: SceneViewport) -> np.ndarray:
    """(H, W, 3) uint8 RGB of the 3D view as drawn."""
    image = widget.render_image().convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    rows = data.reshape(height, image.bytesPerLine())[:, : width * 3]
    return rows.reshape(height, width, 3).copy()  # the QImage's memory goes with it


def colour_at(image: np.ndarray, xy) -> np.ndarray:
    x, y = round(xy[0]), round(xy[1])
    return np.median(image[y - 1 : y + 2, x - 1 : x + 2].reshape(-1, 3), axis=0)


def hue_match(rgb, rgba) -> float:
    """Cosine between two colours' RGB directions: 1 for the same colour at any lighting."""
    a = np.asarray(rgb, dtype=float)
    b = np.asarray(rgba[:3], dtype=float)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))


def look(widget, centre, distance, azimuth, elevation):
    widget.preset = None
    widget.view.opts["fov"] = 60
    widget.view.setCameraPosition(
        pos=navigation.Vector(*centre), distance=distance, azimuth=azimuth, elevation=elevation
    )


def background_fraction(image: np.ndarray) -> float:
    return float(np.mean(np.all(np.abs(image.astype(int) - shading.BACKGROUND) <= 3, axis=-1)))


MIKA_RGBA = shading.hex_rgba("#d9a066", shading.DEFAULT_ACTOR_RGBA)


def test_scrubbing_draws_every_body_where_the_trajectory_has_it(viewport, baked):
    _, result = baked
    trajectory = result.trajectory
    for t in (0.0, 3.3, 7.51, 12.0, trajectory.duration):
        viewport.set_time(t)
        for body_id in trajectory.body_ids:
            position, orientation = viewport.drawn_pose(body_id)
            expected_p, expected_q = trajectory.link_pose(body_id, t)
            assert position == pytest.approx(expected_p, abs=1e-9)
            assert quat.angle_between(orientation, expected_q) < 1e-6


def test_cameras_are_drawn_on_their_tracks(viewport, baked):
    scene, result = baked
    frame = 100
    t = float(result.trajectory.times[frame])
    viewport.set_time(t)
    for camera in scene.cameras:
        track = evaluate_camera(camera, scene, result.station, result.trajectory)
        position, orientation = viewport.drawn_pose(camera.id)
        assert position == pytest.approx(track.positions[frame], abs=1e-9)
        assert quat.angle_between(orientation, track.orientations[frame]) < 1e-6


def test_the_actor_is_drawn_at_its_trajectory_pixel_as_the_playhead_moves(viewport, baked):
    _, result = baked
    look(viewport, (-1.2, 0.0, 0.0), 4.0, -90.0, 0.0)
    seen = []
    for t in (0.0, 18.0):
        viewport.set_time(t)
        image = pixels(viewport)
        where = viewport.project(result.trajectory.pose("mika", t)[0])
        assert hue_match(colour_at(image, where), MIKA_RGBA) > 0.995, f"t={t}"
        seen.append((where, image))
    (start_px, _), (end_px, end_image) = seen
    assert math.dist(start_px, end_px) > 30  # mika drifted well clear of where she started
    assert hue_match(colour_at(end_image, start_px), MIKA_RGBA) < 0.99


def test_clicking_a_body_picks_it_and_clicking_nothing_clears(viewport, baked, qtbot):
    _, result = baked
    look(viewport, (-1.2, 0.0, 0.0), 4.0, -90.0, 0.0)
    viewport.set_time(5.0)
    x, y = viewport.project(result.trajectory.pose("mika", 5.0)[0])
    with qtbot.waitSignal(viewport.picked) as picked:
        qtbot.mouseClick(viewport.view, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))
    assert picked.args == ["mika"]
    assert viewport.selection == ["mika"]
    with qtbot.waitSignal(viewport.picked) as picked:
        qtbot.mouseClick(viewport.view, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert picked.args == [""]
    assert viewport.selection == []


def test_the_selection_is_outlined(viewport, baked):
    _, result = baked
    look(viewport, (-1.2, 0.0, 0.0), 4.0, -90.0, 0.0)
    viewport.set_time(5.0)
    before = pixels(viewport)
    viewport.set_selection(["mika"])
    after = pixels(viewport)
    outline = np.array(shading.SELECTION_RGBA[:3]) * 255
    near = np.all(np.abs(after.astype(float) - outline) < 40, axis=-1)
    assert near.sum() > 50
    assert np.all(np.abs(before.astype(float) - outline) < 40, axis=-1).sum() < near.sum() / 10
    # The outline hugs the actor: every outline pixel is close to her on screen.
    ys, xs = np.nonzero(near)
    cx, cy = viewport.project(result.trajectory.pose("mika", 5.0)[0])
    assert np.max(np.hypot(xs - cx, ys - cy)) < 0.6 * 1.72 * 160  # half her height, in pixels


def drag(qtbot, widget, start, end, modifier=Qt.KeyboardModifier.NoModifier, steps=6):
    view = widget.view
    start = QPoint(round(start[0]), round(start[1]))
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, modifier, start)
    for i in range(1, steps + 1):
        point = QPoint(
            round(start.x() + (end[0] - start.x()) * i / steps),
            round(start.y() + (end[1] - start.y()) * i / steps),
        )
        qtbot.mouseMove(view, point)
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, modifier, point)


def test_dragging_a_selected_prop_moves_its_start_pose_under_the_mouse(viewport, baked, qtbot):
    scene, _ = baked
    look(viewport, (0.3, -0.6, 0.5), 3.0, -90.0, 0.0)
    viewport.set_time(0.0)
    viewport.set_selection(["slate"])
    start = np.array(scene.body("slate").pose.position)
    press = viewport.project(start)
    with qtbot.waitSignal(viewport.transform_edited) as edited:
        drag(qtbot, viewport, press, (press[0] + 60, press[1] - 30))
    body_id, position, orientation = edited.args
    assert body_id == "slate"
    assert orientation == pytest.approx(scene.body("slate").pose.orientation)
    # Independent check: where the new start position is drawn on screen. The grabbed point
    # is on the prop's near face, up to 12 cm in front of its origin 3 m away: within 5 %.
    x, y = viewport.project(position)
    assert (x - press[0], y - press[1]) == pytest.approx((60, -30), rel=0.05, abs=1.0)
    # A move in the view plane keeps the depth: the eye looks along +Y.
    assert position[1] == pytest.approx(start[1], abs=0.02)


def test_an_axis_key_constrains_the_drag(viewport, baked, qtbot):
    scene, _ = baked
    look(viewport, (0.3, -0.6, 0.5), 3.0, -60.0, 20.0)
    viewport.set_selection(["slate"])
    start = np.array(scene.body("slate").pose.position)
    press = viewport.project(start)
    qtbot.keyClick(viewport.view, Qt.Key.Key_X)
    with qtbot.waitSignal(viewport.transform_edited) as edited:
        drag(qtbot, viewport, press, (press[0] + 50, press[1] + 25))
    _, position, _ = edited.args
    assert position[1:] == pytest.approx(tuple(start[1:]), abs=1e-9)
    assert abs(position[0] - start[0]) > 0.1


def test_ctrl_drag_snaps_onto_a_handrail(viewport, baked, qtbot):
    scene, result = baked
    rail = result.station.fixture("H3")  # on the wall at +X, +Y
    look(viewport, (1.3, 0.5, 0.0), 4.0, -90.0, 90.0)  # from above
    viewport.set_time(0.0)
    viewport.set_selection(["ball"])
    press = viewport.project(scene.body("ball").pose.position)
    target = viewport.project(np.asarray(rail.position) + 0.1 * rail.normal)
    with qtbot.waitSignal(viewport.transform_edited) as edited:
        drag(qtbot, viewport, press, target, Qt.KeyboardModifier.ControlModifier)
    _, position, _ = edited.args
    offset = np.asarray(position) - rail.position
    # On the rail's normal, just off the wall by about the ball's size.
    assert np.linalg.norm(np.cross(offset, rail.normal)) < 1e-9
    assert 0.035 <= offset @ rail.normal <= 0.1


def test_g_moves_and_r_turns_the_selection_until_a_click(viewport, baked, qtbot):
    scene, _ = baked
    look(viewport, (0.3, -0.6, 0.5), 3.0, -90.0, 0.0)
    viewport.set_selection(["slate"])
    start = np.array(scene.body("slate").pose.position)
    centre = viewport.project(start)
    view = viewport.view
    qtbot.mouseMove(view, QPoint(round(centre[0]), round(centre[1])))
    qtbot.keyClick(view, Qt.Key.Key_G)
    qtbot.mouseMove(view, QPoint(round(centre[0]) + 40, round(centre[1])))
    with qtbot.waitSignal(viewport.transform_edited) as edited:
        qtbot.mouseClick(
            view, Qt.MouseButton.LeftButton, pos=QPoint(round(centre[0]) + 40, round(centre[1]))
        )
    _, position, _ = edited.args
    x, y = viewport.project(position)
    assert (x - centre[0], y - centre[1]) == pytest.approx((40, 0), abs=1.0)

    # R: a quarter sweep counter-clockwise round the prop turns it 90° about the view axis.
    qtbot.mouseMove(view, QPoint(round(centre[0]) + 60, round(centre[1])))
    qtbot.keyClick(view, Qt.Key.Key_R)
    qtbot.mouseMove(view, QPoint(round(centre[0]), round(centre[1]) - 60))
    with qtbot.waitSignal(viewport.transform_edited) as edited:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    _, position, orientation = edited.args
    assert position == pytest.approx(tuple(start))
    turn = quat.multiply(orientation, quat.conjugate(scene.body("slate").pose.orientation))
    assert math.degrees(quat.angle_between(turn, [1, 0, 0, 0])) == pytest.approx(90, abs=1.5)
    axis = np.asarray(turn[1:]) / np.linalg.norm(turn[1:]) * np.sign(turn[0])
    assert axis == pytest.approx([0.0, -1.0, 0.0], abs=0.02)  # toward the viewer at −Y


def test_shift_dragging_the_selection_turns_it_about_an_axis(viewport, baked, qtbot):
    scene, _ = baked
    look(viewport, (0.3, -0.6, 0.5), 3.0, -90.0, 0.0)  # looking along +Y
    viewport.set_selection(["slate"])
    centre = viewport.project(scene.body("slate").pose.position)
    qtbot.keyClick(viewport.view, Qt.Key.Key_Z)  # about the studio's up axis
    start = (centre[0] + 15, centre[1])  # on the slate, right of its centre
    end = (centre[0] - 40, centre[1] - 40 * 0.4)  # swept half a turn round it
    with qtbot.waitSignal(viewport.transform_edited) as edited:
        drag(qtbot, viewport, start, end, Qt.KeyboardModifier.ShiftModifier, steps=12)
    _, position, orientation = edited.args
    assert position == pytest.approx(scene.body("slate").pose.position)
    turn = quat.multiply(orientation, quat.conjugate(scene.body("slate").pose.orientation))
    axis = np.asarray(turn[1:]) / np.linalg.norm(turn[1:])
    assert abs(axis[2]) == pytest.approx(1.0, abs=1e-6)  # about Z only
    swept = math.atan2(0.4, -1.0)  # the screen angle from the start to the end point
    assert quat.angle_between(turn, [1, 0, 0, 0]) == pytest.approx(swept, abs=0.05)


def test_escape_cancels_a_move(viewport, qtbot):
    viewport.set_selection(["slate"])
    edits = []
    viewport.transform_edited.connect(lambda *args: edits.append(args))
    before = viewport.drawn_pose("slate")[0]
    qtbot.keyClick(viewport.view, Qt.Key.Key_G)
    qtbot.mouseMove(viewport.view, QPoint(100, 100))
    qtbot.mouseMove(viewport.view, QPoint(200, 150))
    qtbot.keyClick(viewport.view, Qt.Key.Key_Escape)
    assert edits == []
    assert viewport.drawn_pose("slate")[0] == pytest.approx(before)


def test_a_preset_view_keeps_its_framing_when_the_viewport_is_resized(viewport, qtbot):
    viewport.set_view("front")
    wide = viewport.view.opts["distance"]
    viewport.resize(300, 400)  # a tall, narrow dock: the cabin can come closer
    qtbot.waitUntil(lambda: viewport.view.width() == 300)
    assert viewport.view.opts["distance"] < 0.8 * wide
    for point in ((0.0, 0.0, 3.0), (0.0, 0.0, -3.0), (-3.0, 0.0, 0.0), (4.0, 0.0, 0.0)):
        x, y = viewport.project(point)  # the whole cabin and hatch stay in the picture
        assert 0 <= x <= viewport.view.width() and 0 <= y <= viewport.view.height()
    navigation.orbit(viewport.view, 10, 0)
    viewport.preset = None  # once the eye has been moved, a resize leaves it where it is
    distance = viewport.view.opts["distance"]
    viewport.resize(*SIZE)
    qtbot.waitUntil(lambda: viewport.view.width() == SIZE[0])
    assert viewport.view.opts["distance"] == distance


def test_preset_views_put_the_eye_where_the_crew_expects(viewport, baked):
    _, result = baked
    viewport.set_view("top")
    eye = navigation.eye_position(viewport.view)
    assert eye[2] > 6 and navigation.view_direction(viewport.view) == pytest.approx([0, 0, -1])
    viewport.set_view("front")
    assert navigation.view_direction(viewport.view) == pytest.approx([0, 1, 0], abs=1e-9)
    viewport.set_view("hatch")
    eye = navigation.eye_position(viewport.view)
    assert result.station.contains(eye) and eye[0] > 2.0
    assert navigation.view_direction(viewport.view)[0] < -0.9
    # Inside the cabin, wall fills the whole picture.
    assert background_fraction(pixels(viewport)) < 0.01
    with pytest.raises(ValueError, match="hatch"):
        viewport.set_view("sideways")


def test_keys_fly_through_and_frame(viewport, baked, qtbot):
    _, result = baked
    viewport.set_view("hatch")
    view = viewport.view
    eye, ahead = navigation.eye_position(view), navigation.view_direction(view)
    for _ in range(5):
        qtbot.keyClick(view, Qt.Key.Key_W)
    moved = navigation.eye_position(view) - eye
    assert moved == pytest.approx(5 * navigation.FLY_STEP_M * ahead, abs=1e-5)
    assert navigation.view_direction(view) == pytest.approx(ahead, abs=1e-5)

    viewport.set_time(4.0)
    viewport.set_selection(["ball"])
    qtbot.keyClick(view, Qt.Key.Key_F)
    x, y = viewport.project(result.trajectory.pose("ball", 4.0)[0])
    assert (x, y) == pytest.approx((SIZE[0] / 2, SIZE[1] / 2), abs=1.0)
    assert (
        np.linalg.norm(navigation.eye_position(view) - result.trajectory.pose("ball", 4.0)[0]) < 1.0
    )

    qtbot.keyClick(view, Qt.Key.Key_2)
    assert navigation.view_direction(view) == pytest.approx([0, 0, -1])
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert result.station.contains(navigation.eye_position(view))


def test_mouse_orbits_looks_and_zooms(viewport, qtbot):
    view = viewport.view
    viewport.set_view("perspective")
    centre = np.array(view.opts["center"])
    distance = view.opts["distance"]
    drag_empty = [(20, 20), (80, 40)]
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(*drag_empty[0]))
    qtbot.mouseMove(view, QPoint(*drag_empty[1]))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(*drag_empty[1]))
    assert np.array(view.opts["center"]) == pytest.approx(centre)
    assert np.linalg.norm(navigation.eye_position(view) - centre) == pytest.approx(distance)
    assert view.opts["azimuth"] != pytest.approx(-55.0)

    eye = navigation.eye_position(view)
    direction = navigation.view_direction(view)
    qtbot.mousePress(view, Qt.MouseButton.RightButton, pos=QPoint(300, 200))
    qtbot.mouseMove(view, QPoint(340, 220))
    qtbot.mouseRelease(view, Qt.MouseButton.RightButton, pos=QPoint(340, 220))
    assert navigation.eye_position(view) == pytest.approx(eye, abs=1e-9)
    assert navigation.view_direction(view) @ direction < 0.999


def test_shift_drag_pans_with_the_mouse_and_the_wheel_zooms(viewport, qtbot):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    view = viewport.view
    viewport.set_view("front")
    centre = np.array([view.opts["center"].x(), view.opts["center"].y(), view.opts["center"].z()])
    start = viewport.project(centre)
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, shift, QPoint(300, 200))
    qtbot.mouseMove(view, QPoint(320, 200))
    qtbot.mouseMove(view, QPoint(350, 170))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, shift, QPoint(350, 170))
    # The cabin moved with the mouse: the point at the centre is now 50 px right, 30 px up.
    moved = np.subtract(viewport.project(centre), start)
    assert moved == pytest.approx((50, -30), abs=1.0)

    distance = view.opts["distance"]
    notch = QWheelEvent(
        QPointF(300, 200),
        QPointF(view.mapToGlobal(QPoint(300, 200))),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view, notch)
    assert view.opts["distance"] == pytest.approx(0.85 * distance)


def test_before_a_bake_bodies_stand_at_their_start_poses(qtbot, baked):
    scene, result = baked
    widget = SceneViewport()
    qtbot.addWidget(widget)
    widget.resize(*SIZE)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_scene(scene, None, None, scene_dir=SCENE_PATH.parent)
    widget.set_time(10.0)  # nothing is baked: time does not move anything
    for body in scene.bodies():
        position, orientation = widget.drawn_pose(body.id)
        assert position == pytest.approx(body.pose.position)
        assert quat.angle_between(orientation, body.pose.orientation) < 1e-9
    mount = result.station.fixture("CAM-A")
    assert widget.drawn_pose("A")[0] == pytest.approx(mount.position, abs=0.2)
    look(widget, (-1.2, 0.0, 0.0), 4.0, -90.0, 0.0)
    where = widget.project(scene.body("mika").pose.position)
    assert hue_match(colour_at(pixels(widget), where), MIKA_RGBA) > 0.995


def test_screenshots_show_the_lit_interior(viewport, test_output):
    """Saves each preset view for people to look at; each must show the cabin, not a void."""
    viewport.set_time(6.0)
    viewport.set_selection(["mika"])
    shell = shading.SHELL_RGBA
    for name in ("perspective", "front", "top", "hatch"):
        viewport.set_view(name)
        image = pixels(viewport)
        viewport.render_image().save(str(test_output / f"viewport-{name}.png"))
        assert image.std() > 10, name
        drawn = 1.0 - background_fraction(image)
        assert drawn > 0.2, name
        # Lit wall: many pixels have the shell's colour, at many brightness levels.
        flat = image.reshape(-1, 3).astype(float)
        lit = flat[::97][flat[::97].sum(axis=1) > 150]
        wall = np.array([hue_match(p, shell) > 0.9995 for p in lit])
        assert wall.mean() > 0.15, name
        assert len(lit) / len(flat[::97]) > 0.15, name
        levels = np.unique((lit[wall].sum(axis=1) // 12).astype(int))
        assert len(levels) >= 4, name


def test_the_outline_stays_visible_from_afar(viewport, baked):
    viewport.set_view("perspective")  # from outside, 12 m from the centre
    viewport.set_time(5.0)
    viewport.set_selection(["mika"])
    outline = np.array(shading.SELECTION_RGBA[:3]) * 255
    near = np.all(np.abs(pixels(viewport).astype(float) - outline) < 40, axis=-1)
    assert near.sum() > 40


def test_an_idle_viewport_does_not_keep_repainting(viewport, qtbot):
    viewport.set_view("hatch")
    viewport.set_selection(["mika"])
    qtbot.wait(100)
    before = viewport.view.frames_drawn
    qtbot.wait(300)
    assert viewport.view.frames_drawn - before <= 1


def test_onion_skins_show_the_selection_before_and_after_the_playhead(viewport, baked):
    _, result = baked
    t = 2.0  # the ball drifts at 0.7 m/s: a quarter second apart is 17 cm
    ball = result.trajectory.pose("ball", t)[0]
    look(viewport, ball, 1.5, -90.0, 10.0)
    viewport.set_time(t)
    plain = pixels(viewport)
    viewport.set_selection(["ball"])
    ghosted = pixels(viewport)
    ball_rgb = np.array(shading.hex_rgba("#e04a3a", shading.DEFAULT_PROP_RGBA)[:3])
    for offset in (-0.5, -0.25, 0.25, 0.5):
        where = viewport.project(result.trajectory.pose("ball", t + offset)[0])
        before, after = colour_at(plain, where), colour_at(ghosted, where)
        # The translucent ghost tints the wall behind it toward the ball's red.
        assert hue_match(after, ball_rgb) > hue_match(before, ball_rgb) + 0.02, offset
    # The ghosts are of the selection only.
    viewport.set_selection([])
    assert np.array_equal(pixels(viewport), plain)


def test_a_fixed_camera_drags_and_snaps_onto_a_mount(qtbot, baked):
    from see1previs.core.scene_cameras import FixedRig

    scene, result = baked
    level = quat.from_axis_angle([1, 0, 0], math.pi / 2)  # looking along +Y, image up +Z
    camera = scene.cameras[0].model_copy(
        update={
            "look_at": None,
            "rig": FixedRig(type="fixed", position=(0.0, -1.5, 0.4), orientation=tuple(level)),
        }
    )
    scene = scene.model_copy(update={"cameras": [camera]})
    widget = SceneViewport()
    qtbot.addWidget(widget)
    widget.resize(*SIZE)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_scene(scene, result.world, result.trajectory)
    look(widget, (0.0, -1.8, 0.4), 3.0, -90.0, 89.0)  # from above
    assert widget.drawn_pose(camera.id)[0] == pytest.approx((0.0, -1.5, 0.4))
    press = widget.project((0.0, -1.5, 0.5))
    with qtbot.waitSignal(widget.picked) as picked:
        qtbot.mouseClick(widget.view, Qt.MouseButton.LeftButton, pos=QPoint(*map(round, press)))
    assert picked.args == [camera.id]
    mount = result.station.fixture("CAM-E")  # on the wall at −Y
    target = widget.project(mount.position)
    with qtbot.waitSignal(widget.transform_edited) as edited:
        drag(qtbot, widget, press, target, Qt.KeyboardModifier.ControlModifier)
    camera_id, position, orientation = edited.args
    assert camera_id == camera.id
    assert position == pytest.approx(mount.position, abs=1e-9)
    assert quat.angle_between(orientation, level) < 1e-9


def test_in_a_window_the_viewport_keeps_its_keys_and_leaves_the_rest(qtbot, baked):
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QMainWindow

    scene, result = baked
    window = QMainWindow()
    qtbot.addWidget(window)
    viewport = SceneViewport()
    window.setCentralWidget(viewport)
    fired = []
    for key in ("Esc", "G", "Space"):
        action = QAction(key, window)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda checked=False, k=key: fired.append(k))
        window.addAction(action)
    window.resize(*SIZE)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)  # window shortcuts only work in the active window
    viewport.show_scene(scene, result.world, result.trajectory)
    viewport.set_selection(["slate"])
    viewport.view.setFocus()
    # Keys typed into the window (through the shortcut system), not sent to a widget.
    keyboard = window.windowHandle()
    qtbot.mouseMove(viewport.view, QPoint(200, 150))
    qtbot.keyClick(keyboard, Qt.Key.Key_G)  # the viewport's move, not the window's G
    assert viewport._drag is not None
    qtbot.mouseMove(viewport.view, QPoint(260, 150))
    qtbot.keyClick(keyboard, Qt.Key.Key_Escape)  # cancels the move
    assert fired == []
    assert viewport._drag is None
    qtbot.keyClick(keyboard, Qt.Key.Key_Escape)  # nothing to cancel: the window's Esc
    qtbot.keyClick(keyboard, Qt.Key.Key_Space)
    assert fired == ["Esc", "Space"]


def test_an_empty_scene_shows_the_cabin(qtbot):
    from see1previs.core.scene import FORMAT_VERSION, Scene

    widget = SceneViewport()
    qtbot.addWidget(widget)
    widget.resize(*SIZE)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_scene(Scene.model_validate({"format": FORMAT_VERSION}))
    widget.set_time(1.0)
    widget.set_selection([])
    widget.frame_selected()
    widget.set_view("hatch")
    assert background_fraction(pixels(widget)) < 0.01
    assert widget.pick(SIZE[0] / 2, SIZE[1] / 2) is None
