"""The shot-list PDF read back with pypdf: header, the crew's columns, order, storyboard size,
numbers kept with their units."""

from __future__ import annotations

import datetime
import re

from PIL import Image, ImageDraw
from pypdf import PdfReader

from see1previs.core import commands as cmd
from see1previs.export.shot_list_csv import shot_list_header, shot_list_rows
from see1previs.export.shot_list_pdf import HEADINGS, NBSP, keep_units, write_shot_list_pdf
from tests.export import builders

SHOTS = [
    {
        "id": "SH020",
        "name": "20A",
        "camera": "CAM-A",
        "start": 0.5,
        "end": 1.5,
        "order": 2,
        "description": "Mia catches the ball over the hatch",
        "notes": "Zoom in through the catch, then hold",
    },
    {
        "id": "SH010",
        "name": "20",
        "camera": "CAM-A",
        "start": 0.0,
        "end": 1.0,
        "order": 1,
        "description": "The crate tumbles past the lens",
    },
    {
        "id": "SH030",
        "camera": "CAM-A",
        "start": 1.0,
        "end": 2.0,
        "order": 0,
        "description": "A pickup added last",
    },
]
POINTS_PER_MM = 72 / 25.4


def board(label: str) -> list[Image.Image]:
    frames = []
    for position in ("first", "middle", "last"):
        image = Image.new("RGB", (640, 436), (90, 100, 110))
        draw = ImageDraw.Draw(image)
        draw.rectangle([0, 406, 639, 435], fill=(0, 0, 0))
        draw.text((8, 410), f"{label} {position} CAM-A 24 mm f/2.8", fill=(255, 255, 255))
        frames.append(image)
    return frames


def write(tmp_path):
    scene = builders.make_scene(shots=SHOTS)
    rows = shot_list_rows(
        scene,
        builders.make_tracks(scene),
        {"SH020": {"framing": "MWS", "angle": "high angle", "movement": "static"}},
    )
    header = shot_list_header(scene, version="v3", date=datetime.date(2026, 12, 6))
    path = tmp_path / "shot_list.pdf"
    write_shot_list_pdf(path, scene, rows, {s["id"]: board(s["id"]) for s in SHOTS}, header)
    return scene, PdfReader(str(path))


def test_header_columns_and_description_in_the_text(tmp_path):
    _, reader = write(tmp_path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.replace(NBSP, " ").split())
    for heading in HEADINGS:
        assert heading in flat
    assert "Production: Export test" in flat
    assert "Version: v3" in flat
    assert "Date: 2026-12-06" in flat
    assert "Mia catches the ball over the hatch" in flat
    assert "Zoom in through the catch, then hold" in flat
    assert "MWS" in flat and "high angle" in flat
    assert "1.00 s" in flat


def test_shots_in_the_order_the_shot_list_on_screen_shows(tmp_path):
    scene, reader = write(tmp_path)
    flat = " ".join("\n".join(p.extract_text() for p in reader.pages).split())
    descriptions = {s["id"]: s["description"] for s in SHOTS}
    positions = [flat.index(descriptions[shot_id]) for shot_id in cmd.shooting_order(scene)]
    assert positions == sorted(positions)
    assert cmd.shooting_order(scene) == ["SH010", "SH020", "SH030"]


def test_storyboard_frames_print_large_enough_to_read_the_burn_in(tmp_path):
    _, reader = write(tmp_path)
    widths = []
    for page in reader.pages:
        content = page.get_contents().get_data().decode("latin-1")
        for match in re.finditer(r"([\d.]+) 0 0 ([\d.]+) [\d.-]+ [\d.-]+ cm\s*/\S+ Do", content):
            widths.append(float(match.group(1)) / POINTS_PER_MM)
    assert len(widths) == 9  # three frames per shot
    # A 640-pixel frame's 15-pixel burn-in is at least 2 mm tall on paper at 85 mm wide.
    assert min(widths) >= 85


def test_no_unit_is_orphaned_at_a_line_break(tmp_path):
    assert keep_units("24 mm, 8.00 s at 2.5 m") == f"24{NBSP}mm, 8.00{NBSP}s at 2.5{NBSP}m"
    assert keep_units("2 mics") == "2 mics"
    _, reader = write(tmp_path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    lines = [line.strip() for line in text.splitlines()]
    assert not [line for line in lines if re.match(r"^(mm|s|m|fps)\b", line)]
    assert "00:00:00:12" in lines  # timecodes fit their column whole


def test_notes_longer_than_a_page_still_print(tmp_path):
    shots = [dict(shot) for shot in SHOTS]
    shots[0]["notes"] = "Hold the catch. " * 300 + "Last words."
    scene = builders.make_scene(shots=shots)
    rows = shot_list_rows(scene, builders.make_tracks(scene))
    path = tmp_path / "long.pdf"
    write_shot_list_pdf(path, scene, rows, {s["id"]: board(s["id"]) for s in shots})
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(str(path)).pages).split())
    assert "Last words." in text
