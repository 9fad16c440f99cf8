"""Blender reads our USD stage and glTF scene: cameras and a performer's hand, checked.

Run it with the project's Python (``.venv/bin/python tools/blender_check.py``). It

1. makes (or reuses) a separate virtual environment, ``.venv-blender`` at the top of the
   repository, with the CPython version the ``bpy`` wheels are built for, and installs
   ``bpy`` (Blender as a Python module, a download of a few hundred MB) into it once;
2. exports the breakfast demo with the app's command line (``see1-previs export --formats
   usd,gltf``) into a temporary folder, or uses an export you name with ``--export``;
3. bakes the same scene with the app's own API (the cached bake, if there is one) and works
   out what Blender should see: each camera's track and lens, and one actor's joint (by
   default Ren's right hand) from the baked segment poses;
4. runs ``blender_check_bpy.py`` in the ``bpy`` environment: it imports ``stage.usda`` and,
   in a fresh scene, ``scene.glb`` with the importers' default options and measures every
   camera and the joint at sampled frames;
5. prints a table of the worst errors (millimetres, degrees) and exits with status 1 if any
   is beyond its tolerance, 2 if it could not run.

Checked for each file: every camera is there; its world position (≤ 1 mm) and orientation
(≤ 0.1°) at every sampled frame; its lens. USD carries the lens itself, so Blender's focal
length (every frame) and sensor width and height must equal ours within 0.001 mm. glTF has
no focal length or sensor, only a vertical angle of view: Blender turns it into a focal
length on its default 36 × 24 mm sensor fitted vertically, so the check is the camera's
vertical angle of view (first frame's lens, ≤ 0.001°) and the ``focal_mm`` and ``sensor_mm``
node extras, which Blender keeps as custom properties. For the joint: the pose bone's head
(the joint's origin) and the skinned vertices bound to it, where Blender's armature puts
them, against the bake (≤ 1 mm), and the joint's orientation fitted to those vertices
(≤ 0.1°).

It is not part of ``make test``: installing ``bpy`` takes longer than the suite's budget.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "scenes" / "zero-g-breakfast.see1.json"
VENV = REPO / ".venv-blender"
CHILD = Path(__file__).resolve().with_name("blender_check_bpy.py")
BPY_VERSION = "5.2.3"  # Blender 5.2 LTS
BPY_PYTHON = (3, 13)  # the CPython the bpy 5.2 wheels are built for (cp313)
SAMPLES = 11  # frames sampled, evenly from the first to the last

POSITION_TOLERANCE_MM = 1.0
ANGLE_TOLERANCE_DEG = 0.1
LENS_TOLERANCE_MM = 1e-3
FOV_TOLERANCE_DEG = 1e-3


class CheckError(Exception):
    """The check could not run (no suitable Python, install or import failed)."""


# ---- the bpy environment ---------------------------------------------------------------------
def venv_python(venv: Path) -> Path:
    """The interpreter inside a virtual environment."""
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def python_version(command: str) -> tuple[int, int] | None:
    """(major, minor) of an interpreter, or None if it does not run."""
    try:
        out = subprocess.run(
            [command, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout.split()
        return int(out[0]), int(out[1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None


def find_python(explicit: str | None, wanted: tuple[int, int] = BPY_PYTHON) -> str:
    """An interpreter of the ``wanted`` version: ``explicit``, on PATH, or from pyenv."""
    name = f"python{wanted[0]}.{wanted[1]}"
    candidates: list[str] = []
    if explicit:
        candidates.append(explicit)
    else:
        candidates += [c for c in (shutil.which(name), shutil.which("python3")) if c]
        pyenv = shutil.which("pyenv")
        if pyenv:  # a pyenv shim on PATH runs only if that version is selected; ask pyenv
            prefix = subprocess.run(
                [pyenv, "prefix", f"{wanted[0]}.{wanted[1]}"], capture_output=True, text=True
            ).stdout.strip()
            if prefix:
                candidates.append(str(Path(prefix) / "bin" / name))
    for command in candidates:
        if python_version(command) == wanted:
            return command
    hint = f"--python {explicit}" if explicit else name
    raise CheckError(
        f"bpy {BPY_VERSION} needs CPython {wanted[0]}.{wanted[1]}; {hint} was not found or is "
        "another version. Install it (e.g. with pyenv or your package manager) and pass its "
        "path with --python."
    )


def ensure_bpy(venv: Path, python: str | None, version: str) -> Path:
    """Create ``venv`` if needed and install ``bpy==version`` into it; its interpreter."""
    interpreter = venv_python(venv)
    probe = [str(interpreter), "-c", "import bpy; print(bpy.app.version_string)"]
    if interpreter.exists():
        found = subprocess.run(probe, capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.split()[:1] == [version]:
            return interpreter
        if python_version(str(interpreter)) != BPY_PYTHON:
            raise CheckError(
                f"{venv} is not a CPython {BPY_PYTHON[0]}.{BPY_PYTHON[1]} environment, which "
                f"bpy {version} needs; remove the folder and run again"
            )
    else:
        base = find_python(python)
        print(f"creating {venv} with {base}", file=sys.stderr)
        subprocess.run([base, "-m", "venv", str(venv)], check=True)
    print(f"installing bpy {version} into {venv} (a large download, once)", file=sys.stderr)
    subprocess.run(
        [str(interpreter), "-m", "pip", "install", "--quiet", f"bpy=={version}"], check=True
    )
    if subprocess.run(probe, capture_output=True).returncode != 0:
        raise CheckError(f"bpy {version} is installed in {venv} but does not import")
    return interpreter


# ---- what Blender should see -------------------------------------------------------------------
@dataclass
class CameraTruth:
    """One camera's expected pose and lens at the sampled frames."""

    camera_id: str
    usd_name: str
    positions: np.ndarray  # (S, 3) m
    orientations: np.ndarray  # (S, 4) wxyz, camera to module frame
    focal_mm: np.ndarray  # (S,)
    first_focal_mm: float
    sensor_mm: tuple[float, float]


