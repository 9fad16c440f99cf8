"""Named surface materials for props: restitution and sliding friction from published data.

A prop's material is stored in the scene as two numbers (``material.restitution`` and
``material.friction``, :class:`see1previs.core.scene.Material`); the inspector offers these
presets as a drop-down and fills both numbers at once. Every number below comes from a
published measurement or rule, named with it; a preset is only listed when both of its
numbers have a source. (Foam, cloth bags, bare metals and wood are not here yet: the
standard tables give their friction but no restitution measured on a comparable impact.)

Restitution is the ratio of rebound to impact speed against a hard, massive surface. From a
drop test it is the square root of rebound height over drop height, ``e = sqrt(h / H)``;
where a rule gives a range, the preset takes its middle.

Sources:

- [ITTF-T3] International Table Tennis Federation, *Technical Leaflet T3: The Ball*: a
  40 mm ball dropped from 305 mm onto a standard steel block rebounds 240–260 mm, so
  e = 0.89–0.92.
- [ITF] International Tennis Federation, *Rules of Tennis*, Appendix I (the ball): dropped
  from 100 in (254 cm) onto concrete it rebounds 53–58 in (135–147 cm), so e = 0.73–0.76.
- [FIBA] FIBA, *Official Basketball Rules: Basketball Equipment* (the ball): dropped from
  1,800 mm (to the bottom of the ball) it rebounds to 1,200–1,400 mm measured to the top of
  the ball; less the 0.24 m diameter of a size 7 ball, e = sqrt(0.96/1.8)–sqrt(1.16/1.8) =
  0.73–0.80.
- [Foerster 1994] S. F. Foerster, M. Y. Louge, H. Chang, K. Allia, "Measurements of the
  collision properties of small spheres", *Physics of Fluids* 6 (3), 1108–1115 (1994):
  glass spheres e = 0.97 ± 0.01 and sliding friction 0.092 ± 0.006; cellulose acetate
  spheres e = 0.87 ± 0.02 and sliding friction 0.25 ± 0.02.
- [Serway] R. A. Serway, J. W. Jewett, *Physics for Scientists and Engineers*, Table 5.1
  "Coefficients of friction": kinetic friction of rubber on concrete 0.8.
"""

from __future__ import annotations

from dataclasses import dataclass

MATCH = 1e-6  # numbers this close to a preset's are that preset


@dataclass(frozen=True)
class MaterialPreset:
    """A named surface material: what the crew would call it, and its two numbers."""

    id: str
    name: str
    restitution: float  # rebound / impact speed against a hard surface
    friction: float  # sliding (kinetic) friction coefficient
    source: str  # where both numbers come from (the keys in this module's docstring)


PRESETS: tuple[MaterialPreset, ...] = (
    MaterialPreset(
        "glass", "Glass (marble, bottle)", 0.97, 0.092,
        "Foerster 1994 (glass spheres: restitution and friction)",
    ),
    MaterialPreset(
        "hard_plastic", "Hard plastic (cellulose acetate)", 0.87, 0.25,
        "Foerster 1994 (cellulose acetate spheres: restitution and friction)",
    ),
    MaterialPreset(
        "table_tennis_ball", "Table-tennis ball (plastic shell)", 0.90, 0.25,
        "ITTF-T3 (restitution); Foerster 1994, cellulose acetate (friction)",
    ),
    MaterialPreset(
        "tennis_ball", "Tennis ball (felt over rubber)", 0.75, 0.8,
        "ITF Rules of Tennis, Appendix I (restitution); Serway Table 5.1, rubber on "
        "concrete (friction)",
    ),
    MaterialPreset(
        "rubber_ball", "Rubber ball (basketball)", 0.77, 0.8,
        "FIBA ball rebound rule (restitution); Serway Table 5.1, rubber on concrete "
        "(friction)",
    ),
)  # fmt: skip


def preset(preset_id: str) -> MaterialPreset:
    """The preset with this id (KeyError if there is none)."""
    for item in PRESETS:
        if item.id == preset_id:
            return item
    raise KeyError(preset_id)


def preset_for(restitution: float, friction: float) -> MaterialPreset | None:
    """The preset whose numbers these are, or None (a custom material)."""
    for item in PRESETS:
        if abs(item.restitution - restitution) < MATCH and abs(item.friction - friction) < MATCH:
            return item
    return None


__all__ = ["PRESETS", "MaterialPreset", "preset", "preset_for"]
