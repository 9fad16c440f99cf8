"""`see1-previs export`: the camera plan a cinematographer takes away, read back independently."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import opentimelineio as otio
import pytest
from pxr import Gf, Usd, UsdGeom

from see1previs.cli import main
from see1previs.core.scene import Scene
from see1previs.core.scenefile import save_scene
from tests.physics.scenes import sphere_prop


def write_scene(folder: Path, **changes) -> Path:
    data = {
        "format": 2,
        "title": "export test",
        "frame_rate": 24,
        "duration": 2.0,
        "environment": {"air_drag": False},
        "props": [sphere_prop("ball", (0.5, 0.0, 0.0), (0.0, 0.2, 0.0))],
        "actors": [{"id": "ana", "height": 1.7, "mass": 60, "pose": {"position": [-0.8, 0, 0]}}],
        "cameras": [
            {
                "id": "A",
                "lens": "arri-signature-zoom-24-75",
                "focal_length": 40,
                "look_at": "ana",
                "rig": {"type": "fixed", "mount": "CAM-A"},
            },
            {
                "id": "B",
                "body": "arri-alexa-35",
                "focal_length": 25,
                "look_at": "ball",
                "rig": {"type": "fixed", "mount": "CAM-E"},
            },
        ],
        "shots": [
            {"id": "s1", "name": "1A", "camera": "A", "start": 0.0, "end": 2.0, "order": 2},
            {"id": "s2", "name": "1B", "camera": "B", "start": 0.5, "end": 1.5, "order": 1},
        ],
    }
    data.update(changes)
    path = folder / "scene.see1.json"
    save_scene(Scene.model_validate(data), path)
    return path


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    return list(csv.DictReader(lines))


def test_export_writes_every_format_and_they_read_back(tmp_path: Path, capsys):
    scene = write_scene(tmp_path)
    out = tmp_path / "plan"
    assert main(["export", str(scene), "--out", str(out)]) == 0
    assert "written to" in capsys.readouterr().out

    shots = read_csv_rows(out / "shot_list.csv")
    header = (out / "shot_list.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("# SEE-1 Previs shot list,production,export test,version,")
    assert [row["shot_id"] for row in shots] == ["s2", "s1"]  # shooting order
    assert [row["shot"] for row in shots] == ["1B", "1A"]  # scene/setup numbers
    assert shots[1]["size"] and shots[1]["angle"] and shots[1]["movement"]
    assert "ana" in shots[1]["cast"]

    track = read_csv_rows(out / "tracks" / "s1_A.csv")
    assert len(track) == 2 * 24 + 1
    assert track[-1]["timecode"] == "00:00:02:00"
    short = read_csv_rows(out / "tracks" / "s2_B.csv")
    assert len(short) == 24 + 1
    assert (short[0]["frame"], short[0]["timecode"]) == ("12", "00:00:00:12")
    document = json.loads((out / "tracks" / "s2_B.json").read_text(encoding="utf-8"))
    assert len(document["frames"]) == 25

    timeline = otio.adapters.read_from_file(str(out / "timeline.otio"))
    clips = list(timeline.find_clips())
    assert [c.name for c in clips] == ["1B", "1A"]
    assert [c.source_range.duration.to_frames() for c in clips] == [24, 48]  # 1 s and 2 s

    stage = Usd.Stage.Open(str(out / "stage.usda"))
    assert UsdGeom.GetStageUpAxis(stage) == UsdGeom.Tokens.z
    assert UsdGeom.GetStageMetersPerUnit(stage) == 1.0
    camera = UsdGeom.Camera(stage.GetPrimAtPath("/World/Cameras/A"))
    gf = camera.GetCamera(Usd.TimeCode(10))
    width = 36.70  # ALEXA Mini LF open gate, the default mode
    expected = math.degrees(2 * math.atan(width / (2 * 40)))
    assert gf.GetFieldOfView(Gf.Camera.FOVHorizontal) == pytest.approx(expected, abs=0.01)


def test_formats_subset_writes_only_those(tmp_path: Path):
    scene = write_scene(tmp_path)
    out = tmp_path / "plan"
    assert main(["export", str(scene), "--out", str(out), "--formats", "otio,shotlist"]) == 0
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == [
        "manifest.json",
        "shot_list.csv",
        "timeline.otio",
    ]


def test_focal_length_outside_the_zoom_is_a_clear_error_and_writes_nothing(tmp_path, capsys):
    data = write_scene(tmp_path)
    text = json.loads(data.read_text(encoding="utf-8"))
    text["cameras"][0]["focal_length"] = 90
    data.write_text(json.dumps(text), encoding="utf-8")
    out = tmp_path / "plan"
    assert main(["export", str(data), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "cameras[0].focal_length" in err and "24–75 mm" in err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.rglob("*"))


def test_unknown_format_and_scene_without_shots_are_errors(tmp_path, capsys):
    scene = write_scene(tmp_path)
    assert main(["export", str(scene), "--out", str(tmp_path / "x"), "--formats", "pdf9"]) == 1
    assert "unknown export format pdf9" in capsys.readouterr().err
    bare = write_scene(tmp_path, shots=[])
    assert main(["export", str(bare), "--out", str(tmp_path / "y")]) == 1
    assert "no shots" in capsys.readouterr().err


def test_validate_finds_camera_problems_without_baking(tmp_path: Path, capsys):
    data = write_scene(tmp_path)
    text = json.loads(data.read_text(encoding="utf-8"))
    text["cameras"][0]["rig"]["mount"] = "CAM-Q"
    text["cameras"][1]["body"] = "red-komodo"
    data.write_text(json.dumps(text), encoding="utf-8")
    assert main(["validate", str(data)]) == 1
    err = capsys.readouterr().err
    assert "cameras[0].rig.mount" in err and "CAM-Q" in err
    assert "cameras[1].body" in err and "red-komodo-6k" in err
    clean = tmp_path / "clean"
    clean.mkdir()
    assert main(["validate", str(write_scene(clean))]) == 0
    assert "2 cameras, 2 shots" in capsys.readouterr().out
