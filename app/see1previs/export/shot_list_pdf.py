"""The shot list as a printable PDF, as a 1st AD hands it out, with each shot's storyboard.

Landscape A4. At the top: the production, the version and the date, then the scene's frame
rate and units. Then one block per shot in shooting order, kept on one page (only text
longer than a page splits), column headings on every page: a row
with the crew's columns — shot (scene/setup number), size, angle, movement, camera & lens,
support/rig, cast, props, description, duration, notes (warnings in red under the notes) —
and under it the shot's first, middle and last storyboard frames across the page, each
:data:`THUMB_WIDTH` wide so the burn-in (shot, camera, lens, timecode) reads on paper.

A number and its unit never part at a line break: the space between them is a no-break
space (``24 mm``, ``8.00 s``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from PIL import Image
from reportlab.lib import colors
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Image as FlowImage
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from see1previs.core.scene import Scene
from see1previs.export.pdf_document import MARGIN, PAGE, landscape_document
from see1previs.export.shot_list import ShotListHeader, ShotListRow, shot_list_header

NBSP = "\u00a0"
TEXT_WIDTH = PAGE[0] - 2 * MARGIN
THUMB_WIDTH = 86 * mm
"""A 640-pixel storyboard's 15-pixel burn-in prints 2 mm tall; two shots fit on a page."""
FRAME_GAP = (TEXT_WIDTH - 3 * THUMB_WIDTH) / 2
HEADINGS = (
    "Shot",
    "Size",
    "Angle",
    "Movement",
    "Camera & lens",
    "Support / rig",
    "Cast",
    "Props",
    "Description",
    "Duration",
    "Notes",
)
_WIDTHS_MM = (13, 13, 19, 18, 42, 25, 22, 22, 43, 19, 41)
COLUMN_WIDTHS = [w * TEXT_WIDTH / sum(_WIDTHS_MM) for w in _WIDTHS_MM]
_UNIT = re.compile(r"(\d)\s+(mm|m|s|fps|fr|frames|kg|°|%)(?![A-Za-z])")


def keep_units(text: str) -> str:
    """``text`` with a no-break space between each number and its unit."""
    return _UNIT.sub(lambda m: f"{m.group(1)}{NBSP}{m.group(2)}", text)


def write_shot_list_pdf(
    path: Path | str,
    scene: Scene,
    rows: Sequence[ShotListRow],
    storyboards: Mapping[str, Sequence[Image.Image]],
    header: ShotListHeader | None = None,
) -> None:
    """Write the PDF; ``storyboards`` maps shot id to its frames (first, middle, last)."""
    header = header or shot_list_header(scene)
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9)
    bold = styles["BodyText"].clone("bold", fontSize=7.5, leading=9, fontName="Helvetica-Bold")
    white = bold.clone("white", textColor=colors.white)
    story = [
        Paragraph(f"Shot list — {_text(header.production)}", styles["Title"]),
        Paragraph(
            f"<b>Production:</b> {_text(header.production)} · <b>Version:</b> "
            f"{_text(header.version)} · <b>Date:</b> {_text(header.date)}",
            small,
        ),
        Paragraph(
            _text(
                f"{len(rows)} shots in shooting order · {scene.frame_rate} · "
                f"{scene.duration:g} s · lenses in mm, durations in seconds"
            ),
            small,
        ),
        Spacer(1, 2 * mm),
    ]
    table_rows: list[list] = [[Paragraph(h, white) for h in HEADINGS]]
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#2b2f36")),
    ]
    for row in rows:
        text_row = len(table_rows)
        table_rows.append(_shot_cells(row, small, bold))
        board = _board(storyboards.get(row.shot_id, []))
        table_rows.append([board] + [""] * (len(HEADINGS) - 1))
        style += [
            ("SPAN", (0, text_row + 1), (-1, text_row + 1)),
            ("LEFTPADDING", (0, text_row + 1), (-1, text_row + 1), 0),
            ("TOPPADDING", (0, text_row + 1), (-1, text_row + 1), 1),
            ("BOTTOMPADDING", (0, text_row + 1), (-1, text_row + 1), 2 * mm),
            ("LINEBELOW", (0, text_row + 1), (-1, text_row + 1), 0.5, colors.HexColor("#9aa0a6")),
            # A shot's columns and its storyboard stay on one page...
            ("NOSPLIT", (0, text_row), (-1, text_row + 1)),
        ]
    # ...unless its text alone outgrows a page: then the text row splits across pages.
    table = Table(table_rows, colWidths=COLUMN_WIDTHS, repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle(style))
    story.append(table)
    landscape_document(path, f"Shot list — {scene.title}").build(story)


def _shot_cells(row: ShotListRow, small, bold) -> list[Paragraph]:
    """One shot's columns, in the order of :data:`HEADINGS`."""
    return [
        Paragraph(_text(row.shot), bold),
        Paragraph(_text(row.size), bold),
        Paragraph(_text(row.angle), small),
        Paragraph(_text(row.movement), small),
        Paragraph(_text(row.camera_lens), small),
        Paragraph(_text(row.support), small),
        Paragraph(_text(row.cast), small),
        Paragraph(_text(row.props), small),
        Paragraph(_text(row.description), small),
        Paragraph(_text(f"{row.duration_s:.2f} s") + f"<br/>{row.tc_in}<br/>{row.tc_out}", small),
        Paragraph(_text(row.notes) + _warnings_markup(row.warnings), small),
    ]


def _board(frames: Sequence[Image.Image]) -> Table | str:
    """The storyboard frames side by side across the page."""
    if not frames:
        return ""
    thumbs = [_flow_image(image) for image in frames]
    widths = [THUMB_WIDTH + FRAME_GAP] * (len(thumbs) - 1) + [THUMB_WIDTH]
    board = Table([thumbs], colWidths=widths, hAlign="LEFT")
    board.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-2, -1), FRAME_GAP),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return board


def _flow_image(image: Image.Image) -> FlowImage:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return FlowImage(buffer, width=THUMB_WIDTH, height=THUMB_WIDTH * image.height / image.width)


def _warnings_markup(warnings: str) -> str:
    if not warnings:
        return ""
    return f"<br/><font color='#b03a2e'><b>Warnings:</b> {_text(warnings)}</font>"


def _text(text: str) -> str:
    """Escaped for reportlab's markup, units kept with their numbers."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return keep_units(escaped)