@dataclass
class JointTruth:
    """One actor's joint at the sampled frames, and the body-mesh vertices bound to it."""

    actor_id: str
    usd_name: str
    joint: str
    positions: np.ndarray  # (S, 3) m
    orientations: np.ndarray  # (S, 4) wxyz
    local_points: np.ndarray  # (V, 3) m, in the joint's frame
    skeleton_joints: int  # joints of the actor's skeleton (16)


@dataclass
class Truth:
    fps: float
    frames: list[int]
    cameras: list[CameraTruth]
    joint: JointTruth


def sample_frames(frame_count: int, samples: int = SAMPLES) -> list[int]:
    """``samples`` frames spread evenly from the first to the last."""
    return sorted({round(f) for f in np.linspace(0, frame_count - 1, samples)})


def expected(scene_path: Path, actor_id: str, joint: str, use_cache: bool) -> Truth:
    """Bake the scene with the app and read what Blender should find (see the module doc)."""
    from see1previs.cinema.tracks import evaluate_camera
    from see1previs.core.scene import Actor
    from see1previs.core.scenefile import load_scene
    from see1previs.export.actor_skeleton import actor_skeleton
    from see1previs.export.usd_stage import usd_name
    from see1previs.physics.cache import BakeCache
    from see1previs.physics.simulation import simulate

    scene = load_scene(scene_path)
    result = simulate(scene, scene_path.parent, cache=BakeCache() if use_cache else None)
    trajectory = result.trajectory
    frames = sample_frames(trajectory.frame_count)
    taken: set[str] = set()
    cameras = []
    for camera in scene.cameras:
        track = evaluate_camera(camera, scene, result.station, trajectory)
        cameras.append(
            CameraTruth(
                camera_id=camera.id,
                usd_name=usd_name(camera.id, taken),
                positions=track.positions[frames],
                orientations=track.orientations[frames],
                focal_mm=track.focal_mm[frames],
                first_focal_mm=float(track.focal_mm[0]),
                sensor_mm=(track.optics.sensor_width_mm, track.optics.sensor_height_mm),
            )
        )
    actor = scene.body(actor_id)
    if not isinstance(actor, Actor):
        raise CheckError(f"'{actor_id}' is not an actor of {scene_path.name}")
    link = f"{actor_id}/{joint}"
    if link not in trajectory.links:
        raise CheckError(f"the bake has no segment '{link}' (an articulated actor's joint)")
    poses = [trajectory.link_pose(link, float(trajectory.times[f])) for f in frames]
    skeleton = actor_skeleton(actor.height, actor.mass)
    index = skeleton.segments.index(joint)
    bound = skeleton.points[skeleton.joint_of_vertex == index]
    to_joint = np.linalg.inv(skeleton.bind_world[index])
    local = (to_joint @ np.c_[bound, np.ones(len(bound))].T)[:3].T
    return Truth(
        fps=float(scene.frame_rate.fps),
        frames=frames,
        cameras=cameras,
        joint=JointTruth(
            actor_id=actor_id,
            usd_name=usd_name(actor_id, set()),
            joint=joint,
            positions=np.array([p for p, _ in poses]),
            orientations=np.array([q for _, q in poses]),
            local_points=local,
            skeleton_joints=len(skeleton.segments),
        ),
    )


