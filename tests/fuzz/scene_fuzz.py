"""Malformed scene files, and what ``see1-previs validate`` makes of each, for the fuzz tests
and ``benchmarks/bench_fuzz_loader.py``.

:func:`mutate` turns a real scene into a broken one: cut short, spliced, bytes that are not
UTF-8, numbers far beyond any float, a frame rate of ``"1e99999999"``, 16,000 copies of a
cue, props weighing 1e-320 kg or 1e300 m long, a flat mesh, quaternions of 1e200, nesting
2,000 levels deep, and more, one to three at a time. :func:`check_document` runs on one
document exactly what ``validate`` runs (load the file, build the world, check the cameras)
and sorts the result: accepted, rejected with problems (each must name a JSON path or a line
and column), or a crash (any other exception).

:class:`GuardedChecker` does the checking in a child process and gives each document a hard
time limit, so a document that hangs is reported as one instead of stalling the caller.
"""

from __future__ import annotations

import contextlib
import json
import math
import multiprocessing
import os
import random
import re
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SCENES = REPO / "scenes"
FUZZ_DATA = REPO / "tests" / "data" / "fuzz"
CORPUS = FUZZ_DATA / "corpus"
SEEDS = [
    *sorted(SCENES.glob("*.see1.json")),
    *sorted((REPO / "tests" / "data").glob("scene-format-*/*.see1.json")),
]
"""Real scenes the mutations start from; documents are validated against scenes/ (assets)."""

SLOW_S = 2.0
"""A document taking longer than this is a hang."""
KILL_S = 30.0
"""A document still running after this is stopped (and counted as a hang)."""

_LINE_COLUMN = re.compile(r"\bline \d+, column \d+\b")
_WHOLE_FILE = (
    "the file is empty",
    "a scene file must hold one JSON object",
    "the file is larger than",
    "cannot read the file",
)
"""Problems of the file as a whole: their place is the whole document."""


# -- outcomes --------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What validating one document gave."""

    verdict: str
    """"accepted", "rejected", "crash" or "hang"."""
    seconds: float
    detail: str = ""
    """For a crash, the exception class and where it was raised."""
    problems: list[tuple[str, str]] = field(default_factory=list)
    """For a rejection, every (JSON path, message)."""

    @property
    def unplaced(self) -> list[str]:
        """Rejection messages that name neither a JSON path nor a line and column."""
        return [
            message
            for path, message in self.problems
            if not path and not _LINE_COLUMN.search(message) and not message.startswith(_WHOLE_FILE)
        ]


def check_document(
    raw: bytes, scratch: Path, folder: Path = SCENES, *, load_only: bool = False
) -> Outcome:
    """Validate ``raw`` as ``see1-previs validate`` would, with its assets in ``folder``.

    ``load_only`` stops after loading the file (the scene-file checks, without the physics).
    """
    from see1previs.cinema.tracks import CameraSetupError, camera_setup_problems
    from see1previs.core.scenefile import SceneFileError, load_scene
    from see1previs.physics.simulation import SceneSetupError, prepare_world

    file = scratch / "fuzzed.see1.json"
    file.write_bytes(raw)
    started = time.perf_counter()
    try:
        scene = load_scene(file)
        if load_only:
            return Outcome("accepted", time.perf_counter() - started)
        world = prepare_world(scene, folder)
        problems = camera_setup_problems(scene, world.station)
        if problems:
            raise CameraSetupError(problems)
    except SceneFileError as exc:
        found = [(issue.path, issue.message) for issue in exc.issues]
        return Outcome("rejected", time.perf_counter() - started, problems=found)
    except (SceneSetupError, CameraSetupError) as exc:
        return Outcome("rejected", time.perf_counter() - started, problems=list(exc.problems))
    except Exception as exc:
        return Outcome("crash", time.perf_counter() - started, detail=crash_name(exc))
    return Outcome("accepted", time.perf_counter() - started)


