"""Envelope runs on real Dask clusters: the same seed gives the same bytes on 1 or 2 workers,
after a worker is killed mid-run, and a cancelled run keeps exactly the samples it finished.

The scene is short (2 s, one push-off) with every spread of the default envelope on,
including the cast's height and mass (a new compiled world per sample) and the ventilation.
"""

from __future__ import annotations

import json
import threading

import pytest

from see1previs.envelope.cluster import run_envelope
from see1previs.envelope.result import result_text, write_result
from tests.envelope.conftest import start_cluster
from tests.envelope.scenes import push_across

SAMPLES, SEED = 8, 2026


def _scene():
    return push_across(duration=2.0, envelope={}, air=True)


@pytest.fixture(scope="module")
def reference() -> str:
    """The run on a fresh LocalCluster with one worker process (the laptop default path)."""
    run = run_envelope(_scene(), None, SAMPLES, seed=SEED, workers=1)
    assert run.complete and run.workers == 1
    return result_text(run)


def test_two_workers_give_the_bytes_of_one(reference: str, two_workers) -> None:
    seen = []
    run = run_envelope(
        _scene(),
        None,
        SAMPLES,
        seed=SEED,
        scheduler=two_workers.address,
        chunk_size=1,
        progress=seen.append,
    )
    assert run.workers == 2
    assert result_text(run) == reference
    assert [p.done for p in seen] == list(range(1, SAMPLES + 1))
    assert seen[-1].remaining == pytest.approx(0.0)
    document = json.loads(reference)
    assert [s["index"] for s in document["samples"]] == list(range(SAMPLES))
    # Every perturbation the default envelope has for this scene was drawn.
    names = set(document["samples"][0]["parameters"])
    assert {"push.time_offset", "push.speed_factor", "push.aim_error_deg", "hold.time_offset",
            "reach", "ren.height", "ren.mass", "ventilation.on"} <= names  # fmt: skip


def test_a_killed_worker_loses_no_sample(reference: str, tmp_path) -> None:
    cluster = start_cluster(2, tmp_path)
    try:
        killed = threading.Event()

        def kill_once(progress) -> None:
            if not killed.is_set():
                cluster.kill_worker(1)
                killed.set()

        run = run_envelope(
            _scene(),
            None,
            SAMPLES,
            seed=SEED,
            scheduler=cluster.address,
            chunk_size=1,
            progress=kill_once,
        )
        assert killed.is_set()
        assert cluster.workers[1].returncode is not None  # really gone
    finally:
        cluster.stop()
    assert result_text(run) == reference


def test_a_cancelled_run_keeps_the_samples_done(reference: str, two_workers, tmp_path) -> None:
    finished = []
    run = run_envelope(
        _scene(),
        None,
        SAMPLES,
        seed=SEED,
        scheduler=two_workers.address,
        chunk_size=1,
        progress=finished.append,
        should_cancel=lambda: len(finished) >= 3,
    )
    assert run.cancelled and not run.complete
    assert len(run.samples) == 3
    path = write_result(run, tmp_path / "partial.envelope.json")
    partial = json.loads(path.read_text(encoding="utf-8"))
    assert partial["complete"] is False and partial["samples_done"] == 3
    full = {s["index"]: s for s in json.loads(reference)["samples"]}
    for sample in partial["samples"]:
        assert sample == full[sample["index"]]
