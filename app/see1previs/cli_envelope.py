"""``see1-previs envelope``: the safety envelope of a scene from the command line.

Runs N variations on Dask (a LocalCluster with one worker process per core, or the cluster
at ``--scheduler``), shows progress on a terminal, writes the JSON result atomically with the
PDF safety page next to it, and prints the risks that matter. Ctrl-C stops the run after the
chunks in flight and writes the samples done as a partial result; a second Ctrl-C stops at
once.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path


def add_envelope_command(commands) -> None:
    """Register the ``envelope`` sub-command on the CLI's sub-parsers."""
    envelope = commands.add_parser(
        "envelope",
        help="run N variations of a scene with human imprecision and report the risks",
        description="Bake N variations of SCENE, each with every human action perturbed by "
        "the scene's envelope section (push-off and throw speed and aim, cue timing, catch "
        "timing and reach, cast height and mass, ventilation), on Dask; write every sample "
        "and the statistics to DIR/<scene>.envelope.json and the safety page to "
        "DIR/<scene>.safety.pdf; print the risks. The same --seed gives the same file, on "
        "any number of workers.",
    )
    envelope.add_argument("scene", type=Path, help="scene file (*.see1.json)")
    envelope.add_argument("--samples", type=int, required=True, help="number of variations")
    envelope.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    envelope.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler to use, e.g. tcp://HOST:8786 (default: a local cluster with one "
        "worker process per core)",
    )
    envelope.add_argument(
        "--workers", type=int, help="worker processes of the local cluster (default: cores)"
    )
    envelope.add_argument(
        "--out", type=Path, default=Path("."), metavar="DIR", help="folder for the result"
    )


def cmd_envelope(args: argparse.Namespace) -> int:
    from see1previs.cli import EXIT_OK, CliError, _load
    from see1previs.envelope.cluster import run_envelope
    from see1previs.envelope.result import result_document, result_path, write_result
    from see1previs.export.envelope_pdf import write_safety_page

    if args.samples < 1:
        raise CliError("see1-previs: --samples must be at least 1")
    if args.seed < 0:
        raise CliError("see1-previs: --seed must not be negative")
    scene = _load(args.scene)
    interactive = sys.stderr.isatty()
    stop = _StopOnInterrupt()
    try:
        run = run_envelope(
            scene,
            args.scene.parent,
            args.samples,
            seed=args.seed,
            scheduler=args.scheduler,
            workers=args.workers,
            progress=_show if interactive else None,
            should_cancel=stop.requested,
        )
    except OSError as exc:
        if args.scheduler:
            raise CliError(
                f"see1-previs: cannot reach the Dask scheduler at {args.scheduler} ({exc})"
            ) from exc
        raise
    finally:
        stop.restore()
        if interactive:
            sys.stderr.write("\n")
    path = write_result(run, result_path(args.out, args.scene, scene.title), str(args.scene))
    page = path.with_name(path.name.removesuffix(".envelope.json") + ".safety.pdf")
    colours = {actor.id: actor.color for actor in scene.actors if actor.color}
    write_safety_page(result_document(run, str(args.scene)), page, colours)
    print(summary_text(run))
    state = "partial result (cancelled)" if run.cancelled else "result"
    print(f"{state} written to {path}; safety page {page}", file=sys.stderr)
    return EXIT_OK


def summary_text(run) -> str:
    """The risks of a run in a few lines a director can read."""
    s = run.summary
    lines = [
        f"{run.scene.title}: {s['baked']} of {run.requested} samples baked "
        f"(seed {run.seed}, {run.workers} worker{'' if run.workers == 1 else 's'}, "
        f"{run.seconds:.0f} s)"
    ]
    for sample in s["failed"][:5]:
        lines.append(f"  sample {sample['index']} could not run: {sample['problem']}")
    for cue_id, cue in s["cues"].items():
        lines.append(f"  {cue['actor']}: {cue['risk'].replace('_', ' ')} '{cue_id}' {_p(cue)}")
    for actor, kinds in s["contacts"].items():
        for kind, figures in kinds.items():
            hard = figures["over_safe_speed"]
            if hard["count"]:
                speed = figures["speed"]
                lines.append(
                    f"  {actor}: hits {kind} faster than the safe speed {_p(hard)}; "
                    f"fastest median {speed['p50']:.2f} m/s, 95 % {speed['p95']:.2f} m/s"
                )
    for actor, strike in s["head_strikes"].items():
        if strike["count"]:
            lines.append(f"  {actor}: head strike {_p(strike)}")
    for camera, actors in s["cameras"].items():
        for actor, figures in actors.items():
            low = figures["clearance"]
            lines.append(
                f"  camera {camera} to {actor}: clearance 5 % {low['p05']:.2f} m, "
                f"min {low['min']:.2f} m, contact {_p(figures['contact'])}"
            )
    for risk, ranked in s["sensitivity"].items():
        if risk.endswith(".clearance"):
            continue
        top = ranked[0]
        lines.append(f"  {risk} is driven most by {top['parameter']} (ρ = {top['rho']:+.2f})")
    return "\n".join(lines)


def _p(figures: dict) -> str:
    low, high = figures["interval95"]
    return f"{100 * figures['probability']:.1f} % (95 % CI {100 * low:.1f}-{100 * high:.1f} %)"


def _show(progress) -> None:
    sys.stderr.write(f"\renvelope: {progress.text()}   ")
    sys.stderr.flush()


class _StopOnInterrupt:
    """The first Ctrl-C asks the run to stop and keep what is done; the second interrupts."""

    def __init__(self) -> None:
        self._stop = False
        self._previous = signal.getsignal(signal.SIGINT)
        try:
            signal.signal(signal.SIGINT, self._handle)
        except ValueError:  # not the main thread: leave Ctrl-C alone
            self._previous = None

    def _handle(self, signum, frame) -> None:
        if self._stop:
            raise KeyboardInterrupt
        self._stop = True
        sys.stderr.write(
            "\nenvelope: stopping after the samples in flight (Ctrl-C again to quit)\n"
        )

    def requested(self) -> bool:
        return self._stop

    def restore(self) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