def crash_name(exc: BaseException) -> str:
    """``OverflowError at timebase.py:58``: the class and the innermost line of the app."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "see1previs" in f.filename] or frames
    where = f" at {Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else ""
    return f"{type(exc).__name__}{where}"


# -- a checker in a child process, with a hard time limit ------------------------------------


def _serve(connection: Connection, folder: str) -> None:
    """The child: warm up, then check documents until told to stop."""
    with tempfile.TemporaryDirectory(prefix="see1-fuzz-") as scratch:
        # The first world builds the interior's collision pieces; first-light also has the
        # mesh prop whose convex pieces every later copy reuses.
        check_document((SCENES / "first-light.see1.json").read_bytes(), Path(scratch))
        connection.send("ready")
        while True:
            request = connection.recv()
            if request is None:
                return
            raw, load_only = request
            outcome = check_document(raw, Path(scratch), Path(folder), load_only=load_only)
            connection.send((outcome.verdict, outcome.seconds, outcome.detail, outcome.problems))


class GuardedChecker:
    """Checks documents in a child process; one running past ``kill_s`` is a hang.

    The child is started (and warmed up) on first use, and restarted after a hang.
    """

    def __init__(self, folder: Path = SCENES, kill_s: float = KILL_S) -> None:
        self.folder = folder
        self.kill_s = kill_s
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None

    def _start(self) -> Connection:
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, str(self.folder)))
        self._process.start()
        theirs.close()
        if not ours.poll(300):
            self.close()
            raise RuntimeError("the fuzz checker did not start")
        ours.recv()
        self._connection = ours
        return ours

    def check(self, raw: bytes, *, load_only: bool = False) -> Outcome:
        connection = self._connection or self._start()
        connection.send((raw, load_only))
        if connection.poll(self.kill_s):
            verdict, seconds, detail, problems = connection.recv()
            return Outcome(verdict, seconds, detail, [tuple(p) for p in problems])
        self.close(kill=True)
        return Outcome("hang", self.kill_s, detail=f"still running after {self.kill_s:g} s")

    def close(self, kill: bool = False) -> None:
        if self._connection is not None and not kill:
            with contextlib.suppress(OSError):
                self._connection.send(None)
        if self._process is not None:
            if kill:
                self._process.kill()
            self._process.join(10)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
        self._process = self._connection = None

    def __enter__(self) -> GuardedChecker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- mutations -------------------------------------------------------------------------------

HUGE_NUMBERS = [
    "1e999999",
    "-1e999999",
    "1" + "0" * 400,
    "9" * 5000,
    "-" + "9" * 1000,
    "1e308",
    "1.7976931348623157e308",
    "1e-320",
    "5e-324",
    "-0",
    "0",
    "-1",
    "1e-12",
    "NaN",
    "Infinity",
    "-Infinity",
    "0.1e1000000",
    "123456789012345678901234567890",
]
ODD_TEXT = [
    "",
    "1e99999999",
    "1e999999",
    "24000/0",
    "0/1001",
    "-24",
    "nan",
    "x" * 5000,
    "\u2028\x0c\x00",
    "\ud800",
    "see1",
    "../" * 40 + "etc/passwd",
    "C:\\\\props\\\\mug.obj",
    "cube",
    "<script>",
    "{}",
]
MESH_FILES = [
    "../tests/data/fuzz/one-triangle.obj",
    "../tests/data/fuzz/flat-sheet.obj",
    "../tests/data/fuzz/needle.obj",
    "../assets/props/t-handle.obj",
    "../README.md",
    "missing.obj",
    "../assets/props",
]
"""Mesh files named relative to scenes/: flat, tiny, real, not a mesh, missing, a folder."""
JUNK = ["{", "}", "[", "]", ",", ":", '"', "\\", "null", "-", "0", "//", "'", "\ufeff", "\x00"]


def _walk(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


def _set(root: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    node = root
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return root


def _extreme_value(rng: random.Random) -> Any:
    choice = rng.randrange(9)
    if choice == 0:
        return rng.choice([1e308, -1e308, 5e-324, 1e-320, 1e-12, 0.0, -0.0, -1.0, 1e300])
    if choice == 1:
        return rng.choice([10**400, -(10**400), 2**64, -(2**63), 0, 1, True, False, None])
    if choice == 2:
        return rng.choice(ODD_TEXT)
    if choice == 3:
        return [rng.choice([0, 1e200, -1e308, "x", None])] * rng.choice([0, 1, 2, 3, 4, 5, 50])
    if choice == 4:
        return {rng.choice(["id", "type", "x", "", "format"]): rng.choice([None, 1, "mug", []])}
    if choice == 5:
        depth = rng.choice([20, 33, 40, 200, 2000])
        return _nested(depth)
    if choice == 6:
        return [1e200, 0, 0, 0] if rng.random() < 0.5 else [1e-200, 0, 0, 0]
    if choice == 7:
        return math.nan if rng.random() < 0.5 else math.inf
    return rng.choice(["x" * 100_000, list(range(10_000))])


def _nested(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


def _tree_mutation(data: Any, rng: random.Random) -> Any:
    """One structural change to decoded scene data."""
    nodes = list(_walk(data))
    path, node = rng.choice(nodes)
    operator = rng.randrange(10)
    if operator == 0:  # replace any value by an extreme one
        return _set(data, path, _extreme_value(rng))
    if operator == 1 and isinstance(node, dict) and node:  # lose a field
        del node[rng.choice(list(node))]
        return data
    if operator == 2 and isinstance(node, dict) and node:  # misspell a field
        key = rng.choice(list(node))
        node[key[:-1] + key[-1:].upper() + "s"] = node.pop(key)
        return data
    if operator == 3:  # many copies of a list entry, sometimes with fresh ids
        lists = [(p, n) for p, n in nodes if isinstance(n, list) and n]
        if lists:
            where, entries = rng.choice(lists)
            count = rng.choice([2, 60, 600, 16_000])
            fresh = rng.random() < 0.5
            copies = []
            for index in range(count):
                item = json.loads(json.dumps(rng.choice(entries)))
                if fresh and isinstance(item, dict) and "id" in item:
                    item["id"] = f"{item['id']}-{index}"
                copies.append(item)
            return _set(data, where, copies)
    if operator == 4:  # physical extremes on a prop
        props = [p for p in data.get("props", [])] if isinstance(data, dict) else []
        props = [p for p in props if isinstance(p, dict)]
        if props:
            prop = rng.choice(props)
            key = rng.choice(["mass", "shape", "inertia", "scale"])
            if key == "mass":
                prop["mass"] = rng.choice([1e-12, 1e-320, 0.001, 1000, 1e300, 5e-324])
            elif key == "inertia":
                prop["inertia"] = rng.choice([[1e-30] * 3, [1e6] * 3, [1, 1, 3], [1e-10] * 3])
            elif key == "shape":
                prop["shape"] = rng.choice(
                    [
                        {"type": "box", "size": [1e300, 1, 1]},
                        {"type": "box", "size": [1e-5, 0.1, 0.1]},
                        {"type": "sphere", "radius": 1e-320},
                        {"type": "capsule", "radius": 0.001, "length": 6},
                        {"type": "mesh", "file": rng.choice(MESH_FILES)},
                    ]
                )
            else:
                prop["shape"] = {
                    "type": "mesh",
                    "file": rng.choice(MESH_FILES),
                    "scale": rng.choice([1e300, 1e-300, 1e-6, 100.0, 0.5]),
                }
            return data
    if operator == 5:  # orientations of 1e200 or nearly nothing
        holders = [n for _, n in nodes if isinstance(n, dict) and "orientation" in n]
        if holders:
            rng.choice(holders)["orientation"] = rng.choice(
                [[1e200, 0, 0, 0], [0, 1e308, 1e308, 0], [1e-200, 0, 0, 0], [0, 0, 0, 0]]
            )
            return data
    if operator == 6 and isinstance(data, dict):  # length and rate
        data["frame_rate"] = rng.choice(
            [1000, "1e99999999", "1e999999", 1e999, "24000/1001", 0.5, "1000/1", 10**400]
        )
        data["duration"] = rng.choice([3600, 1e-300, 3600.0000001, 10**400, 600])
        return data
    if operator == 7:  # a tagged union's tag
        holders = [n for _, n in nodes if isinstance(n, dict) and "type" in n]
        if holders:
            rng.choice(holders)["type"] = rng.choice(
                ["cube", "push", "fixed", "mesh", "impulse", "", None, 1, "pose"]
            )
            return data
    if operator == 8:  # ids gone or shared
        holders = [n for _, n in nodes if isinstance(n, dict) and "id" in n]
        if holders:
            target = rng.choice(holders)
            if rng.random() < 0.5:
                del target["id"]
            else:
                target["id"] = rng.choice(holders)["id"]
            return data
    # cue times and other times beyond any float
    holders = [n for _, n in nodes if isinstance(n, dict) and "time" in n]
    if holders:
        rng.choice(holders)["time"] = rng.choice([10**400, 1e308, -1, 1e-320, 3600])
    return data


def _text_mutation(text: str, rng: random.Random) -> str:
    """One change to the file's text, JSON syntax or not."""
    if not text:
        return rng.choice(JUNK)
    operator = rng.randrange(7)
    at = rng.randrange(len(text))
    if operator == 0:  # cut short
        return text[:at]
    if operator == 1:  # a span gone
        return text[:at] + text[at + rng.randint(1, 60) :]
    if operator == 2:  # a span twice
        return text[:at] + text[at : at + rng.randint(1, 200)] + text[at:]
    if operator == 3:
        return text[:at] + rng.choice(JUNK) + text[at:]
    if operator == 4:  # a number replaced by a huge one
        numbers = list(re.finditer(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text))
        if numbers:
            found = rng.choice(numbers)
            return text[: found.start()] + rng.choice(HUGE_NUMBERS) + text[found.end() :]
    if operator == 5:  # a text replaced by an odd one
        strings = list(re.finditer(r'"(?:[^"\\]|\\.)*"', text))
        if strings:
            found = rng.choice(strings)
            return text[: found.start()] + json.dumps(rng.choice(ODD_TEXT)) + text[found.end() :]
    lines = text.split("\n")
    first, second = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[first], lines[second] = lines[second], lines[first]
    return "\n".join(lines)


