"""An actor's cue sheet PDF, read back with pypdf and rendered to pixels with pdftoppm.

The scene, the motion and the blocking report are written by hand here, so every expected
line (timecodes, order, headings, warnings) comes from this file, not from the app.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from see1previs.core.scene import Scene
from see1previs.export.cue_sheet import DIAGRAM_SIZE, heading, write_cue_sheet_pdf
from see1previs.export.files import ExportError
from see1previs.physics.blocking_report import BlockingReport, BlockingWarning, CueLine
from see1previs.physics.trajectory import Trajectory
from see1previs.station import load_station

START = {"mika": (-1.0, 0.5, 0.0), "ana": (0.8, -1.2, 0.3), "mug": (0.0, 0.0, 0.0)}


def make_scene(cues: list[dict], frame_rate=24) -> Scene:
    return Scene.model_validate(
        {
            "format": 2,
            "title": "Breakfast rehearsal",
            "frame_rate": frame_rate,
            "duration": 6.0,
            "props": [
                {
                    "id": "mug",
                    "name": "Coffee mug",
                    "shape": {"type": "sphere", "radius": 0.05},
                    "mass": 0.3,
                    "pose": {"position": list(START["mug"])},
                }
            ],
            "actors": [
                {"id": "mika", "name": "Mika Lind", "pose": {"position": list(START["mika"])}},
                {"id": "ana", "name": "Ana Ruiz", "pose": {"position": list(START["ana"])}},
            ],
            "cameras": [
                {
                    "id": "B",
                    "lens": "arri-signature-zoom-24-75",
                    "focal_length": 32.0,
                    "rig": {"type": "fixed", "mount": "CAM-B"},
                }
            ],
            "cues": cues,
        }
    )


# File order is not acting order: the sheet must sort by time.
CUES = [
    {"type": "release", "id": "let-go", "time": 2.0, "actor": "mika", "fixture": "H5"},
    {"type": "pose", "id": "settle", "time": 0.5, "actor": "mika", "pose": "tuck"},
    {
        "type": "push_off",
        "id": "launch",
        "time": 2.2,
        "actor": "mika",
        "surface": "H5",
        "speed": 0.4,
        "direction": [1.0, 0.0, 1.0],
    },
    {"type": "hold", "id": "grab-rail", "time": 1.25, "actor": "mika", "fixture": "H5"},
    {"type": "grab", "id": "take-mug", "time": 3.0, "actor": "mika", "target": "mug"},
    {
        "type": "throw",
        "id": "toss",
        "time": 4.5,
        "actor": "mika",
        "prop": "mug",
        "speed": 1.5,
        "toward": "ana",
    },
    {"type": "catch", "id": "ana-catch", "time": 5.5, "actor": "ana", "target": "mug"},
    {
        "type": "tether",
        "id": "ana-clip",
        "time": 0.25,
        "actor": "ana",
        "fixture": "H8",
        "length": 1.5,
        "until": 5.0,
    },
]
# (id, timecode at 24 fps) in acting order; 2.2 s is frame 52.8, so it shows in frame 52.
MIKA_ORDER = [
    ("settle", "00:00:00:12"),
    ("grab-rail", "00:00:01:06"),
    ("let-go", "00:00:02:00"),
    ("launch", "00:00:02:04"),
    ("take-mug", "00:00:03:00"),
    ("toss", "00:00:04:12"),
]


def still_trajectory(scene: Scene) -> Trajectory:
    """Everybody holds still at their start position for the whole scene."""
    rate = scene.frame_rate
    frames = rate.frame_count(scene.duration)
    times = np.array([rate.frame_time(k) for k in range(frames)])
    ids = [body.id for body in scene.bodies()]
    positions = np.tile(np.array([START[i] for i in ids], dtype=float), (frames, 1, 1))
    orientations = np.tile([1.0, 0.0, 0.0, 0.0], (frames, len(ids), 1))
    zeros = np.zeros_like(positions)
    return Trajectory(ids, Fraction(rate.fps), times, positions, orientations, zeros, zeros.copy())


def line(index: int, cue: dict, outcome="ok", reason="done", **extra) -> CueLine:
    return CueLine(
        index=index,
        id=cue["id"],
        type=cue["type"],
        actor=cue["actor"],
        time=cue["time"],
        outcome=outcome,
        reason=reason,
        at=cue["time"],
        **extra,
    )


def make_report() -> BlockingReport:
    lines = [
        line(0, CUES[0], reason="lets go of H5"),
        line(1, CUES[1], reason="moves into tuck over 1 s"),
        line(
            2,
            CUES[2],
            "warning",
            "pushes off H5 at 0.4 m/s; reached 0.31 m/s (something got in the way)",
            details={"direction": [0.7071, 0.0, 0.7071], "speed": 0.31},
        ),
        line(3, CUES[3], reason="holds H5"),
        line(4, CUES[4], "impossible", "'mug' is 1.20 m from the right hand (reach 0.15 m)"),
        line(5, CUES[5], "impossible", "'mug' is not in mika's hands at 4.50 s"),
        line(6, CUES[6], "impossible", "missed: the scene ended first"),
        line(7, CUES[7], reason="tethered to H8 (1.5 m)"),
    ]
    lines.sort(key=lambda cue: (cue.time, cue.index))
    warnings = [
        BlockingWarning(
            "hard_contact",
            "mika",
            2.9,
            "hits the wall at 0.74 m/s with the left foot (safe speed 0.5 m/s)",
            (-2.9, 0.5, 0.0),
        ),
        BlockingWarning("unreachable", "mika", 3.0, "out of reach of the coffee mug"),
        BlockingWarning("head_strike", "ana", 4.0, "head strike: head hits the wall at 0.30 m/s"),
    ]
    return BlockingReport(lines, warnings)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.fixture(scope="module")
def station():
    return load_station("see1")


def test_one_row_per_cue_in_acting_order_with_the_warnings(tmp_path: Path, station):
    scene = make_scene(CUES)
    out = tmp_path / "sheets" / "mika.pdf"
    write_cue_sheet_pdf(scene, "mika", make_report(), still_trajectory(scene), station, out)

    text = pdf_text(out)
    assert "Cue sheet — Mika Lind" in text
    assert "Breakfast rehearsal" in text
    table, warnings = text.split("Warnings for Mika Lind")
    positions = []
    for cue_id, timecode in MIKA_ORDER:
        assert table.count(cue_id) == 1, cue_id
        assert table.count(timecode) == 1, timecode
        positions.append(table.index(cue_id))
    assert positions == sorted(positions)  # acting order, not file order
    assert "ana-catch" not in text  # another actor's cue

    # The action in words, the fixture, the heading and the speed of the push-off.
    flat = " ".join(table.split())
    assert "Push off H5 along +X (hatch), +Z (up) at 0.40 m/s" in flat
    assert "toward +X (hatch), +Z (up)" in flat
    assert "reached 0.31" in flat
    assert "Handrail H5 (equator, azimuth 60°)" in flat
    assert "Throw Coffee mug toward Ana Ruiz at 1.50 m/s" in flat
    assert "Coffee mug (mug); aim: Ana Ruiz (ana)" in flat
    assert "Move into tuck over 1 s" in flat
    assert flat.count("IMPOSSIBLE") == 2 and flat.count("WARNING") == 1

    flat_warnings = " ".join(warnings.split())
    assert "hits the wall at 0.74 m/s with the left foot (safe speed 0.5 m/s)" in flat_warnings
    assert "Hard contact" in flat_warnings and "00:00:02:21" in flat_warnings
    assert "out of reach of the coffee mug" in flat_warnings
    assert "head strike" not in flat_warnings.lower()  # Ana's warning is not on Mika's sheet


def test_catch_and_tether_in_words(tmp_path: Path, station):
    scene = make_scene(CUES)
    out = tmp_path / "ana.pdf"
    report = make_report()
    write_cue_sheet_pdf(scene, "ana", report, still_trajectory(scene), station, out)
    table, warnings = " ".join(pdf_text(out).split()).split("Warnings for Ana Ruiz")
    assert table.index("ana-clip") < table.index("ana-catch")
    assert "Clip the tether to H8, 1.5 m long, unclipped at 5 s" in table
    assert "Catch Coffee mug with the right hand (within ±0.3 s)" in table
    assert "Handrail H8 (equator, azimuth 300°)" in table
    assert "head strike: head hits the wall at 0.30 m/s" in warnings
    assert "launch" not in table + warnings  # Mika's cue


def test_an_actor_without_warnings_or_cues_gets_a_sheet_saying_so(tmp_path: Path, station):
    scene = make_scene(CUES)
    out = tmp_path / "ana.pdf"
    report = BlockingReport([], [])  # nothing baked for her: the row says so
    write_cue_sheet_pdf(scene, "ana", report, still_trajectory(scene), station, out)
    flat = " ".join(pdf_text(out).split())
    assert flat.count("ana-catch") == 1 and "00:00:05:12" in flat
    assert flat.count("NOT BAKED") == 2
    assert "The blocking report has no warnings for Ana Ruiz." in flat

    lonely = make_scene([])
    write_cue_sheet_pdf(lonely, "ana", report, still_trajectory(lonely), station, out)
    assert "Ana Ruiz has no cues in this scene." in " ".join(pdf_text(out).split())


def test_unknown_actor_names_the_closest_and_writes_nothing(tmp_path: Path, station):
    scene = make_scene(CUES)
    out = tmp_path / "sheet.pdf"
    out.write_bytes(b"an older sheet")
    with pytest.raises(ExportError, match="did you mean 'mika'"):
        write_cue_sheet_pdf(scene, "mikka", make_report(), still_trajectory(scene), station, out)
    assert out.read_bytes() == b"an older sheet"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.pdf"]  # no temporary left


def test_timecodes_follow_the_scene_frame_rate(tmp_path: Path, station):
    scene = make_scene(CUES, frame_rate="23.976")
    out = tmp_path / "mika.pdf"
    write_cue_sheet_pdf(scene, "mika", make_report(), still_trajectory(scene), station, out)
    text = pdf_text(out)
    # 4.5 s at 24000/1001 fps is frame 107.8 -> 107 = 4 s + 11 frames counted at 24.
    assert "00:00:04:11" in text
    assert "23.976 fps" in text


@pytest.mark.parametrize(
    ("direction", "words"),
    [
        ((0.0, 0.0, -1.0), "toward -Z (down)\n(+0.00, +0.00, -1.00)"),
        ((-3.0, 1.0, 0.0), "toward -X (stage), +Y\n(-0.95, +0.32, +0.00)"),
        ((0.2, -1.0, 0.1), "toward -Y\n(+0.20, -0.98, +0.10)"),
    ],
)
def test_headings_name_the_main_axes_then_the_unit_vector(direction, words):
    assert heading(direction) == words


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_top_view_puts_the_fixture_where_it_is_seen_from_above(tmp_path: Path, station):
    """Rendered pixels: H5 (the orange diamond) sits up and to the right of the actor."""
    cue = {"type": "hold", "id": "grab-rail", "time": 1.0, "actor": "mika", "fixture": "H5"}
    scene = make_scene([cue])
    report = BlockingReport([line(0, cue, reason="holds H5")], [])
    out = tmp_path / "one.pdf"
    write_cue_sheet_pdf(scene, "mika", report, still_trajectory(scene), station, out)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(out), str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)

    def centre_of(rgb: str) -> np.ndarray:
        colour = np.array([int(rgb[i : i + 2], 16) for i in (1, 3, 5)])
        rows, cols = np.nonzero(np.abs(pixels - colour).sum(axis=2) < 40)
        assert len(rows) > 10, f"no {rgb} pixels"
        return np.array([cols.mean(), rows.mean()])

    actor, fixture = centre_of("#1f5fa8"), centre_of("#d9822b")
    dx, dy = fixture - actor
    h5 = np.array(station.fixture("H5").position[:2])
    expected = h5 - np.array(START["mika"][:2])  # metres, +X right and +Y up on the page
    seen = math.degrees(math.atan2(-dy, dx))  # image rows grow downward
    assert seen == pytest.approx(math.degrees(math.atan2(expected[1], expected[0])), abs=4.0)
    # Distances are to scale: the 6 m cabin plus the vestibule (7.5 m) fill the drawing.
    metres_per_pixel = np.linalg.norm(expected) / math.hypot(dx, dy)
    assert metres_per_pixel == pytest.approx(7.5 / (DIAGRAM_SIZE / 72 * 150), rel=0.1)
