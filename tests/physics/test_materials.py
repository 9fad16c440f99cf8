"""The named surface materials: each preset's numbers are ones a prop may have, and named."""

from __future__ import annotations

import pytest

from see1previs.core.scene import Material
from see1previs.physics import materials


@pytest.mark.parametrize("preset", materials.PRESETS, ids=lambda p: p.id)
def test_every_preset_is_a_valid_material_with_a_source(preset):
    # The scene model's own validation is the range check (0–1 and 0–5 today).
    material = Material(restitution=preset.restitution, friction=preset.friction)
    assert (material.restitution, material.friction) == (preset.restitution, preset.friction)
    for name in ("restitution", "friction"):
        rules = Material.model_fields[name].metadata
        low = next(r.ge for r in rules if getattr(r, "ge", None) is not None)
        high = next(r.le for r in rules if getattr(r, "le", None) is not None)
        assert low <= getattr(preset, name) <= high
    assert preset.source.strip()
    # The source names a reference listed in the module's docstring.
    keys = ("ITTF-T3", "ITF", "FIBA", "Foerster 1994", "Serway")
    assert any(key in preset.source for key in keys)
    assert any(key in materials.__doc__ for key in keys if key in preset.source)


def test_presets_have_distinct_ids_and_numbers_and_are_found_by_their_numbers():
    ids = [p.id for p in materials.PRESETS]
    assert len(set(ids)) == len(ids)
    pairs = {(p.restitution, p.friction) for p in materials.PRESETS}
    assert len(pairs) == len(materials.PRESETS)
    for preset in materials.PRESETS:
        assert materials.preset_for(preset.restitution, preset.friction) is preset
        assert materials.preset(preset.id) is preset
    assert materials.preset_for(0.5, 0.5) is None  # the scene format's default: custom
    with pytest.raises(KeyError):
        materials.preset("unobtainium")


def test_drop_test_restitutions_follow_from_the_cited_rebound_heights():
    # Independent check of the arithmetic in the docstring: e = sqrt(rebound / drop),
    # the preset in the rule's range.
    def between(preset_id, low, high, drop):
        e = materials.preset(preset_id).restitution
        assert (low / drop) ** 0.5 <= e <= (high / drop) ** 0.5

    between("table_tennis_ball", 0.240, 0.260, 0.305)  # ITTF: onto steel from 305 mm
    between("tennis_ball", 1.35, 1.47, 2.54)  # ITF: onto concrete from 254 cm
    between("rubber_ball", 1.20 - 0.24, 1.40 - 0.24, 1.80)  # FIBA, to the top of the ball
