"""The shot list CSV read back with the csv module: the 1st AD's columns, header line, order."""

from __future__ import annotations

import csv
import datetime

from see1previs.core import commands as cmd
from see1previs.export.shot_list_csv import (
    COLUMNS,
    HEADER_MARK,
    shot_list_header,
    shot_list_rows,
    write_shot_list_csv,
)
from tests.export import builders

SHOTS = [
    {
        "id": "SH020",
        "name": "20A",
        "camera": "CAM-A",
        "start": 0.5,
        "end": 1.5,
        "order": 2,
        "description": "Mia catches the ball",
        "notes": "slow push, zoom in",
    },
    {"id": "SH010", "name": "10", "camera": "CAM-A", "start": 1.0, "end": 1.03, "order": 1},
    # Just added: order 0 lists after the numbered shots, as on screen.
    {"id": "pickup", "camera": "CAM-A", "start": 0.0, "end": 2.0, "order": 0},
]
CREW = (
    "shot",
    "size",
    "angle",
    "movement",
    "camera_lens",
    "support",
    "cast",
    "props",
    "description",
    "duration_s",
    "notes",
)


def read(path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader([handle.readline()]))
        return header, list(csv.DictReader(handle))


def write(tmp_path, analysis=None):
    scene = builders.make_scene(shots=SHOTS)
    rows = shot_list_rows(scene, builders.make_tracks(scene), analysis=analysis)
    header = shot_list_header(scene, version="v3", date=datetime.date(2026, 12, 6))
    write_shot_list_csv(rows, tmp_path / "shots.csv", header)
    return scene, read(tmp_path / "shots.csv")


def test_header_line_then_the_crews_columns_first(tmp_path):
    _, (header, rows) = write(tmp_path)
    assert header == [
        HEADER_MARK,
        "production",
        "Export test",
        "version",
        "v3",
        "date",
        "2026-12-06",
    ]
    assert tuple(rows[0])[: len(CREW)] == CREW
    assert list(rows[0]) == list(COLUMNS)


def test_rows_in_the_order_the_shot_list_on_screen_shows(tmp_path):
    scene, (_, rows) = write(tmp_path)
    assert [row["shot_id"] for row in rows] == cmd.shooting_order(scene)
    assert [row["shot_id"] for row in rows] == ["SH010", "SH020", "pickup"]
    # Scene/setup numbers: the name's number; the unnamed shot gets one derived from the
    # most used scene number (10 and 20 tie: the first) and the next free setup letter.
    assert [row["shot"] for row in rows] == ["10", "20A", "10A"]


def test_every_column_filled_from_scene_tracks_and_analysis(tmp_path):
    _, (_, rows) = write(
        tmp_path,
        analysis={
            "SH020": {
                "framing": "MS",
                "angle": "eye level",
                "movement": "static",
                "subjects": "mia, ball, crate-1",
                "warnings": "CAM-B in frame",
            }
        },
    )
    first, second, _ = rows
    assert first["lens_mm"] == "37"  # one frame (frame 24 at 1.0 s): 24 + 26 / 2 mm
    assert first["frames"] == "1"
    assert second["size"] == "MS"
    assert second["angle"] == "eye level"
    assert second["movement"] == "static"
    assert second["camera_lens"] == (
        "CAM-A camera: ARRI Alexa Mini LF, Zoom 24-50 mm, 30.5->43.5 mm f/2.8"
    )
    assert second["support"] == "fixed, free-standing point"
    assert second["cast"] == "Mia"
    assert second["props"] == "ball, crate-1"
    assert second["description"] == "Mia catches the ball"
    assert second["duration_s"] == "1.000"
    assert second["frames"] == "24"  # 1 s at 24 fps: the out point is not in the cut
    assert second["notes"] == "slow push, zoom in"
    assert second["sensor_mm"] == "36.70 x 25.54"
    assert second["body"] == "ARRI Alexa Mini LF, Open Gate"
    assert second["focus_m"] == "1.45->1.95"
    assert second["f_stop"] == "2.8"
    assert (second["tc_in"], second["tc_out"]) == ("00:00:00:12", "00:00:01:12")
    assert second["warnings"] == "CAM-B in frame"