def blender_request(truth: Truth, export: Path) -> dict:
    """What the child measures: files, frames, camera object names, the actor's mesh and joint.

    Object names are the importers': USD prims are named with the app's sanitised ids
    (``CAM-A`` becomes ``CAM_A``), glTF nodes with the ids themselves.
    """
    joint = truth.joint
    return {
        "fps": truth.fps,
        "frames": truth.frames,
        "usd": {
            "path": str(export / "stage.usda"),
            "cameras": [c.usd_name for c in truth.cameras],
            "actor_mesh": f"{joint.usd_name}_body",
            "joint": joint.joint,
        },
        "gltf": {
            "path": str(export / "scene.glb"),
            "cameras": [c.camera_id for c in truth.cameras],
            "actor_mesh": f"{joint.actor_id}_body",
            "joint": joint.joint,
        },
    }


# ---- comparing -------------------------------------------------------------------------------
@dataclass
class Row:
    """One line of the report: the worst error of one quantity over the sampled frames."""

    importer: str
    item: str
    quantity: str
    error: float | None  # None: missing
    unit: str
    tolerance: float | None  # None: shown, not checked
    frame: int | None = None
    note: str = ""

    @property
    def ok(self) -> bool:
        if self.tolerance is None:
            return True
        return self.error is not None and self.error <= self.tolerance


def rotation_matrix(wxyz: np.ndarray) -> np.ndarray:
    """Rotation matrix of a unit quaternion (w, x, y, z)."""
    w, x, y, z = np.asarray(wxyz, dtype=float) / np.linalg.norm(wxyz)
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )


def angle_between_deg(a: np.ndarray, b: np.ndarray) -> float:
    """Angle of the rotation taking orientation ``b`` to ``a`` (3 × 3 matrices), degrees."""
    cosine = (np.trace(a @ b.T) - 1.0) / 2.0
    return math.degrees(math.acos(float(np.clip(cosine, -1.0, 1.0))))


def pure_rotation(matrix: np.ndarray) -> np.ndarray:
    """The nearest rotation to a 3 × 3 matrix (drops any scale the importer left)."""
    u, _, vt = np.linalg.svd(matrix)
    return u @ np.diag([1.0, 1.0, np.linalg.det(u @ vt)]) @ vt


def fitted_rotation(local: np.ndarray, world: np.ndarray) -> np.ndarray:
    """The rotation best turning ``local`` points into ``world`` points (Kabsch)."""
    a = local - local.mean(axis=0)
    b = world - world.mean(axis=0)
    u, _, vt = np.linalg.svd(a.T @ b)
    d = np.sign(np.linalg.det(vt.T @ u.T))
    return vt.T @ np.diag([1.0, 1.0, d]) @ u.T


def _worst(importer, item, quantity, errors, frames, unit, tolerance, note="") -> Row:
    if not errors:
        return Row(importer, item, quantity, None, unit, tolerance, None, note or "not measured")
    at = int(np.argmax(errors))
    return Row(importer, item, quantity, float(errors[at]), unit, tolerance, frames[at], note)


def compare(truth: Truth, measured: dict) -> list[Row]:
    """Every row of the report, from the child's measurements."""
    rows: list[Row] = []
    for importer in ("usd", "gltf"):
        found = measured["importers"].get(importer)
        if found is None:
            rows.append(Row(importer, "file", "imported", None, "", 0.0, note="not run"))
            continue
        rows += _camera_rows(importer, truth, found)
        rows += _joint_rows(importer, truth, found)
    return rows


