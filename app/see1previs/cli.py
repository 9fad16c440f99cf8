"""The ``see1-previs`` command line: headless validate / simulate / schema for pipeline TDs,
and ``open`` for the desktop app.

Errors a user can act on are printed as plain messages (exit 1); anything else is a bug and
is printed as one "internal error" line. Only ``--debug`` adds a traceback. Long bakes show a
progress bar when stderr is a terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from see1previs import __version__
from see1previs.cli_envelope import add_envelope_command, cmd_envelope
from see1previs.export.formats import DEFAULT_FORMATS, FORMATS, SLOW_FORMATS

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="see1-previs",
        description="Previsualization for SEE-1, the zero-gravity film studio module: "
        "check and simulate blocking scenes headless.",
    )
    parser.add_argument("--version", action="version", version=f"see1-previs {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show full tracebacks for errors (for bug reports)"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation: bake the demo scene, render a camera frame and export "
        "a shot list to a temporary folder; prints one line and exits 0 when all works",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check a scene file and its placement; list every problem",
        description="Check a scene file: JSON syntax, the scene format, ids and references, "
        "mesh files, and that every body starts inside the interior without overlapping "
        "anything. Exit 0 when valid, 1 with every problem listed.",
    )
    validate.add_argument("scene", type=Path, help="scene file (*.see1.json)")

    simulate = commands.add_parser(
        "simulate",
        help="bake a scene's zero-g physics",
        description="Simulate a scene and record every body at the scene frame rate. Bakes "
        "are cached, so re-running an unchanged scene is instant.",
    )
    simulate.add_argument("scene", type=Path, help="scene file (*.see1.json)")
    simulate.add_argument(
        "--out", type=Path, help="write the trajectory as a NumPy .npz archive (units inside)"
    )
    simulate.add_argument(
        "--report", action="store_true", help="print the simulation report after baking"
    )
    _no_cache_option(simulate)
    simulate.add_argument(
        "--json", action="store_true", help="print the report as JSON instead of text"
    )

    export = commands.add_parser(
        "export",
        help="write the camera plan: shot list, camera tracks, USD, OTIO",
        description="Bake the scene (or load its cached bake), evaluate every camera, analyse "
        "every shot and write the camera plan into a folder: shot_list.csv, "
        "tracks/<shot>_<camera>.csv and .json, timeline.otio and stage.usda. The folder gets "
        "every file or none.",
    )
    export.add_argument("scene", type=Path, help="scene file (*.see1.json)")
    export.add_argument("--out", type=Path, required=True, help="output folder")
    export.add_argument(
        "--formats",
        default=",".join(DEFAULT_FORMATS),
        help=f"comma-separated subset of {','.join(FORMATS)}, or 'all' (default: all but "
        f"{','.join(SLOW_FORMATS)}, which renders every frame of every shot)",
    )
    export.add_argument(
        "--preroll",
        type=int,
        default=0,
        metavar="FRAMES",
        help="add FRAMES of eased pre- and post-roll to each shot's motion-control move "
        "(motion_control/<shot>_<camera>.csv and .chan), so a rig starts and ends at rest",
    )
    _no_cache_option(export)

    cuesheet = commands.add_parser(
        "cuesheet",
        help="print one actor's cue sheet as a PDF",
        description="Bake the scene (or load its cached bake) and write a printable cue sheet "
        "for one actor: every cue in acting order with timecode, action, fixture or target, "
        "direction, speed and outcome, a top view per cue, and the actor's blocking warnings.",
    )
    cuesheet.add_argument("scene", type=Path, help="scene file (*.see1.json)")
    cuesheet.add_argument("--actor", required=True, help="id of the actor whose cues to print")
    cuesheet.add_argument("--out", type=Path, required=True, help="PDF file to write")
    _no_cache_option(cuesheet)

    open_app = commands.add_parser(
        "open",
        help="open the desktop app on a scene (or on a new, empty scene)",
        description="Open the SEE-1 Previs desktop app on SCENE, or on a new scene in the SEE-1 "
        "interior when no scene is given. Running see1-previs with no command does the same "
        "where there is a display.",
    )
    open_app.add_argument("scene", type=Path, nargs="?", help="scene file (*.see1.json)")

    rehearse = commands.add_parser(
        "rehearse",
        help="rehearse a scene from an actor's point of view, with timed cue prompts",
        description="Bake the scene (or load its cached bake) and open the rehearsal window: "
        "play the scene from a performer's eyes or a follow-cam, with each cue announced ahead "
        "of time (see docs/rehearsal.md).",
    )
    rehearse.add_argument("scene", type=Path, help="scene file (*.see1.json)")
    rehearse.add_argument(
        "--actor", help="id of the actor (or camera operator) to rehearse; the first actor if none"
    )

    aim = commands.add_parser(
        "aim",
        help="solve a push-off or a throw so it arrives at a mark, by running the physics",
        description="Solve the speed and direction of a push-off (or a throw) so the actor "
        "arrives at TARGET at a time or passes through it at a speed, running the real bake "
        "from the cue's checkpoint (air drag, ventilation and posture included). TARGET is a "
        "point 'x,y,z' in metres (write --to=-1.2,0.8,0.2 when it starts with a minus), a "
        "fixture id (arrive at arm's length in front of it), an actor id, or "
        "'actor:right_hand' / 'actor:left_hand'. A throw with no --to goes to the "
        "hand of the catch that follows it, at the catch time. Prints the solved values; "
        "--write saves them into the scene file.",
    )
    aim.add_argument("scene", type=Path, help="scene file (*.see1.json)")
    aim.add_argument("--cue", required=True, help="id of the push_off or throw cue to aim")
    aim.add_argument("--to", dest="target", help="where to arrive (see above)")
    when = aim.add_mutually_exclusive_group()
    when.add_argument("--at", type=float, metavar="TIME", help="arrive at this scene time [s]")
    when.add_argument("--speed", type=float, metavar="V", help="push or throw at this speed [m/s]")
    aim.add_argument(
        "--write", action="store_true", help="save the solved cue into SCENE (atomically)"
    )

    add_envelope_command(commands)

    commands.add_parser(
        "schema",
        help="print the scene-file JSON Schema",
        description="Print the JSON Schema of the scene format (for editors and validators).",
    )
    return parser


def _no_cache_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--no-cache", action="store_true", help="always simulate; neither read nor write the cache"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        return _run(cmd_self_test, args)
    if args.command is None:
        if _display_available():
            args.scene = None
            return _run(cmd_open, args)
        parser.print_help()
        return EXIT_USAGE
    return _run(_COMMANDS[args.command], args)


def _run(command, args: argparse.Namespace) -> int:
    """Run a command, turning errors a user can act on into plain messages."""
    try:
        return command(args)
    except KeyboardInterrupt:
        print("see1-previs: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        message = _user_message(exc)
        if getattr(args, "debug", False):
            traceback.print_exc()
        print(message if message is not None else _internal_error(exc), file=sys.stderr)
        return EXIT_PROBLEM


def _internal_error(exc: BaseException) -> str:
    """One line for a bug: what went wrong, and how to get the details for a report."""
    detail = " ".join(str(exc).split())
    if len(detail) > 200:
        detail = detail[:197] + "..."
    what = type(exc).__name__ + (f": {detail}" if detail else "")
    return f"see1-previs: internal error ({what}); run with --debug to see where, and report it"


def _user_message(exc: Exception) -> str | None:
    """The plain message for errors caused by input, or None for bugs."""
    from see1previs.cinema.tracks import CameraSetupError
    from see1previs.core.atomic_write import AtomicWriteError
    from see1previs.core.scenefile import SceneFileError
    from see1previs.export.files import ExportError
    from see1previs.physics.bake import BakeUnstableError
    from see1previs.physics.simulation import SceneSetupError
    from see1previs.station.model import StationError

    if isinstance(exc, SceneFileError | StationError | CliError | ExportError):
        return str(exc)
    if isinstance(exc, BakeUnstableError):
        return f"see1-previs: {exc}"
    if isinstance(exc, AtomicWriteError):
        return f"see1-previs: {exc}"
    if isinstance(exc, CameraSetupError):
        return "camera setup problem:\n" + "\n".join(
            f"  {path}: {message}" for path, message in exc.problems
        )
    if isinstance(exc, SceneSetupError):
        return "scene cannot be simulated:\n" + "\n".join(
            f"  {path}: {message}" for path, message in exc.problems
        )
    if isinstance(exc, OSError):
        return f"see1-previs: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    return None


def _load(path: Path):
    from see1previs.core.scenefile import load_scene

    if not path.exists():
        raise CliError(f"see1-previs: no scene file at {path}")
    return load_scene(path)


def cmd_validate(args: argparse.Namespace) -> int:
    from see1previs.cinema.tracks import CameraSetupError, camera_setup_problems
    from see1previs.physics.simulation import prepare_world

    scene = _load(args.scene)
    world = prepare_world(scene, args.scene.parent)
    for warning in world.station.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    problems = camera_setup_problems(scene, world.station)
    if problems:
        raise CameraSetupError(problems)
    print(
        f"{args.scene}: valid — {_count(scene.props, 'prop')}, {_count(scene.actors, 'actor')}, "
        f"{_count(scene.cues, 'cue')}, {_count(scene.cameras, 'camera')}, "
        f"{_count(scene.shots, 'shot')}, {scene.duration:g} s at {scene.frame_rate}"
    )
    return EXIT_OK


def _count(items: Sequence[object] | int, noun: str) -> str:
    number = items if isinstance(items, int) else len(items)
    return f"{number} {noun}" + ("" if number == 1 else "s")


def cmd_simulate(args: argparse.Namespace) -> int:
    from see1previs.physics.blocking_report import blocking_report
    from see1previs.physics.cache import BakeCache
    from see1previs.physics.report import SimulationReport
    from see1previs.physics.simulation import simulate

    scene = _load(args.scene)
    bar = ProgressBar(f"baking {args.scene.name}") if sys.stderr.isatty() else None
    started = time.perf_counter()
    result = simulate(
        scene,
        args.scene.parent,
        cache=None if args.no_cache else BakeCache(),
        progress=bar.update if bar else None,
    )
    elapsed = time.perf_counter() - started
    if bar:
        bar.close()
    for warning in result.station.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.out:
        result.trajectory.save_npz(args.out)
    report = SimulationReport.build(result.world, result.trajectory, result.from_cache)
    blocking = blocking_report(scene, result.trajectory, result.station)
    if args.json:
        print(json.dumps({**_report_json(report), "blocking": blocking.to_json()}, indent=2))
    elif args.report:
        print(report.to_text())
        if scene.actors:
            print()
            print(blocking.to_text(scene))
    else:
        source = "loaded from cache" if result.from_cache else f"baked in {elapsed:.1f} s"
        print(f"{args.scene}: {report.frames} frames, {report.contact_count} contacts, {source}")
    if args.out:
        print(f"trajectory written to {args.out}", file=sys.stderr)
    return EXIT_OK


def _report_json(report) -> dict:
    from dataclasses import asdict

    data = asdict(report)
    data["frame_rate"] = report.frame_rate.to_json()
    return data


def cmd_aim(args: argparse.Namespace) -> int:
    from see1previs.core.scenefile import save_scene
    from see1previs.physics.aim import AimError, solve_aim

    scene = _load(args.scene)
    cue = next((c for c in scene.cues if c.id == args.cue), None)
    if cue is not None and cue.type == "push_off":
        if args.target is None:
            raise CliError(f"see1-previs: cue '{args.cue}': say where to arrive with --to")
        if args.at is None and args.speed is None:
            raise CliError(f"see1-previs: cue '{args.cue}': give --at TIME or --speed V")
    bar = ProgressBar(f"aiming {args.cue}") if sys.stderr.isatty() else None
    try:
        result = solve_aim(
            scene,
            args.cue,
            args.target,
            at=args.at,
            speed=args.speed,
            scene_dir=args.scene.parent,
            progress=bar.update if bar else None,
        )
    except AimError as exc:
        raise CliError(f"see1-previs: {exc}") from exc
    finally:
        if bar:
            bar.close()
    direction = ", ".join(f"{c:.5f}" for c in result.direction)
    print(f"{result.cue_id} ({result.cue_type}) aimed at {result.mark.label}")
    print(f"  speed      {result.speed:.4f} m/s")
    print(f"  direction  ({direction}) module frame")
    print(f"  arrives    {result.arrival_time:.3f} s, missing by {result.miss * 100:.1f} cm")
    print(f"  solved in  {result.trials_text}, {result.seconds:.1f} s")
    if args.write:
        save_scene(result.apply(scene), args.scene)
        print(f"written to {args.scene}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from see1previs.core.scenefile import scene_json_schema

    print(json.dumps(scene_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from see1previs.physics.cache import BakeCache
    from see1previs.session.export_job import export_scene

    scene = _load(args.scene)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if formats == ["all"]:
        formats = list(FORMATS)
    bar = ProgressBar(f"exporting {args.scene.name}") if sys.stderr.isatty() else None
    result = export_scene(
        scene,
        args.scene.parent,
        args.out,
        formats=formats,
        cache=None if args.no_cache else BakeCache(),
        progress=(lambda stage, fraction: bar.update(fraction)) if bar else None,
        ramp_frames=args.preroll,
    )
    if bar:
        bar.close()
    for shot_id, analysis in result.analyses.items():
        for warning in analysis.warnings:
            print(f"warning: shot '{shot_id}': {warning.message}", file=sys.stderr)
    if "motion" in formats:
        _print_motion_control(scene, result.tracks, args.preroll)
    print(f"{_count(result.files, 'file')} written to {args.out}")
    for path in result.files:
        print(f"  {path}")
    return EXIT_OK


def _print_motion_control(scene, tracks, ramp_frames: int) -> None:
    """Each shot's peak camera rates, and a warning per rate a motion-control rig cannot follow."""
    from see1previs.export.motion_control import motion_summary, shot_motion
    from see1previs.export.shots import shooting_order

    for shot in shooting_order(scene.shots):
        motion = shot_motion(tracks[shot.camera], shot, scene.frame_rate, ramp_frames=ramp_frames)
        print(f"motion control: shot '{shot.id}': {motion_summary(motion)}")
        for warning in motion.warnings:
            print(f"warning: shot '{shot.id}': motion control: {warning}", file=sys.stderr)


