"""The small top view drawn beside each cue on an actor's cue sheet.

Looking down the studio's −Z axis at the cabin's equator (module frame: +X to the main hatch
on the right, +Y up the page): the interior's outline, the hatch, the actor's path for two
seconds either side of the cue (dashed before, solid after), where the actor is on the cue,
the fixture or target the cue names (with a tether's reach around it), the path of a prop
caught or thrown, the direction of a push-off or throw, and the blocking warnings near that
moment. A reportlab drawing, so it prints as sharp vector graphics.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import trimesh
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from see1previs.station.model import Station

WINDOW = 2.0  # s either side of the cue shown as the actor's path
ARROW_LENGTH = 1.2  # m: a horizontal push or throw is drawn this long

OUTLINE = colors.HexColor("#6b7280")
HATCH = colors.HexColor("#2b2f36")
BEFORE = colors.HexColor("#9aa0a6")
AFTER = colors.HexColor("#1f5fa8")
TARGET = colors.HexColor("#d9822b")
AIM = colors.HexColor("#2e7d32")
WARNING = colors.HexColor("#b03a2e")


@dataclass(frozen=True)
class CabinOutline:
    """The interior's cut at the equator (z = 0), as line segments in metres, plus the hatch."""

    segments: np.ndarray  # (N, 2, 2) x, y
    hatch: tuple[float, float] | None
    hatch_width: float  # m, the hatch door's diameter
    bounds: tuple[float, float, float, float]  # x_min, y_min, x_max, y_max

    def inside(self, points: np.ndarray) -> np.ndarray:
        """Which (x, y) points lie inside the outline (even-odd rule over its segments)."""
        points = np.atleast_2d(np.asarray(points, dtype=float))
        if not len(self.segments):
            x_min, y_min, x_max, y_max = self.bounds
            x, y = points[:, 0], points[:, 1]
            return (x >= x_min) & (x <= x_max) & (y >= y_min) & (y <= y_max)
        a, b = self.segments[:, 0], self.segments[:, 1]  # (S, 2)
        px, py = points[:, 0:1], points[:, 1:2]  # (P, 1)
        straddles = (a[:, 1] > py) != (b[:, 1] > py)  # (P, S)
        dy = np.where(b[:, 1] == a[:, 1], 1e-12, b[:, 1] - a[:, 1])
        crossing_x = a[:, 0] + (py - a[:, 1]) * (b[:, 0] - a[:, 0]) / dy
        return (np.count_nonzero(straddles & (px < crossing_x), axis=1) % 2) == 1

    @classmethod
    def of(cls, station: Station) -> CabinOutline:
        cut = trimesh.intersections.mesh_plane(station.boundary, [0.0, 0.0, 1.0], [0.0, 0.0, 0.0])
        segments = np.asarray(cut, dtype=float)[:, :, :2]
        if len(segments):
            points = segments.reshape(-1, 2)
            lo, hi = points.min(axis=0), points.max(axis=0)
        else:  # an interior that does not cross z = 0: frame its footprint instead
            lo, hi = station.boundary.bounds[0][:2], station.boundary.bounds[1][:2]
        door = next((f for f in station.fixtures if f.kind == "hatch"), None)
        hatch = tuple(door.position[:2]) if door is not None else None
        width = door.length if door is not None and door.length > 0 else 1.0
        bounds = (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))
        return cls(segments, hatch, width, bounds)


@dataclass
class CueView:
    """What one cue's top view shows; positions in metres, module frame."""

    path_before: Sequence[Sequence[float]]  # actor positions from cue - WINDOW to the cue
    path_after: Sequence[Sequence[float]]  # from the cue to cue + WINDOW
    position: Sequence[float]  # the actor on the cue
    target: Sequence[float] | None = None  # fixture, prop, actor or camera the cue names
    target_label: str = ""
    target_path: Sequence[Sequence[float]] = ()  # a prop or actor the cue catches or throws
    direction: Sequence[float] | None = None  # unit vector of a push-off or throw
    warnings: list[Sequence[float]] = field(default_factory=list)  # where warnings happened
    failed: bool = False  # the cue was impossible: the actor's marker is drawn in red
    tether: float | None = None  # m: a tether's length, drawn as a circle around the target


