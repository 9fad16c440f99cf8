"""The fixtures table file (``<interior>.fixtures.json``): writing, validated reading, Markdown.

The table sits next to an interior mesh and names the places on its walls (handrails, camera
mounts, ...). Format, version 1::

    {
      "format": 1,
      "station": "SEE-1",                 # optional display name of the interior
      "units": "metres",
      "frame": "...",                     # human description of the module frame
      "fixtures": [
        {"id": "H1", "kind": "handrail", "name": "...", "position": [x, y, z],
         "orientation_wxyz": [w, x, y, z], "length": 0.55},
        ...
      ]
    }
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from see1previs.station.model import Fixture, StationError

FORMAT_VERSION = 1
FRAME_DESCRIPTION = (
    "SEE-1 module frame: origin at the centre of the sphere, +X toward the main hatch, "
    "+Z studio reference up, right-handed. Fixture orientation is a unit quaternion "
    "(w, x, y, z): local +Z is the mounting surface normal pointing into the cabin, local "
    "+X runs along the fixture; length is measured along local +X."
)


class _FixtureRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    kind: str
    name: str
    position: tuple[float, float, float]
    orientation_wxyz: tuple[float, float, float, float]
    length: float = 0.0


class _FixturesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal[1]
    station: str | None = None
    units: Literal["metres", "meters", "m"]
    frame: str | None = None
    fixtures: list[_FixtureRecord]


def _json_path(loc: Sequence[Any]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def read_fixtures(path: Path) -> tuple[str | None, list[Fixture]]:
    """Read and validate a fixtures table; returns the station name (if given) and fixtures.

    Raises StationError naming the file and the JSON path of the first problem.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise StationError(f"{path.name}: cannot read the fixtures table ({exc.strerror})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StationError(f"{path.name}: the fixtures table is not valid JSON ({exc})") from exc
    try:
        table = _FixturesFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise StationError(
            f"{path.name}: {_json_path(first['loc'])}: {first['msg']} "
            f"({exc.error_count()} problem(s) in the fixtures table)"
        ) from exc
    fixtures: list[Fixture] = []
    seen: set[str] = set()
    for index, record in enumerate(table.fixtures):
        where = f"{path.name}: fixtures[{index}]"
        if record.id in seen:
            raise StationError(
                f"{where}: fixture id {record.id!r} is used twice; ids must be unique"
            )
        seen.add(record.id)
        try:
            fixtures.append(
                Fixture(
                    id=record.id,
                    kind=record.kind,
                    name=record.name,
                    position=record.position,
                    orientation=record.orientation_wxyz,
                    length=record.length,
                )
            )
        except StationError as exc:
            raise StationError(f"{where}: {exc}") from exc
    return table.station, fixtures


def fixtures_json(fixtures: Sequence[Fixture], station_name: str | None = None) -> str:
    """The fixtures table as JSON text, one fixture per line so diffs stay readable."""
    header: dict[str, Any] = {"format": FORMAT_VERSION}
    if station_name:
        header["station"] = station_name
    header["units"] = "metres"
    header["frame"] = FRAME_DESCRIPTION
    lines = ["{"]
    for key, value in header.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    lines.append('  "fixtures": [')
    records = []
    for f in fixtures:
        record = {
            "id": f.id,
            "kind": f.kind,
            "name": f.name,
            "position": list(f.position),
            "orientation_wxyz": list(f.orientation),
            "length": f.length,
        }
        records.append("    " + json.dumps(record, ensure_ascii=False))
    if records:
        lines.append(",\n".join(records))
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


def fixtures_markdown_table(fixtures: Sequence[Fixture]) -> str:
    """A Markdown table of the fixtures for the documentation."""
    rows = [
        "| id | kind | name | x (m) | y (m) | z (m) | faces (local +Z) | length (m) |",
        "|---|---|---|---:|---:|---:|---|---:|",
    ]

    def number(value: float, digits: int, sign: str = "") -> str:
        # Adding 0.0 turns a rounded -0.0 into 0.0 so the table never shows "-0.000".
        return f"{round(float(value), digits) + 0.0:{sign}.{digits}f}"

    for f in fixtures:
        x, y, z = (number(v, 3) for v in f.position)
        facing = ", ".join(number(v, 2, "+") for v in f.normal)
        rows.append(
            f"| {f.id} | {f.kind} | {f.name} | {x} | {y} | {z} | ({facing}) | "
            f"{number(f.length, 2)} |"
        )
    return "\n".join(rows) + "\n"
