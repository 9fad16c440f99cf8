"""The shot list as CSV, for the call sheet and spreadsheets: the PDF's columns, one row per
shot in shooting order (the columns are described in :mod:`see1previs.export.shot_list`).

The first line holds the header — production, version and date — as cells of one row
starting with ``#``: a spreadsheet shows it as the top row, above the column names, and a
program skips it (``pd.read_csv(path, skiprows=1)``, or drop the lines starting with ``#``;
``comment="#"`` would also cut a note at a ``#``). Then one row of column names, then the
shots. UTF-8, each column name carries its unit (``duration_s``, ``sensor_mm``, ``lens_mm``,
``focus_m``); a lens or focus value that changes during the shot is written ``start->end``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable
from pathlib import Path

from see1previs.export.files import write_text
from see1previs.export.shot_list import (
    COLUMNS,
    ShotListHeader,
    ShotListRow,
    shot_list_header,
    shot_list_rows,
)

HEADER_MARK = "# SEE-1 Previs shot list"

__all__ = [
    "COLUMNS",
    "HEADER_MARK",
    "ShotListHeader",
    "ShotListRow",
    "shot_list_header",
    "shot_list_rows",
    "write_shot_list_csv",
]


def write_shot_list_csv(
    rows: Iterable[ShotListRow], path: Path | str, header: ShotListHeader | None = None
) -> None:
    """Write the header line (when given), the column names and the rows in the order given."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header is not None:
        writer.writerow(
            [
                HEADER_MARK,
                "production",
                _one_line(header.production),
                "version",
                _one_line(header.version),
                "date",
                header.date,
            ]
        )
    writer.writerow(COLUMNS)
    for row in rows:
        values = dataclasses.astuple(row)
        writer.writerow(_cell(name, value) for name, value in zip(COLUMNS, values, strict=True))
    write_text(path, buffer.getvalue())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(name: str, value: object) -> str:
    if name == "f_stop":
        return f"{value:g}"
    if name == "duration_s":
        return f"{value:.3f}"
    return str(value)
