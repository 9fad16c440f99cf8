"""Scene files a fuzzer found breaking the loader: each is refused with a message, quickly.

Every case here once crashed the loader (IndexError, OverflowError), hung it (minutes on a
38-byte file, most of a minute on 16,000 cues) or printed an object address. The hangs are
run in a child process with a time limit, so a regression fails instead of stalling the
suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from see1previs.core.scene import FORMAT_VERSION, Scene
from see1previs.core.scene_json import MAX_DEPTH
from see1previs.core.scenefile import MAX_SCENE_BYTES, SceneFileError, load_scene
from tests.core.samples import problems, valid_scene_data

HANG_LIMIT_S = 60  # the fixed loader answers in well under a second; before, minutes


def _in_child(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter, killed after HANG_LIMIT_S."""
    try:
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=HANG_LIMIT_S,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"still loading after {HANG_LIMIT_S} s: {code.strip()[:200]}")


# -- crashes -----------------------------------------------------------------------------------


def test_a_file_cut_short_names_the_line_and_column() -> None:
    assert problems("{\n") == [
        "invalid JSON at line 2, column 1: expected a field name in double quotes; the file "
        "ends here, so it looks cut short"
    ]


def test_a_file_cut_short_after_a_few_lines() -> None:
    (problem,) = problems('{\n  "format": 2,\n  "title": "Sc. 12",\n')
    assert problem.startswith("invalid JSON at line 4, column 1:")
    assert "cut short" in problem


def test_lines_are_counted_as_json_counts_them() -> None:
    # A line separator inside text is a line break to str.splitlines() but not to JSON: the
    # quoted line must be the one the line number names.
    (problem,) = problems('{"format": 2, "title": "Sc.\u2028 12",\n "duration": }')
    assert problem.startswith("invalid JSON at line 2, column 14:")
    assert problem.endswith('(near: "duration": })')


def test_a_frame_rate_beyond_any_float_is_out_of_range() -> None:
    data = valid_scene_data()
    data["frame_rate"] = "1e999999"
    assert problems(data) == ["frame_rate: must be between 1 and 1000 fps, got 1e999999"]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("1e999999", "Infinity"),  # JSON reads it as an infinite float
        ("1" + "0" * 400, "a number too large to be a frame rate"),
        ("1e300", "1e+300"),
    ],
)
def test_huge_frame_rate_numbers_are_out_of_range(written: str, shown: str) -> None:
    text = json.dumps(valid_scene_data()).replace('"frame_rate": 24', f'"frame_rate": {written}')
    assert problems(text) == [f"frame_rate: must be between 1 and 1000 fps, got {shown}"]


def test_a_cue_time_with_400_digits_is_refused_at_its_path() -> None:
    text = json.dumps(valid_scene_data()).replace('"time": 1,', '"time": 1' + "0" * 400 + ",")
    assert problems(text) == [
        "cues[0].time: must be a finite number, got a number too large to use"
    ]


def test_a_number_with_more_digits_than_python_reads_is_refused_at_its_path() -> None:
    text = json.dumps(valid_scene_data()).replace('"duration": 10', '"duration": ' + "7" * 5000)
    assert problems(text) == ["duration: must be a finite number, got a number too large to use"]


def test_a_huge_format_number_is_not_printed_in_full() -> None:
    current = f'"format": {FORMAT_VERSION}'
    text = json.dumps(valid_scene_data()).replace(current, '"format": 1' + "0" * 400)
    assert problems(text) == [
        "format: a number too large to use is not a SEE-1 scene format (this version reads "
        f"formats 1 to {FORMAT_VERSION})"
    ]


# -- hangs -------------------------------------------------------------------------------------


def test_a_frame_rate_with_a_huge_exponent_is_refused_at_once() -> None:
    result = _in_child(
        """
        from see1previs.core.scenefile import SceneFileError, parse_scene
        try:
            parse_scene('{"format": 2, "frame_rate": "1e99999999"}')
        except SceneFileError as exc:
            print(exc.issues[0])
        """
    )
    assert result.stdout.strip() == "frame_rate: must be between 1 and 1000 fps, got 1e99999999"


