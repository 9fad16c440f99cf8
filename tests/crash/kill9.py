"""kill -9 at random moments: writers that loop, the killing, and a judge of what is left.

A child process saves a scene, or exports a folder, over and over, printing ``done <k>`` after
each finished version ``k``; the parent kills it with SIGKILL at a random moment (or just
after a chosen rename, to land inside the final step) and then judges what is on the disk:
the complete old version (the last one it printed), the complete new one (finished, not yet
printed), or something partial or mixed. Then the next save or export runs, unkilled, and
whatever temporary files or folders are still left over are counted.

Children (run from the repository root)::

    python -m tests.crash.kill9 save FILE FIRST_VERSION
    python -m tests.crash.kill9 export FOLDER FIRST_VERSION [--slow] [--two-renames]
    python -m tests.crash.kill9 cli SCENE FOLDER [--two-renames]

``save`` and ``export`` loop over small versions through the product's own save and staged
export; ``cli`` runs ``see1-previs export`` once, for real. ``--slow`` (always on for ``cli``)
sleeps up to 2 ms before every rename, first printing ``op <kind>`` (``replace``, ``rename``
or ``exchange``), so that kills timed from those lines land between the steps of the swap;
``--two-renames`` makes the export use the two-rename way it takes where folders cannot trade
places in one step. Both only patch the child itself; the product has no test hooks.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
EXPORT_FILES = ["shot_list.csv", *(f"tracks/{n:02d}.csv" for n in range(12))]
EXPORT_NAMES = ("shot_list.csv", "tracks")
CLI_FORMATS = "csv,json,shotlist,otio,usd"  # storyboards and PDF only add rendering time
PROPS = 300  # a scene file of about 70 kB


# -- the children ----------------------------------------------------------------------------


def scene_version(k: int):
    from see1previs.core.scene import Prop, Scene, SphereShape

    props = [
        Prop(id=f"p{i}", shape=SphereShape(type="sphere", radius=0.1), mass=1.0 + k % 7)
        for i in range(PROPS)
    ]
    return Scene(title=f"version {k}", props=props)


def export_version(staging: Path, k: int) -> None:
    """The files of export ``k``; each says which export it belongs to."""
    for number, name in enumerate(EXPORT_FILES):
        path = staging / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"export {k}\n" + f"{number:04d} row of export {k}\n" * 400)


def _child_save(file: Path, first: int) -> None:
    from see1previs.core.scenefile import save_scene

    scenes = [scene_version(first + n) for n in range(2)]  # built before the kills begin
    print("ready", flush=True)
    k = first
    while True:
        save_scene(scenes[(k - first) % 2].model_copy(update={"title": f"version {k}"}), file)
        print(f"done {k}", flush=True)
        k += 1


def _child_export(folder: Path, first: int, slow: bool, two_renames: bool) -> None:
    from see1previs.export.files import staged_output

    if slow:
        _slow_down_renames()
    if two_renames:
        from see1previs.export import folder_swap

        folder_swap.exchange = lambda first, second: False
    print("ready", flush=True)
    k = first
    while True:
        with staged_output(folder, export_names=EXPORT_NAMES) as staging:
            export_version(staging, k)
        print(f"done {k}", flush=True)
        k += 1


def _child_cli(scene: Path, folder: Path, two_renames: bool) -> None:
    from see1previs.cli import main as cli

    _slow_down_renames()
    if two_renames:
        from see1previs.export import folder_swap

        folder_swap.exchange = lambda first, second: False
    print("ready", flush=True)
    code = cli(["export", str(scene), "--out", str(folder), "--formats", CLI_FORMATS])
    print(f"exit {code}", flush=True)


def _slow_down_renames() -> None:
    """Print ``op <kind>``, sleep a little before every rename: kills can aim between them."""

    def slowed(call, kind):
        def wrapper(*args, **kwargs):
            print(f"op {kind}", flush=True)
            time.sleep(random.uniform(0, 0.002))
            return call(*args, **kwargs)

        return wrapper

    os.rename = slowed(os.rename, "rename")
    os.replace = slowed(os.replace, "replace")
    try:
        from see1previs.export import folder_swap
    except ImportError:  # a version without it
        return
    folder_swap.exchange = slowed(folder_swap.exchange, "exchange")


# -- the parent --------------------------------------------------------------------------------


def run_and_kill(
    args: list[str], *, after: tuple[str, int] | None, delay: float, timeout: float = 10
) -> int:
    """Start a child, kill it with SIGKILL, return the last version it finished.

    ``after``: (line, n): kill ``delay`` seconds after the child's n-th ``line`` (a whole line
    or its first word), waiting at most ``timeout``; None: ``delay`` seconds after it is ready.
    """
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.crash.kill9", *args],
        stdout=subprocess.PIPE,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path])},
    )
    lines = _Lines(child)
    try:
        lines.wait_for("ready", count=1, timeout=60)
        if after is not None:
            lines.wait_for(after[0], count=after[1], timeout=timeout)
        time.sleep(delay)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    lines.read_to_end()
    return lines.last_done


class _Lines:
    """The child's output lines as they come, without blocking past a timeout."""

    def __init__(self, child: subprocess.Popen) -> None:
        self.fd = child.stdout.fileno()
        self.buffer = b""
        self.counts: dict[str, int] = {}
        self.last_done = 0

    def wait_for(self, word: str, *, count: int, timeout: float) -> None:
        ends = time.monotonic() + timeout
        while self.counts.get(word, 0) < count:
            left = ends - time.monotonic()
            if left <= 0 or not self._read(left):
                return  # the child ended or is too slow: kill it anyway

    def read_to_end(self) -> None:
        while self._read(5.0):
            pass

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        data = os.read(self.fd, 65536)
        if not data:
            return False
        self.buffer += data
        *complete, self.buffer = self.buffer.split(b"\n")
        for line in complete:
            text = line.decode()
            word, _, value = text.partition(" ")
            for key in {word, text}:
                self.counts[key] = self.counts.get(key, 0) + 1
            if word == "done":
                self.last_done = int(value)
        return True


