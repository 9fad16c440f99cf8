"""How the command line reports what goes wrong: a plain message, never a traceback unasked.

Scene problems are listed at their JSON paths (or line and column); a bug is one "internal
error" line that says how to get the details. Only ``--debug`` prints a traceback. The scene
files here are the ones a fuzzer found crashing or slipping through ``validate``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from see1previs import cli
from tests.cli.test_cli import run, write_scene


def _fail_with(exc: Exception):
    def command(args) -> int:
        raise exc

    return command


@pytest.fixture
def broken_validate(monkeypatch):
    """``validate`` hitting a bug (an exception no user could cause)."""

    def install(exc: Exception) -> None:
        monkeypatch.setitem(cli._COMMANDS, "validate", _fail_with(exc))

    return install


def test_an_internal_error_is_one_line_without_a_traceback(broken_validate, capsys, tmp_path):
    broken_validate(IndexError("list index out of range"))
    assert cli.main(["validate", str(tmp_path / "x.see1.json")]) == cli.EXIT_PROBLEM
    err = capsys.readouterr().err
    assert err == (
        "see1-previs: internal error (IndexError: list index out of range); run with --debug "
        "to see where, and report it\n"
    )


def test_a_long_multi_line_internal_error_stays_one_line(broken_validate, capsys, tmp_path):
    broken_validate(ValueError("Error: mass too small\nElement name 'mug', id 1\n" + "x" * 500))
    assert cli.main(["validate", str(tmp_path / "x.see1.json")]) == cli.EXIT_PROBLEM
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("see1-previs: internal error (ValueError: Error: mass too small ")
    assert len(line) < 320


def test_debug_adds_the_traceback_to_an_internal_error(broken_validate, capsys, tmp_path):
    broken_validate(IndexError("list index out of range"))
    assert cli.main(["--debug", "validate", str(tmp_path / "x.see1.json")]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert err.rstrip().endswith("run with --debug to see where, and report it")


# -- the fuzzer's files, through the installed command -----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{\n", "invalid JSON at line 2, column 1"),
        ('{"format": 2, "frame_rate": "1e999999"}', "frame_rate: must be between 1 and 1000"),
        ('{"format": 2, "frame_rate": "1e99999999"}', "frame_rate: must be between 1 and 1000"),
        (
            '{"format": 2, "props": [{"id": "a", "shape": {"type": "sphere", "radius": 0.1}, '
            '"mass": 1}], "cues": [{"type": "impulse", "id": "c", "time": 1'
            + "0" * 400
            + ', "target": "a", "impulse": [1, 0, 0]}]}',
            "cues[0].time: must be a finite number",
        ),
    ],
    ids=["cut-short", "frame-rate-overflow", "frame-rate-exponent", "cue-time-400-digits"],
)
def test_validate_reports_crashing_files_plainly(tmp_path: Path, text: str, expected: str):
    path = tmp_path / "fuzzed.see1.json"
    path.write_text(text, encoding="utf-8")
    result = run("validate", path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert expected in result.stderr


def _props_scene(props: list[dict], **fields) -> dict:
    return {"format": 2, "duration": 2, "props": props, **fields}


def _sphere(prop_id: str, x: float) -> dict:
    return {
        "id": prop_id,
        "shape": {"type": "sphere", "radius": 0.05},
        "mass": 1,
        "pose": {"position": [x, 0, 0]},
    }


def test_validate_refuses_a_bake_too_large_for_memory(tmp_path: Path):
    props = [_sphere(f"p{i}", -2 + 0.2 * (i % 20)) for i in range(20)]
    for i, prop in enumerate(props):
        prop["pose"]["position"][1] = -0.5 + 0.25 * (i // 20)
    data = _props_scene(props, duration=3600, frame_rate=1000)
    result = run("validate", write_scene(tmp_path, "hour.see1.json", data))
    assert result.returncode == 1
    assert "duration: baking 3600 s at 1000 fps with 20 bodies needs about" in result.stderr
    assert "GiB" in result.stderr and "Traceback" not in result.stderr


def test_validate_refuses_a_flat_mesh_prop(tmp_path: Path):
    (tmp_path / "sheet.obj").write_text("v 0 0 0\nv 0.1 0 0\nv 0 0.1 0\nf 1 2 3\n")
    prop = {"id": "sheet", "shape": {"type": "mesh", "file": "sheet.obj"}, "mass": 0.1}
    result = run("validate", write_scene(tmp_path, "sheet.see1.json", _props_scene([prop])))
    assert result.returncode == 1
    assert "props[0].shape.file: mesh file 'sheet.obj' at scale 1 is flat" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_refuses_a_prop_lighter_than_a_gram(tmp_path: Path):
    prop = _sphere("dust", 0.0)
    prop["mass"] = 1e-12
    result = run("validate", write_scene(tmp_path, "dust.see1.json", _props_scene([prop])))
    assert result.returncode == 1
    assert "props[0].mass: must be at least 0.001 kg (1 g), got 1e-12" in result.stderr


def test_a_scene_file_that_is_valid_json_but_huge_is_still_plain(tmp_path: Path):
    data = _props_scene([_sphere("a", 0.0)])
    text = json.dumps(data).replace('"duration": 2', '"duration": ' + "9" * 6000)
    path = tmp_path / "digits.see1.json"
    path.write_text(text, encoding="utf-8")
    result = run("validate", path)
    assert result.returncode == 1
    assert "duration: must be a finite number, got a number too large to use" in result.stderr
