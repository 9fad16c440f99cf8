"""Re-bake after a cue edit in the breakfast demo: how long the director waits.

For each edit (a late cue, a middle cue, an early cue of the 8 s breakfast demo) this prints
the time from the edit to the first new frame and to the complete bake, re-baking from the
previous bake's checkpoints the way the desktop app does (``simulate(previous=...)``), next to
a full bake of the same edited scene. The bake is not streamed yet: the first new frame
arrives with the complete bake, so both figures are the same (goal: first frame ≤ 0.3 s,
complete ≤ 2 s). Every re-bake is checked bit-identical to the full bake.

Run: ``python benchmarks/bench_rebake.py``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from see1previs.core.scenefile import parse_scene
from see1previs.physics.simulation import simulate

DEMO = Path(__file__).resolve().parent.parent / "scenes" / "zero-g-breakfast.see1.json"
EDITS = [  # (cue id, field, new value, what a director did)
    ("mika-arms", "time", 5.8, "moves the last pose cue 0.3 s later"),
    ("mika-throw", "speed", None, "throws 5 % harder"),
    ("ren-push", "speed", None, "pushes off 5 % harder"),
]


def edited(data: dict, cue_id: str, field: str, value) -> dict:
    out = json.loads(json.dumps(data))
    cue = next(c for c in out["cues"] if c["id"] == cue_id)
    cue[field] = value if value is not None else round(cue[field] * 1.05, 6)
    return out


def main() -> None:
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    scene = parse_scene(json.dumps(data))
    started = time.perf_counter()
    first = simulate(scene, DEMO.parent)
    full_time = time.perf_counter() - started
    print(f"breakfast demo, {scene.duration:g} s: full bake {full_time:.2f} s")
    header = (
        f"{'edit':<38} {'cue at':>7} {'resumed':>8} {'first frame':>12} {'complete':>9} {'full':>6}"
    )
    print(header)
    print("-" * len(header))
    for cue_id, field, value, words in EDITS:
        after = parse_scene(json.dumps(edited(data, cue_id, field, value)))
        cue_time = next(c.time for c in scene.cues if c.id == cue_id)
        started = time.perf_counter()
        resumed = simulate(after, DEMO.parent, previous=first)
        rebake = time.perf_counter() - started
        started = time.perf_counter()
        full = simulate(after, DEMO.parent)
        full_bake = time.perf_counter() - started
        same = resumed.trajectory.content_hash() == full.trajectory.content_hash()
        since = resumed.resumed_from if resumed.resumed_from is not None else 0.0
        print(
            f"{words:<38} {cue_time:6.2f}s {since:7.2f}s {rebake:11.2f}s {rebake:8.2f}s "
            f"{full_bake:5.2f}s" + ("" if same else "  NOT bit-identical")
        )


if __name__ == "__main__":
    main()