def mutate(seed: bytes, rng: random.Random) -> bytes:
    """A broken version of the scene file ``seed``: one to three mutations."""
    text = seed.decode("utf-8")
    for _ in range(rng.choice([1, 1, 2, 3])):
        kind = rng.random()
        if kind < 0.5:
            try:
                data = json.loads(text)
            except (ValueError, RecursionError):
                data = None
            if data is not None:
                data = _tree_mutation(data, rng)
                try:
                    text = json.dumps(data, indent=rng.choice([None, 2]), ensure_ascii=False)
                    continue
                except (ValueError, RecursionError):
                    pass
        text = _text_mutation(text, rng)
    raw = text.encode("utf-8", errors="surrogatepass")
    if rng.random() < 0.04 and raw:  # bytes that are not UTF-8
        at = rng.randrange(len(raw))
        raw = raw[:at] + bytes([rng.choice([0xFF, 0xC3, 0x80, 0xED])]) + raw[at:]
    return raw


def documents(count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """``count`` (name, mutated document) pairs, the same for the same ``seed``."""
    rng = random.Random(seed)
    originals = [(path.name, path.read_bytes()) for path in SEEDS]
    for number in range(count):
        name, original = originals[rng.randrange(len(originals))]
        yield f"{number:05d}-{name}", mutate(original, rng)


def corpus() -> list[tuple[str, bytes]]:
    """The committed documents (regressions and a sample of mutations), by file name."""
    return [(path.name, path.read_bytes()) for path in sorted(CORPUS.glob("*.see1.json"))]


# -- figures ---------------------------------------------------------------------------------


def summarise(outcomes: Iterable[Outcome]) -> dict[str, Any]:
    """Counts and times of ``outcomes``, for tests and the benchmark."""
    items = list(outcomes)
    times = sorted(o.seconds for o in items)
    crashes: dict[str, int] = {}
    for outcome in items:
        if outcome.verdict == "crash":
            crashes[outcome.detail] = crashes.get(outcome.detail, 0) + 1
    return {
        "documents": len(items),
        "accepted": sum(o.verdict == "accepted" for o in items),
        "rejected": sum(o.verdict == "rejected" for o in items),
        "crashes": crashes,
        "hangs": sum(o.verdict == "hang" or o.seconds > SLOW_S for o in items),
        "unplaced": sum(bool(o.unplaced) for o in items),
        "max_s": times[-1] if times else 0.0,
        "p99_s": times[min(len(times) - 1, math.ceil(0.99 * len(times)) - 1)] if times else 0.0,
    }


def check_all(
    named: Iterable[tuple[str, bytes]],
    checker: GuardedChecker,
    each: Callable[[str, Outcome], None] | None = None,
    *,
    load_only: bool = False,
) -> list[Outcome]:
    """Check every document with ``checker``; ``each`` sees every (name, outcome)."""
    outcomes = []
    for name, raw in named:
        outcome = checker.check(raw, load_only=load_only)
        outcomes.append(outcome)
        if each is not None:
            each(name, outcome)
    return outcomes


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