def _camera_rows(importer: str, truth: Truth, found: dict) -> list[Row]:
    rows: list[Row] = []
    frames = truth.frames
    for camera in truth.cameras:
        name = camera.usd_name if importer == "usd" else camera.camera_id
        item = f"camera {camera.camera_id}"
        measured = found["cameras"].get(name)
        if measured is None:
            objects = ", ".join(found["camera_objects"]) or "none"
            rows.append(Row(importer, item, "present", None, "", 0.0, note=f"cameras: {objects}"))
            continue
        samples = measured["samples"]
        position, angle, focal, width, height, vfov = [], [], [], [], [], []
        for k, sample in enumerate(samples):
            matrix = np.array(sample["matrix_world"])
            position.append(1000.0 * np.linalg.norm(matrix[:3, 3] - camera.positions[k]))
            rotation = pure_rotation(matrix[:3, :3])
            angle.append(angle_between_deg(rotation, rotation_matrix(camera.orientations[k])))
            if importer == "usd":
                focal.append(abs(sample["lens_mm"] - camera.focal_mm[k]))
                width.append(abs(sample["sensor_width_mm"] - camera.sensor_mm[0]))
                height.append(abs(sample["sensor_height_mm"] - camera.sensor_mm[1]))
            else:
                expected_vfov = 2.0 * math.atan(camera.sensor_mm[1] / (2 * camera.first_focal_mm))
                vfov.append(math.degrees(abs(sample["angle_y_rad"] - expected_vfov)))
        rows.append(Row(importer, item, "present", 0.0, "", 0.0, note=name))
        mm, deg = POSITION_TOLERANCE_MM, ANGLE_TOLERANCE_DEG
        rows.append(_worst(importer, item, "position", position, frames, "mm", mm))
        rows.append(_worst(importer, item, "orientation", angle, frames, "deg", deg))
        first = samples[0]
        if importer == "usd":
            lens = f"{first['lens_mm']:.3f} mm on {first['sensor_width_mm']:.3f} mm"
            for quantity, errors, note in (
                ("focal length", focal, lens),
                ("sensor width", width, ""),
                ("sensor height", height, ""),
            ):
                rows.append(
                    _worst(importer, item, quantity, errors, frames, "mm", LENS_TOLERANCE_MM, note)
                )
            continue
        note = (
            f"Blender: {first['lens_mm']:.3f} mm on {first['sensor_width_mm']:.0f} x "
            f"{first['sensor_height_mm']:.0f} mm, fit {first['sensor_fit'].lower()}"
        )
        quantity, tolerance = "vertical angle of view", FOV_TOLERANCE_DEG
        rows.append(_worst(importer, item, quantity, vfov, frames, "deg", tolerance, note))
        extras = measured["properties"]
        sensor = extras.get("sensor_mm") or [None, None]
        for quantity, value, truth_value in (
            ("focal_mm extra (first frame)", extras.get("focal_mm"), camera.first_focal_mm),
            ("sensor_mm extra, width", sensor[0], camera.sensor_mm[0]),
            ("sensor_mm extra, height", sensor[1], camera.sensor_mm[1]),
        ):
            rows.append(_extra_row(importer, item, quantity, value, truth_value))
    return rows


def _extra_row(importer: str, item: str, quantity: str, value, expected_value: float) -> Row:
    tolerance = LENS_TOLERANCE_MM
    if value is None:
        return Row(importer, item, quantity, None, "mm", tolerance, note="no such property")
    return Row(importer, item, quantity, abs(float(value) - expected_value), "mm", tolerance)


def _joint_rows(importer: str, truth: Truth, found: dict) -> list[Row]:
    joint = truth.joint
    item = f"{joint.actor_id} {joint.joint}"
    actor = found.get("actor")
    if actor is None:
        return [Row(importer, item, "present", None, "", 0.0, note="; ".join(found["notes"]))]
    frames = truth.frames
    head, skin, coverage, angle = [], [], [], []
    counts = set()
    for k, sample in enumerate(actor["samples"]):
        rotation = rotation_matrix(joint.orientations[k])
        expected_points = joint.positions[k] + joint.local_points @ rotation.T
        head.append(1000.0 * np.linalg.norm(np.array(sample["head"]) - joint.positions[k]))
        points = np.array(sample["points"]).reshape(-1, 3)
        counts.add(len(points))
        if len(points) == 0:
            continue
        distance, nearest = cKDTree(expected_points).query(points)
        skin.append(1000.0 * float(distance.max()))
        coverage.append(1000.0 * float(cKDTree(points).query(expected_points)[0].max()))
        fitted = fitted_rotation(joint.local_points[nearest], points)
        angle.append(angle_between_deg(fitted, rotation))
    bones = len(actor["bones"])
    mm, deg = POSITION_TOLERANCE_MM, ANGLE_TOLERANCE_DEG
    vertices = f"{'/'.join(str(c) for c in sorted(counts))} of {len(joint.local_points)} vertices"
    return [
        Row(importer, item, "present", 0.0, "", 0.0, note=f"mesh {actor['mesh']!r}"),
        Row(
            importer,
            item,
            "armature of this actor only",
            0.0 if bones == joint.skeleton_joints else None,
            "",
            0.0,
            note=f"{actor['armature']!r}: {bones} bones, skeleton {joint.skeleton_joints}",
        ),
        _worst(importer, item, "bone head (joint origin)", head, frames, "mm", mm),
        _worst(importer, item, "skinned vertices", skin, frames, "mm", mm, vertices),
        _worst(importer, item, "every vertex reached", coverage, frames, "mm", mm),
        _worst(importer, item, "orientation (fit to vertices)", angle, frames, "deg", deg),
    ]