# -- the judge ---------------------------------------------------------------------------------


@dataclasses.dataclass
class Tally:
    kills: int = 0
    complete_old: int = 0
    complete_new: int = 0
    recovered: int = 0  # missing after the kill, put back complete by the next run's recovery
    broken: int = 0  # partial, mixed or another version: what must never happen
    left_by_kills: int = 0  # temporary files or folders the kills added
    leftovers: int = 0  # temporary files or folders there after the last next run
    untidy_runs: int = 0  # next runs after which some were still there (must be 0)
    examples: list[str] = dataclasses.field(default_factory=list)

    def count(self, verdict: str, old: int, new: int | None = None) -> None:
        """Count one kill's verdict; ``new`` is the version it was writing (``old`` + 1)."""
        self.kills += 1
        if verdict == f"complete {old}":
            self.complete_old += 1
        elif verdict == f"complete {new or old + 1}":
            self.complete_new += 1
        elif verdict.startswith("recovered "):
            self.recovered += 1
        else:
            self.broken += 1
            self.examples.append(verdict)

    @property
    def summary(self) -> str:
        return (
            f"{self.kills} kills: {self.complete_old} complete old, {self.complete_new} complete"
            f" new, {self.recovered} recovered by the next run, {self.broken} partial or mixed;"
            f" {self.left_by_kills} temporary files or folders left by the kills,"
            f" {self.leftovers} still there after the last next run"
            f" ({self.untidy_runs} next runs left some)"
        )


def judge_scene(file: Path) -> str:
    from see1previs.core.scenefile import SceneFileError, load_scene

    try:
        title = load_scene(file).title
    except SceneFileError as exc:
        return f"partial: {str(exc).splitlines()[0]}"
    return f"complete {int(title.removeprefix('version '))}"


def judge_export(folder: Path) -> str:
    """'complete <k>', or what is wrong: missing, partial (files missing), mixed (exports)."""
    from see1previs.export.manifest import check_export

    if not folder.is_dir():
        return "missing"
    versions = set()
    missing = []
    for name in EXPORT_FILES:
        try:
            versions.add((folder / name).read_text().partition("\n")[0])
        except OSError:
            missing.append(name)
    if missing:
        return f"partial: {len(missing)} of {len(EXPORT_FILES)} files missing"
    if len(versions) > 1:
        return f"mixed: files of {len(versions)} exports"
    problems = check_export(folder)
    if problems:
        return f"partial: {problems[0]}"
    return f"complete {int(versions.pop().removeprefix('export '))}"


def export_leftovers(folder: Path) -> list[str]:
    """Hidden temporary folders of exports, beside the folder or (earlier versions) in it."""
    beside = [n for n in os.listdir(folder.parent) if n.startswith(f".{folder.name}.")]
    inside = [n for n in os.listdir(folder) if n.startswith(".")] if folder.is_dir() else []
    return beside + inside


def save_leftovers(file: Path) -> list[str]:
    return [n for n in os.listdir(file.parent) if n != file.name]


def kill_saves(folder: Path, kills: int, rng: random.Random) -> Tally:
    """Kill a looping scene save ``kills`` times; after each, judge, save again and count."""
    from see1previs.core.scenefile import save_scene

    file = folder / "scene.see1.json"
    save_scene(scene_version(1), file)
    tally = Tally()
    version = 1
    for _ in range(kills):
        before = set(save_leftovers(file))
        last = run_and_kill(
            ["save", str(file), str(version + 1)], after=None, delay=rng.uniform(0, 0.25)
        )
        old = max(last, version)
        tally.count(judge_scene(file), old)
        tally.left_by_kills += len(set(save_leftovers(file)) - before)
        version = old + 2  # a version the killed child never reached
        save_scene(scene_version(version), file)
        tally.leftovers = len(save_leftovers(file))
        tally.untidy_runs += tally.leftovers > 0
    return tally