def cmd_cuesheet(args: argparse.Namespace) -> int:
    from see1previs.export.cue_sheet import check_actor, write_cue_sheet
    from see1previs.physics.cache import BakeCache
    from see1previs.physics.simulation import simulate

    scene = _load(args.scene)
    actor = check_actor(scene, args.actor)  # before baking: a typo should not cost a bake
    bar = ProgressBar(f"baking {args.scene.name}") if sys.stderr.isatty() else None
    result = simulate(
        scene,
        args.scene.parent,
        cache=None if args.no_cache else BakeCache(),
        progress=bar.update if bar else None,
    )
    if bar:
        bar.close()
    for warning in result.station.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    rows, warnings = write_cue_sheet(scene, actor.id, result, args.out)
    rate = scene.frame_rate
    for warning in warnings:
        stamp = rate.timecode(rate.frame_at(warning.time))
        print(f"warning: {stamp} {actor.id}: {warning.message}", file=sys.stderr)
    name = actor.name or actor.id
    print(f"cue sheet for {name} ({_count(rows, 'cue')}) written to {args.out}")
    return EXIT_OK


def cmd_self_test(args: argparse.Namespace) -> int:
    import tempfile

    from see1previs.core.scenefile import load_scene
    from see1previs.physics.cache import BakeCache
    from see1previs.render.camera_view import CameraView
    from see1previs.resources import scenes_dir
    from see1previs.session.export_job import export_scene

    started = time.perf_counter()
    path = scenes_dir() / "first-light.see1.json"
    scene = load_scene(path)
    with tempfile.TemporaryDirectory(prefix="see1-self-test-") as folder:
        cache = BakeCache(Path(folder) / "cache")  # bake for real, leave no trace
        result = export_scene(
            scene, path.parent, Path(folder) / "plan", formats=["shotlist"], cache=cache
        )
        camera = scene.cameras[0]
        track = result.tracks[camera.id]
        bake = result.bake
        view = CameraView(bake.world, width=320)
        try:
            pixels = view.render(bake.trajectory, track, bake.trajectory.frame_count // 2)
        finally:
            view.close()
        if pixels.std() < 5:
            raise CliError("self-test failed: the rendered camera frame is blank")
        text = (Path(folder) / "plan" / "shot_list.csv").read_text(encoding="utf-8")
        rows = [line for line in text.splitlines() if not line.startswith("#")]  # header line
    from see1previs.physics.contact_forces import implementation

    print(
        f"see1-previs {__version__} self-test ok: baked {scene.title!r} "
        f"({bake.trajectory.frame_count} frames, {implementation()} contact forces), "
        f"rendered {pixels.shape[1]}x{pixels.shape[0]} "
        f"from camera {camera.id}, exported {len(rows) - 1} shots "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return EXIT_OK


def cmd_open(args: argparse.Namespace) -> int:
    scene = args.scene
    if scene is not None and not scene.exists():
        raise CliError(f"see1-previs: no scene file at {scene}")
    if not _display_available():
        # Qt would abort the process; say why, and what is wrong with the scene if anything.
        if scene is not None:
            _check_opens(scene)
        raise CliError(
            "see1-previs: open shows a window, and there is no display here (neither DISPLAY "
            "nor WAYLAND_DISPLAY is set); use validate, simulate or export without one"
        )
    # Qt is imported only here, so every other command runs where no GUI is installed.
    from see1previs.gui.app import main as run_app

    return run_app(scene)


def _check_opens(path: Path) -> None:
    """Raise "Cannot open scene" with every problem when the scene file does not load."""
    from see1previs.core.scenefile import SceneFileError, load_scene

    try:
        load_scene(path)
    except SceneFileError as exc:
        raise CliError(
            "\n".join([f"Cannot open scene: {path}", *(f"  {issue}" for issue in exc.issues)])
        ) from exc


def cmd_rehearse(args: argparse.Namespace) -> int:
    from see1previs.export.cue_sheet import check_actor
    from see1previs.physics.cache import BakeCache
    from see1previs.physics.simulation import simulate

    scene = _load(args.scene)
    actor = check_actor(scene, args.actor or (scene.actors[0].id if scene.actors else ""))
    if not _display_available():
        raise CliError("see1-previs: rehearse opens a window, and there is no display here")
    bar = ProgressBar(f"baking {args.scene.name}") if sys.stderr.isatty() else None
    result = simulate(
        scene, args.scene.parent, cache=BakeCache(), progress=bar.update if bar else None
    )
    if bar:
        bar.close()
    from see1previs.gui.rehearsal.app import main as run_rehearsal

    return run_rehearsal(scene, result, actor.id, args.scene.parent)


def _display_available() -> bool:
    """Whether a window can be shown (always on Windows and macOS; X11 or Wayland elsewhere)."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


_COMMANDS = {
    "validate": cmd_validate,
    "simulate": cmd_simulate,
    "export": cmd_export,
    "cuesheet": cmd_cuesheet,
    "schema": cmd_schema,
    "aim": cmd_aim,
    "open": cmd_open,
    "rehearse": cmd_rehearse,
    "envelope": cmd_envelope,
}


class ProgressBar:
    """A one-line progress bar on stderr for interactive terminals."""

    def __init__(self, label: str, width: int = 30) -> None:
        self.label = label
        self.width = width
        self.started = time.perf_counter()

    def update(self, fraction: float) -> None:
        filled = round(fraction * self.width)
        elapsed = time.perf_counter() - self.started
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{fraction * 100:5.1f}% {elapsed:5.1f}s"
        )
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()


if __name__ == "__main__":
    sys.exit(main())
