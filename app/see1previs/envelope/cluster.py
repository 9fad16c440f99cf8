"""Running an envelope on Dask: a LocalCluster on a laptop, or any scheduler by address.

The scene and the nominal bake's aims travel to the workers once (``client.scatter`` with
``broadcast``); samples go out in chunks, one task per chunk, each keyed by the scene's
digest, the seed and its first index. Tasks are pure (:mod:`see1previs.envelope.samples`),
so when a worker dies the scheduler hands its chunks to another worker and they come back
identical. Results are collected with ``as_completed`` for progress; a cancel stops the
remaining chunks and keeps every sample already done.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from see1previs.core.scene import Scene
from see1previs.envelope.reduction import summarize
from see1previs.envelope.samples import ScenePackage, nominal_bake, run_chunk
from see1previs.envelope.variation import aimed_directions

MAX_CHUNK = 25
CHUNKS_PER_WORKER = 4  # enough chunks that a lost or slow worker does not hold up the end


@dataclass
class Progress:
    """Where a run is: samples done of all, seconds so far and an estimate of what is left."""

    done: int
    total: int
    elapsed: float
    remaining: float | None

    def text(self) -> str:
        eta = "" if self.remaining is None else f", about {_duration(self.remaining)} left"
        return f"{self.done}/{self.total} samples ({_duration(self.elapsed)}{eta})"


ProgressCallback = Callable[[Progress], None]


@dataclass
class EnvelopeRun:
    """A finished (or cancelled) run: every sample done, and their summary."""

    scene: Scene
    seed: int
    requested: int
    samples: list[dict]
    summary: dict
    nominal: list[dict]
    workers: int
    cancelled: bool = False
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # processor time the workers spent on the samples done
    notes: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return len(self.samples) == self.requested


def local_workers() -> int:
    """One worker process per core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def chunks(count: int, workers: int, size: int | None = None) -> list[list[int]]:
    """Sample indices 0..count-1 split into chunks (about four per worker, at most 25)."""
    if size is None:
        size = max(1, min(MAX_CHUNK, math.ceil(count / (CHUNKS_PER_WORKER * max(1, workers)))))
    return [list(range(start, min(count, start + size))) for start in range(0, count, size)]


def run_envelope(
    scene: Scene,
    scene_dir: Path | None,
    samples: int,
    *,
    seed: int = 0,
    scheduler: str | None = None,
    workers: int | None = None,
    chunk_size: int | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> EnvelopeRun:
    """Run ``samples`` variations of ``scene``; on ``scheduler`` or a new LocalCluster."""
    from distributed import Client, LocalCluster

    if samples < 1:
        raise ValueError("the number of samples must be at least 1")
    started = time.perf_counter()
    trajectory, _ = nominal_bake(scene, scene_dir)
    nominal = trajectory.metadata.get("cue_outcomes", [])
    package = ScenePackage.of(scene, scene_dir, aimed_directions(scene, nominal))
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers or local_workers(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: never collide with another cluster
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        done, cancelled, count, cpu = _collect(
            client, package, samples, seed, chunk_size, progress, should_cancel, started
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    done.sort(key=lambda sample: sample["index"])
    return EnvelopeRun(
        scene=scene,
        seed=seed,
        requested=samples,
        samples=done,
        summary=summarize(scene, done),
        nominal=nominal,
        workers=count,
        cancelled=cancelled,
        seconds=time.perf_counter() - started,
        cpu_seconds=cpu,
    )


def _collect(client, package, samples, seed, chunk_size, progress, should_cancel, started):
    from distributed import as_completed

    count = max(1, len(client.scheduler_info().get("workers", {})))
    shared = client.scatter(package, broadcast=True, hash=True)
    futures = [
        client.submit(
            run_chunk,
            shared,
            seed,
            indices,
            key=f"envelope-{package.digest[:16]}-{seed}-{indices[0]}-{len(indices)}",
            pure=True,
        )
        for indices in chunks(samples, count, chunk_size)
    ]
    done: list[dict] = []
    cpu = 0.0
    cancelled = False
    first = time.perf_counter()
    for future in as_completed(futures):
        if should_cancel is not None and should_cancel():
            cancelled = True
            break
        chunk = future.result()
        done.extend(chunk["samples"])
        cpu += chunk["cpu_seconds"]
        if progress is not None:
            elapsed = time.perf_counter() - started
            rate = len(done) / max(1e-9, time.perf_counter() - first)
            remaining = (samples - len(done)) / rate if rate > 0 else None
            progress(Progress(len(done), samples, elapsed, remaining))
    if cancelled:
        client.cancel(futures)
    return done, cancelled, count, cpu


def _duration(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60):02d} s"
