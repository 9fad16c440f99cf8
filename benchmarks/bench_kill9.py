"""kill -9 at random moments, many times: scene saves, staged exports and the real CLI export.

For each kind, prints the kills, how many left the complete old version, the complete new
one, a folder put back complete by the next run (an export killed between the two renames of
the fallback swap), and how many left something partial or mixed (must be 0); then the
temporary files or folders the kills left, and how many were still there after the next save
or export (must be 0). The children and the judge are the test suite's
(``tests/crash/kill9.py``). POSIX only.

Run from the repository root: ``python benchmarks/bench_kill9.py [--saves 100] [--exports 40]
[--cli 8] [--seed 1]``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--exports", type=int, default=40)
    parser.add_argument("--cli", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))  # the harness lives with the tests
    os.environ.setdefault("SEE1_CACHE_DIR", tempfile.mkdtemp(prefix="see1-bench-cache-"))
    from tests.crash import kill9

    rng = random.Random(args.seed)
    runs = [
        ("scene save", kill9.kill_saves, args.saves),
        ("staged export", kill9.kill_exports, args.exports),
        ("see1-previs export", kill9.kill_cli_exports, args.cli),
    ]
    failed = False
    for name, run, kills in runs:
        if kills <= 0:
            continue
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="see1-kill9-") as folder:
            tally = run(Path(folder), kills, rng)
        print(f"{name}: {tally.summary} ({time.perf_counter() - started:.0f} s)")
        for example in tally.examples[:5]:
            print(f"  {example}")
        failed |= bool(tally.broken or tally.untidy_runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
