"""Recipe checks run on one core, and leave torch's thread count as they found it for the rest of the app."""

from __future__ import annotations

import threading

import torch

from studio.app.jobs import Policy
from studio.ui.common.jobs import QtJobRunner
from studio.ui.training.recipe_job import recipe_checks_job


def _threads_of_a_new_thread() -> int:
    seen = []
    t = threading.Thread(target=lambda: seen.append(torch.get_num_threads()))
    t.start()
    t.join()
    return seen[0]


def test_a_recipe_run_leaves_later_threads_their_cores(qtbot, state):
    before = _threads_of_a_new_thread()
    runner = QtJobRunner("recipe", Policy.ONE_AT_A_TIME)
    done = []
    runner.result.connect(done.append)
    assert runner.submit(recipe_checks_job(state.project, ("init_loss",)))
    qtbot.waitUntil(lambda: bool(done), timeout=120_000)
    assert [r.check for r in done[0]] == ["init_loss"]  # the check really ran
    # an Explain or Export job started afterwards gets the cores it had before
    assert _threads_of_a_new_thread() == before
