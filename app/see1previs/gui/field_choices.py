"""What a picked field may be set to, named the way the crew names things.

For each field that refers to something (a fixture, an actor, a prop, a camera, a catalog
entry, a library pose, a limb), :func:`choices_for` gives the list the inspector's drop-down
offers: ``(label, value)`` pairs such as ``("Handrail H6 (equator, azimuth 120°)", "H6")`` or
``("Mika (host)", "mika")``. ``None`` as a value means "not set" (the label says what that
means). A hold's fixtures come nearest first, with the distance from the actor's hand at the
cue's time and whether that is within reach. Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from see1previs.cinema import catalog
from see1previs.core.poses import POSES
from see1previs.core.scene import Actor, Scene
from see1previs.core.scene_cameras import Camera, FixedRig, HandheldRig, Shot
from see1previs.core.scene_cues import (
    WALL,
    CatchCue,
    GrabCue,
    HoldCue,
    ImpulseCue,
    PoseCue,
    PushOffCue,
    ReleaseCue,
    SpinCue,
    TetherCue,
    ThrowCue,
)
from see1previs.physics.cue_defaults import GRIP_KINDS, Moment
from see1previs.physics.trajectory import Trajectory
from see1previs.station.model import Station

Choice = tuple[str, Any]
ALONG_A_DIRECTION = "Along a direction (vector below)"


@dataclass
class Choices:
    """A drop-down: its entries, what it is a list of (for refusals), and free text allowed."""

    entries: list[Choice]
    noun: str  # "a fixture", "a camera body"...


def body_label(scene: Scene, body_id: str) -> str:
    body = next((b for b in scene.bodies() if b.id == body_id), None)
    if body is None:
        return body_id
    name = body.name or body_id
    same = [b for b in scene.bodies() if (b.name or b.id) == name]
    return name if len(same) == 1 else f"{name} [{body_id}]"


def actor_entries(scene: Scene, exclude: str | None = None) -> list[Choice]:
    return [(body_label(scene, a.id), a.id) for a in scene.actors if a.id != exclude]


def prop_entries(scene: Scene) -> list[Choice]:
    return [(body_label(scene, p.id), p.id) for p in scene.props]


def camera_entries(scene: Scene) -> list[Choice]:
    return [(c.name or f"Camera {c.id}", c.id) for c in scene.cameras]


def fixture_entries(station: Station, kinds=None) -> list[Choice]:
    return [(f.name or f.id, f.id) for f in station.fixtures if kinds is None or f.kind in kinds]


def reach_entries(
    scene: Scene, station: Station, trajectory: Trajectory | None, actor: str, time: float
) -> list[Choice]:
    """Grip fixtures nearest first, each with the distance from the actor's nearest limb."""
    moment = Moment(scene, station, time, trajectory)
    limit = scene.blocking.reach + 0.1
    entries = []
    for reach in moment.fixtures_by_distance(actor):
        where = "in reach" if reach.distance <= limit else "out of reach"
        limb = "feet" if reach.limb == "feet" else reach.limb.replace("_", " ")
        label = f"{reach.fixture.name} — {reach.distance:.2f} m from {limb}, {where}"
        entries.append((label, reach.fixture.id))
    return entries