def kill_exports(folder: Path, kills: int, rng: random.Random) -> Tally:
    """Kill a looping export ``kills`` times: half at random, half inside the final step."""
    from see1previs.export.files import staged_output
    from see1previs.export.staging import tidy_beside

    out = folder / "plan"
    tally = Tally()
    version = 1
    with staged_output(out, export_names=EXPORT_NAMES) as staging:
        export_version(staging, version)
    for n in range(kills):
        before = set(export_leftovers(out))
        args = ["export", str(out), str(version + 1), "--slow"]
        if n % 4 >= 2:
            args.append("--two-renames")
        if n % 2:  # aimed: the manifest's rename is the 1st op, the swap the 2nd (and 3rd)
            after = ("op", rng.randint(1, 3))
            last = run_and_kill(args, after=after, delay=rng.uniform(0, 0.002))
        else:
            last = run_and_kill(args, after=None, delay=rng.uniform(0, 0.3))
        old = max(last, version)
        verdict = judge_export(out)
        if verdict == "missing":  # killed between the two renames: the next run recovers
            tidy_beside(out, 0.0)
            verdict = judge_export(out)
            if verdict in (f"complete {old}", f"complete {old + 1}"):
                verdict = f"recovered {verdict}"
        tally.count(verdict, old)
        tally.left_by_kills += len(set(export_leftovers(out)) - before)
        version = old + 2
        with staged_output(out, export_names=EXPORT_NAMES) as staging:
            export_version(staging, version)
        tally.leftovers = len(export_leftovers(out))
        tally.untidy_runs += tally.leftovers > 0
    return tally


def write_take(folder: Path, take: int) -> Path:
    """A small scene (two shots, a prop, an actor) whose title names the take."""
    from tests.cli.test_export_cli import write_scene

    scene = write_scene(folder, title=f"take {take}")
    return scene.rename(folder / f"take-{take}.see1.json")


def judge_cli_export(folder: Path) -> str:
    """'complete <take>' when the manifest vouches for every file; else what is wrong."""
    from see1previs.export.manifest import check_export, listed_files

    if not folder.is_dir():
        return "missing"
    problems = check_export(folder)
    if problems:
        return f"partial: {problems[0]}"
    listed = listed_files(folder) or set()
    expected = {"shot_list.csv", "timeline.otio", "stage.usda", "manifest.json"}
    if not expected <= listed or not any(p.startswith("tracks/") for p in listed):
        return f"partial: the manifest lists {sorted(listed)}"
    timeline = json.loads((folder / "timeline.otio").read_text(encoding="utf-8"))
    return f"complete {int(timeline['name'].removeprefix('take '))}"


def kill_cli_exports(folder: Path, kills: int, rng: random.Random) -> Tally:
    """Kill ``see1-previs export`` ``kills`` times (at random, or aimed at the swap).

    The next run is the next kill's export, and one unkilled export at the end.
    """
    from see1previs.cli import main as cli

    out = folder / "plan"
    first = write_take(folder, 1)
    assert cli(["export", str(first), "--out", str(out), "--formats", CLI_FORMATS]) == 0
    tally = Tally()
    done = 1
    for take in range(2, kills + 2):
        args = ["cli", str(write_take(folder, take)), str(out)]
        if take % 3 == 0:
            args.append("--two-renames")
        aimed = take % 2 == 0
        before = set(export_leftovers(out))
        after = ("op exchange" if "--two-renames" not in args else "op rename", 1)
        run_and_kill(
            args,
            after=after if aimed else None,
            delay=rng.uniform(0, 0.003) if aimed else rng.uniform(0, 5.0),
            timeout=60,
        )
        verdict = judge_cli_export(out)
        if verdict == "missing":
            from see1previs.export.staging import tidy_beside

            tidy_beside(out, 0.0)
            verdict = judge_cli_export(out)
            if verdict in (f"complete {done}", f"complete {take}"):
                verdict = f"recovered {verdict}"
        tally.count(verdict, done, take)
        tally.left_by_kills += len(set(export_leftovers(out)) - before)
        if verdict.endswith(f"complete {take}"):
            done = take
    take = kills + 2
    assert (
        cli(["export", str(write_take(folder, take)), "--out", str(out), "--formats", CLI_FORMATS])
        == 0
    )
    assert judge_cli_export(out) == f"complete {take}"
    tally.leftovers = len(export_leftovers(out))
    tally.untidy_runs = int(tally.leftovers > 0)
    return tally


def main(argv: list[str]) -> None:
    kind = argv[0]
    if kind == "save":
        _child_save(Path(argv[1]), int(argv[2]))
    elif kind == "export":
        _child_export(Path(argv[1]), int(argv[2]), "--slow" in argv, "--two-renames" in argv)
    else:
        _child_cli(Path(argv[1]), Path(argv[2]), "--two-renames" in argv)


if __name__ == "__main__":
    main(sys.argv[1:])
