"""The EDL and FCP XML we write, read back with the OTIO plugin adapters (cmx_3600, fcp_xml):
clip names and reels, order, frame-exact durations, record start 01:00:00:00, description and
notes."""

from __future__ import annotations

import re
from fractions import Fraction

import opentimelineio as otio
import pytest

from see1previs.export.editorial import write_edl, write_fcp_xml
from see1previs.export.editorial_marks import reel_name, reel_names
from tests.export import builders

# File order differs from shooting order; one shot is unnumbered (order 0: last, as on screen).
SHOTS = [
    {
        "id": "1C",
        "name": "1C the wrench",
        "camera": "CAM-B",
        "start": 1.2,
        "end": 1.9,
        "order": 2,
        "description": "Insert: the T-handle flips — twice",
        "notes": "Hold focus on the handle",
    },
    {
        "id": "1A",
        "name": "1A wide",
        "camera": "CAM-A",
        "start": 0.0,
        "end": 2.0,
        "order": 1,
        "description": "Mia drifts toward camera",
        "notes": "Lock off",
    },
    {"id": "pickup-shot-01", "name": "", "camera": "CAM-A", "start": 0.5, "end": 1.5},
]
ORDER = ["1A", "1C", "pickup-shot-01"]
NAMES = ["1A wide", "1C the wrench", "pickup-shot-01"]
REELS = ["1A", "1C", "PICKUPSH"]


def cut(shot: dict, fps: Fraction) -> list[int]:
    """Brute force: the frames starting in [in, out), counted on the exact rate."""
    lo, hi = (
        Fraction(shot["start"]) - Fraction(1, 10**6),
        Fraction(shot["end"]) - Fraction(1, 10**6),
    )
    return [k for k in range(10_000) if lo <= k / fps < hi]


def shots_in_order() -> list[dict]:
    return [next(s for s in SHOTS if s["id"] == shot_id) for shot_id in ORDER]


def write(tmp_path, rate):
    scene = builders.make_scene(frame_rate=rate, shots=SHOTS, cameras=("CAM-A", "CAM-B"))
    tracks = builders.make_tracks(scene)
    write_edl(tmp_path / "cut.edl", scene, scene.shots, tracks)
    write_fcp_xml(tmp_path / "cut.xml", scene, scene.shots, tracks)
    return scene


@pytest.mark.parametrize("rate", [24, 23.976])
def test_edl_reads_back_with_the_cmx_3600_adapter(rate, tmp_path):
    scene = write(tmp_path, rate)
    fps = scene.frame_rate.fps
    timeline = otio.adapters.read_from_file(
        str(tmp_path / "cut.edl"), adapter_name="cmx_3600", rate=float(fps)
    )
    (track,) = timeline.video_tracks()
    clips = list(track.find_clips())
    assert [c.name for c in clips] == NAMES
    assert [c.metadata["cmx_3600"]["reel"] for c in clips] == REELS
    for clip, shot in zip(clips, shots_in_order(), strict=True):
        frames = cut(shot, fps)
        assert clip.source_range.start_time.value == frames[0]
        assert clip.source_range.duration.value == len(frames)
    assert clips[0].source_range.duration.value == 48  # 2 s long is 2 s (47.95 s at 23.976)
    # Record timecode: the adapter starts the track at minus the first record in.
    record_in = -track.source_range.start_time
    assert otio.opentime.to_timecode(record_in, record_in.rate) == "01:00:00:00"
    comments = [list(c.metadata["cmx_3600"].get("comments", [])) for c in clips]
    assert comments[0] == ["DESCRIPTION: Mia drifts toward camera", "NOTES: Lock off"]
    assert comments[1] == [
        "DESCRIPTION: Insert: the T-handle flips - twice",  # ASCII in an EDL
        "NOTES: Hold focus on the handle",
    ]
    assert comments[2] == []


def test_edl_event_lines_are_cmx_3600(tmp_path):
    write(tmp_path, 24)
    text = (tmp_path / "cut.edl").read_text(encoding="ascii")
    lines = text.splitlines()
    assert lines[0] == "TITLE: Export test"
    assert "FCM: NON-DROP FRAME" in lines
    events = [line for line in lines if re.match(r"^\d{3}  ", line)]
    assert [e.split()[1] for e in events] == REELS
    # 1A: 0-2 s; 1C: frames 29-45 (17 frames); the pickup: frames 12-35 (24 frames).
    assert events[0].split()[4:] == ["00:00:00:00", "00:00:02:00", "01:00:00:00", "01:00:02:00"]
    assert events[1].split()[4:] == ["00:00:01:05", "00:00:01:22", "01:00:02:00", "01:00:02:17"]
    assert events[2].split()[4:] == ["00:00:00:12", "00:00:01:12", "01:00:02:17", "01:00:03:17"]
    for event in events:
        reel = event[5:13]
        assert re.fullmatch(r"[A-Z0-9]+ *", reel)


@pytest.mark.parametrize("rate", [24, 23.976])
def test_fcp_xml_reads_back_with_the_fcp_xml_adapter(rate, tmp_path):
    scene = write(tmp_path, rate)
    fps = scene.frame_rate.fps
    timeline = otio.adapters.read_from_file(str(tmp_path / "cut.xml"), adapter_name="fcp_xml")
    start = timeline.global_start_time
    assert otio.opentime.to_timecode(start, float(fps)) == "01:00:00:00"
    (track,) = timeline.video_tracks()
    clips = list(track.find_clips())
    assert [c.name for c in clips] == NAMES
    record = 0
    for clip, shot in zip(clips, shots_in_order(), strict=True):
        frames = cut(shot, fps)
        assert clip.source_range.start_time.value == frames[0]
        assert clip.source_range.duration.value == len(frames)
        assert clip.range_in_parent().start_time.value == record  # butt-spliced, in order
        record += len(frames)
    first, second, third = clips
    assert dict(first.metadata["fcp_xml"]["comments"]) == {
        "clipcommenta": "Mia drifts toward camera",
        "clipcommentb": "Lock off",
    }
    assert [(m.name, m.metadata["fcp_xml"]["comment"]) for m in second.markers] == [
        ("Description", "Insert: the T-handle flips — twice"),
        ("Notes", "Hold focus on the handle"),
    ]
    assert second.markers[0].marked_range.start_time.value == cut(SHOTS[0], fps)[0]
    assert not third.markers


def test_reel_names_follow_the_cmx_3600_reel_rules():
    assert reel_name("1C") == "1C"
    assert reel_name("1C the wrench") == "1CTHEWRE"
    assert reel_name("sh-010") == "SH010"
    assert reel_name("BL") == "SBL"  # reserved for black
    assert reel_name("—") == "S"
    reels = reel_names(["LONGSHOT-A", "LONGSHOT-B", "LONGSHOT-C", "X"])
    assert list(reels.values()) == ["LONGSHOT", "LONGSHO2", "LONGSHO3", "X"]
    for reel in reels.values():
        assert re.fullmatch(r"[A-Z0-9]{1,8}", reel)
