"""Each actor's 90 % envelope as a translucent tube in the 3D viewport.

The tube follows the mean path of the actor's hips over the samples; its radius at each
point (every 0.25 s) holds 90 % of the samples (``summary["tubes"]``). One mesh per actor,
in the actor's colour, drawn translucent over the scene, with the mean path as a line inside
so a narrow envelope still reads.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph.opengl as gl
from PySide6.QtGui import QColor

SIDES = 14
ALPHA = 0.35
MIN_RADIUS = 0.03  # m: where every sample agrees the tube still shows as a thin sleeve


def tube_mesh(centre: np.ndarray, radius: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and faces of a tube of varying ``radius`` around the polyline ``centre``."""
    centre, radius = np.asarray(centre, dtype=float), np.asarray(radius, dtype=float)
    # Points where the actor has not moved would make rings of zero length: keep the first,
    # with the widest radius of those it stands for.
    keep = [0]
    for k in range(1, len(centre)):
        if np.linalg.norm(centre[k] - centre[keep[-1]]) > 1e-4:
            keep.append(k)
        else:
            radius[keep[-1]] = max(radius[keep[-1]], radius[k])
    centre, radius = centre[keep], radius[keep]
    if len(centre) == 1:  # an actor who never moves: a ball where they stay
        ball = gl.MeshData.sphere(rows=8, cols=SIDES, radius=max(float(radius[0]), MIN_RADIUS))
        return ball.vertexes() + centre[0], ball.faces()
    count = len(centre)
    tangents = np.gradient(centre, axis=0) if count > 1 else np.array([[1.0, 0, 0]])
    vertices = np.zeros((count, SIDES, 3))
    angles = np.linspace(0, 2 * np.pi, SIDES, endpoint=False)
    previous = None
    for k in range(count):
        t = tangents[k]
        t = t / np.linalg.norm(t) if np.linalg.norm(t) > 1e-9 else np.array([1.0, 0, 0])
        helper = previous if previous is not None else np.eye(3)[int(np.argmin(np.abs(t)))]
        u = np.cross(t, helper)
        if np.linalg.norm(u) < 1e-9:
            u = np.cross(t, np.eye(3)[int(np.argmin(np.abs(t)))])
        u /= np.linalg.norm(u)
        v = np.cross(t, u)
        previous = v  # carry the frame along so the tube does not twist
        r = max(float(radius[k]), MIN_RADIUS)
        vertices[k] = centre[k] + r * (np.cos(angles)[:, None] * u + np.sin(angles)[:, None] * v)
    faces = []
    for k in range(count - 1):
        for s in range(SIDES):
            a, b = k * SIDES + s, k * SIDES + (s + 1) % SIDES
            c, d = a + SIDES, b + SIDES
            faces += [(a, b, c), (b, d, c)]
    return vertices.reshape(-1, 3), np.array(faces, dtype=np.int32).reshape(-1, 3)


class EnvelopeOverlay:
    """The tubes of one envelope result in ``viewport`` (a SceneViewport or its stand-in)."""

    def __init__(self, viewport) -> None:
        self.viewport = viewport
        self.items: list = []

    def show(self, summary: dict, colours: dict[str, str]) -> None:
        self.clear()
        view = getattr(self.viewport, "view", None)
        if view is None:  # the viewport stand-in draws nothing
            return
        for actor, tube in summary.get("tubes", {}).items():
            vertices, faces = tube_mesh(np.array(tube["centre"]), np.array(tube["radius"]))
            if len(faces) == 0:
                continue
            colour = QColor(colours.get(actor, "#cccccc"))
            item = gl.GLMeshItem(
                vertexes=vertices,
                faces=faces,
                color=(colour.redF(), colour.greenF(), colour.blueF(), ALPHA),
                smooth=True,
                drawEdges=False,
                shader="shaded",
                glOptions="translucent",
            )
            line = gl.GLLinePlotItem(
                pos=np.array(tube["centre"], dtype=float),
                color=(colour.redF(), colour.greenF(), colour.blueF(), 0.9),
                width=2.0,
                antialias=True,
            )
            for part in (item, line):
                view.addItem(part)
                self.items.append(part)

    def clear(self) -> None:
        view = getattr(self.viewport, "view", None)
        for item in self.items:
            if view is not None:
                view.removeItem(item)
        self.items = []
