"""Mesh queries from several threads at once: bakes, blocking checks and the viewport share
one station mesh, and trimesh's lazily built R-tree crashed the process when two threads used
it together (a segfault in the suite, from two overlapping blocking checks)."""

from __future__ import annotations

import threading

import numpy as np
import trimesh

from see1previs.station import queries


def test_clearance_from_many_threads_at_once_matches_one_thread():
    sphere = trimesh.creation.icosphere(subdivisions=4, radius=3.0)
    sphere.invert()  # faces into the cabin, like a station boundary
    points = np.random.default_rng(3).uniform(-2.5, 2.5, size=(400, 3))
    expected = 3.0 - np.linalg.norm(points, axis=1)
    fresh = sphere.copy()  # its R-tree is built by whichever thread asks first
    results: dict[int, np.ndarray] = {}
    start = threading.Barrier(6)

    def query(index: int) -> None:
        start.wait()
        for _ in range(5):
            results[index] = queries.signed_clearance(fresh, points)

    threads = [threading.Thread(target=query, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 6
    for result in results.values():
        # The facets lie inside the true sphere by at most the chord sag (about 2 cm here).
        assert np.all(np.abs(result - expected) < 0.03)
        assert np.array_equal(result, results[0])