def choices_for(
    model: Any,
    name: str,
    scene: Scene,
    station: Station | None,
    trajectory: Trajectory | None = None,
) -> Choices | None:
    """The drop-down for ``model.name``, or None when the field is typed (numbers, names)."""
    fixtures = fixture_entries(station, GRIP_KINDS) if station is not None else []
    if name == "actor" and hasattr(model, "actor"):
        return Choices(actor_entries(scene), "an actor")
    if isinstance(model, ImpulseCue | SpinCue) and name == "target":
        return Choices(prop_entries(scene) + actor_entries(scene), "a prop or actor")
    if isinstance(model, GrabCue | CatchCue) and name == "target":
        return Choices(prop_entries(scene) + actor_entries(scene, model.actor), "a prop or actor")
    if isinstance(model, ThrowCue) and name == "prop":
        return Choices(prop_entries(scene), "a prop")
    if isinstance(model, HoldCue) and name == "fixture" and station is not None:
        return Choices(
            reach_entries(scene, station, trajectory, model.actor, model.time), "a fixture"
        )
    if isinstance(model, ReleaseCue | TetherCue) and name == "fixture":
        return Choices(fixtures, "a handrail or foot restraint")
    if isinstance(model, PushOffCue) and name == "surface":
        if station is not None:
            near = reach_entries(scene, station, trajectory, model.actor, model.time)
        else:
            near = []
        return Choices([("The bare wall", WALL), *near], "a fixture or the wall")
    if isinstance(model, PushOffCue | ThrowCue) and name == "toward":
        aim = actor_entries(scene, model.actor) + prop_entries(scene) + camera_entries(scene)
        if isinstance(model, ThrowCue):
            aim = [a for a in aim if a[1] != model.prop]
        all_fixtures = fixture_entries(station) if station is not None else []
        return Choices([(ALONG_A_DIRECTION, None), *aim, *all_fixtures], "a target")
    if isinstance(model, HoldCue) and name == "limb":
        limbs = [("Right hand", "right_hand"), ("Left hand", "left_hand")]
        limbs += [("Both hands", "both_hands"), ("Feet", "feet")]
        return Choices([("Automatic (feet in a foot restraint, else right hand)", None), *limbs],
                       "a hand or the feet")  # fmt: skip
    if name == "hand" and isinstance(model, GrabCue | CatchCue):
        return Choices([("Right hand", "right"), ("Left hand", "left")], "a hand")
    if isinstance(model, PoseCue) and name == "pose":
        return Choices([("Keep the current pose", None), *_poses()], "a library pose")
    if isinstance(model, Actor) and name == "posture":
        return Choices(_poses(), "a library pose")
    if isinstance(model, Camera):
        return _camera_choices(model, name, scene)
    if isinstance(model, Shot) and name == "camera":
        return Choices(camera_entries(scene), "a camera")
    if isinstance(model, FixedRig) and name == "mount" and station is not None:
        mounts = fixture_entries(station, ("camera_mount",))
        return Choices([("No mount (position below)", None), *mounts], "a camera mount")
    if isinstance(model, HandheldRig) and name == "operator":
        return Choices(actor_entries(scene), "an actor")
    return None


def _poses() -> list[Choice]:
    return [(pose.replace("-", " ").capitalize(), pose) for pose in POSES]


def _camera_choices(camera: Camera, name: str, scene: Scene) -> Choices | None:
    if name == "body":
        bodies = [(f"{b.name}", b.id) for b in catalog.camera_bodies()]
        return Choices(bodies, "a camera body in the catalog")
    if name == "mode":
        try:
            body = catalog.camera_body(camera.body)
        except KeyError:
            return Choices([("Body's default mode", None)], "a recording mode")
        default = body.mode().name
        modes = [(f"{m.name} ({m.width_mm:g} × {m.height_mm:g} mm)", m.id) for m in body.modes]
        return Choices([(f"Body's default ({default})", None), *modes], "a recording mode")
    if name == "lens":
        lenses = [(lens_label(lens), lens.id) for lens in catalog.lenses()]
        return Choices([("No catalog lens (focal length below)", None), *lenses], "a lens")
    if name == "focus_target":
        targets = prop_entries(scene) + actor_entries(scene)
        return Choices([("Focus distance below", None), *targets], "a prop or actor")
    if name == "look_at" and (camera.look_at is None or isinstance(camera.look_at, str)):
        targets = prop_entries(scene) + actor_entries(scene)
        return Choices([("Nothing (the rig's orientation)", None), *targets], "a prop or actor")
    return None


def lens_label(lens: catalog.Lens) -> str:
    """The lens's catalog name (which gives its focal length or range) and kind."""
    if lens.focal_min_mm == lens.focal_max_mm:
        return f"{lens.name} (prime, T{lens.max_aperture_t:g})"
    return f"{lens.name} (zoom, T{lens.max_aperture_t:g})"


def resolve(choices: Choices, text: str) -> tuple[bool, Any, str]:
    """(found, value, reason) for text typed into a drop-down: an entry's exact label, its
    id, or the only entry whose label contains the text (any case)."""
    typed = text.strip()
    lowered = typed.lower()
    for label, value in choices.entries:
        if label.lower() == lowered or (value is not None and str(value).lower() == lowered):
            return True, value, ""
    matches = [(label, value) for label, value in choices.entries if lowered in label.lower()]
    if typed and len(matches) == 1:
        return True, matches[0][1], ""
    if not typed:
        reason = f"choose {choices.noun} from the list"
    elif matches:
        reason = f"'{typed}' matches {len(matches)} entries: choose one from the list"
    else:
        reason = f"'{typed}' is not {choices.noun}: choose one from the list"
    return False, None, reason
