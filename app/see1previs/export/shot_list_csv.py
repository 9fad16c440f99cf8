"""The shot list as CSV: one row per shot in shooting order, for the call sheet and spreadsheet.

No comment lines, so it opens directly in any spreadsheet; each column name carries its unit
(``sensor_mm``, ``lens_mm``, ``focus_m``, ``duration_s``). A lens or focus value that changes
during the shot is written ``start->end`` (a zoom or a focus pull). ``framing``, ``movement``,
``subjects`` and ``warnings`` come from the shot analysis and are taken as given text.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from see1previs.core.scene import Scene
from see1previs.export.files import ExportError, write_text
from see1previs.export.shots import shooting_order, shot_frames

if TYPE_CHECKING:
    from see1previs.cinema.tracks import CameraTrack


@dataclass(frozen=True)
class ShotListRow:
    """One line of the shot list, as people read it."""

    shot: str
    name: str
    camera: str
    body: str
    sensor_mm: str  # "36.70 x 25.54"
    lens_mm: str  # "35", or "24->50" for a zoom during the shot
    f_stop: float
    focus_m: str  # "2.4", or "2.4->1.15" for a focus pull
    framing: str
    movement: str
    subjects: str
    tc_in: str
    tc_out: str
    duration_s: float  # out point minus in point
    frames: int  # frames covered, in and out included
    notes: str
    warnings: str


COLUMNS = tuple(field.name for field in dataclasses.fields(ShotListRow))


def write_shot_list_csv(rows: Iterable[ShotListRow], path: Path | str) -> None:
    """Write the rows, in the order given, under a header of :data:`COLUMNS`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        values = dataclasses.astuple(row)
        writer.writerow(_cell(name, value) for name, value in zip(COLUMNS, values, strict=True))
    write_text(path, buffer.getvalue())


def shot_list_rows(
    scene: Scene,
    tracks: Mapping[str, CameraTrack],
    analysis: Mapping[str, Mapping[str, str]] | None = None,
) -> list[ShotListRow]:
    """Rows for every shot of the scene in shooting order, lens and focus from the tracks.

    ``analysis`` maps a shot id to any of ``framing``, ``movement``, ``subjects`` and
    ``warnings``; what it does not give stays empty.
    """
    rows = []
    rate = scene.frame_rate
    for shot in shooting_order(scene.shots):
        track = tracks.get(shot.camera)
        if track is None:
            raise ExportError(
                f"shot '{shot.id}' uses camera '{shot.camera}', which has no evaluated track"
            )
        span = shot_frames(shot, rate)
        if span.last >= len(track.times):
            raise ExportError(
                f"shot '{shot.id}' runs past the end of camera '{shot.camera}''s track; bake "
                "and evaluate the whole scene before exporting"
            )
        frames = slice(span.first, span.last + 1)
        optics = track.optics
        extra = dict((analysis or {}).get(shot.id, {}))
        rows.append(
            ShotListRow(
                shot=shot.id,
                name=shot.name,
                camera=shot.camera,
                body=f"{optics.body_name}, {optics.mode_name}",
                sensor_mm=f"{optics.sensor_width_mm:.2f} x {optics.sensor_height_mm:.2f}",
                lens_mm=_range_text(track.focal_mm[frames], 1),
                f_stop=float(track.f_stop),
                focus_m=_range_text(track.focus_m[frames], 2),
                framing=extra.pop("framing", ""),
                movement=extra.pop("movement", ""),
                subjects=extra.pop("subjects", ""),
                tc_in=rate.timecode(span.first),
                tc_out=rate.timecode(span.last),
                duration_s=shot.end - shot.start,
                frames=span.count,
                notes=shot.notes,
                warnings=extra.pop("warnings", ""),
            )
        )
        if extra:
            raise ValueError(f"unknown shot analysis fields for '{shot.id}': {sorted(extra)}")
    return rows


def _range_text(values: np.ndarray, decimals: int) -> str:
    """One value, or 'first->last' when it changes (compared as shown, so noise is no pull)."""
    first, last = (f"{round(float(v), decimals):g}" for v in (values[0], values[-1]))
    return first if first == last else f"{first}->{last}"


def _cell(name: str, value: object) -> str:
    if name == "f_stop":
        return f"{value:g}"
    if name == "duration_s":
        return f"{value:.3f}"
    return str(value)
