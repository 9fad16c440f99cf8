"""Fuzzing ``see1-previs validate``: malformed scenes are refused plainly, never crash or hang.

Three sets of documents go through exactly what ``validate`` runs (load the file, build the
world, check the cameras), in a child process that stops any document still running after
30 s:

- the committed corpus (``tests/data/fuzz/corpus``): the files that crashed, hung or slipped
  through before (``regression-*``, each with the problem it must report in
  ``expected.json``), and a hundred mutants of the demo and format-sample scenes;
- 1,000 fresh mutants, the same every run, through the loader, and 80 through all of it;
- documents too large to commit, built here: 16,000 cues, 16,000 props, 2,000 levels deep.

For every document: no exception but the scene's own errors, no document taking over 2 s,
and every problem naming its JSON path or its line and column. The 2 s is a hang detector,
not a speed target: these documents take milliseconds to a few tenths of a second.
"""

from __future__ import annotations

import json

import pytest

from tests.fuzz.scene_fuzz import (
    FUZZ_DATA,
    SLOW_S,
    GuardedChecker,
    Outcome,
    check_all,
    corpus,
    documents,
)

FRESH_THROUGH_LOADER = 1_000
FRESH_THROUGH_VALIDATE = 80
FRESH_SEED = 20_260_101


@pytest.fixture(scope="module")
def checker():
    with GuardedChecker() as guarded:
        yield guarded


def _failures(named: list[tuple[str, bytes]], outcomes: list[Outcome]) -> list[str]:
    failures = []
    for (name, _), outcome in zip(named, outcomes, strict=True):
        if outcome.verdict == "crash":
            failures.append(f"{name}: crashed with {outcome.detail}")
        elif outcome.verdict == "hang" or outcome.seconds > SLOW_S:
            failures.append(f"{name}: took {outcome.seconds:.1f} s (limit {SLOW_S:g} s)")
        elif outcome.unplaced:
            failures.append(f"{name}: problem without a place: {outcome.unplaced[0]}")
    return failures


def test_the_committed_corpus(checker: GuardedChecker) -> None:
    named = corpus()
    assert len(named) > 100
    outcomes = check_all(named, checker)
    assert _failures(named, outcomes) == []
    verdicts = {outcome.verdict for outcome in outcomes}
    assert verdicts == {"accepted", "rejected"}  # the corpus exercises both


def test_each_regression_reports_its_problem(checker: GuardedChecker) -> None:
    expected: dict[str, str] = json.loads((FUZZ_DATA / "expected.json").read_text())
    named = [(name, raw) for name, raw in corpus() if name in expected]
    assert len(named) == len(expected)
    for (name, _), outcome in zip(named, check_all(named, checker), strict=True):
        if expected[name] == "accepted":
            assert outcome.verdict == "accepted", (name, outcome.problems)
        else:
            assert outcome.verdict == "rejected", (name, outcome.verdict, outcome.detail)
            assert outcome.problems[0][0] == expected[name], (name, outcome.problems)


def test_fresh_mutants_through_the_loader(checker: GuardedChecker) -> None:
    named = list(documents(FRESH_THROUGH_LOADER, FRESH_SEED))
    outcomes = check_all(named, checker, load_only=True)
    assert _failures(named, outcomes) == []


def test_fresh_mutants_through_validate(checker: GuardedChecker) -> None:
    named = list(documents(FRESH_THROUGH_VALIDATE, FRESH_SEED + 1))
    outcomes = check_all(named, checker)
    assert _failures(named, outcomes) == []


def _big(data: dict) -> tuple[str, bytes]:
    return ("built", json.dumps(data).encode())


def test_documents_too_large_to_commit(checker: GuardedChecker) -> None:
    cue = {"type": "impulse", "time": 1, "target": "nobody", "impulse": [0, 0, 0]}
    prop = {"id": "p", "shape": {"type": "sphere", "radius": 0.05}, "mass": 1}
    named = [
        _big({"format": 2, "cues": [dict(cue, id=f"c{i}") for i in range(16_000)]}),
        _big({"format": 2, "cues": [cue] * 10_000}),  # every cue without an id, unknown target
        _big({"format": 2, "props": [dict(prop, id=f"p{i}") for i in range(16_000)]}),
        _big({"format": 2, "props": [dict(prop, id=f"p{i}") for i in range(500)]}),
        _big({"format": 2, "title": list(range(1_000_000))}),
        ("deep", b'{"format": 2, "title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    ]
    outcomes = check_all(named, checker)
    assert _failures(named, outcomes) == []
    assert all(outcome.verdict == "rejected" for outcome in outcomes)
