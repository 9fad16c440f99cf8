"""The shot list as a printable PDF, one row per shot with its storyboard frames.

Landscape A4 for the camera department's clipboard: a header with the scene, frame rate and
units, then each shot in shooting order — first, middle and last frame of its storyboard,
then camera, lens, stop, focus, framing, movement, subjects, timecodes, notes and warnings.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from PIL import Image
from reportlab.lib import colors
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image as FlowImage,
)
from reportlab.platypus import (
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from see1previs.core.scene import Scene
from see1previs.export.pdf_document import landscape_document
from see1previs.export.shot_list_csv import ShotListRow

THUMB_WIDTH = 40 * mm


def write_shot_list_pdf(
    path: Path | str,
    scene: Scene,
    rows: Sequence[ShotListRow],
    storyboards: Mapping[str, Sequence[Image.Image]],
) -> None:
    """Write the PDF; ``storyboards`` maps shot id to its frames (first, middle, last)."""
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9)
    bold = styles["BodyText"].clone("bold", fontSize=8, leading=10, fontName="Helvetica-Bold")
    story = [
        Paragraph(f"Shot list — {_escape(scene.title)}", styles["Title"]),
        Paragraph(
            f"{len(rows)} shots in shooting order · {scene.frame_rate} · "
            f"{scene.duration:g} s · positions in metres, SEE-1 module frame, lenses in mm",
            small,
        ),
        Spacer(1, 4 * mm),
    ]
    header = ["Storyboard (first · middle · last)", "Shot", "Camera & lens", "Framing", "Notes"]
    table_rows = [[Paragraph(h, bold) for h in header]]
    for row in rows:
        frames = storyboards.get(row.shot, [])
        thumbs = [_flow_image(image) for image in frames]
        board = Table([thumbs], colWidths=[THUMB_WIDTH] * max(1, len(thumbs))) if thumbs else ""
        table_rows.append(
            [
                board,
                Paragraph(
                    f"<b>{_escape(row.shot)}</b> {_escape(row.name)}<br/>"
                    f"{row.tc_in} – {row.tc_out}<br/>{row.duration_s:.2f} s, {row.frames} fr",
                    small,
                ),
                Paragraph(
                    f"<b>{_escape(row.camera)}</b> {_escape(row.body)}<br/>sensor "
                    f"{row.sensor_mm} mm<br/>{row.lens_mm} mm, f/{row.f_stop:g}, focus "
                    f"{row.focus_m} m",
                    small,
                ),
                Paragraph(
                    f"<b>{_escape(row.framing)}</b>, {_escape(row.movement)}<br/>"
                    f"{_escape(row.subjects)}",
                    small,
                ),
                Paragraph(
                    _escape(row.notes) + _warnings_markup(row.warnings),
                    small,
                ),
            ]
        )
    table = Table(
        table_rows,
        colWidths=[3 * THUMB_WIDTH + 4 * mm, 26 * mm, 40 * mm, 34 * mm, 53 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#2b2f36")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa0a6")),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story.append(table)
    document = landscape_document(path, f"Shot list — {scene.title}")
    document.build(story)


def _flow_image(image: Image.Image) -> FlowImage:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    width = THUMB_WIDTH - 2 * mm
    return FlowImage(buffer, width=width, height=width * image.height / image.width)


def _warnings_markup(warnings: str) -> str:
    if not warnings:
        return ""
    return f"<br/><font color='#b03a2e'><b>Warnings:</b> {_escape(warnings)}</font>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
