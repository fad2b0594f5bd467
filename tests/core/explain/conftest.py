"""One small CNN trained on `shapes` by Studio's trainer, shared by the pointing game and CLI tests."""

from __future__ import annotations

import pytest
from explain_runs import train_run


@pytest.fixture(scope="session")
def shapes_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("explain") / "shapes_run"
    train_run(run_dir, epochs=6)  # every seed tried (0-4) reaches >= 93% accuracy by then
    return run_dir
