"""Safety-envelope throughput on Dask: samples per second per core against a single bake,
scaling from 1 to 2 local workers, and the time 1,000 samples of a scene would take.

Run: ``python benchmarks/bench_envelope.py [--scene NAME] [--samples N]``. Each run is an
ordinary ``run_envelope`` on a LocalCluster. *Steady* throughput counts samples between the
first and the last finished chunk (cluster start-up, the nominal bake on the client and each
worker's first compile excluded); *end to end* is the whole call. The 1,000-sample time is
extrapolated from the 2-worker run's steady rate plus its fixed overhead, and says so.

Two envelopes are measured: the scene's own (by default every actor's height and mass vary,
so every sample compiles its own physics model) and *actions only* (cast fixed, so a worker
reuses one compiled model for all its samples). Figures vary with machine load; the load
average is printed with them.

On a shared machine the wall-clock scaling from 1 to 2 workers says more about the other jobs
than about the envelope, so the scaling is also given in processor time: the benchmark starts
the LocalCluster itself, reads the processor time of each worker process (psutil) and how busy
the whole machine was (``/proc/stat``) at every finished chunk, and over the steady window
prints how many cores the workers really got ("2 workers did the work of X cores"), the
samples per processor second of 2 workers against 1 (per-core throughput ratio, 1.00 when
running two costs nothing) and the scaling that implies on two free cores (2 × that ratio).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import psutil

from see1previs.core.scene import Scene
from see1previs.core.scenefile import load_scene
from see1previs.envelope.cluster import run_envelope
from see1previs.physics.bake import bake
from see1previs.physics.simulation import prepare_world

SCENES = Path(__file__).resolve().parent.parent / "scenes"


def single_bake(scene: Scene, scene_dir: Path, repeats: int = 3) -> tuple[float, float, float]:
    """Seconds per bake with a prepared world, per prepare + bake, and processor seconds per
    bake (best of ``repeats``)."""
    prepare_world(scene, scene_dir)  # load the interior once, as a worker does
    bake_only, whole, cpu = [], [], []
    for _ in range(repeats):
        started = time.perf_counter()
        world = prepare_world(scene, scene_dir)
        prepared, cpu_started = time.perf_counter(), time.process_time()
        bake(scene, world=world)
        done = time.perf_counter()
        cpu.append(time.process_time() - cpu_started)
        bake_only.append(done - prepared)
        whole.append(done - started)
    return min(bake_only), min(whole), min(cpu)


def fixed_cast(scene: Scene) -> Scene:
    data = scene.model_dump(mode="json")
    data["envelope"]["cast"] = {
        actor.id: {"height": [actor.height] * 2, "mass": [actor.mass] * 2} for actor in scene.actors
    }
    return Scene.model_validate(data)


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) processor ticks of all cores since boot (``/proc/stat``; 0, 0 elsewhere)."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            ticks = [int(v) for v in stat.readline().split()[1:9]]
    except OSError:
        return 0, 0
    return sum(ticks) - ticks[3] - ticks[4], sum(ticks)  # idle and iowait are not busy


def envelope_rate(scene: Scene, scene_dir: Path, samples: int, workers: int) -> dict:
    """One envelope on a fresh LocalCluster of ``workers`` processes, measured per chunk."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    with Client(cluster) as client:
        pids = list(client.run(os.getpid).values())
    processes = [psutil.Process(pid) for pid in pids]

    def worker_cpu() -> float:
        return sum(sum(p.cpu_times()[:2]) for p in processes)  # user + system

    stamps: list[tuple[float, int, float, int, int]] = []

    def stamp(p) -> None:
        stamps.append((time.perf_counter(), p.done, worker_cpu(), *machine_jiffies()))

    started = time.perf_counter()
    try:
        run = run_envelope(
            scene,
            scene_dir,
            samples,
            seed=1,
            scheduler=cluster.scheduler_address,
            chunk_size=1,
            progress=stamp,
        )
    finally:
        cluster.close()
    total = time.perf_counter() - started
    (t0, n0, c0, b0, j0), (t1, n1, c1, b1, j1) = stamps[0], stamps[-1]
    steady = (n1 - n0) / (t1 - t0) if t1 > t0 else float("nan")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "steady": steady,
        "total": total,
        "overhead": total - samples / steady,
        "run": run,
        # Over the steady window: cores the workers got, their samples per processor second,
        # and how many cores the whole machine kept busy (ours and everyone else's).
        "worker_cores": (c1 - c0) / (t1 - t0) if t1 > t0 else float("nan"),
        "per_cpu_second": (n1 - n0) / (c1 - c0) if c1 > c0 else float("nan"),
        "machine_busy": cores * (b1 - b0) / (j1 - j0) if j1 > j0 else float("nan"),
        "cores": cores,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scene", default="zero-g-breakfast")
    parser.add_argument("--samples", type=int, default=12, help="samples per worker and run")
    args = parser.parse_args()
    path = SCENES / f"{args.scene}.see1.json"
    scene = load_scene(path)
    print(
        f"scene {args.scene}: {scene.duration:g} s, {len(scene.actors)} actors, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    for label, variant in (("actions only", fixed_cast(scene)), ("scene envelope", scene)):
        # The single bake is measured right before each run: the machine's load drifts.
        bake_s, whole_s, bake_cpu = single_bake(scene, path.parent)
        one = envelope_rate(variant, path.parent, args.samples, 1)
        two = envelope_rate(variant, path.parent, 2 * args.samples, 2)
        per_core = one["steady"]
        print(
            f"{label} (single bake {bake_s:.2f} s with a prepared world, "
            f"{whole_s:.2f} s prepare + bake; load {os.getloadavg()[0]:.1f}):"
        )
        print(
            f"  1 worker : {per_core:.3f} samples/s steady ({1 / per_core:.2f} s a sample), "
            f"{one['total']:.1f} s end to end for {args.samples}"
        )
        print(
            f"  ratio per core vs a single bake: {per_core * bake_s:.2f} "
            f"(vs prepare + bake: {per_core * whole_s:.2f}; goal >= 0.9)"
        )
        print(
            f"  2 workers: {two['steady']:.3f} samples/s steady, {two['total']:.1f} s end to "
            f"end for {2 * args.samples}; scaling 1 -> 2: {two['steady'] / per_core:.2f}x "
            "(goal >= 1.8x)"
        )
        ratio = two["per_cpu_second"] / one["per_cpu_second"]
        for name, r in (("1 worker ", one), ("2 workers", two)):
            print(
                f"  {name}: did the work of {r['worker_cores']:.2f} cores over the steady "
                f"window ({r['per_cpu_second']:.3f} samples per processor second); the machine "
                f"was busy {r['machine_busy']:.2f} of {r['cores']} cores, "
                f"{max(0.0, r['machine_busy'] - r['worker_cores']):.2f} of them not our workers"
            )
        print(
            f"  processor-time scaling: 2 workers did the work of {two['worker_cores']:.2f} "
            f"cores; per-core throughput ratio 2 vs 1 worker {ratio:.2f}; on 2 free cores "
            f"1 -> 2 would be {2 * ratio:.2f}x (goal >= 1.8x)"
        )
        cpu_sample = one["run"].cpu_seconds / args.samples
        print(
            f"  processor time: {cpu_sample:.2f} s a sample on the worker vs {bake_cpu:.2f} s "
            f"a bake; ratio {bake_cpu / cpu_sample:.2f} (load-independent; goal >= 0.9)"
        )
        print(
            f"  1,000 samples on 2 free cores from processor time: about "
            f"{(one['overhead'] + 1000 * cpu_sample / 2) / 60:.1f} min"
        )
        thousand = two["overhead"] + 1000 / two["steady"]
        print(
            f"  1,000 samples on 2 workers: about {thousand / 60:.1f} min (extrapolated from "
            f"the {2 * args.samples}-sample run; goal <= 10 min)"
        )


if __name__ == "__main__":
    main()
