"""`see1-previs cuesheet`: a real bake of an actor's blocking, printed and read back with pypdf.

The actor starts with both hands at handrail H5, takes hold, tucks, pushes off toward camera
mount CAM-E, and at 5 s reaches for H7 on the far side of the cabin — which no one can do
from the middle of the cabin, so that cue must come out impossible and be listed among the
warnings.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader

import see1previs.physics.simulation as simulation
from see1previs.cli import main
from see1previs.core.scene import Scene
from see1previs.core.scenefile import save_scene
from see1previs.physics.blocking_report import blocking_report
from see1previs.physics.cache import BakeCache
from see1previs.station import load_station
from see1previs.station.frames import quat_from_matrix

CUES = [  # acting order; (id, timecode at 24 fps)
    ("grip", "00:00:00:04"),
    ("curl-up", "00:00:00:12"),
    ("kick-off", "00:00:02:04"),
    ("reach-h7", "00:00:05:00"),
]


def write_scene(folder: Path) -> Path:
    rail = load_station("see1").fixture("H5")
    outward = -rail.normal
    # Head toward the wall, arms overhead ("superman") along the rail, hands at the grip.
    axes = np.column_stack([np.cross(rail.axis, outward), rail.axis, outward])
    pelvis = np.array(rail.position) - 1.10 * outward
    scene = Scene.model_validate(
        {
            "format": 2,
            "title": "Handrail launch",
            "frame_rate": 24,
            "duration": 6.0,
            "actors": [
                {
                    "id": "mika",
                    "name": "Mika Lind",
                    "posture": "superman",
                    "pose": {
                        "position": [float(c) for c in pelvis],
                        "orientation": list(quat_from_matrix(axes)),
                    },
                }
            ],
            "cues": [
                {
                    "type": "hold",
                    "id": "grip",
                    "time": 0.2,
                    "actor": "mika",
                    "fixture": "H5",
                    "limb": "both_hands",
                },
                {"type": "pose", "id": "curl-up", "time": 0.5, "actor": "mika", "pose": "tuck"},
                {
                    "type": "hold",
                    "id": "reach-h7",
                    "time": 5.0,
                    "actor": "mika",
                    "fixture": "H7",
                    "limb": "left_hand",
                },
                {
                    "type": "push_off",
                    "id": "kick-off",
                    "time": 2.2,
                    "actor": "mika",
                    "surface": "H5",
                    "speed": 0.4,
                    "toward": "CAM-E",
                },
            ],
        }
    )
    path = folder / "launch.see1.json"
    save_scene(scene, path)
    return path


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Run the command once; every test reads the same sheet."""
    folder = tmp_path_factory.mktemp("cuesheet")
    scene = write_scene(folder)
    out = folder / "sheets" / "mika.pdf"
    code = main(["cuesheet", str(scene), "--actor", "mika", "--out", str(out)])
    text = "\n".join(page.extract_text() for page in PdfReader(str(out)).pages)
    return code, scene, out, text


def test_cuesheet_prints_one_row_per_cue_in_acting_order(printed):
    code, _scene, out, text = printed
    assert code == 0 and out.exists()
    assert "Cue sheet — Mika Lind" in text and "Handrail launch" in text
    table, _warnings = text.split("Warnings for Mika Lind")
    positions = []
    for cue_id, timecode in CUES:
        assert table.count(cue_id) == 1, cue_id
        assert table.count(timecode) == 1, timecode
        positions.append(table.index(cue_id))
    assert positions == sorted(positions)
    flat = " ".join(table.split())
    assert "Push off H5 toward CAM-E at 0.40 m/s" in flat
    # CAM-E is on the -Y wall: the push heads mostly along -Y.
    assert "toward -Y" in flat
    assert flat.count("IMPOSSIBLE") == 1  # only the reach for H7


def test_cuesheet_lists_the_blocking_warnings_of_the_bake(printed):
    _code, scene_path, _out, text = printed
    from see1previs.core.scenefile import load_scene

    scene = load_scene(scene_path)
    result = simulation.simulate(scene, scene_path.parent, cache=BakeCache())
    assert result.from_cache  # the command stored its bake
    cues, warnings = blocking_report(scene, result.trajectory, result.station).for_actor("mika")
    assert {cue.id: cue.outcome for cue in cues}["reach-h7"] == "impossible"
    assert any("H7" in warning.message for warning in warnings)
    printed_warnings = " ".join(text.split("Warnings for Mika Lind")[1].split())
    for warning in warnings:
        assert " ".join(warning.message.split()) in printed_warnings
        rate = scene.frame_rate
        assert rate.timecode(rate.frame_at(warning.time)) in printed_warnings


def test_cuesheet_reports_warnings_on_stderr(tmp_path: Path, capsys, printed):
    _code, scene, _out, _text = printed
    out = tmp_path / "again.pdf"
    assert main(["cuesheet", str(scene), "--actor", "mika", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "cue sheet for Mika Lind (4 cues) written to" in captured.out
    assert "warning: 00:00:05:00 mika:" in captured.err
    pages = PdfReader(str(out)).pages
    assert "".join(page.extract_text() for page in pages).count("reach-h7") == 2  # row, warning


def test_unknown_actor_is_named_before_any_bake(tmp_path: Path, capsys, monkeypatch, printed):
    _code, scene, _out, _text = printed

    def no_bake(*args, **kwargs):
        raise AssertionError("baked before checking the actor")

    monkeypatch.setattr(simulation, "simulate", no_bake)
    out = tmp_path / "nobody.pdf"
    assert main(["cuesheet", str(scene), "--actor", "mikka", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "no actor 'mikka'" in err and "did you mean 'mika'?" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_missing_scene_and_missing_actor_option(tmp_path: Path, capsys):
    out = tmp_path / "x.pdf"
    assert main(["cuesheet", str(tmp_path / "none.see1.json"), "--actor", "a", "--out", str(out)])
    assert "no scene file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["cuesheet", str(tmp_path / "none.see1.json"), "--out", str(out)])
    assert exit_info.value.code == 2
    assert "--actor" in capsys.readouterr().err
    assert not out.exists()


def test_demo_scene_sheets_share_out_every_actor_cue(tmp_path: Path):
    """zero-g-breakfast: each actor's sheet lists exactly that actor's cues, in time order."""
    from see1previs.core.scenefile import load_scene
    from tests.conftest import SCENES

    path = SCENES / "zero-g-breakfast.see1.json"
    scene = load_scene(path)
    rate = scene.frame_rate
    assert float(rate) == 24.0
    for actor in scene.actors:
        out = tmp_path / f"{actor.id}.pdf"
        assert main(["cuesheet", str(path), "--actor", actor.id, "--out", str(out)]) == 0
        text = "\n".join(page.extract_text() for page in PdfReader(str(out)).pages)
        table = text.split(f"Warnings for {actor.name}")[0]
        mine = sorted(
            (cue.time, index, cue.id)
            for index, cue in enumerate(scene.cues)
            if getattr(cue, "actor", None) == actor.id
        )
        assert mine, actor.id
        for time, _index, cue_id in mine:
            assert table.count(cue_id) == 1, cue_id
            assert rate.timecode(math.floor(time * 24 + 1e-9)) in table  # the frame showing
        assert [table.index(cue_id) for *_, cue_id in mine] == sorted(
            table.index(cue_id) for *_, cue_id in mine
        )
        others = [cue.id for cue in scene.cues if getattr(cue, "actor", actor.id) != actor.id]
        assert others and not any(cue_id in table for cue_id in others)
