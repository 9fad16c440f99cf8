"""The page every printed SEE-1 Previs document uses: landscape A4, 10 mm margins."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate

PAGE = landscape(A4)
MARGIN = 10 * mm


def landscape_document(
    target: Path | BinaryIO, title: str, bottom_margin: float = MARGIN
) -> SimpleDocTemplate:
    """A document written to ``target`` (a path, or a buffer to be saved atomically) on the
    house page; ``bottom_margin`` leaves room for a footer."""
    return SimpleDocTemplate(
        str(target) if isinstance(target, Path) else target,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=bottom_margin,
        title=title,
        author="SEE-1 Previs",
    )
