"""Per-sample random streams: sample ``i`` of seed ``S`` always draws the same numbers.

Each sample's generator comes from ``SeedSequence(S, spawn_key=(i,))``, which is exactly the
``i``-th child of ``SeedSequence(S).spawn(...)``; so a sample's variation depends on the seed
and its index only, never on which worker ran it or what ran before.
"""

from __future__ import annotations

import numpy as np


def sample_generator(seed: int, index: int) -> np.random.Generator:
    """The random generator of sample ``index`` of a run seeded with ``seed``."""
    if seed < 0 or index < 0:
        raise ValueError("the seed and the sample index must not be negative")
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(index,))))