def test_sixteen_thousand_cues_with_unknown_targets_load_in_linear_time() -> None:
    result = _in_child(
        """
        import json
        from see1previs.core.scenefile import SceneFileError, parse_scene
        props = [{"id": f"p{i}", "shape": {"type": "sphere", "radius": 0.1}, "mass": 1}
                 for i in range(400)]
        no_id = [{"type": "impulse", "time": 1, "target": f"q{i}", "impulse": [0, 0, 0]}
                 for i in range(16_000)]
        for cues in (no_id, [dict(cue, id=f"c{i}") for i, cue in enumerate(no_id)]):
            try:
                parse_scene(json.dumps({"format": 2, "props": props, "cues": cues}))
            except SceneFileError as exc:
                print(len(exc.issues), exc.issues[0])
        """
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("1 cues: must hold at most 10000 items, got a list of 16000")
    assert lines[1].startswith("1 cues: must hold at most 10000 items")


def test_ten_thousand_bad_cues_each_get_their_message() -> None:
    data = {
        "format": 2,
        "props": [{"id": "mug", "shape": {"type": "sphere", "radius": 0.1}, "mass": 1}],
        "cues": [
            {"type": "impulse", "time": 1, "target": f"q{i}", "impulse": [0, 0, 0]}
            for i in range(10_000)
        ],
    }
    found = problems(data)
    assert len(found) == 20_000  # a missing id and an unknown target each
    assert found[:2] == [
        "cues[0].target: a cue without an id refers to 'q0', which is not a prop or actor in "
        "this scene",
        "cues[0].id: is required",
    ]


def test_deep_nesting_is_refused_with_its_line_and_column() -> None:
    text = '{"format": 2,\n "title": ' + "[" * 50 + "]" * 50 + "}"
    assert problems(text) == [
        f"lists and objects are nested too deeply at line 2, column {10 + MAX_DEPTH} (more than "
        f"{MAX_DEPTH} levels); a scene's fields are never nested that deeply"
    ]


def test_an_enormous_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    file = tmp_path / "huge.see1.json"
    with file.open("wb") as stream:
        stream.write(b'{"format": 2, "title": "')
        stream.truncate(MAX_SCENE_BYTES + 10)
    with pytest.raises(SceneFileError) as caught:
        load_scene(file)
    assert "larger than 16 MiB" in str(caught.value)


def test_more_bodies_than_the_module_holds_are_refused() -> None:
    data = valid_scene_data()
    data["props"] = [
        {"id": f"p{i}", "shape": {"type": "sphere", "radius": 0.01}, "mass": 0.01}
        for i in range(501)
    ]
    data["cues"] = []
    assert problems(data) == ["props: must hold at most 500 items, got a list of 501"]


# -- messages ----------------------------------------------------------------------------------


def test_a_cue_without_an_id_is_named_in_words_not_by_address() -> None:
    data = valid_scene_data()
    del data["cues"][0]["id"]
    data["cues"][0]["target"] = "mgu"
    found = problems(data)
    assert found == [
        "cues[0].target: a cue without an id refers to 'mgu', which is not a prop or actor in "
        "this scene (did you mean 'mug'?)",
        "cues[0].id: is required",
    ]
    assert not any("object at 0x" in problem for problem in found)


def test_a_late_cue_without_an_id_is_named_in_words() -> None:
    data = valid_scene_data()
    del data["cues"][1]["id"]
    data["cues"][1]["time"] = 99
    assert "cues[1].time: a cue without an id is at 99 s, after the scene ends (10 s)" in problems(
        data
    )


# -- the whole corpus of valid scenes still loads ------------------------------------------------


def test_every_committed_scene_still_loads() -> None:
    root = Path(__file__).resolve().parents[2]
    files = [*root.glob("scenes/*.see1.json"), *root.glob("tests/data/scene-format-*/*.see1.json")]
    assert files
    for file in files:
        assert isinstance(load_scene(file), Scene), file


def test_a_lone_half_character_is_named_at_its_path() -> None:
    assert problems('{"format": 2, "title": "Sc. 12 \\ud800"}') == [
        "title: holds \\ud800, half of a two-part character escape without its other half, "
        "which is not text; remove it or write the whole character"
    ]


def test_a_list_longer_than_any_in_a_scene_is_refused_where_it_is() -> None:
    text = json.dumps({"format": 2, "title": "x", "extra": {"notes": list(range(30_000))}})
    assert problems(text) == [
        "extra.notes: this list holds 30,000 entries; no list or object in a scene holds "
        "more than 20,000"
    ]


def test_a_file_of_a_million_values_is_refused() -> None:
    text = json.dumps({"format": 2, "extra": [list(range(20_000))] * 60})
    (problem,) = problems(text)
    assert problem.startswith("extra[")
    assert "the file holds more than 1,000,000 values by here" in problem


def test_positions_far_beyond_any_set_are_refused() -> None:
    data = valid_scene_data()
    data["props"][0]["pose"] = {"position": [1.7976931348623157e308, 0, 0]}
    data["cameras"] = [
        {"id": "cam", "look_at": {"point": [0, 0, -1e9]}, "rig": {"type": "fixed", "mount": "A"}}
    ]
    assert problems(data) == [
        "props[0].pose.position: every coordinate must be within 100 m of the module's centre, "
        "got 1.7976931348623157e+308",
        "cameras[0].look_at.point: every coordinate must be within 100 m of the module's centre, "
        "got 1000000000",
    ]


def test_a_look_at_point_of_the_wrong_length_is_named_at_point() -> None:
    data = valid_scene_data()
    data["cameras"] = [
        {"id": "cam", "look_at": {"point": [0, 0]}, "rig": {"type": "fixed", "mount": "A"}}
    ]
    assert problems(data) == [
        "cameras[0].look_at.point: must be a list of 3 numbers (x, y, z), got a list of 2"
    ]
