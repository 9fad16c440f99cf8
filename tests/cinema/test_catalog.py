"""The camera and lens catalog: the data is complete and plausible, lookups help with typos,
broken data files are rejected naming the entry, and the docs table is the data's own."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from see1previs.cinema import catalog
from tests.conftest import REPO

REQUIRED_BODIES = {
    # body id: (default mode id, width mm, height mm) from the makers' published figures
    "arri-alexa-mini-lf": ("4.5k-lf-open-gate", 36.70, 25.54),
    "arri-alexa-35": ("4.6k-3x2-open-gate", 27.99, 19.22),
    "red-v-raptor-8k-vv": ("8k-17x9", 40.96, 21.60),
    "red-komodo-6k": ("6k-17x9", 27.03, 14.26),
    "sony-venice-2-8k": ("8.6k-3x2", 35.9, 24.0),
    "sony-fx6": ("ff-4k", 35.7, 18.8),
    "canon-eos-c70": ("4k-dci", 26.2, 13.8),
    "bmd-ursa-mini-pro-12k": ("12k-17x9", 27.03, 14.25),
}


def _bundled(name: str) -> dict[str, Any]:
    text = (resources.files("see1previs.cinema") / "data" / name).read_text(encoding="utf-8")
    return json.loads(text)


def test_required_bodies_have_the_published_default_sensor_sizes() -> None:
    for body_id, (mode_id, width, height) in REQUIRED_BODIES.items():
        body = catalog.camera_body(body_id)
        assert body.default_mode == mode_id
        mode = body.mode()
        assert (mode.width_mm, mode.height_mm) == (width, height), body_id


def test_other_modes_named_in_the_design() -> None:
    assert catalog.camera_body("arri-alexa-mini-lf").mode("3.8k-lf-16x9-uhd").width_mm == 31.68
    alexa35_4k = catalog.camera_body("arri-alexa-35").mode("4k-16x9")
    assert (alexa35_4k.width_mm, alexa35_4k.height_mm) == (24.88, 14.00)


def test_every_body_has_its_default_mode_and_plausible_sizes() -> None:
    for body in catalog.camera_bodies():
        assert body.source.strip() and "http" in body.source, body.id
        assert body.mode().id == body.default_mode
        assert len({m.id for m in body.modes}) == len(body.modes)
        for mode in body.modes:
            assert 5.0 < mode.width_mm < 60.0 and 5.0 < mode.height_mm < 60.0, mode
            assert 0.9 <= mode.aspect_ratio <= 2.5, mode


def test_sizes_agree_with_photosite_counts() -> None:
    # Independent check on typos: every mode's aspect ratio matches its photosite counts, and
    # every mode of a body implies the same photosite pitch (to the makers' rounding).
    for body in catalog.camera_bodies():
        pitches = []
        for mode in body.modes:
            if mode.photosites is None:
                continue
            columns, rows = mode.photosites
            assert mode.aspect_ratio == pytest.approx(columns / rows, rel=0.01), mode
            pitches += [mode.width_mm / columns, mode.height_mm / rows]
        if pitches:
            assert max(pitches) / min(pitches) < 1.01, body.id


def test_unknown_body_suggests_the_close_id() -> None:
    with pytest.raises(catalog.CatalogError) as caught:
        catalog.camera_body("arri-alexa-mini")
    message = str(caught.value)
    assert "'arri-alexa-mini'" in message and "'arri-alexa-mini-lf'" in message
    assert isinstance(caught.value, KeyError)
    assert caught.value.args[0] == message  # no KeyError quoting around the sentence


def test_unknown_lens_and_mode_suggest_close_ids() -> None:
    with pytest.raises(catalog.CatalogError, match="'cooke-s4i-50'"):
        catalog.lens("cooke-s4i-55")
    with pytest.raises(catalog.CatalogError, match="'fujinon-premista-28-100'"):
        catalog.lens("fujinon-premista-28-101")
    with pytest.raises(catalog.CatalogError, match="'4k-16x9'"):
        catalog.camera_body("arri-alexa-35").mode("4k-16:9")
    with pytest.raises(catalog.CatalogError, match="'zeiss-supreme-prime'"):
        catalog.lens_set("zeiss-supreme")


def test_custom_body_takes_the_users_sensor() -> None:
    body = catalog.custom_body(30.0, 15.0)
    assert body.id == catalog.CUSTOM_BODY_ID == "custom"
    mode = body.mode()
    assert (mode.width_mm, mode.height_mm) == (30.0, 15.0)
    with pytest.raises(catalog.CatalogError, match="width and height"):
        catalog.camera_body("custom")
    for bad in ((-1.0, 15.0), (30.0, 0.0), (math.nan, 15.0), (3000.0, 15.0)):
        with pytest.raises(ValueError, match="custom sensor"):
            catalog.custom_body(*bad)


def test_lenses_are_in_sets_with_whole_millimetre_focal_lengths() -> None:
    all_lenses = catalog.lenses()
    assert len({item.id for item in all_lenses}) == len(all_lenses)
    kinds = {s.kind for s in catalog.lens_sets()}
    assert kinds == {"prime", "zoom"}
    for group in catalog.lens_sets():
        assert "http" in group.source
        for item in group.lenses:
            assert catalog.lens(item.id) is item and item.set_id == group.id
            assert item.kind == group.kind
            assert isinstance(item.focal_min_mm, int) and isinstance(item.focal_max_mm, int)
            assert (item.focal_min_mm == item.focal_max_mm) == (item.kind == "prime")
            assert 0.5 < item.max_aperture_t < 5 and 0.1 < item.min_focus_m < 5
            assert 25 < item.image_circle_mm < 60


def test_required_lens_sets() -> None:
    ids = {s.id for s in catalog.lens_sets()}
    assert {"arri-signature-prime", "cooke-s4i", "zeiss-supreme-prime"} <= ids
    assert catalog.lens("arri-signature-zoom-24-75").kind == "zoom"
    assert catalog.lens("angenieux-optimo-24-290").focal_max_mm == 290
    assert catalog.lens("fujinon-premista-28-100").max_aperture_t == 2.9


def test_prime_accepts_only_its_focal_length() -> None:
    prime = catalog.lens("cooke-s4i-50")
    assert prime.accepts_focal(50) and prime.accepts_focal(50.0)
    for other in (49.9, 50.01, 35, math.nan, math.inf):
        assert not prime.accepts_focal(other), other


def test_zoom_accepts_its_range_including_the_ends() -> None:
    zoom = catalog.lens("arri-signature-zoom-24-75")
    for inside in (24, 24.0, 50.5, 75):
        assert zoom.accepts_focal(inside), inside
    for outside in (23.99, 75.01, 100, 0, -50, math.nan):
        assert not zoom.accepts_focal(outside), outside


def test_coverage_compares_image_circle_with_sensor_diagonal() -> None:
    mini_lf = catalog.camera_body("arri-alexa-mini-lf")
    open_gate = mini_lf.mode()
    assert open_gate.diagonal_mm == pytest.approx(44.71, abs=0.005)
    super35 = catalog.lens("cooke-s4i-50")
    assert super35.image_circle_mm < open_gate.diagonal_mm
    assert not super35.covers(open_gate)  # a Super 35 set vignettes on large format
    assert super35.covers(catalog.camera_body("arri-alexa-35").mode("4k-16x9"))
    # Published figures are rounded; a lens made for the format must still cover it.
    assert catalog.lens("arri-signature-prime-47").covers(open_gate)
    assert catalog.lens("fujinon-premista-28-100").covers(open_gate)
    assert catalog.lens("zeiss-supreme-prime-50").covers(
        catalog.camera_body("sony-venice-2-8k").mode()
    )


# --- Broken data files --------------------------------------------------------------------


def _write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _body(data: dict[str, Any], body_id: str) -> dict[str, Any]:
    return next(b for b in data["bodies"] if b["id"] == body_id)


def _set(data: dict[str, Any], set_id: str) -> dict[str, Any]:
    return next(s for s in data["sets"] if s["id"] == set_id)


def test_the_bundled_files_load_through_the_validating_loaders() -> None:
    folder = Path(str(resources.files("see1previs.cinema") / "data"))
    assert catalog.load_cameras(folder / "cameras.json") == catalog.camera_bodies()
    assert catalog.load_lenses(folder / "lenses.json") == catalog.lens_sets()


def test_negative_sensor_width_names_the_body_and_mode(tmp_path: Path) -> None:
    data = _bundled("cameras.json")
    _body(data, "red-komodo-6k")["modes"][0]["width_mm"] = -27.03
    with pytest.raises(catalog.CatalogDataError) as caught:
        catalog.load_cameras(_write(tmp_path, "cameras.json", data))
    message = str(caught.value)
    assert "cameras.json" in message
    assert "'red-komodo-6k'" in message and "'6k-17x9'" in message
    assert "width_mm: must be greater than 0, got -27.03" in message


def _mutate_cameras(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(_bundled("cameras.json"))
    change(data)
    return data


CAMERA_BREAKAGES = {
    "missing default mode": (
        lambda d: _body(d, "arri-alexa-35").update(default_mode="4k-17x9"),
        ["'arri-alexa-35'", "default_mode", "'4k-17x9'", "'4k-16x9'"],
    ),
    "duplicate body": (
        lambda d: d["bodies"].append(copy.deepcopy(_body(d, "sony-fx6"))),
        ["two bodies have the id 'sony-fx6'"],
    ),
    "duplicate mode": (
        lambda d: _body(d, "canon-eos-c70")["modes"].append(
            copy.deepcopy(_body(d, "canon-eos-c70")["modes"][0])
        ),
        ["'canon-eos-c70'", "two modes have the id '4k-dci'"],
    ),
    "misspelt field": (
        lambda d: _body(d, "sony-fx6")["modes"][0].update(widht_mm=35.7),
        ["'sony-fx6'", "'ff-4k'", "widht_mm", "Extra inputs are not permitted"],
    ),
    "missing size": (
        lambda d: _body(d, "sony-fx6")["modes"][0].pop("height_mm"),
        ["'sony-fx6'", "'ff-4k'", "height_mm: Field required"],
    ),
    "size in micrometres": (
        lambda d: _body(d, "sony-fx6")["modes"][0].update(width_mm=35700),
        ["'ff-4k'", "width_mm", "35700"],
    ),
    "reserved custom id": (
        lambda d: _body(d, "sony-fx6").update(id="custom"),
        ["reserved"],
    ),
    "wrong format version": (lambda d: d.update(format=2), ["format", "got 2"]),
}


@pytest.mark.parametrize("case", CAMERA_BREAKAGES, ids=str)
def test_broken_cameras_file_names_the_entry(case: str, tmp_path: Path) -> None:
    change, expected = CAMERA_BREAKAGES[case]
    path = _write(tmp_path, "cameras.json", _mutate_cameras(change))
    with pytest.raises(catalog.CatalogDataError) as caught:
        catalog.load_cameras(path)
    for text in expected:
        assert text in str(caught.value), (text, str(caught.value))


LENS_BREAKAGES = {
    "fractional focal length": (
        lambda d: _set(d, "cooke-s4i")["lenses"][4].update(focal_mm=50.5),
        ["'cooke-s4i'", "lenses[4] (50.5 mm)", "focal_mm", "integer"],
    ),
    "reversed zoom": (
        lambda d: _set(d, "fujinon-premista")["lenses"][0].update(focal_min_mm=120),
        ["'fujinon-premista'", "focal_min_mm (120) must be shorter than", "focal_max_mm (100)"],
    ),
    "negative close focus": (
        lambda d: _set(d, "zeiss-supreme-prime")["lenses"][0].update(min_focus_m=-0.35),
        ["'zeiss-supreme-prime'", "(15 mm)", "min_focus_m: must be greater than 0"],
    ),
    "repeated focal length": (
        lambda d: _set(d, "cooke-s4i")["lenses"].append(
            {"focal_mm": 50, "max_aperture_t": 2, "min_focus_m": 0.5}
        ),
        ["'cooke-s4i'", "the 50 mm lens is listed twice"],
    ),
    "unknown kind": (
        lambda d: _set(d, "cooke-s4i").update(kind="anamorphic"),
        ["sets[2] ('cooke-s4i')", "kind must be 'prime' or 'zoom', got 'anamorphic'"],
    ),
    "duplicate set": (
        lambda d: d["sets"].append(copy.deepcopy(_set(d, "cooke-s4i"))),
        ["two lens sets have the id 'cooke-s4i'"],
    ),
}


@pytest.mark.parametrize("case", LENS_BREAKAGES, ids=str)
def test_broken_lenses_file_names_the_entry(case: str, tmp_path: Path) -> None:
    change, expected = LENS_BREAKAGES[case]
    data = copy.deepcopy(_bundled("lenses.json"))
    change(data)
    with pytest.raises(catalog.CatalogDataError) as caught:
        catalog.load_lenses(_write(tmp_path, "lenses.json", data))
    for text in expected:
        assert text in str(caught.value), (text, str(caught.value))


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "lenses.json"
    path.write_text('{"format": 1,\n "sets": [}', encoding="utf-8")
    with pytest.raises(catalog.CatalogDataError, match=r"lenses.json: not valid JSON \(line 2"):
        catalog.load_lenses(path)


# --- Documentation ------------------------------------------------------------------------


def test_docs_carry_the_current_catalog_table() -> None:
    document = (REPO / "docs" / "cameras.md").read_text(encoding="utf-8")
    generated = document.split("<!-- BEGIN GENERATED: catalog -->\n", 1)[1]
    generated = generated.split("<!-- END GENERATED: catalog -->", 1)[0]
    # If this fails after a data change, paste catalog.markdown_table() between the markers.
    assert generated == catalog.markdown_table()


def test_the_table_lists_every_body_mode_and_lens() -> None:
    table = catalog.markdown_table()
    for body in catalog.camera_bodies():
        assert all(f"| `{mode.id}` |" in table for mode in body.modes), body.id
    assert all(f"| `{item.id}` |" in table for item in catalog.lenses())
    assert "| 36.70 | 25.54 | 44.71 |" in table