def format_table(rows: list[Row]) -> str:
    """The report as a plain-text table."""
    header = ("file", "what", "quantity", "worst error", "tolerance", "frame", "", "note")
    lines = [header]
    for row in rows:
        measured = bool(row.unit)  # a number with a unit; otherwise a yes/no check
        if row.error is None:
            error = "missing" if not measured else "not measured"
        else:
            error = f"{row.error:.6f} {row.unit}" if measured else "yes"
        tolerance = f"{row.tolerance:g} {row.unit}" if measured and row.tolerance else ""
        frame = "" if row.frame is None else str(row.frame)
        verdict = "ok" if row.ok else "FAIL"
        cells = (row.importer, row.item, row.quantity, error, tolerance, frame, verdict, row.note)
        lines.append(cells)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


# ---- running ---------------------------------------------------------------------------------
def export_demo(scene: Path, out: Path) -> None:
    """Export the scene's USD stage and glTF scene with the app's command line."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "see1previs",
            "export",
            str(scene),
            "--out",
            str(out),
            "--formats",
            "usd,gltf",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def run_blender(interpreter: Path, request: dict, folder: Path) -> dict:
    """Run the child in the bpy environment; its measurements."""
    request_path, result_path = folder / "request.json", folder / "result.json"
    log = folder / "blender.log"
    request_path.write_text(json.dumps(request), encoding="utf-8")
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(
            [str(interpreter), str(CHILD), str(request_path), str(result_path)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if done.returncode != 0 or not result_path.exists():
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:])
        raise CheckError(f"Blender's run failed (status {done.returncode}):\n{tail}")
    return json.loads(result_path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    """Command line: see ``--help``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scene", type=Path, default=DEMO, help="scene file (the demo)")
    parser.add_argument("--export", type=Path, help="an existing export folder to check")
    parser.add_argument("--actor", default="ren", help="actor whose joint is checked (ren)")
    parser.add_argument("--joint", default="right_hand", help="joint checked (right_hand)")
    parser.add_argument("--venv", type=Path, default=VENV, help="the bpy environment")
    parser.add_argument(
        "--python", help=f"a CPython {BPY_PYTHON[0]}.{BPY_PYTHON[1]} to build the environment with"
    )
    parser.add_argument(
        "--bpy",
        default=BPY_VERSION,
        help=f"bpy version ({BPY_VERSION}), one built for CPython 3.13",
    )
    parser.add_argument("--no-cache", action="store_true", help="bake without the bake cache")
    args = parser.parse_args(argv)
    try:
        interpreter = ensure_bpy(args.venv, args.python, args.bpy)
        with tempfile.TemporaryDirectory(prefix="see1-blender-check-") as temp:
            folder = Path(temp)
            export = args.export
            if export is None:
                export = folder / "export"
                export_demo(args.scene, export)
            truth = expected(args.scene, args.actor, args.joint, not args.no_cache)
            measured = run_blender(interpreter, blender_request(truth, export), folder)
    except (CheckError, subprocess.CalledProcessError) as exc:
        print(f"blender check: {exc}", file=sys.stderr)
        return 2
    rows = compare(truth, measured)
    source = export if args.export else f"a fresh export of {args.scene.name}"
    print(f"Blender {measured['blender']} (bpy) imports stage.usda and scene.glb from {source}")
    print(f"sampled frames: {', '.join(map(str, truth.frames))} (at {truth.fps:g} fps)")
    print(format_table(rows))
    failed = [row for row in rows if not row.ok]
    print(f"{len(rows) - len(failed)} of {len(rows)} checks within tolerance")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