def top_view(outline: CabinOutline, view: CueView, size: float) -> Drawing:
    """A ``size`` × ``size`` point drawing of one cue."""
    drawing = Drawing(size, size)
    x_min, y_min, x_max, y_max = outline.bounds
    margin = 0.25  # m around the interior
    span = max(x_max - x_min, y_max - y_min) + 2 * margin
    scale = size / span
    cx, cy = (x_min + x_max) / 2, (y_min + y_max) / 2

    def at(point: Sequence[float]) -> tuple[float, float]:
        return (size / 2 + (point[0] - cx) * scale, size / 2 + (point[1] - cy) * scale)

    drawing.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None))
    for a, b in outline.segments:
        (x0, y0), (x1, y1) = at(a), at(b)
        drawing.add(Line(x0, y0, x1, y1, strokeColor=OUTLINE, strokeWidth=0.6))
    if outline.hatch is not None:
        hx, hy = at(outline.hatch)
        half = outline.hatch_width / 2 * scale
        drawing.add(Rect(hx - 2, hy - half, 3, 2 * half, fillColor=HATCH, strokeColor=None))
        drawing.add(String(hx, hy - half - 6, "hatch", fontSize=4.5, textAnchor="end"))
    # The module centre and the axes, for orientation.
    ox, oy = at((0.0, 0.0))
    drawing.add(Line(ox - 2, oy, ox + 2, oy, strokeColor=OUTLINE, strokeWidth=0.3))
    drawing.add(Line(ox, oy - 2, ox, oy + 2, strokeColor=OUTLINE, strokeWidth=0.3))
    gx, gy, arm = 4.0, size - 12.0, 8.0
    for (tx, ty), label, (lx, ly) in (
        ((gx + arm, gy), "+X", (gx + arm + 1.5, gy - 1.5)),
        ((gx, gy + arm), "+Y", (gx + 2.0, gy + arm - 1.5)),
    ):
        drawing.add(Line(gx, gy, tx, ty, strokeColor=OUTLINE, strokeWidth=0.5))
        _arrow_head(drawing, (gx, gy), (tx, ty), OUTLINE, 2.0)
        drawing.add(String(lx, ly, label, fontSize=4.5, fillColor=OUTLINE))

    _polyline(drawing, [at(p) for p in view.path_before], BEFORE, dashed=True)
    after = [at(p) for p in view.path_after]
    _polyline(drawing, after, AFTER)
    if len(after) >= 2:
        _arrow_head(drawing, after[-2], after[-1], AFTER, 3.0)

    moving = [at(p) for p in view.target_path]
    _polyline(drawing, moving, TARGET, width=0.6)
    if len(moving) >= 2:
        _arrow_head(drawing, moving[-2], moving[-1], TARGET, 2.5)

    if view.target is not None and view.tether is not None:
        # The tether's reach, drawn only where it is inside the cabin.
        angles = np.linspace(0.0, 2.0 * math.pi, 181)
        ring = np.column_stack(
            [
                view.target[0] + view.tether * np.cos(angles),
                view.target[1] + view.tether * np.sin(angles),
            ]
        )
        keep = outline.inside(ring)
        run: list[tuple[float, float]] = []
        for point, kept in zip(ring, keep, strict=True):
            if kept:
                run.append(at(point))
            else:
                _polyline(drawing, run, TARGET, dashed=True, width=0.5)
                run = []
        _polyline(drawing, run, TARGET, dashed=True, width=0.5)

    if view.target is not None:
        tx, ty = at(view.target)
        r = 2.6
        drawing.add(
            Polygon(
                [tx, ty + r, tx + r, ty, tx, ty - r, tx - r, ty],
                fillColor=TARGET,
                strokeColor=None,
            )
        )
        if view.target_label:
            anchor = "end" if tx > size * 0.7 else "start"
            dx = -4 if anchor == "end" else 4
            drawing.add(String(tx + dx, ty + 1.0, view.target_label, fontSize=5, textAnchor=anchor))

    px, py = at(view.position)
    if view.direction is not None:
        d = np.asarray(view.direction, dtype=float)
        horizontal = math.hypot(d[0], d[1])
        if horizontal > 0.05:
            tip = (
                view.position[0] + d[0] * ARROW_LENGTH,
                view.position[1] + d[1] * ARROW_LENGTH,
            )
            tx, ty = at(tip)
            drawing.add(Line(px, py, tx, ty, strokeColor=AIM, strokeWidth=1.0))
            _arrow_head(drawing, (px, py), (tx, ty), AIM, 3.5)
        if abs(d[2]) > 0.5:  # mostly up or down: the top view hides it, so say it
            word = "up" if d[2] > 0 else "down"
            drawing.add(String(px + 4, py + 3, word, fontSize=5, fillColor=AIM))

    for where in view.warnings:
        wx, wy = at(where)
        drawing.add(Line(wx - 2.5, wy - 2.5, wx + 2.5, wy + 2.5, strokeColor=WARNING))
        drawing.add(Line(wx - 2.5, wy + 2.5, wx + 2.5, wy - 2.5, strokeColor=WARNING))

    drawing.add(
        Circle(
            px,
            py,
            2.4,
            fillColor=WARNING if view.failed else AFTER,
            strokeColor=colors.white,
            strokeWidth=0.5,
        )
    )
    drawing.add(String(3, 3, f"z {view.position[2]:+.1f} m", fontSize=4.5, fillColor=OUTLINE))
    bar = 1.0 * scale  # a one-metre scale bar
    drawing.add(Line(size - 3 - bar, 4, size - 3, 4, strokeColor=OUTLINE, strokeWidth=0.6))
    drawing.add(
        String(size - 3 - bar / 2, 6, "1 m", fontSize=4.5, textAnchor="middle", fillColor=OUTLINE)
    )
    return drawing


def _polyline(
    drawing: Drawing, points: list[tuple[float, float]], color, dashed=False, width=0.9
) -> None:
    if len(points) < 2:
        return
    flat = [c for point in points for c in point]
    drawing.add(
        PolyLine(
            flat,
            strokeColor=color,
            strokeWidth=width,
            strokeDashArray=[2, 1.5] if dashed else None,
        )
    )


def _arrow_head(drawing: Drawing, start, end, color, length: float) -> None:
    dx, dy = end[0] - start[0], end[1] - start[1]
    norm = math.hypot(dx, dy)
    if norm < 1e-6:
        return
    ux, uy = dx / norm, dy / norm
    bx, by = end[0] - ux * length, end[1] - uy * length
    half = length * 0.5
    drawing.add(
        Polygon(
            [end[0], end[1], bx - uy * half, by + ux * half, bx + uy * half, by - ux * half],
            fillColor=color,
            strokeColor=None,
        )
    )
