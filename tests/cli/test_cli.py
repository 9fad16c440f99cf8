"""The ``see1-previs`` command line, as a pipeline TD runs it.

The installed console script runs as a real subprocess where the process boundary matters
(exit codes, stdout/stderr, tracebacks, ``python -m``); the rest calls ``cli.main`` in-process.
Outputs are checked with independent readers: ``json`` for reports and the schema,
``numpy.load`` for trajectories.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from see1previs import __version__
from see1previs.cli import main
from see1previs.physics import contact_forces
from tests.conftest import REPO, SCENES

FIRST_LIGHT = SCENES / "first-light.see1.json"
STRESS = SCENES / "stress-100.see1.json"


def console_script() -> Path:
    beside = Path(sys.executable).parent / "see1-previs"
    if beside.exists():
        return beside
    found = shutil.which("see1-previs")
    assert found, "the see1-previs console script is not installed"
    return Path(found)


def run(
    *args: str | Path, cache: Path | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if cache is not None:
        env["SEE1_CACHE_DIR"] = str(cache)
    return subprocess.run(
        [str(console_script()), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
    )


def write_scene(folder: Path, name: str, data: dict) -> Path:
    path = folder / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def sphere(prop_id: str, position, velocity=(0.0, 0.0, 0.0), radius: float = 0.1) -> dict:
    return {
        "id": prop_id,
        "shape": {"type": "sphere", "radius": radius},
        "mass": 0.5,
        "pose": {"position": list(position)},
        "velocity": {"linear": list(velocity)},
    }


SHORT_SCENE = {
    "format": 1,
    "title": "Corridor Run",
    "frame_rate": 24,
    "duration": 2.0,
    "props": [
        sphere("ball", (-0.8, 0.0, 0.0), (1.0, 0.0, 0.0)),
        {
            "id": "crate",
            "shape": {"type": "box", "size": [0.3, 0.3, 0.3]},
            "mass": 2.0,
            "pose": {"position": [0.4, 0.02, 0.0]},
        },
        sphere("puck", (0.0, 1.2, -0.5), (0.0, 0.2, 0.1), radius=0.05),
    ],
    "cues": [
        {
            "type": "spin",
            "id": "twirl",
            "time": 0.5,
            "target": "puck",
            "angular_velocity": [0, 0, 2],
        }
    ],
}
SHORT_IDS = ["ball", "crate", "puck"]


@pytest.fixture
def short_scene(tmp_path: Path) -> Path:
    return write_scene(tmp_path, "corridor.see1.json", SHORT_SCENE)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bake cache of this test's own, for in-process runs and subprocesses alike."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SEE1_CACHE_DIR", str(folder))
    return folder


# ---- program basics ----------------------------------------------------------------------


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"see1-previs {__version__}"


def test_python_dash_m_version():
    result = subprocess.run(
        [sys.executable, "-m", "see1previs", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert __version__ in result.stdout


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("validate", "simulate", "schema"):
        assert command in result.stdout


def test_no_command_prints_usage_and_exits_2(monkeypatch):
    # Where a display exists, no command opens the desktop app; headless it is a usage error.
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = run()
    assert result.returncode == 2
    assert "usage" in (result.stdout + result.stderr).lower()
    assert "Traceback" not in result.stderr


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["bake-everything"])
    assert exited.value.code == 2
    assert "usage" in capsys.readouterr().err.lower()


@pytest.mark.parametrize("command", ["validate", "simulate"])
def test_command_help(command: str, capsys):
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert "scene" in capsys.readouterr().out


# ---- validate ----------------------------------------------------------------------------


def test_validate_first_light(tmp_path: Path):
    result = run("validate", FIRST_LIGHT, cwd=tmp_path)  # works from any folder
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout
    assert "6 props" in result.stdout
    assert "3 cues" in result.stdout


def test_validate_stress_100(capsys):
    assert main(["validate", str(STRESS)]) == 0
    assert "100 props" in capsys.readouterr().out


BROKEN_SCENE = {
    "format": 1,
    "title": "broken",
    "duration": 2.0,
    "props": [
        {"id": "mug", "shape": {"type": "sphere", "radius": 0.05}, "mass": -0.3},
        {
            "id": "slate",
            "shape": {"type": "box", "size": [0.3, 0.2, 0.02]},
            "mass": 0.9,
            "pose": {"positon": [0.5, 0.0, 0.0]},
        },
    ],
    "cues": [
        {"type": "impulse", "id": "toss", "time": 1.0, "target": "mugg", "impulse": [0.1, 0, 0]}
    ],
}


def test_validate_lists_every_problem_without_a_traceback(tmp_path: Path):
    path = write_scene(tmp_path, "broken.see1.json", BROKEN_SCENE)
    result = run("validate", path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    err = result.stderr
    assert "broken.see1.json" in err
    lines = err.splitlines()

    def line_for(json_path: str) -> str:
        found = [line for line in lines if json_path in line]
        assert found, f"{json_path} not reported:\n{err}"
        return found[0]

    assert "-0.3" in line_for("props[0].mass") or "greater than 0" in line_for("props[0].mass")
    assert "position" in line_for("props[1].pose.positon")  # suggests the right spelling
    assert "mugg" in line_for("cues[0].target")
    assert result.stdout == ""


def test_validate_with_debug_shows_the_traceback(tmp_path: Path):
    path = write_scene(tmp_path, "broken.see1.json", BROKEN_SCENE)
    result = run("--debug", "validate", path)
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "cues[0].target" in result.stderr  # the plain message still follows


def test_validate_malformed_json_gives_line_and_column(tmp_path: Path, capsys):
    path = tmp_path / "typo.see1.json"
    path.write_text('{\n  "format": 1,\n  "duration": 2.0,,\n  "title": "x"\n}\n')
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "line 3" in err
    assert "column 19" in err  # the second comma
    assert "Traceback" not in err


def test_validate_missing_file(tmp_path: Path, capsys):
    missing = tmp_path / "nowhere" / "scene.see1.json"
    assert main(["validate", str(missing)]) == 1
    captured = capsys.readouterr()
    assert str(missing) in captured.err
    assert "no scene file" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_validate_a_folder_is_a_clear_error(tmp_path: Path, capsys):
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert str(tmp_path) in err
    assert "Traceback" not in err


def test_validate_a_prop_outside_the_hull(tmp_path: Path, capsys):
    data = dict(SHORT_SCENE, props=[*SHORT_SCENE["props"], sphere("stray", (5.0, 0.0, 0.0))])
    path = write_scene(tmp_path, "stray.see1.json", data)
    assert main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert "props[3].pose.position" in captured.err
    assert "'stray'" in captured.err
    assert "outside the interior" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_validate_a_broken_mesh_names_the_file(tmp_path: Path, capsys):
    (tmp_path / "blob.stl").write_bytes(b"")
    mesh_prop = {"id": "blob", "shape": {"type": "mesh", "file": "blob.stl"}, "mass": 1.0}
    path = write_scene(tmp_path, "mesh.see1.json", dict(SHORT_SCENE, props=[mesh_prop], cues=[]))
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "props[0].shape.file" in err
    assert "blob.stl" in err


# ---- simulate ----------------------------------------------------------------------------


def test_simulate_writes_a_trajectory_and_a_report(short_scene: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    out = tmp_path / "exports" / "corridor.npz"
    first = run("simulate", short_scene, "--out", out, "--report", cache=cache)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr

    with np.load(out, allow_pickle=False) as archive:
        assert [str(b) for b in archive["body_ids"]] == SHORT_IDS
        assert archive["positions"].shape == (2 * 24 + 1, 3, 3)
        assert archive["times"][-1] == 2.0
        assert "m" in json.loads(str(archive["units"]))["positions"]

    report = first.stdout
    assert "Corridor Run" in report
    assert "Contacts" in report
    for prop_id in SHORT_IDS:
        assert prop_id in report
    assert "from bake cache" not in report

    second = run("simulate", short_scene, "--report", cache=cache)
    assert second.returncode == 0, second.stderr
    assert "cache" in second.stdout.lower()
    assert "Corridor Run" in second.stdout


def test_simulate_no_cache_rebakes_and_writes_no_cache(short_scene: Path, cache_dir: Path, capsys):
    assert main(["simulate", str(short_scene)]) == 0
    assert "loaded from cache" not in capsys.readouterr().out
    assert main(["simulate", str(short_scene)]) == 0
    assert "loaded from cache" in capsys.readouterr().out
    entries = sorted(cache_dir.iterdir())
    assert len(entries) == 1

    stamp = entries[0].stat().st_mtime_ns
    assert main(["simulate", str(short_scene), "--no-cache", "--report"]) == 0
    out = capsys.readouterr().out
    assert "from bake cache" not in out, "a --no-cache run must re-bake"
    assert "Corridor Run" in out
    assert sorted(cache_dir.iterdir()) == entries
    assert entries[0].stat().st_mtime_ns == stamp, "--no-cache must not write the cache"


def test_simulate_no_cache_on_an_empty_cache_stores_nothing(short_scene: Path, cache_dir: Path):
    assert main(["simulate", str(short_scene), "--no-cache"]) == 0
    assert not cache_dir.exists() or not any(cache_dir.iterdir())


def test_simulate_summary_line(short_scene: Path, cache_dir: Path, capsys):
    assert main(["simulate", str(short_scene), "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "49 frames" in out
    assert "baked" in out


def test_simulate_json_report(short_scene: Path, cache_dir: Path, capsys, tmp_path: Path):
    out_file = tmp_path / "t.npz"
    assert main(["simulate", str(short_scene), "--json", "--out", str(out_file)]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["title"] == "Corridor Run"
    assert report["frames"] == 49
    assert report["duration"] == 2.0
    assert report["frame_rate"] == 24
    assert report["from_cache"] is False
    assert [body["id"] for body in report["bodies"]] == SHORT_IDS
    assert all(body["kind"] == "prop" for body in report["bodies"])
    assert report["contact_count"] >= 1, "ball and crate meet"
    assert report["contact_count"] == report["wall_contacts"] + report["body_contacts"]
    with np.load(out_file, allow_pickle=False) as archive:
        positions = archive["positions"]
    for b, body in enumerate(report["bodies"]):
        np.testing.assert_allclose(body["final_position"], positions[-1, b])
    assert "written" in captured.err


def test_simulate_a_misplaced_scene_fails_cleanly(tmp_path: Path, cache_dir: Path, capsys):
    data = dict(
        SHORT_SCENE,
        props=[sphere("one", (0.0, 0.0, 0.0), radius=0.2), sphere("two", (0.1, 0.0, 0.0))],
        cues=[],
    )
    path = write_scene(tmp_path, "clash.see1.json", data)
    out_file = tmp_path / "never.npz"
    assert main(["simulate", str(path), "--out", str(out_file)]) == 1
    err = capsys.readouterr().err
    assert "'one'" in err
    assert "'two'" in err
    assert "Traceback" not in err
    assert not out_file.exists()


def test_simulate_missing_file(tmp_path: Path, capsys):
    assert main(["simulate", str(tmp_path / "gone.see1.json")]) == 1
    err = capsys.readouterr().err
    assert "gone.see1.json" in err
    assert "Traceback" not in err


# ---- schema ------------------------------------------------------------------------------


def test_schema_is_valid_json_with_the_scene_fields(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    for field in ("props", "actors", "cues", "frame_rate", "duration", "format"):
        assert field in schema["properties"], field


def test_schema_describes_the_demo_scenes(capsys):
    """Every field the demo scenes use at top level is in the schema."""
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    for scene in (FIRST_LIGHT, REPO / "scenes" / "t-handle.see1.json"):
        data = json.loads(scene.read_text(encoding="utf-8"))
        assert set(data) <= set(schema["properties"]), scene.name


def test_self_test_bakes_renders_and_exports(tmp_path):
    """The installation check crews run after installing: one line, exit 0."""
    result = run("--self-test", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert line.count("\n") == 0
    assert "self-test ok" in line and "481 frames" in line and "exported 3 shots" in line
    # It names the contact forces this install runs (native where a compiler built them).
    assert f"{contact_forces.implementation()} contact forces" in line
    assert not any(tmp_path.iterdir()), "the self-test leaves nothing behind"
