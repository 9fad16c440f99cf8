"""The drop-downs' entries and how typed text resolves to one (no window needed)."""

from __future__ import annotations

from see1previs.cinema import catalog
from see1previs.core.scenefile import load_scene
from see1previs.gui.field_choices import ALONG_A_DIRECTION, Choices, choices_for, resolve
from see1previs.station.loader import load_station
from tests.conftest import SCENES

SCENE = load_scene(SCENES / "zero-g-breakfast.see1.json")
STATION = load_station("see1")


def cue(cue_id):
    return next(c for c in SCENE.cues if c.id == cue_id)


def test_typed_text_resolves_to_one_entry_or_is_refused_with_the_reason():
    choices = Choices([("Mika (host)", "mika"), ("Ren (guest)", "ren"), ("Coffee bulb", "bulb")],
                      "an actor")  # fmt: skip
    assert resolve(choices, "ren (guest)") == (True, "ren", "")  # the label, any case
    assert resolve(choices, "mika") == (True, "mika", "")  # the id
    assert resolve(choices, "host") == (True, "mika", "")  # the only label containing it
    found, _, reason = resolve(choices, "e")
    assert not found and "matches 2 entries" in reason
    found, _, reason = resolve(choices, "x")
    assert not found and "'x' is not an actor" in reason


def test_names_not_ids_for_bodies_fixtures_and_catalog_entries():
    actors = choices_for(cue("ren-push"), "actor", SCENE, STATION)
    assert actors.entries == [("Mika (host)", "mika"), ("Ren (guest)", "ren")]
    tether = choices_for(cue("mika-tether"), "fixture", SCENE, STATION)
    assert ("Foot restraint FR1 (stage centre)", "FR1") in tether.entries
    grips = {f.id for f in STATION.fixtures if f.kind in ("handrail", "foot_restraint")}
    assert {fixture for _, fixture in tether.entries} == grips
    bodies = choices_for(SCENE.cameras[0], "body", SCENE, STATION)
    assert [v for _, v in bodies.entries] == [b.id for b in catalog.camera_bodies()]
    toward = choices_for(cue("mika-throw"), "toward", SCENE, STATION)
    assert toward.entries[0] == (ALONG_A_DIRECTION, None)
    assert "bulb" not in [v for _, v in toward.entries], "a prop is not thrown at itself"


def test_a_holds_fixtures_come_nearest_first_with_reach():
    holds = choices_for(cue("ren-holds-h6"), "fixture", SCENE, STATION)  # no bake: start pose
    labels = [label for label, _ in holds.entries]
    assert len(holds.entries) == sum(
        f.kind in ("handrail", "foot_restraint") for f in STATION.fixtures
    )
    assert all(" m from " in label for label in labels)
    distances = [float(label.split(" — ")[1].split(" m")[0]) for label in labels]
    assert distances == sorted(distances)
