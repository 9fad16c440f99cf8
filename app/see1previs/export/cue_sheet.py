"""An actor's cue sheet: a printable PDF of every cue one performer plays, in acting order.

Landscape A4 for rehearsal, in the shot list's page style. A header names the actor, the
scene, where and how the actor starts; then one row per cue: timecode, the action in words
("Push off H5 toward camera CAM-E at 0.40 m/s"), the fixture or target, the direction as a
heading in the module frame, the speed, what became of the cue in the bake (ok, warning,
impossible and why) and a small top view of the cabin around that moment. Last, the blocking
report's warnings for that actor.

:func:`write_cue_sheet_pdf` is the pure writer (scene, actor, blocking report, trajectory,
station); :func:`write_cue_sheet` takes a bake result and builds the blocking report itself,
for the command line and the application.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from reportlab.lib import colors
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from see1previs.core.cue_sequence import default_limb
from see1previs.core.scene import (
    Actor,
    CatchCue,
    GrabCue,
    HoldCue,
    PoseCue,
    PushOffCue,
    ReleaseCue,
    Scene,
    TetherCue,
    ThrowCue,
    actor_cues,
)
from see1previs.core.scene_cues import WALL
from see1previs.export.cue_sheet_diagram import WINDOW, CabinOutline, CueView, top_view
from see1previs.export.files import ExportError, atomic_file
from see1previs.export.pdf_document import PAGE, landscape_document
from see1previs.physics.cue_checks import camera_position
from see1previs.station.model import Station

DIAGRAM_SIZE = 34 * mm
PATH_STEP = 1 / 12  # s between samples of the actor's path in a top view

OUTCOME_COLORS = {"ok": "#2e7d32", "warning": "#b7791f", "impossible": "#b03a2e"}

WARNING_KINDS = {
    "missed_catch": "Missed catch",
    "unreachable": "Out of reach",
    "hard_contact": "Hard contact",
    "head_strike": "Head strike",
    "tether_taut": "Tether taut",
    "pose_not_held": "Pose not held",
    "vestibule": "In the vestibule",
    "impossible_cue": "Impossible cue",
    "cue_warning": "Cue not as written",
}

# Module-frame axes in the crew's words: +X is the main hatch, -X the stage (foot restraints).
_AXIS_WORDS = (
    ("+X (hatch)", "-X (stage)"),
    ("+Y", "-Y"),
    ("+Z (up)", "-Z (down)"),
)


@dataclass(frozen=True)
class CueSheetRow:
    """One cue as printed: every field already in words."""

    number: int  # 1, 2, ... in acting order
    index: int  # position in scene.cues
    cue_id: str
    time: float  # s, as written
    timecode: str
    action: str
    fixture: str  # fixture or target involved, in words
    direction: str  # heading, or "" when the cue has none
    speed: str  # "0.40 m/s", or "" when the cue has none
    outcome: str  # "ok" | "warning" | "impossible" | "not baked"
    reason: str


def check_actor(scene: Scene, actor_id: str) -> Actor:
    """The actor with this id, or an ExportError naming the closest ids."""
    for actor in scene.actors:
        if actor.id == actor_id:
            return actor
    ids = [actor.id for actor in scene.actors]
    if not ids:
        raise ExportError(f"scene '{scene.title}' has no actors, so there is no cue sheet to print")
    close = difflib.get_close_matches(actor_id, ids, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise ExportError(
        f"no actor '{actor_id}' in scene '{scene.title}'{hint}; its actors are: {', '.join(ids)}"
    )


def write_cue_sheet(
    scene: Scene, actor_id: str, result: Any, out_path: Path | str
) -> tuple[list[CueSheetRow], list[Any]]:
    """Write ``actor_id``'s cue sheet from a bake result (``simulate(...)``'s BakeResult).

    Returns what the sheet lists: its cue rows and the actor's blocking warnings.
    """
    from see1previs.physics.blocking_report import blocking_report

    check_actor(scene, actor_id)
    report = blocking_report(scene, result.trajectory, result.station)
    write_cue_sheet_pdf(scene, actor_id, report, result.trajectory, result.station, out_path)
    rows = cue_sheet_rows(scene, actor_id, report, result.trajectory, result.station)
    return rows, report.for_actor(actor_id)[1]


def cue_sheet_rows(
    scene: Scene, actor_id: str, report: Any, trajectory: Any, station: Station
) -> list[CueSheetRow]:
    """The table rows: one per cue of the actor, in the order the cues act."""
    lines = {line.index: line for line in report.for_actor(actor_id)[0]}
    rate = scene.frame_rate
    rows = []
    for number, (index, cue) in enumerate(actor_cues(scene, actor_id), start=1):
        line = lines.get(index)
        direction = _direction(scene, station, trajectory, cue, line)
        outcome = line.outcome if line is not None else "not baked"
        reason = line.reason if line is not None else "no result for this cue in the bake"
        if (
            line is not None
            and line.outcome != "impossible"
            and line.at is not None
            and abs(line.at - cue.time) > 0.02
        ):
            reason += f" (took effect at {rate.timecode(rate.frame_at(line.at))})"
        rows.append(
            CueSheetRow(
                number=number,
                index=index,
                cue_id=cue.id,
                time=cue.time,
                timecode=rate.timecode(rate.frame_at(cue.time)),
                action=_action(scene, station, cue),
                fixture=_involved(scene, station, cue),
                direction=heading(direction) if direction is not None else "",
                speed=_speed(cue, line),
                outcome=outcome,
                reason=reason,
            )
        )
    return rows


def write_cue_sheet_pdf(
    scene: Scene,
    actor_id: str,
    report: Any,
    trajectory: Any,
    station: Station,
    path: Path | str,
) -> None:
    """Write the PDF atomically: ``path`` gets the whole sheet or stays as it was."""
    actor = check_actor(scene, actor_id)
    rows = cue_sheet_rows(scene, actor_id, report, trajectory, station)
    warnings = report.for_actor(actor_id)[1]
    outline = CabinOutline.of(station)
    cues = dict(actor_cues(scene, actor_id))
    lines = {line.index: line for line in report.for_actor(actor_id)[0]}
    name = actor.name or actor.id

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9)
    bold = styles["BodyText"].clone("bold", fontSize=8, leading=10, fontName="Helvetica-Bold")
    title = styles["Title"].clone("sheet_title", fontSize=16, leading=19, spaceAfter=4)
    rate = scene.frame_rate
    story: list[Any] = [
        Paragraph(f"Cue sheet — {_escape(name)}", title),
        Paragraph(
            f"<b>{_escape(scene.title)}</b> · actor '{_escape(actor.id)}' · "
            f"{_describe_actor(actor)} · {_count(len(rows), 'cue')} in acting order · "
            f"{rate} · {scene.duration:g} s",
            small,
        ),
        Paragraph(
            "Timecode HH:MM:SS:FF from the start of the scene. Positions in metres, SEE-1 module "
            "frame: +X toward the main hatch, -X toward the stage, +Z the studio's up. "
            "Top views look down on the cabin: +X right, +Y up the page; the path 2 s before "
            "the cue is dashed grey, 2 s after solid blue; the dot is the actor on the cue (red "
            "if the cue is impossible), the orange diamond the fixture or target, the thin "
            "orange line a prop caught or thrown, a dashed orange circle a tether's reach, the "
            "green arrow a push or throw, a red cross a warning.",
            small,
        ),
        Spacer(1, 3 * mm),
    ]
    header = ["Cue", "Time", "Action", "Fixture / target", "Direction", "Speed", "Outcome"]
    table_rows: list[list[Any]] = [[Paragraph(h, bold) for h in header] + [Paragraph("", bold)]]
    for row in rows:
        cue = cues[row.index]
        view = _cue_view(scene, station, trajectory, actor_id, cue, lines.get(row.index), warnings)
        colour = OUTCOME_COLORS.get(row.outcome, "#6b7280")
        table_rows.append(
            [
                Paragraph(f"<b>{row.number}</b><br/>{_escape(row.cue_id)}", small),
                Paragraph(f"<b>{row.timecode}</b><br/>{row.time:.2f} s", small),
                Paragraph(_escape(row.action), small),
                Paragraph(_escape(row.fixture), small),
                Paragraph(_escape(row.direction).replace("\n", "<br/>"), small),
                Paragraph(_escape(row.speed).replace("\n", "<br/>"), small),
                Paragraph(
                    f"<font color='{colour}'><b>{row.outcome.upper()}</b></font><br/>"
                    f"{_escape(row.reason)}",
                    small,
                ),
                top_view(outline, view, DIAGRAM_SIZE),
            ]
        )
    if rows:
        table = Table(
            table_rows,
            colWidths=[
                22 * mm,
                23 * mm,
                56 * mm,
                42 * mm,
                34 * mm,
                18 * mm,
                42 * mm,
                DIAGRAM_SIZE + 4 * mm,
            ],
            repeatRows=1,
        )
        table.setStyle(_TABLE_STYLE)
        story.append(table)
    else:
        story.append(Paragraph(f"{_escape(name)} has no cues in this scene.", styles["BodyText"]))

    story += [Spacer(1, 5 * mm), Paragraph(f"Warnings for {_escape(name)}", styles["Heading2"])]
    if warnings:
        warning_rows: list[list[Any]] = [
            [Paragraph(h, bold) for h in ("Time", "Warning", "What happened")]
        ]
        for warning in warnings:
            warning_rows.append(
                [
                    Paragraph(
                        f"<b>{rate.timecode(rate.frame_at(warning.time))}</b><br/>"
                        f"{warning.time:.2f} s",
                        small,
                    ),
                    Paragraph(_escape(warning_kind(warning.kind)), small),
                    Paragraph(_escape(warning.message), small),
                ]
            )
        warning_table = Table(warning_rows, colWidths=[25 * mm, 32 * mm, 220 * mm], repeatRows=1)
        warning_table.setStyle(_TABLE_STYLE)
        story.append(warning_table)
    else:
        story.append(Paragraph(f"The blocking report has no warnings for {_escape(name)}.", small))

    footer = f"SEE-1 Previs · cue sheet · {name} · {scene.title}"

    def on_page(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.HexColor("#6b7280"))
        canvas.drawString(10 * mm, 6 * mm, footer)
        canvas.drawRightString(PAGE[0] - 10 * mm, 6 * mm, f"page {document.page}")
        canvas.restoreState()

    with atomic_file(path) as temp:
        document = landscape_document(
            temp, f"Cue sheet — {name} — {scene.title}", bottom_margin=12 * mm
        )
        document.build(story, onFirstPage=on_page, onLaterPages=on_page)


_TABLE_STYLE = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#2b2f36")),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa0a6")),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
)


# ---- words ---------------------------------------------------------------------------------
def heading(direction: Sequence[float]) -> str:
    """A direction in the module frame as people say it: main axes first, then the vector.

    ``(0.5, -0.87, 0)`` reads "toward -Y, +X (hatch)" with the unit vector on a second line.
    """
    d = np.asarray(direction, dtype=float)
    d = d / np.linalg.norm(d)
    order = sorted(range(3), key=lambda axis: -abs(d[axis]))
    words = [
        _AXIS_WORDS[axis][0 if d[axis] > 0 else 1]
        for rank, axis in enumerate(order)
        if rank == 0 or abs(d[axis]) >= 0.3
    ]
    return f"toward {', '.join(words)}\n({d[0]:+.2f}, {d[1]:+.2f}, {d[2]:+.2f})"


def warning_kind(kind: str) -> str:
    return WARNING_KINDS.get(kind, kind.replace("_", " ").capitalize())


def cue_sentence(scene: Scene, station: Station, cue: Any) -> str:
    """An actor cue as the cue sheet says it ("Push off H6 toward Mika (host) at 0.25 m/s")."""
    return _action(scene, station, cue)


def _action(scene: Scene, station: Station, cue: Any) -> str:
    if isinstance(cue, PushOffCue):
        surface = "the wall" if cue.surface == WALL else cue.surface
        return f"Push off {surface} {_aim_words(scene, station, cue)} at {cue.speed:.2f} m/s"
    if isinstance(cue, HoldCue):
        return f"Hold {cue.fixture} with {_limb_words(default_limb(cue))}"
    if isinstance(cue, ReleaseCue) and cue.target is not None:
        return f"Let go of {_thing(scene, station, cue.target)}"
    if isinstance(cue, ReleaseCue):
        return f"Let go of {cue.fixture}"
    if isinstance(cue, GrabCue):
        return f"Take {_thing(scene, station, cue.target)} in the {cue.hand} hand"
    if isinstance(cue, CatchCue):
        return (
            f"Catch {_thing(scene, station, cue.target)} with the {cue.hand} hand "
            f"(within ±{cue.window:g} s)"
        )
    if isinstance(cue, ThrowCue):
        return (
            f"Throw {_thing(scene, station, cue.prop)} {_aim_words(scene, station, cue)} "
            f"at {cue.speed:.2f} m/s"
        )
    if isinstance(cue, TetherCue):
        until = f", unclipped at {cue.until:g} s" if cue.until is not None else ""
        return f"Clip the tether to {cue.fixture}, {cue.length:g} m long{until}"
    if isinstance(cue, PoseCue):
        joints = _count(len(cue.joints), "joint change") if cue.joints else ""
        if cue.pose is None:
            return f"Change pose: {joints} over {cue.duration:g} s"
        extra = f" with {joints}" if joints else ""
        return f"Move into {cue.pose}{extra} over {cue.duration:g} s"
    return cue.type.replace("_", " ").capitalize()


def _aim_words(scene: Scene, station: Station, cue: PushOffCue | ThrowCue) -> str:
    if cue.toward is not None:
        return f"toward {_thing(scene, station, cue.toward)}"
    return "along " + heading(cue.direction).split("\n")[0].removeprefix("toward ")


def _involved(scene: Scene, station: Station, cue: Any) -> str:
    """The fixture or target a cue involves, in words."""
    parts = []
    fixture_id = getattr(cue, "fixture", None) or getattr(cue, "surface", None)
    if fixture_id == WALL:
        parts.append("the bare wall")
    elif fixture_id is not None:
        parts.append(_fixture_words(station, fixture_id))
    for field in ("target", "prop"):
        if getattr(cue, field, None) is not None:
            parts.append(_thing(scene, station, getattr(cue, field), with_id=True))
    if getattr(cue, "toward", None) is not None:
        parts.append(f"aim: {_thing(scene, station, cue.toward, with_id=True)}")
    return "; ".join(parts)


def _fixture_words(station: Station, fixture_id: str) -> str:
    fixture = next((f for f in station.fixtures if f.id == fixture_id), None)
    if fixture is None:
        return fixture_id
    return f"{fixture.name}" if fixture_id in fixture.name else f"{fixture_id}: {fixture.name}"


def _thing(scene: Scene, station: Station, item: str, with_id: bool = False) -> str:
    """A body, camera or fixture id as the crew would name it (with the file's id if asked)."""
    for body in scene.bodies():
        if body.id == item:
            if not body.name or body.name == item:
                return item
            if not with_id:
                return body.name
            return f"{body.name}, {item}" if ")" in body.name else f"{body.name} ({item})"
    if any(camera.id == item for camera in scene.cameras):
        return f"camera {item}"
    return item


def _limb_words(limb: str) -> str:
    return {"feet": "the feet", "both_hands": "both hands"}.get(
        limb, f"the {limb.split('_')[0]} hand"
    )


def _speed(cue: Any, line: Any) -> str:
    if isinstance(cue, PushOffCue):
        text = f"{cue.speed:.2f} m/s"
        reached = (line.details or {}).get("speed") if line is not None else None
        if reached is not None and abs(reached - cue.speed) > 0.05 * cue.speed:
            text += f"\nreached {reached:.2f}"
        return text
    if isinstance(cue, ThrowCue):
        return f"{cue.speed:.2f} m/s"
    return ""


def _describe_actor(actor: Actor) -> str:
    x, y, z = actor.pose.position
    body = "humanoid" if actor.body == "humanoid" else "placeholder body"
    posture = f" in {actor.posture} posture" if actor.body == "humanoid" else ""
    return (
        f"{body} {actor.height:.2f} m, {actor.mass:g} kg, starts at "
        f"({x:+.2f}, {y:+.2f}, {z:+.2f}) m{posture}"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---- geometry ------------------------------------------------------------------------------
def _position_of(
    scene: Scene, station: Station, trajectory: Any, item: str, t: float
) -> np.ndarray | None:
    """Where a body, camera or fixture is at ``t``, or None if the id is none of them."""
    if item in trajectory.body_ids:
        return np.asarray(trajectory.pose(item, t)[0], dtype=float)
    if any(camera.id == item for camera in scene.cameras):
        return camera_position(scene, station, item, t, lambda body: trajectory.pose(body, t)[0])
    fixture = next((f for f in station.fixtures if f.id == item), None)
    return np.array(fixture.position, dtype=float) if fixture is not None else None


def _direction(
    scene: Scene, station: Station, trajectory: Any, cue: Any, line: Any
) -> np.ndarray | None:
    """Where a push-off or throw sends the actor or prop: as baked, else as written."""
    if not isinstance(cue, PushOffCue | ThrowCue):
        return None
    used = (line.details or {}).get("direction") if line is not None else None
    if used is not None:
        return np.asarray(used, dtype=float)
    if cue.direction is not None:
        vector = np.asarray(cue.direction, dtype=float)
    else:
        origin_id = cue.actor if isinstance(cue, PushOffCue) else cue.prop
        target = _position_of(scene, station, trajectory, cue.toward, cue.time)
        if target is None or origin_id not in trajectory.body_ids:
            return None
        vector = target - np.asarray(trajectory.pose(origin_id, cue.time)[0])
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 1e-9 else None


def _cue_view(
    scene: Scene,
    station: Station,
    trajectory: Any,
    actor_id: str,
    cue: Any,
    line: Any,
    warnings: Sequence[Any],
) -> CueView:
    t = cue.time
    end = min(scene.duration, trajectory.duration)

    def path(body: str, start: float, stop: float) -> list[np.ndarray]:
        start, stop = max(0.0, start), min(end, stop)
        if stop <= start or body not in trajectory.body_ids:
            return []
        count = max(2, math.ceil((stop - start) / PATH_STEP) + 1)
        return [trajectory.pose(body, s)[0] for s in np.linspace(start, stop, count)]

    target_id = None
    if isinstance(cue, ReleaseCue) and cue.target is not None:
        target_id = cue.target
    elif isinstance(cue, HoldCue | ReleaseCue | TetherCue):
        target_id = cue.fixture
    elif isinstance(cue, PushOffCue):
        target_id = cue.surface if cue.surface != WALL else cue.toward
    elif isinstance(cue, GrabCue | CatchCue):
        target_id = cue.target
    elif isinstance(cue, ThrowCue):
        target_id = cue.toward
    target = (
        _position_of(scene, station, trajectory, target_id, t) if target_id is not None else None
    )
    moving = cue.prop if isinstance(cue, ThrowCue) else getattr(cue, "target", None)
    nearby = [w.position for w in warnings if w.position is not None and abs(w.time - t) <= WINDOW]
    return CueView(
        path_before=path(actor_id, t - WINDOW, t),
        path_after=path(actor_id, t, t + WINDOW),
        position=trajectory.pose(actor_id, min(t, end))[0],
        target=target,
        target_label=target_id or "",
        target_path=path(moving, t - WINDOW, t + WINDOW) if moving is not None else [],
        direction=_direction(scene, station, trajectory, cue, line),
        warnings=nearby,
        failed=line is not None and line.outcome == "impossible",
        tether=cue.length if isinstance(cue, TetherCue) else None,
    )
