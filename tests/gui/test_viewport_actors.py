"""Articulated actors in the viewport: every segment where the bake has it, in her colour."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from see1previs.core import quaternion as quat
from see1previs.core.scene import FORMAT_VERSION, Scene
from see1previs.gui.viewport import SceneViewport, shading
from see1previs.physics.simulation import simulate
from tests.gui.test_viewport import (  # noqa: F401  (no_drawing_errors: autouse fixture)
    colour_at,
    hue_match,
    look,
    no_drawing_errors,
    pixels,
)

SIZE = (640, 360)
COLOUR = "#3fbf7f"


@pytest.fixture(scope="module")
def humanoid_bake():
    scene = Scene.model_validate(
        {
            "format": FORMAT_VERSION,
            "duration": 2.0,
            "frame_rate": 24,
            "actors": [
                {
                    "id": "ana",
                    "body": "humanoid",
                    "height": 1.7,
                    "mass": 65.0,
                    "color": COLOUR,
                    "velocity": {"linear": [0.1, 0.0, 0.0], "angular": [0.0, 0.0, 0.4]},
                }
            ],
        }
    )
    return scene, simulate(scene)


@pytest.fixture
def viewport(qtbot, humanoid_bake):
    scene, result = humanoid_bake
    widget = SceneViewport()
    qtbot.addWidget(widget)
    widget.resize(*SIZE)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_scene(scene, result.world, result.trajectory)
    return widget


def test_every_segment_is_drawn_where_the_bake_has_it(viewport, humanoid_bake):
    _, result = humanoid_bake
    trajectory = result.trajectory
    segments = [link for link in trajectory.links if link.startswith("ana/")]
    assert len(segments) >= 10
    for t in (0.0, 0.77, 2.0):
        viewport.set_time(t)
        for link in segments:
            position, orientation = viewport.drawn_pose(link)
            expected_p, expected_q = trajectory.link_pose(link, t)
            assert position == pytest.approx(expected_p, abs=1e-9)
            assert quat.angle_between(orientation, expected_q) < 1e-6


def test_the_head_is_drawn_at_its_pixel_and_picks_the_actor(viewport, humanoid_bake, qtbot):
    _, result = humanoid_bake
    t = 1.5
    head = result.trajectory.link_pose("ana/head", t)[0]
    look(viewport, head, 2.0, -90.0, 10.0)
    viewport.set_time(t)
    where = viewport.project(head)
    assert hue_match(colour_at(pixels(viewport), where), shading.hex_rgba(COLOUR, ())) > 0.995
    with qtbot.waitSignal(viewport.picked) as picked:
        qtbot.mouseClick(viewport.view, Qt.MouseButton.LeftButton, pos=QPoint(*map(round, where)))
    assert picked.args == ["ana"]
    # Selected, every segment is outlined: outline pixels surround the head.
    outline = np.array(shading.SELECTION_RGBA[:3]) * 255
    near = np.all(np.abs(pixels(viewport).astype(float) - outline) < 40, axis=-1)
    assert near.sum() > 100


def test_moving_the_actor_moves_her_start_pose_and_previews_every_segment(
    viewport, humanoid_bake, qtbot
):
    scene, _ = humanoid_bake
    viewport.set_time(0.0)
    viewport.set_selection(["ana"])
    look(viewport, (0.0, 0.0, 0.0), 3.0, -90.0, 0.0)  # looking along +Y
    start = np.array(scene.body("ana").pose.position)
    centre = viewport.project(start)
    head_before = viewport.drawn_pose("ana/head")[0]
    view = viewport.view
    qtbot.mouseMove(view, QPoint(*map(round, centre)))
    qtbot.keyClick(view, Qt.Key.Key_G)
    qtbot.keyClick(view, Qt.Key.Key_Z)  # only up and down
    qtbot.mouseMove(view, QPoint(round(centre[0]) + 15, round(centre[1]) - 50))
    # While moving, the whole figure follows: the head moved as much as her origin.
    moved = viewport.drawn_pose("ana/head")[0] - head_before
    assert moved[:2] == pytest.approx([0.0, 0.0], abs=1e-9) and moved[2] > 0.2
    with qtbot.waitSignal(viewport.transform_edited) as edited:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    actor, position, _ = edited.args
    assert actor == "ana"
    assert np.asarray(position) - start == pytest.approx([0.0, 0.0, moved[2]], abs=1e-9)
