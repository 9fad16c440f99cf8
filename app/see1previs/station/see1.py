"""The built-in SEE-1 interior: build it from parameters and write its asset files.

``python -m see1previs.station.see1 --out assets/stations`` regenerates ``see1.glb`` (the
cabin shell and every fixture solid) and ``see1.fixtures.json`` (the fixtures table). The
output is byte-identical on every run, so the committed assets can be checked against the
generator. ``--docs docs/station.md`` also refreshes the fixture table in the documentation.

The application never calls :func:`build_see1` at run time: it loads the asset files through
the same loader as a custom interior (see :mod:`see1previs.station.loader`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from see1previs.station.fixtures_io import fixtures_json, fixtures_markdown_table
from see1previs.station.mesh_files import station_glb
from see1previs.station.model import Station, part_sort_key
from see1previs.station.see1_layout import build_fixtures
from see1previs.station.see1_parameters import See1Parameters
from see1previs.station.see1_shell import build_shell

STATION_NAME = "SEE-1"
GLB_NAME = "see1.glb"
FIXTURES_NAME = "see1.fixtures.json"
DEFAULT_PARAMETERS = See1Parameters()

DOCS_TABLE_BEGIN = "<!-- BEGIN fixture table: python -m see1previs.station.see1 --docs -->"
DOCS_TABLE_END = "<!-- END fixture table -->"

__all__ = [
    "DEFAULT_PARAMETERS",
    "FIXTURES_NAME",
    "GLB_NAME",
    "See1Parameters",
    "build_see1",
    "update_docs_table",
    "write_see1_assets",
]


def build_see1(params: See1Parameters = DEFAULT_PARAMETERS) -> Station:
    """The SEE-1 interior built in memory from its parameters."""
    shell = build_shell(params)
    fixtures, parts = build_fixtures(params, shell)
    parts.sort(key=lambda p: part_sort_key(p.name))
    return Station(
        name=STATION_NAME, source=None, boundary=shell, parts=parts, fixtures=fixtures, warnings=[]
    )


def _write_atomically(path: Path, data: bytes) -> None:
    """Write through a temporary file so an interrupted run never leaves half an asset."""
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, delete=False) as tmp:
        tmp.write(data)
    os.chmod(tmp.name, 0o644)  # temporary files are private; assets should be readable
    os.replace(tmp.name, path)


def write_see1_assets(out_dir: Path, params: See1Parameters = DEFAULT_PARAMETERS) -> list[Path]:
    """Write ``see1.glb`` and ``see1.fixtures.json`` into ``out_dir``; returns their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    station = build_see1(params)
    glb_path, fixtures_path = out_dir / GLB_NAME, out_dir / FIXTURES_NAME
    _write_atomically(glb_path, station_glb(station.boundary, station.parts))
    _write_atomically(fixtures_path, fixtures_json(station.fixtures, STATION_NAME).encode("utf-8"))
    return [glb_path, fixtures_path]


def update_docs_table(doc: Path, station: Station) -> bool:
    """Replace the generated fixture table in a Markdown file; True if the file changed."""
    text = doc.read_text(encoding="utf-8")
    begin, end = text.find(DOCS_TABLE_BEGIN), text.find(DOCS_TABLE_END)
    if begin < 0 or end < begin:
        raise ValueError(f"{doc.name}: no '{DOCS_TABLE_BEGIN}' ... '{DOCS_TABLE_END}' block")
    head = text[: begin + len(DOCS_TABLE_BEGIN)]
    new = head + "\n" + fixtures_markdown_table(station.fixtures) + text[end:]
    if new == text:
        return False
    _write_atomically(doc, new.encode("utf-8"))
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m see1previs.station.see1",
        description="Regenerate the SEE-1 interior assets (see1.glb, see1.fixtures.json).",
    )
    parser.add_argument("--out", type=Path, help="folder to write into (default: the assets)")
    parser.add_argument("--docs", type=Path, help="Markdown file whose fixture table to refresh")
    args = parser.parse_args(argv)
    if args.out is None:
        from see1previs.resources import assets_dir

        args.out = assets_dir() / "stations"
    for path in write_see1_assets(args.out):
        print(f"wrote {path}")
    if args.docs is not None:
        changed = update_docs_table(args.docs, build_see1())
        print(f"{'updated' if changed else 'unchanged'} {args.docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
