"""How a cue looks on the timeline: its type's icon in a diamond ringed by its outcome.

The outcome comes from the current bake (the blocking report's cue lines): green when the
actor can do it, amber for a warning, red when it is impossible, grey while the bake does
not cover the cue yet. The tooltip is the cue-sheet sentence a performer would read, with
the outcome's reason.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from see1previs.export.cue_sheet import cue_sentence
from see1previs.gui import theme
from see1previs.gui.icons import icon
from see1previs.session.session import Session

OUTCOME_COLOURS = {
    "ok": QColor("#4caf6a"),
    "warning": QColor("#e0a53a"),
    "impossible": QColor("#e0504a"),
    "pending": QColor("#6b7280"),
}
OUTCOME_WORDS = {
    "ok": "OK",
    "warning": "Warning",
    "impossible": "Impossible",
    "pending": "Not baked yet",
}


def cue_outcome(session: Session, cue) -> tuple[str, str]:
    """(ok | warning | impossible | pending, reason) of a cue in the session's bake."""
    bake = session.bake
    stale = session.stale_from
    if bake is None or (stale is not None and cue.time >= stale - 1e-9):
        return "pending", "the bake has not reached this cue yet"
    for line in bake.trajectory.metadata.get("cue_outcomes", []):
        if line.get("id") == cue.id:
            return str(line.get("outcome", "ok")), str(line.get("reason", ""))
    return "ok", ""


def sentence(session: Session, cue) -> str:
    """The cue in a performer's words (the cue sheet's sentence)."""
    if cue.type == "impulse":
        mass = session.scene.body(cue.target).mass
        speed = float(np.linalg.norm(cue.impulse)) / mass
        return f"Push {cue.target}: {float(np.linalg.norm(cue.impulse)):.3g} N·s ({speed:.2f} m/s)"
    if cue.type == "spin":
        rate = float(np.linalg.norm(cue.angular_velocity))
        return f"Spin {cue.target} at {np.degrees(rate):.0f}°/s"
    bake = session.bake
    station = bake.station if bake is not None else None
    if station is None:
        return cue.type.replace("_", " ").capitalize()
    try:
        return cue_sentence(session.scene, station, cue)
    except (KeyError, ValueError):
        return cue.type.replace("_", " ").capitalize()


def tooltip(session: Session, cue) -> str:
    rate = session.scene.frame_rate
    outcome, reason = cue_outcome(session, cue)
    stamp = rate.timecode(rate.frame_at(cue.time))
    colour = OUTCOME_COLOURS[outcome].name()
    lines = [
        f"<b>{html.escape(cue.id)}</b> &nbsp;{html.escape(cue.type.replace('_', ' '))} at {stamp}",
        html.escape(sentence(session, cue)),
        f"<span style='color:{colour}'>{OUTCOME_WORDS[outcome]}</span>"
        + (f": {html.escape(reason)}" if reason and outcome != "ok" else ""),
    ]
    return "<br>".join(lines)


def draw(painter: QPainter, centre: QPointF, radius: float, cue_type: str, outcome: str,
         chosen: bool) -> None:  # fmt: skip
    """A dark diamond ringed in the outcome colour with the type's icon on it; the accent
    colour rings a chosen cue."""
    diamond = QPainterPath()
    diamond.moveTo(centre.x(), centre.y() - radius)
    diamond.lineTo(centre.x() + radius, centre.y())
    diamond.lineTo(centre.x(), centre.y() + radius)
    diamond.lineTo(centre.x() - radius, centre.y())
    diamond.closeSubpath()
    colour = OUTCOME_COLOURS.get(outcome, OUTCOME_COLOURS["pending"])
    painter.fillPath(diamond, colour.darker(190))
    painter.setPen(QPen(theme.ACCENT if chosen else colour, 2))
    painter.drawPath(diamond)
    size = int(radius * 1.4)
    glyph = icon("cue-" + cue_type.replace("_", "-")).pixmap(size * 2, size * 2)
    painter.drawPixmap(QRectF(centre.x() - size / 2, centre.y() - size / 2, size, size), glyph,
                       QRectF(glyph.rect()))  # fmt: skip
