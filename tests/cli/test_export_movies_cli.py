"""`see1-previs export --formats ...,movies`: previs movies from the command line, with a
progress bar on a terminal; movies are asked for, not part of the default export."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import av
import opentimelineio as otio

from see1previs.cli import build_parser, main
from tests.cli.test_export_cli import write_scene

SHOTS = [
    {"id": "s1", "name": "1A", "camera": "A", "start": 0.0, "end": 0.5, "order": 2},
    {"id": "s2", "name": "1B", "camera": "B", "start": 0.25, "end": 0.5, "order": 1},
]


def frames_and_rate(path: Path) -> tuple[int, Fraction]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return sum(1 for _ in container.decode(stream)), stream.average_rate


def test_default_export_leaves_the_slow_movies_out():
    args = build_parser().parse_args(["export", "scene.see1.json", "--out", "plan"])
    formats = args.formats.split(",")
    assert "movies" not in formats and {"otio", "usd", "storyboards", "pdf"} <= set(formats)


def test_export_movies_writes_a_movie_per_shot_and_the_cut(tmp_path, capsys, monkeypatch):
    scene = write_scene(tmp_path, duration=0.5, shots=SHOTS)
    out = tmp_path / "plan"
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["export", str(scene), "--out", str(out), "--formats", "otio,movies"]) == 0
    captured = capsys.readouterr()
    assert "exporting scene.see1.json" in captured.err and "100.0%" in captured.err
    movies = out / "movies"
    assert sorted(p.name for p in movies.iterdir()) == ["previs_cut.mp4", "s1_A.mp4", "s2_B.mp4"]
    assert frames_and_rate(movies / "s1_A.mp4") == (12, Fraction(24))  # 0.5 s at 24 fps
    assert frames_and_rate(movies / "s2_B.mp4") == (6, Fraction(24))
    assert frames_and_rate(movies / "previs_cut.mp4") == (18, Fraction(24))
    timeline = otio.adapters.read_from_file(str(out / "timeline.otio"))
    urls = [clip.media_reference.target_url for clip in timeline.find_clips()]
    assert urls == ["movies/s2_B.mp4", "movies/s1_A.mp4"]
    assert "movies/previs_cut.mp4" in captured.out
