"""Field types shared by every scene-file model: units, vectors, ids, the strict base model.

Kept apart from :mod:`see1previs.core.scene` so the camera and shot models can use them
without a circular import.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from see1previs.core.physical_limits import position_problem


def quantity(
    unit: str, description: str, *, minimum: float | None = None, **constraints: Any
) -> Any:
    """A float field with a unit, finite only, documented for the JSON Schema.

    ``minimum`` is a physical floor checked by the model's own validator (so values at or
    below 0 keep the plain "must be greater than 0" message); it is stated in the schema.
    """
    extra: dict[str, Any] = {"unit": unit} if unit else {}
    if minimum is not None:
        extra["minimum"] = minimum
    return Field(
        allow_inf_nan=False,
        description=f"{description} [{unit}]" if unit else description,
        json_schema_extra=extra or None,
        **constraints,
    )


Finite = Annotated[float, Field(allow_inf_nan=False)]
Vec3 = tuple[Finite, Finite, Finite]
Quat = tuple[Finite, Finite, Finite, Finite]
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
"""What an id may look like (error messages recognise it by this pattern)."""
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
"""A display colour, #RRGGBB."""

Identifier = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=ID_PATTERN,
        description="Unique id: letters, digits, '_', '-', '.'; starts with a letter or digit",
    ),
]
Color = Annotated[
    str,
    Field(pattern=COLOR_PATTERN, description="Display colour as #RRGGBB"),
]


class SceneModel(BaseModel):
    """Base for scene models: unknown fields are errors, assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def within_reach(point: Vec3 | None) -> Vec3 | None:
    """``point`` if it is a place on a set (see physical_limits); raises ValueError if not."""
    problem = None if point is None else position_problem(point)
    if problem:
        raise ValueError(problem)
    return point


def normalized_quaternion(q: tuple[float, float, float, float]) -> tuple[float, ...]:
    """A non-zero quaternion scaled to unit length; unit ones are returned bit-exact.

    Huge components are scaled down before their squares overflow, so ``[1e200, 0, 0, 0]``
    is the identity rather than a division by infinity that leaves a zero quaternion.
    """
    norm = math.sqrt(sum(c * c for c in q))
    if math.isinf(norm):
        largest = max(abs(c) for c in q)
        q = (q[0] / largest, q[1] / largest, q[2] / largest, q[3] / largest)
        norm = math.sqrt(sum(c * c for c in q))
    if norm < 1e-6:
        raise ValueError("must be a non-zero quaternion (w, x, y, z)")
    if abs(norm - 1.0) > 1e-9:  # leave unit quaternions bit-exact (canonical saves)
        return (q[0] / norm, q[1] / norm, q[2] / norm, q[3] / norm)
    return q
