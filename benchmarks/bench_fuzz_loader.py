"""Fuzzing ``see1-previs validate`` at scale: 10,000 malformed scenes and what became of them.

Each document is a mutation of a demo or format-sample scene (``tests/fuzz/scene_fuzz.py``:
files cut short, huge numbers, 16,000 copies of a cue, props of 1e-320 kg, flat meshes, ...)
run through exactly what ``validate`` runs, in worker processes that stop any document still
running after 30 s. Prints the documents, how many were accepted and rejected, crashes by
exception class and place, hangs (over 2 s), rejections that name no JSON path or line and
column, and the maximum and 99th-percentile time per document. The suite runs a smaller,
fixed set of the same documents (``tests/fuzz``).

Run: ``python benchmarks/bench_fuzz_loader.py [--documents 10000] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import queue
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the fuzzer lives in tests/

from tests.fuzz.scene_fuzz import (
    SLOW_S,
    GuardedChecker,
    Outcome,
    cpu_count,
    documents,
    summarise,
)

_DONE = None


def _work(todo: queue.Queue, checker: GuardedChecker, results: list, load_only: bool, lock) -> None:
    with checker:
        while True:
            item = todo.get()
            if item is _DONE:
                return
            name, raw = item
            outcome = checker.check(raw, load_only=load_only)
            with lock:
                results.append((name, raw, outcome))


def run(count: int, seed: int, workers: int, load_only: bool, keep: Path | None) -> int:
    todo: queue.Queue = queue.Queue(maxsize=4 * workers)
    results: list[tuple[str, bytes, Outcome]] = []
    lock = threading.Lock()
    threads = [
        threading.Thread(target=_work, args=(todo, GuardedChecker(), results, load_only, lock))
        for _ in range(workers)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for number, item in enumerate(documents(count, seed), start=1):
        todo.put(item)
        if number % 1000 == 0:
            print(f"  {number:,} documents sent ({time.perf_counter() - started:.0f} s)")
    for _ in threads:
        todo.put(_DONE)
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    figures = summarise(outcome for _, _, outcome in results)
    bad = [
        (name, raw, outcome)
        for name, raw, outcome in results
        if outcome.verdict in ("crash", "hang") or outcome.seconds > SLOW_S or outcome.unplaced
    ]
    what = "load only" if load_only else "load, build the world, check cameras (validate)"
    print(f"fuzzing see1-previs validate: {what}; seed {seed}, {workers} worker(s)")
    print(f"  documents            {figures['documents']:>8,}")
    print(f"  accepted             {figures['accepted']:>8,}")
    print(f"  rejected             {figures['rejected']:>8,}")
    crashes = figures["crashes"]
    print(f"  crashes              {sum(crashes.values()):>8,}")
    for name, number in sorted(crashes.items(), key=lambda item: -item[1]):
        print(f"    {number:>6,}  {name}")
    print(f"  hangs (> {SLOW_S:g} s)       {figures['hangs']:>8,}")
    print(f"  rejections unplaced  {figures['unplaced']:>8,}  (no JSON path, line or column)")
    print(f"  max per document     {figures['max_s']:>8.3f} s")
    print(f"  p99 per document     {figures['p99_s']:>8.3f} s")
    print(f"  wall time            {elapsed:>8.0f} s ({figures['documents'] / elapsed:.0f}/s)")
    for name, raw, outcome in bad[:20]:
        print(f"  ! {name}: {outcome.verdict} {outcome.seconds:.2f} s {outcome.detail}")
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / name).write_bytes(raw)
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=min(2, cpu_count()))
    parser.add_argument("--load-only", action="store_true", help="stop after loading the file")
    parser.add_argument("--keep", type=Path, help="write documents that failed into this folder")
    args = parser.parse_args()
    return run(args.documents, args.seed, max(1, args.workers), args.load_only, args.keep)


if __name__ == "__main__":
    sys.exit(main())
