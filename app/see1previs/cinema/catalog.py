"""The equipment catalog: cinema camera bodies (sensor size per recording mode) and lenses.

Owns the catalog's data model (:class:`SensorMode`, :class:`CameraBody`, :class:`Lens`,
:class:`LensSet`), loading and validating the bundled data files ``cinema/data/cameras.json``
and ``cinema/data/lenses.json``, lookups by id (an unknown id gets close-match suggestions),
the user-defined ``custom`` body, and the Markdown tables published in docs/cameras.md.

The equipment is data, not code: adding a body or a lens set is an edit to a JSON file, and
the file is validated when it is loaded, so a typo is reported with the entry it is in.
Sensor sizes, focal lengths and image circles are in millimetres, minimum focus in metres,
apertures in T-stops.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

FORMAT_VERSION = 1
CUSTOM_BODY_ID = "custom"

COVERAGE_TOLERANCE_MM = 0.05
"""Slack when comparing an image circle with a sensor diagonal: makers round both figures to
0.01-0.1 mm, and a lens designed for a format must not be reported as falling short of it."""

_FOCAL_TOLERANCE_MM = 1e-6  # focal lengths arrive as floats from the scene file
_MAX_SIZE_MM = 100.0  # larger than any motion-picture sensor or image circle: a unit mistake

LensKind = Literal["prime", "zoom"]


class CatalogError(KeyError):
    """An id that is not in the catalog; the message names it and suggests close ids."""

    def __str__(self) -> str:
        # KeyError's own __str__ quotes its argument, which garbles a sentence.
        return str(self.args[0]) if self.args else ""


class CatalogDataError(ValueError):
    """A catalog data file that is not valid; the message names the file and the entry."""


@dataclass(frozen=True)
class SensorMode:
    """One recording mode of a body: the active image area it records, in millimetres."""

    id: str
    name: str
    width_mm: float
    height_mm: float
    photosites: tuple[int, int] | None = None
    note: str = ""

    @property
    def diagonal_mm(self) -> float:
        return math.hypot(self.width_mm, self.height_mm)

    @property
    def aspect_ratio(self) -> float:
        return self.width_mm / self.height_mm


@dataclass(frozen=True)
class CameraBody:
    """A camera body with the recording modes it offers and where the figures come from."""

    id: str
    name: str
    maker: str
    modes: tuple[SensorMode, ...]
    default_mode: str
    source: str

    def mode(self, mode_id: str | None = None) -> SensorMode:
        """The recording mode ``mode_id``, or the body's default mode when it is None."""
        wanted = self.default_mode if mode_id is None else mode_id
        for mode in self.modes:
            if mode.id == wanted:
                return mode
        raise CatalogError(
            _unknown(f"{self.name} has no recording mode", wanted, [m.id for m in self.modes])
        )


@dataclass(frozen=True)
class Lens:
    """One lens: a prime (``focal_min_mm == focal_max_mm``) or a zoom over its range.

    ``max_aperture_t`` is a T-stop (light transmission), as lens makers publish it; depth of
    field needs the f-number, which is slightly smaller (see :mod:`see1previs.cinema.optics`).
    ``min_focus_m`` is measured from the image plane, as cine lenses are marked.
    """

    id: str
    name: str
    set_id: str
    kind: LensKind
    focal_min_mm: int
    focal_max_mm: int
    max_aperture_t: float
    min_focus_m: float
    image_circle_mm: float
    source: str

    def accepts_focal(self, focal_mm: float) -> bool:
        """Whether the lens can be set to ``focal_mm``: a prime only to its own focal length,
        a zoom anywhere in its range (ends included)."""
        if not math.isfinite(focal_mm):
            return False
        return (
            self.focal_min_mm - _FOCAL_TOLERANCE_MM
            <= focal_mm
            <= self.focal_max_mm + _FOCAL_TOLERANCE_MM
        )

    def covers(self, mode: SensorMode) -> bool:
        """Whether the lens's image circle reaches the corners of ``mode`` (no vignetting)."""
        return self.image_circle_mm + COVERAGE_TOLERANCE_MM >= mode.diagonal_mm


@dataclass(frozen=True)
class LensSet:
    """A family of lenses sold and rented together, e.g. a prime set or a zoom family."""

    id: str
    name: str
    maker: str
    kind: LensKind
    image_circle_mm: float
    source: str
    lenses: tuple[Lens, ...]


# --- Lookups ------------------------------------------------------------------------------


def camera_bodies() -> tuple[CameraBody, ...]:
    """Every catalog body, in the catalog's order (the ``custom`` body is not among them)."""
    return tuple(_bodies_by_id().values())


