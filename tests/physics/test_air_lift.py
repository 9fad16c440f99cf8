"""Cabin air is drag only: spin must not bend a prop's path.

Truth: with quadratic drag F = −½·Cd·A·ρ·|v|·v and no lift, the force on a ball is along its
velocity whatever it spins at, so a ball thrown along +X stays on the X axis, and a spinning
and a non-spinning ball fly the same path (spin only decays under angular drag). MuJoCo's
ellipsoid model adds added-mass terms ~(ρV/2)·(v × ω) that the drag coefficients do not
switch off; they bent the path the wrong way for a Magnus force (8 cm in 2 s here), so the
world removes them (:func:`see1previs.physics.world.remove_added_mass`).
"""

from __future__ import annotations

import numpy as np

from see1previs.physics.bake import bake
from tests.physics.scenes import make_scene, sphere_prop


def _flight(spin: tuple[float, float, float]) -> np.ndarray:
    ball = sphere_prop(
        "ball", (-1.5, 0.0, 0.0), (1.0, 0.0, 0.0), angular=spin, radius=0.11, mass=0.6
    )
    scene = make_scene([ball], duration=2.0, frame_rate=50, air_drag=True)
    return bake(scene).positions[:, 0]


def test_a_spinning_ball_flies_the_same_straight_path():
    still = _flight((0.0, 0.0, 0.0))
    for spin in [(0.0, 0.0, 8.0), (0.0, 8.0, 0.0), (5.0, 3.0, -4.0)]:
        spinning = _flight(spin)
        sideways = float(np.max(np.abs(spinning[:, 1:])))
        along = float(np.max(np.abs(spinning[:, 0] - still[:, 0])))
        print(f"spin {spin}: off the axis {sideways:.1e} m, along it {along:.1e} m")
        assert sideways < 1e-9
        assert along < 1e-9
    assert still[-1, 0] - still[0, 0] > 1.5  # it did fly (drag slowed it a little)
