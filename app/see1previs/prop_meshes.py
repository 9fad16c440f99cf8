"""Built-in prop meshes used by the demo scenes, generated from dimensions.

``python -m see1previs.prop_meshes --out assets/props`` writes them as OBJ files; the output is
byte-identical every run so the committed files can be checked against the generator.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import trimesh

SEGMENTS = 24


def t_handle(
    bar_length: float = 0.20,
    stem_length: float = 0.10,
    radius: float = 0.012,
) -> trimesh.Trimesh:
    """A T-handle (the classic intermediate-axis tool): a bar along x, a stem along -y.

    The origin is the centre of the bar; the stem hangs off it, so the centre of mass is
    offset along -y. The two cylinders are joined into one closed solid.
    """
    bar = trimesh.creation.cylinder(radius=radius, height=bar_length, sections=SEGMENTS)
    bar.apply_transform(trimesh.transformations.rotation_matrix(np.pi / 2, [0, 1, 0]))
    stem = trimesh.creation.cylinder(radius=radius, height=stem_length, sections=SEGMENTS)
    stem.apply_transform(trimesh.transformations.rotation_matrix(np.pi / 2, [1, 0, 0]))
    stem.apply_translation([0.0, -0.5 * stem_length - radius * 0.5, 0.0])
    handle = trimesh.boolean.union([bar, stem], engine="manifold")
    handle.vertices = np.round(handle.vertices, 9)
    return handle


PROPS = {"t-handle.obj": t_handle}


def write_props(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in PROPS.items():
        mesh = build()
        text = trimesh.exchange.obj.export_obj(mesh, include_normals=False, digits=9)
        path = out_dir / name
        path.write_text(f"# SEE-1 Previs built-in prop: {name}; units: metres\n{text}")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("assets/props"))
    args = parser.parse_args()
    for path in write_props(args.out):
        print(path)


if __name__ == "__main__":
    main()