def camera_body(body_id: str) -> CameraBody:
    """The catalog body ``body_id``; :class:`CatalogError` with suggestions if there is none."""
    found = _bodies_by_id().get(body_id)
    if found is not None:
        return found
    if body_id == CUSTOM_BODY_ID:
        raise CatalogError(
            "the 'custom' body has no fixed sensor: give the camera's sensor width and height "
            "in millimetres"
        )
    raise CatalogError(_unknown("the catalog has no camera body", body_id, list(_bodies_by_id())))


def custom_body(width_mm: float, height_mm: float) -> CameraBody:
    """The ``custom`` body: one mode whose sensor (active image area) the user sets, in mm."""
    width = _sensor_size("custom sensor width", width_mm)
    height = _sensor_size("custom sensor height", height_mm)
    mode = SensorMode(CUSTOM_BODY_ID, f"{width:g} × {height:g} mm", width, height)
    return CameraBody(
        id=CUSTOM_BODY_ID,
        name="Custom camera",
        maker="",
        modes=(mode,),
        default_mode=CUSTOM_BODY_ID,
        source="sensor size set by the user",
    )


def lens_sets() -> tuple[LensSet, ...]:
    """Every lens set (prime sets and zoom families), in the catalog's order."""
    return _lens_sets()


def lens_set(set_id: str) -> LensSet:
    """The lens set ``set_id``; :class:`CatalogError` with suggestions if there is none."""
    for candidate in _lens_sets():
        if candidate.id == set_id:
            return candidate
    raise CatalogError(
        _unknown("the catalog has no lens set", set_id, [s.id for s in _lens_sets()])
    )


def lenses() -> tuple[Lens, ...]:
    """Every lens of every set."""
    return tuple(_lenses_by_id().values())


def lens(lens_id: str) -> Lens:
    """The lens ``lens_id`` (e.g. ``cooke-s4i-50``, ``fujinon-premista-28-100``)."""
    found = _lenses_by_id().get(lens_id)
    if found is None:
        raise CatalogError(_unknown("the catalog has no lens", lens_id, list(_lenses_by_id())))
    return found


def _unknown(what: str, wanted: str, known: list[str]) -> str:
    return f"{what} '{wanted}'; {_suggest(wanted, known)}"


