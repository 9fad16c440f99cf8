"""``see1-previs envelope`` end to end in a child process, against the test cluster."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from see1previs.core.scenefile import save_scene
from tests.conftest import REPO
from tests.envelope.scenes import push_across


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "app"), str(REPO)])}
    return subprocess.run(
        [sys.executable, "-m", "see1previs", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=env,
    )


def test_envelope_command_writes_a_reproducible_result(two_workers, tmp_path: Path) -> None:
    scene_file = tmp_path / "push.see1.json"
    save_scene(push_across(duration=1.5, envelope={}), scene_file)
    args = (str(scene_file), "--samples", "3", "--seed", "4", "--scheduler", two_workers.address)
    first = _cli("envelope", *args, "--out", str(tmp_path / "a"), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Push across: 3 of 3 samples baked (seed 4" in first.stdout
    assert "push unreachable 'push' 0.0 %" in first.stdout
    result = tmp_path / "a" / "push.envelope.json"
    page = tmp_path / "a" / "push.safety.pdf"
    assert f"result written to {result}; safety page {page}" in first.stderr
    pdf = PdfReader(page)
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert "Safety envelope — Push across" in text
    assert "push unreachable (push)" in text and "3 of 3 samples baked" in text
    document = json.loads(result.read_text(encoding="utf-8"))
    assert document["kind"] == "see1-envelope" and document["complete"] is True
    assert document["seed"] == 4 and len(document["samples"]) == 3
    assert document["units"]["speed"] == "m/s"
    again = _cli("envelope", *args, "--out", str(tmp_path / "b"), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "b" / "push.envelope.json").read_bytes() == result.read_bytes()


def test_envelope_command_refuses_no_samples(tmp_path: Path) -> None:
    scene_file = tmp_path / "push.see1.json"
    save_scene(push_across(duration=1.5), scene_file)
    done = _cli("envelope", str(scene_file), "--samples", "0", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip() == "see1-previs: --samples must be at least 1"
