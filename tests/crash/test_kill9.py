"""Saves and exports killed with SIGKILL at random moments: old or new, complete, and tidy.

Real processes, real ``kill -9``: see :mod:`tests.crash.kill9` for the children and the
judge. Each kill leaves the scene file or the export folder as the complete old version or
the complete new one (an export killed between the two renames of the fallback swap is put
back by the next run); the next save or export leaves no temporary file or folder behind.
``benchmarks/bench_kill9.py`` runs many more kills and prints the figures.
"""

from __future__ import annotations

import os
import random

import pytest

from tests.crash import kill9

pytestmark = pytest.mark.skipif(os.name != "posix", reason="kill -9 and folder locks are POSIX's")


def test_killed_scene_saves_leave_a_complete_file_and_the_next_save_no_temporary_one(
    tmp_path,
):
    tally = kill9.kill_saves(tmp_path, kills=16, rng=random.Random(9))
    assert tally.broken == 0, tally.examples
    assert tally.complete_old + tally.complete_new == 16
    assert tally.untidy_runs == 0 and tally.leftovers == 0, tally.summary


def test_killed_exports_leave_the_complete_old_or_new_folder_and_the_next_export_tidies(
    tmp_path,
):
    # Half at random moments, half aimed just before or after a step of the final swap; half
    # through the one-step exchange, half through the two-rename way.
    tally = kill9.kill_exports(tmp_path, kills=16, rng=random.Random(9))
    assert tally.broken == 0, tally.examples
    assert tally.kills == 16
    assert tally.left_by_kills > 0  # the kills did leave staging behind for the next run
    assert tally.untidy_runs == 0 and tally.leftovers == 0, tally.summary


@pytest.mark.slow
def test_killed_command_line_exports_leave_a_folder_the_manifest_vouches_for(tmp_path):
    tally = kill9.kill_cli_exports(tmp_path, kills=4, rng=random.Random(9))
    assert tally.broken == 0, tally.examples
    assert tally.untidy_runs == 0 and tally.leftovers == 0, tally.summary