def _suggest(wanted: str, known: list[str]) -> str:
    close = difflib.get_close_matches(str(wanted).lower(), known, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    if len(known) <= 12:
        return "known: " + ", ".join(known)
    return "see the camera and lens catalog for the ids"


def _sensor_size(quantity: str, value: float) -> float:
    try:
        if isinstance(value, bool):  # float(True) is 1.0, never a sensor size
            raise TypeError
        size = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{quantity} must be a number of millimetres, got {value!r}") from None
    if not math.isfinite(size) or size <= 0:
        raise ValueError(f"{quantity} must be greater than 0 mm, got {value!r}")
    if size > _MAX_SIZE_MM:
        raise ValueError(
            f"{quantity} must be in millimetres (at most {_MAX_SIZE_MM:g} mm), got {value!r}"
        )
    return size


# --- Loading the bundled data -------------------------------------------------------------


def _bundled_text(name: str) -> str:
    return (resources.files("see1previs.cinema") / "data" / name).read_text(encoding="utf-8")


@functools.cache
def _bodies_by_id() -> dict[str, CameraBody]:
    bodies = _parse_cameras(_bundled_text("cameras.json"), "cameras.json")
    return {body.id: body for body in bodies}


@functools.cache
def _lens_sets() -> tuple[LensSet, ...]:
    return _parse_lenses(_bundled_text("lenses.json"), "lenses.json")


@functools.cache
def _lenses_by_id() -> dict[str, Lens]:
    return {item.id: item for group in _lens_sets() for item in group.lenses}


def load_cameras(path: str | Path) -> tuple[CameraBody, ...]:
    """Camera bodies read from a cameras data file, validated; :class:`CatalogDataError`
    names the entry at fault."""
    path = Path(path)
    return _parse_cameras(path.read_text(encoding="utf-8"), path.name)


def load_lenses(path: str | Path) -> tuple[LensSet, ...]:
    """Lens sets read from a lenses data file, validated; :class:`CatalogDataError` names the
    entry at fault."""
    path = Path(path)
    return _parse_lenses(path.read_text(encoding="utf-8"), path.name)


def _parse_cameras(text: str, file_name: str) -> tuple[CameraBody, ...]:
    data = _json(text, file_name)
    try:
        parsed = _CamerasFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogDataError(_report(file_name, data, exc)) from None
    return tuple(
        CameraBody(
            id=body.id,
            name=body.name,
            maker=body.maker,
            modes=tuple(
                SensorMode(m.id, m.name, m.width_mm, m.height_mm, m.photosites, m.note)
                for m in body.modes
            ),
            default_mode=body.default_mode,
            source=body.source,
        )
        for body in parsed.bodies
    )


def _parse_lenses(text: str, file_name: str) -> tuple[LensSet, ...]:
    data = _json(text, file_name)
    try:
        parsed = _LensesFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogDataError(_report(file_name, data, exc)) from None
    return tuple(_lens_set(entry) for entry in parsed.sets)


def _lens_set(entry: _PrimeSet | _ZoomSet) -> LensSet:
    items = []
    for item in entry.lenses:
        if isinstance(item, _PrimeEntry):
            short, long = item.focal_mm, item.focal_mm
        else:
            short, long = item.focal_min_mm, item.focal_max_mm
        span = f"{short}" if short == long else f"{short}–{long}"
        items.append(
            Lens(
                id=_lens_id(entry.id, short, long),
                name=f"{entry.name} {span} mm",
                set_id=entry.id,
                kind=entry.kind,
                focal_min_mm=short,
                focal_max_mm=long,
                max_aperture_t=item.max_aperture_t,
                min_focus_m=item.min_focus_m,
                image_circle_mm=item.image_circle_mm or entry.image_circle_mm,
                source=entry.source,
            )
        )
    return LensSet(
        id=entry.id,
        name=entry.name,
        maker=entry.maker,
        kind=entry.kind,
        image_circle_mm=entry.image_circle_mm,
        source=entry.source,
        lenses=tuple(items),
    )


def _lens_id(set_id: str, short: int, long: int) -> str:
    return f"{set_id}-{short}" if short == long else f"{set_id}-{short}-{long}"


def _json(text: str, file_name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogDataError(
            f"{file_name}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None


def _report(file_name: str, data: Any, exc: ValidationError) -> str:
    """One line per problem, each naming the entry by its position and its id."""
    lines = []
    for error in exc.errors(include_url=False):
        kind, context, value = error["type"], error.get("ctx", {}), error["input"]
        if kind == "union_tag_invalid":
            message = f"kind must be 'prime' or 'zoom', got {context['tag']!r}"
        elif kind == "union_tag_not_found":
            message = "kind is missing: it must be 'prime' or 'zoom'"
        else:
            message = error["msg"].removeprefix("Value error, ")
            message = message.replace("Input should be", "must be")
            if kind not in ("missing", "extra_forbidden", "value_error") and not isinstance(
                value, dict | list
            ):
                message += f", got {value!r}"
        lines.append(f"{_where(data, error['loc'])}: {message}")
    return f"{file_name} is not a valid catalog file:\n  " + "\n  ".join(lines)


def _where(data: Any, loc: Iterable[int | str]) -> str:
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(node, Mapping) and key in node:
            node = node[key]
            parts.append(f".{key}" if parts else str(key))
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
            label = _label(node)
            parts.append(f"[{key}]" + (f" ({label})" if label else ""))
        elif isinstance(node, Mapping) and key in ("prime", "zoom"):
            continue  # pydantic adds the union tag to the path; it is not a key of the file
        else:
            parts.append(f".{key}" if parts else str(key))
            node = None
    return "".join(parts) or "the file"


def _label(entry: Any) -> str:
    if not isinstance(entry, Mapping):
        return ""
    if "id" in entry:
        return repr(entry["id"])
    if "focal_mm" in entry:
        return f"{entry['focal_mm']} mm"
    if "focal_min_mm" in entry and "focal_max_mm" in entry:
        return f"{entry['focal_min_mm']}-{entry['focal_max_mm']} mm"
    return ""


# --- The data files' schema ---------------------------------------------------------------

_Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")]
_Text = Annotated[str, Field(min_length=1)]
_Millimetres = Annotated[float, Field(gt=0, le=_MAX_SIZE_MM, allow_inf_nan=False)]
_WholeMillimetres = Annotated[int, Field(strict=True, gt=0, le=2000)]
_Metres = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
_TStop = Annotated[float, Field(gt=0, le=64, allow_inf_nan=False)]
_Count = Annotated[int, Field(strict=True, gt=0)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ModeData(_Entry):
    id: _Id
    name: _Text
    width_mm: _Millimetres
    height_mm: _Millimetres
    photosites: tuple[_Count, _Count] | None = None
    note: str = ""


class _BodyData(_Entry):
    id: _Id
    name: _Text
    maker: _Text
    default_mode: _Id
    source: _Text
    modes: list[_ModeData] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> _BodyData:
        ids = [m.id for m in self.modes]
        _require_unique(ids, "two modes have the id '{}'")
        if self.default_mode not in ids:
            raise ValueError(
                f"default_mode '{self.default_mode}' is not one of the body's modes; "
                + _suggest(self.default_mode, ids)
            )
        return self


class _CamerasFile(_Entry):
    format: Literal[1]
    units: Literal["millimetres"]
    about: str = ""
    bodies: list[_BodyData] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> _CamerasFile:
        ids = [b.id for b in self.bodies]
        _require_unique(ids, "two bodies have the id '{}'")
        if CUSTOM_BODY_ID in ids:
            raise ValueError(f"the id '{CUSTOM_BODY_ID}' is reserved for the user-defined body")
        return self


class _LensEntry(_Entry):
    max_aperture_t: _TStop
    min_focus_m: _Metres
    image_circle_mm: _Millimetres | None = None  # when one lens of a set differs
    note: str = ""


class _PrimeEntry(_LensEntry):
    focal_mm: _WholeMillimetres


class _ZoomEntry(_LensEntry):
    focal_min_mm: _WholeMillimetres
    focal_max_mm: _WholeMillimetres

    @model_validator(mode="after")
    def _range(self) -> _ZoomEntry:
        if self.focal_min_mm >= self.focal_max_mm:
            raise ValueError(
                f"a zoom's focal_min_mm ({self.focal_min_mm}) must be shorter than its "
                f"focal_max_mm ({self.focal_max_mm})"
            )
        return self


class _SetData(_Entry):
    id: _Id
    name: _Text
    maker: _Text
    image_circle_mm: _Millimetres
    source: _Text


class _PrimeSet(_SetData):
    kind: Literal["prime"]
    lenses: list[_PrimeEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> _PrimeSet:
        focals = [str(p.focal_mm) for p in self.lenses]
        _require_unique(focals, "the {} mm lens is listed twice")
        return self


class _ZoomSet(_SetData):
    kind: Literal["zoom"]
    lenses: list[_ZoomEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> _ZoomSet:
        ranges = [f"{z.focal_min_mm}-{z.focal_max_mm} mm" for z in self.lenses]
        _require_unique(ranges, "the {} zoom is listed twice")
        return self


class _LensesFile(_Entry):
    format: Literal[1]
    units: Literal["millimetres"]
    about: str = ""
    sets: list[Annotated[_PrimeSet | _ZoomSet, Field(discriminator="kind")]] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> _LensesFile:
        _require_unique([s.id for s in self.sets], "two lens sets have the id '{}'")
        # Lens ids are built from set id and focal length, so two sets could still collide.
        ids = [
            _lens_id(s.id, e.focal_mm, e.focal_mm)
            if isinstance(e, _PrimeEntry)
            else _lens_id(s.id, e.focal_min_mm, e.focal_max_mm)
            for s in self.sets
            for e in s.lenses
        ]
        _require_unique(ids, "two lenses would get the id '{}'")
        return self


def _require_unique(values: list[str], message: str) -> None:
    """Raise ``message`` (with ``{}`` standing for the repeated value) on the first repeat."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(message.format(value))
        seen.add(value)


# --- Documentation ------------------------------------------------------------------------


def markdown_table() -> str:
    """The catalog as Markdown: bodies and modes, lenses, and the source of every figure.

    docs/cameras.md embeds this text verbatim (a test keeps it current).
    """
    out = [
        "### Camera bodies",
        "",
        "Active image area of each recording mode; ★ marks the body's default mode.",
        "",
        "| Body | Body id | Recording mode | Mode id | Width mm | Height mm | Diagonal mm |",
        "|---|---|---|---|--:|--:|--:|",
    ]
    for body in camera_bodies():
        for mode in body.modes:
            star = " ★" if mode.id == body.default_mode else ""
            out.append(
                f"| {body.name} | `{body.id}` | {mode.name}{star} | `{mode.id}` | "
                f"{mode.width_mm:.2f} | {mode.height_mm:.2f} | {mode.diagonal_mm:.2f} |"
            )
    out.append(
        f"| Custom camera | `{CUSTOM_BODY_ID}` | the sensor you give | `{CUSTOM_BODY_ID}` "
        "| yours | yours | — |"
    )
    out += [
        "",
        "### Lenses",
        "",
        "| Lens | Lens id | Kind | Focal length mm | Max aperture | Min focus m "
        "| Image circle mm |",
        "|---|---|---|--:|--:|--:|--:|",
    ]
    for group in lens_sets():
        for item in group.lenses:
            focal = (
                f"{item.focal_min_mm}"
                if item.kind == "prime"
                else f"{item.focal_min_mm}–{item.focal_max_mm}"
            )
            out.append(
                f"| {item.name} | `{item.id}` | {item.kind} | {focal} | "
                f"T{item.max_aperture_t:.1f} | {item.min_focus_m:.2f} | "
                f"{item.image_circle_mm:.2f} |"
            )
    out += ["", "### Sources", ""]
    for body in camera_bodies():
        out.append(f"- **{body.name}**: {body.source}")
        out += [f"  - {mode.name}: {mode.note}" for mode in body.modes if mode.note]
    out += [f"- **{group.name}**: {group.source}" for group in lens_sets()]
    return "\n".join(out) + "\n"
