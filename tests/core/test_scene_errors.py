"""Bad scene files: every problem is reported at once, at its JSON path, in plain words."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from pydantic import ValidationError

from see1previs.core.scene import FORMAT_VERSION, Prop, Scene
from see1previs.core.scenefile import SceneFileError, load_scene, parse_scene, scene_from_data
from see1previs.core.sceneissues import SceneIssue, issues_from_validation_error
from tests.core.samples import problems, valid_scene_data

# -- issues and the error ----------------------------------------------------------------------


def test_issue_reads_path_then_message() -> None:
    issue = SceneIssue("props[2].mass", "must be greater than 0 kg, got -1")
    assert str(issue) == "props[2].mass: must be greater than 0 kg, got -1"
    assert str(SceneIssue("", "the file is empty")) == "the file is empty"


def test_error_names_the_file_and_lists_every_issue_on_its_own_line() -> None:
    issues = [SceneIssue("props[0].mass", "is required"), SceneIssue("title", "must be text")]
    error = SceneFileError(issues, Path("blocking/sc12.see1.json"))
    lines = str(error).splitlines()
    assert "blocking/sc12.see1.json" in lines[0] or "blocking\\sc12.see1.json" in lines[0]
    assert "2 problems" in lines[0]
    assert [line.strip() for line in lines[1:]] == [
        "props[0].mass: is required",
        "title: must be text",
    ]
    assert error.issues == issues
    assert error.file == Path("blocking/sc12.see1.json")


def test_error_survives_pickling() -> None:
    # Bakes and loads may run in worker processes, which send errors back pickled.
    error = SceneFileError([SceneIssue("format", "is missing")], Path("a.see1.json"), "save")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.issues, copy.file, copy.action, str(copy)) == (
        error.issues,
        error.file,
        "save",
        str(error),
    )


def test_error_without_a_file_still_lists_issues() -> None:
    error = SceneFileError([SceneIssue("format", "is missing")])
    assert error.file is None
    assert str(error).splitlines()[1].strip() == "format: is missing"


# -- the documented example and ranges ---------------------------------------------------------


def test_the_example_negative_mass_message() -> None:
    data = valid_scene_data()
    data["props"][2]["mass"] = -1
    assert problems(data) == ["props[2].mass: must be greater than 0 kg, got -1"]


def test_zero_mass_is_refused_too() -> None:
    data = valid_scene_data()
    data["props"][0]["mass"] = 0
    assert problems(data) == ["props[0].mass: must be greater than 0 kg, got 0"]


@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        (
            ("props", 2, "shape", "radius"),
            -0.5,
            "props[2].shape.radius: must be greater than 0 m, got -0.5",
        ),
        (("actors", 0, "mass"), 10, "actors[0].mass: must be at least 25 kg, got 10"),
        (("actors", 0, "height"), 3, "actors[0].height: must be at most 2.3 m, got 3"),
        (("duration",), 0, "duration: must be greater than 0 s, got 0"),
        (("cues", 0, "time"), -1.5, "cues[0].time: must be at least 0 s, got -1.5"),
        (
            ("environment", "air_density"),
            9,
            "environment.air_density: must be at most 5 kg/m³, got 9",
        ),
        (
            ("props", 0, "drag_coefficient"),
            7,
            "props[0].drag_coefficient: must be at most 5, got 7",
        ),
        (("simulation", "timestep"), 0.5, "simulation.timestep: must be at most 0.002 s, got 0.5"),
    ],
)
def test_range_errors_use_the_fields_unit(where: tuple, value: float, expected: str) -> None:
    data = valid_scene_data()
    node = data
    for key in where[:-1]:
        node = node.setdefault(key, {}) if isinstance(key, str) else node[key]
    node[where[-1]] = value
    assert problems(data) == [expected]


def test_less_than_errors_are_worded_too() -> None:
    # No format-1 field has an exclusive maximum yet; the wording must still be right.
    error = ValidationError.from_exception_data(
        "Scene",
        [{"type": "less_than", "loc": ("duration",), "input": 5000, "ctx": {"lt": 3600}}],
    )
    assert [str(i) for i in issues_from_validation_error(error)] == [
        "duration: must be less than 3600 s, got 5000"
    ]


def test_an_edit_rejected_by_a_nested_model_reads_like_a_file_error() -> None:
    prop = scene_from_data(valid_scene_data()).props[2]
    with pytest.raises(ValidationError) as caught:
        prop.mass = -1  # models validate assignments
    issues = issues_from_validation_error(caught.value, Prop, "props[2]")
    assert [str(i) for i in issues] == ["props[2].mass: must be greater than 0 kg, got -1"]


# -- types -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("heavy", "must be a number, got the text 'heavy'"),
        ("3", "must be a number, got the text '3'"),  # numbers in quotes are text
        (True, "must be a number, got true"),
        (None, "must be a number, got null"),
        ([1], "must be a number, got a list of 1"),
        ({"kg": 3}, "must be a number, got an object"),
    ],
)
def test_mass_of_the_wrong_type(value: object, expected: str) -> None:
    data = valid_scene_data()
    data["props"][1]["mass"] = value
    assert problems(data) == [f"props[1].mass: {expected}"]


def test_other_wrong_types() -> None:
    data = valid_scene_data()
    data["title"] = 5
    data["environment"] = {"air_drag": "yes"}
    data["format"] = 1
    data["actors"] = {"id": "ana"}
    data["props"][0]["shape"] = "cylinder"
    assert problems(data) == [  # in file order: "environment" was added last
        "title: must be text in double quotes, got 5",
        "props[0].shape: must be an object {...}, got the text 'cylinder'",
        "actors: must be a list [...], got an object",
        "environment.air_drag: must be true or false, got the text 'yes'",
    ]


def test_nan_and_infinity_literals_are_refused() -> None:
    # Python's json module accepts these non-standard literals, so the models must catch them.
    text = json.dumps(valid_scene_data())
    text = text.replace('"duration": 10', '"duration": NaN')
    text = text.replace('"mass": 0.45', '"mass": Infinity')
    text = text.replace('"impulse": [0.1, 0, 0]', '"impulse": [0.1, -Infinity, 0]')
    assert problems(text) == [
        "duration: must be a finite number, got NaN",
        "props[1].mass: must be a finite number, got Infinity",
        "cues[0].impulse[1]: must be a finite number, got -Infinity",
    ]


def test_a_number_too_large_for_a_float_is_not_finite() -> None:
    text = json.dumps(valid_scene_data()).replace('"mass": 0.3', '"mass": 1e400')
    assert problems(text) == ["props[0].mass: must be a finite number, got Infinity"]


# -- required fields and vectors ---------------------------------------------------------------


def test_missing_required_fields() -> None:
    data = valid_scene_data()
    del data["props"][0]["mass"]
    del data["props"][1]["shape"]["size"]
    del data["cues"][1]["target"]
    assert problems(data) == [
        "props[0].mass: is required",
        "props[1].shape.size: is required",
        "cues[1].target: is required",
    ]


@pytest.mark.parametrize(
    ("value", "got"),
    [([0.3, 0.05], "a list of 2"), ([0.1], "a list of 1"), ([1, 2, 3, 4], "a list of 4"), (5, "5")],
)
def test_vector_of_the_wrong_length(value: object, got: str) -> None:
    data = valid_scene_data()
    data["props"][1]["shape"]["size"] = value
    assert problems(data) == [
        f"props[1].shape.size: must be a list of 3 numbers (x, y, z), got {got}"
    ]


def test_quaternion_of_the_wrong_length_names_w_x_y_z() -> None:
    data = valid_scene_data()
    data["actors"][0]["pose"] = {"orientation": [1, 0, 0]}
    assert problems(data) == [
        "actors[0].pose.orientation: must be a list of 4 numbers (w, x, y, z), got a list of 3"
    ]


def test_zero_quaternion_and_bad_vector_items() -> None:
    data = valid_scene_data()
    data["props"][0]["pose"] = {"position": [0, "up", 0], "orientation": [0, 0, 0, 0]}
    assert problems(data) == [
        "props[0].pose.position[1]: must be a number, got the text 'up'",
        "props[0].pose.orientation: must be a non-zero quaternion (w, x, y, z)",
    ]


# -- shape and cue types -----------------------------------------------------------------------


def test_unknown_shape_type_suggests_the_right_one() -> None:
    data = valid_scene_data()
    data["props"][2]["shape"] = {"type": "cube", "size": [1, 1, 1]}
    assert problems(data) == [
        "props[2].shape: shape type 'cube' is not one of box, sphere, cylinder, capsule, mesh "
        "(did you mean 'box'?)"
    ]


@pytest.mark.parametrize(
    ("typed", "meant"), [("sphre", "sphere"), ("Box", "box"), ("ball", "sphere")]
)
def test_shape_type_near_misses(typed: str, meant: str) -> None:
    data = valid_scene_data()
    data["props"][2]["shape"]["type"] = typed
    (problem,) = problems(data)
    assert problem.endswith(f"(did you mean '{meant}'?)")


def test_shape_type_with_no_near_miss_has_no_suggestion() -> None:
    data = valid_scene_data()
    data["props"][2]["shape"]["type"] = "teapot"
    assert problems(data) == [
        "props[2].shape: shape type 'teapot' is not one of box, sphere, cylinder, capsule, mesh"
    ]


def test_shape_without_a_type() -> None:
    data = valid_scene_data()
    data["props"][2]["shape"] = {"radius": 0.1}
    assert problems(data) == [
        'props[2].shape: needs a "type": one of box, sphere, cylinder, capsule, mesh'
    ]


def test_unknown_cue_type() -> None:
    data = valid_scene_data()
    data["cues"][1]["type"] = "twist"
    assert problems(data) == [
        "cues[1]: cue type 'twist' is not one of impulse, spin, push_off, hold, release, grab, "
        "catch, throw, tether, pose (did you mean 'spin'?)"
    ]


def test_errors_inside_a_shape_have_the_files_path_not_pydantics() -> None:
    # Pydantic's location includes the union member ('sphere'); the file has no such level.
    data = valid_scene_data()
    data["props"][2]["shape"]["radius"] = "big"
    assert problems(data) == ["props[2].shape.radius: must be a number, got the text 'big'"]


def test_actor_body_must_be_a_known_model() -> None:
    data = valid_scene_data()
    data["actors"][0]["body"] = "robot"
    assert problems(data) == [
        "actors[0].body: must be 'humanoid' or 'placeholder', got the text 'robot'"
    ]


# -- ids, colours, text ------------------------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["b b", "-mug", "mug!", "é"])
def test_id_pattern(bad_id: str) -> None:
    data = valid_scene_data()
    data["props"][0]["id"] = bad_id
    data["cues"][0]["target"] = bad_id
    assert problems(data) == [
        f"props[0].id: must be an id of letters, digits, '_', '-', '.' (starting with a letter "
        f"or digit), got the text '{bad_id}'",
        f"cues[0].target: must be an id of letters, digits, '_', '-', '.' (starting with a "
        f"letter or digit), got the text '{bad_id}'",
    ]


def test_empty_and_overlong_ids() -> None:
    data = valid_scene_data()
    data["props"][1]["id"] = ""
    data["actors"][0]["id"] = "w" * 65
    assert problems(data) == [
        "props[1].id: must not be empty",
        "actors[0].id: must be at most 64 characters long, got 65",
    ]


def test_colour_must_be_hex() -> None:
    data = valid_scene_data()
    data["actors"][0]["color"] = "red"
    assert problems(data) == [
        "actors[0].color: must be a colour written #RRGGBB (like #ff8800), got the text 'red'"
    ]


def test_frame_rate_problems_are_explained() -> None:
    data = valid_scene_data()
    data["frame_rate"] = 25.5
    (problem,) = problems(data)
    assert problem.startswith("frame_rate: 25.5 fps is not a standard rate")
    data["frame_rate"] = 0
    assert problems(data) == ["frame_rate: must be between 1 and 1000 fps, got 0"]


# -- unknown fields ----------------------------------------------------------------------------


def test_unknown_field_suggests_the_known_one() -> None:
    data = valid_scene_data()
    data["props"][1]["mas"] = data["props"][1].pop("mass")
    assert problems(data) == [
        "props[1].mas: unknown field 'mas' (did you mean 'mass'?)",
        "props[1].mass: is required",
    ]


def test_unknown_top_level_field() -> None:
    data = valid_scene_data()
    data["titel"] = data.pop("title")
    assert problems(data) == ["titel: unknown field 'titel' (did you mean 'title'?)"]


def test_unknown_field_without_a_near_miss_lists_the_known_fields() -> None:
    data = valid_scene_data()
    data["props"][1]["shape"]["radius"] = 0.1  # a box has no radius
    assert problems(data) == [
        "props[1].shape.radius: unknown field 'radius' (known fields: type, size)"
    ]


def test_unknown_field_with_an_odd_name_is_quoted_in_the_path() -> None:
    data = valid_scene_data()
    data["environment"] = {"air density": 1.2}
    assert problems(data) == [
        "environment[\"air density\"]: unknown field 'air density' (did you mean 'air_density'?)"
    ]


# -- ids and references ------------------------------------------------------------------------


def test_duplicate_ids_across_props_actors_and_cues() -> None:
    data = valid_scene_data()
    data["props"][2]["id"] = "mug"
    data["cues"][1]["id"] = "ana"
    data["cues"][1]["target"] = "mug"
    assert problems(data) == [
        "props[2].id: id 'mug' is already used by props[0]; ids must be unique",
        "cues[1].id: id 'ana' is already used by actors[0]; ids must be unique",
    ]


def test_unknown_cue_target_suggests_the_nearest_id() -> None:
    data = valid_scene_data()
    data["cues"][0]["target"] = "mgu"
    assert problems(data) == [
        "cues[0].target: cue 'throw' refers to 'mgu', which is not a prop or actor in this "
        "scene (did you mean 'mug'?)"
    ]


def test_cue_after_the_end() -> None:
    data = valid_scene_data()
    data["cues"][1]["time"] = 12.5
    assert problems(data) == ["cues[1].time: cue 'twirl' is at 12.5 s, after the scene ends (10 s)"]


def test_bad_value_and_duplicate_id_are_both_reported_once() -> None:
    # Pydantic skips the scene's reference check when a field fails; the loader must not.
    data = valid_scene_data()
    data["props"][2]["mass"] = -1
    data["props"][1]["id"] = "mug"
    data["cues"][1]["target"] = "bal"
    data["cues"][0]["time"] = 11
    assert problems(data) == [
        "props[1].id: id 'mug' is already used by props[0]; ids must be unique",
        "props[2].mass: must be greater than 0 kg, got -1",
        "cues[0].time: cue 'throw' is at 11 s, after the scene ends (10 s)",
        "cues[1].target: cue 'twirl' refers to 'bal', which is not a prop or actor in this "
        "scene (did you mean 'ball'?)",
    ]


def test_reference_check_on_raw_data_does_not_repeat_field_errors() -> None:
    data = valid_scene_data()
    data["props"][0]["mass"] = "heavy"
    data["cues"][0]["target"] = 7  # already wrong as a type: no "refers to" on top
    data["cues"][1]["type"] = "twist"  # the whole cue is unreadable
    data["props"][1]["id"] = "b b"
    data["props"][2]["id"] = "b b"  # a duplicate, but both ids are invalid anyway
    assert problems(data) == [
        "props[0].mass: must be a number, got the text 'heavy'",
        "props[1].id: must be an id of letters, digits, '_', '-', '.' (starting with a letter "
        "or digit), got the text 'b b'",
        "props[2].id: must be an id of letters, digits, '_', '-', '.' (starting with a letter "
        "or digit), got the text 'b b'",
        "cues[0].target: must be text in double quotes, got 7",
        "cues[1]: cue type 'twist' is not one of impulse, spin, push_off, hold, release, grab, "
        "catch, throw, tether, pose (did you mean 'spin'?)",
    ]


def test_late_cue_is_not_reported_when_the_duration_itself_is_wrong() -> None:
    data = valid_scene_data()
    data["duration"] = -3
    data["cues"][0]["time"] = 5
    assert problems(data) == ["duration: must be greater than 0 s, got -3"]


def test_a_reference_problem_alone_is_reported_once() -> None:
    data = valid_scene_data()
    data["actors"][0]["id"] = "ball"
    assert problems(data) == [
        "actors[0].id: id 'ball' is already used by props[2]; ids must be unique"
    ]


# -- many problems -----------------------------------------------------------------------------


def test_every_problem_in_a_file_is_reported_in_file_order() -> None:
    data = valid_scene_data()
    data["title"] = None
    data["props"][0]["mass"] = -2
    data["props"][0]["colour"] = "#ff0000"
    data["props"][1]["shape"]["size"] = [0.3, 0.05]
    data["props"][2]["shape"] = {"type": "cube"}
    data["actors"][0]["height"] = 0.4
    data["cues"][0]["target"] = "mgu"
    data["cues"][1]["time"] = "soon"
    expected = [
        "title: must be text in double quotes, got null",
        "props[0].mass: must be greater than 0 kg, got -2",
        "props[0].colour: unknown field 'colour' (did you mean 'color'?)",
        "props[1].shape.size: must be a list of 3 numbers (x, y, z), got a list of 2",
        "props[2].shape: shape type 'cube' is not one of box, sphere, cylinder, capsule, mesh "
        "(did you mean 'box'?)",
        "actors[0].height: must be at least 1 m, got 0.4",
        "cues[0].target: cue 'throw' refers to 'mgu', which is not a prop or actor in this "
        "scene (did you mean 'mug'?)",
        "cues[1].time: must be a number, got the text 'soon'",
    ]
    assert problems(data) == expected
    with pytest.raises(SceneFileError) as caught:
        parse_scene(json.dumps(data), "blocking.see1.json")
    lines = str(caught.value).splitlines()
    assert lines[0] == "Cannot load scene file 'blocking.see1.json' (8 problems):"
    assert [line.strip() for line in lines[1:]] == expected


# -- format version ----------------------------------------------------------------------------


def test_missing_format_means_not_a_scene() -> None:
    data = valid_scene_data()
    del data["format"]
    (problem,) = problems(data)
    assert problem.startswith("format: is missing, so this is not a SEE-1 scene file")
    assert f'"format": {FORMAT_VERSION}' in problem


def test_a_json_file_of_something_else_is_not_a_scene() -> None:
    (problem,) = problems('{"name": "my-package", "version": "1.0.0"}')
    assert "not a SEE-1 scene file" in problem


def test_newer_format_is_refused_with_the_file_name_and_nothing_else() -> None:
    newer = FORMAT_VERSION + 1
    data = valid_scene_data()
    data["format"] = newer
    data["props"][0]["mass"] = -1  # whatever the newer format means, it is not for this version
    data["hologram"] = True
    with pytest.raises(SceneFileError) as caught:
        parse_scene(json.dumps(data), "stage/scene.see1.json")
    assert [str(issue) for issue in caught.value.issues] == [
        f"format: scene.see1.json was saved by a newer SEE-1 Previs (format {newer}); this "
        f"version reads formats up to {FORMAT_VERSION} — please update"
    ]


def test_newer_format_without_a_file_name() -> None:
    newer = FORMAT_VERSION + 1
    data = valid_scene_data()
    data["format"] = newer
    assert problems(data) == [
        f"format: this scene was saved by a newer SEE-1 Previs (format {newer}); this version "
        f"reads formats up to {FORMAT_VERSION} — please update"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", "format: must be a whole number (the scene-format version), got the text '1'"),
        (1.5, "format: must be a whole number (the scene-format version), got 1.5"),
        (True, "format: must be a whole number (the scene-format version), got true"),
        (0, "format: 0 is not a SEE-1 scene format (they start at 1)"),
    ],
)
def test_invalid_format_values(value: object, expected: str) -> None:
    data = valid_scene_data()
    data["format"] = value
    assert problems(data) == [expected]


# -- JSON and text -----------------------------------------------------------------------------


def test_malformed_json_gives_line_column_and_what_was_expected() -> None:
    text = '{\n  "format": 1,\n  "title": "x"\n  "duration": 5\n}\n'
    (problem,) = problems(text)
    assert problem.startswith("invalid JSON at line 4, column 3: expected ',' between two items")
    assert '"duration": 5' in problem  # shows the line


@pytest.mark.parametrize(
    ("text", "start", "hint"),
    [
        ('{\n  "format": 1,\n}', "invalid JSON at line 3, column 1", "no comma before '}'"),
        ('{"format": 1,\n "props": [1, 2,]}', "invalid JSON at line 2, column 17", "no comma"),
        ('{"format": 1, // the version\n}', "invalid JSON at line 1, column 15", "no comments"),
        ("{'format': 1}", "invalid JSON at line 1, column 2", "double quotes"),
        ('{"format": 1}\n{"format": 1}', "invalid JSON at line 2, column 1", "after the end"),
        ('{"format": 1, "title": "abc}', "invalid JSON at line 1, column 24", "never ends"),
        ('{"format": 1, "title": }', "invalid JSON at line 1, column 24", "expected a value"),
    ],
)
def test_json_syntax_errors(text: str, start: str, hint: str) -> None:
    (problem,) = problems(text)
    assert problem.startswith(start)
    assert hint in problem


@pytest.mark.parametrize("text", ["", "   \n"])
def test_empty_file(text: str) -> None:
    assert problems(text) == ["the file is empty; a scene file is a JSON object {...}"]


@pytest.mark.parametrize(
    ("text", "got"), [("[1, 2]", "a list of 2"), ('"scene"', "the text 'scene'"), ("42", "42")]
)
def test_top_level_must_be_an_object(text: str, got: str) -> None:
    assert problems(text) == [
        f"a scene file must hold one JSON object {{...}} with the scene's fields, got {got}"
    ]


def test_repeated_keys_are_reported_with_other_problems() -> None:
    text = (
        '{"format": 1, "duration": 5, "duration": 6,\n'
        ' "props": [{"id": "a", "shape": {"type": "sphere", "radius": 0.1},'
        ' "mass": 1, "mass": 2, "mass": -3}]}'
    )
    assert problems(text) == [
        "duration: appears 2 times in the same object; keep only one (JSON would silently use "
        "the last)",
        "props[0].mass: appears 3 times in the same object; keep only one (JSON would silently "
        "use the last)",
        "props[0].mass: must be greater than 0 kg, got -3",
    ]


def test_invalid_utf8_gives_line_and_column(tmp_path: Path) -> None:
    file = tmp_path / "latin1.see1.json"
    file.write_bytes('{"format": 1,\n "title": "Caf\u00e9"}'.encode("latin-1"))
    with pytest.raises(SceneFileError) as caught:
        load_scene(file)
    (issue,) = caught.value.issues
    assert "not UTF-8" in issue.message
    assert "byte 0xe9 at line 2, column 15" in issue.message
    assert caught.value.file == file


def test_utf8_with_byte_order_mark_loads(tmp_path: Path) -> None:
    file = tmp_path / "notepad.see1.json"
    file.write_bytes(b"\xef\xbb\xbf" + json.dumps(valid_scene_data()).encode())
    assert load_scene(file).title == "Test scene"


def test_non_ascii_text_loads(tmp_path: Path) -> None:
    data = valid_scene_data()
    data["title"] = "Sc. 12 — Café, 宇宙"
    file = tmp_path / "unicode.see1.json"
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_scene(file).title == "Sc. 12 — Café, 宇宙"


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    file = tmp_path / "nowhere.see1.json"
    with pytest.raises(SceneFileError) as caught:
        load_scene(file)
    assert str(file) in str(caught.value)
    assert "cannot read the file" in str(caught.value)


def test_too_deeply_nested_json_is_an_error_not_a_crash() -> None:
    (problem,) = problems('{"format": 1, "title": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert "nested too deeply" in problem


def test_loading_treats_code_as_text() -> None:
    data = valid_scene_data()
    data["title"] = "__import__('os').system('echo hacked')"
    data["props"][0]["name"] = "!!python/object/apply:os.system ['echo hacked']"
    scene = scene_from_data(data)
    assert scene.title == "__import__('os').system('echo hacked')"


# -- data already decoded ----------------------------------------------------------------------


def test_scene_from_data_accepts_valid_data() -> None:
    scene = scene_from_data(valid_scene_data())
    assert isinstance(scene, Scene)
    assert [body.id for body in scene.bodies()] == ["mug", "wrench", "ball", "ana"]


def test_scene_from_data_refuses_values_that_are_not_json() -> None:
    data = valid_scene_data()
    data["title"] = object()
    (problem,) = problems(data)
    assert problem.startswith("the scene data is not plain JSON data")


def test_scene_from_data_refuses_a_list() -> None:
    with pytest.raises(SceneFileError) as caught:
        scene_from_data([1, 2])  # type: ignore[arg-type]
    assert "got a list of 2" in str(caught.value)
