"""What a prop on the SEE-1 set can physically be: the ranges scene validation holds it to.

The module is a sphere about 6 m across, and everything in it was carried up by hand or in a
cargo bag. Outside these ranges no real prop exists and the physics cannot simulate one
either: MuJoCo refuses masses and moments of inertia below about 1e-15, and a box 1e300 m
long has no inertia it can represent. Validation refuses such values with the range, so a
scene that validates also simulates.

==============================  =========================  ==================================
quantity                        range                      from ... to
==============================  =========================  ==================================
prop mass                       0.001 kg – 1000 kg         a paper clip – a loaded rack
every length of a prop's shape  0.001 m – 6 m              a bead – the module's diameter
principal moment of inertia     1e-10 kg·m² – 1e4 kg·m²    a 1 g bead – a 1 t mass at 3 m
==============================  =========================  ==================================

How many things a scene holds is bounded too, by what the module holds and what can be
checked and baked in reasonable time (building the physics grows faster than the number of
bodies): at most 500 props, 20 actors (the module takes about a dozen people), 10,000 cues,
100 cameras, 1,000 shots and 10,000 keyframes per camera path.

A prop whose shape is within the length range and whose mass is within the mass range has
moments of inertia within the inertia range, so only explicit ``inertia`` values meet that
check. Mesh props are measured when their file is read (see :mod:`see1previs.physics.bodies`).
"""

from __future__ import annotations

from collections.abc import Sequence

MIN_PROP_MASS = 0.001
"""kg: 1 g, a paper clip."""
MAX_PROP_MASS = 1000
"""kg: the largest prop mass the scene format has always allowed."""
MIN_LENGTH = 0.001
"""m: 1 mm, the smallest edge, radius or length of a prop's shape."""
MAX_LENGTH = 6.0
"""m: the module's diameter."""
MIN_INERTIA = 1e-10
"""kg·m²: below a 1 g bead of 1 mm; MuJoCo's own floor is about 1e-15."""
MAX_INERTIA = 1e4
"""kg·m²: above a 1 t mass 3 m from its centre."""


MAX_DISTANCE = 100.0
"""m: how far from the module's centre a position may be; the module is 6 m across and a
custom interior is a room, so this only catches numbers no set has."""

MAX_PROPS = 500
MAX_ACTORS = 20
MAX_CUES = 10_000
MAX_CAMERAS = 100
MAX_SHOTS = 1_000
MAX_KEYFRAMES = 10_000


def number_text(value: float) -> str:
    """``0.001``, ``1e-320``, ``6``: a number as a person would write it in the file."""
    if value == int(value) and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def position_problem(point: Sequence[float]) -> str | None:
    """Why ``point`` (module frame, metres) is no place on a set, or None."""
    farthest = max(abs(c) for c in point)
    if farthest > MAX_DISTANCE:
        return (
            f"every coordinate must be within {number_text(MAX_DISTANCE)} m of the module's "
            f"centre, got {number_text(farthest)}"
        )
    return None


def prop_mass_problem(mass: float) -> str | None:
    """Why ``mass`` (already > 0 and at most the maximum) is not a prop's, or None."""
    if mass < MIN_PROP_MASS:
        return (
            f"must be at least {number_text(MIN_PROP_MASS)} kg (1 g), got "
            f"{number_text(mass)}; nothing lighter can be simulated"
        )
    return None


def length_problem(length: float, largest: float = MAX_LENGTH) -> str | None:
    """Why ``length`` (already > 0) is not a length of a prop's shape, or None."""
    if length < MIN_LENGTH:
        return (
            f"must be at least {number_text(MIN_LENGTH)} m (1 mm), got {number_text(length)}; "
            "nothing smaller can be simulated"
        )
    if length > largest:
        return (
            f"must be at most {number_text(largest)} m (the module is "
            f"{number_text(MAX_LENGTH)} m across), got {number_text(length)}"
        )
    return None


def inertia_problem(moments: Sequence[float]) -> str | None:
    """Why principal ``moments`` (each already > 0) are out of range, or None."""
    shown = ", ".join(number_text(m) for m in moments)
    if min(moments) < MIN_INERTIA:
        return (
            f"every principal moment must be at least {number_text(MIN_INERTIA)} kg·m² (a 1 g "
            f"bead), got [{shown}]; smaller moments cannot be simulated"
        )
    if max(moments) > MAX_INERTIA:
        return (
            f"every principal moment must be at most {number_text(MAX_INERTIA)} kg·m² (a 1 t "
            f"mass 3 m from its centre), got [{shown}]"
        )
    return None
