"""Fixtures for trainer tests."""

from __future__ import annotations

import pytest
from train_builders import digits_mlp, make_project

from studio.core.project import Project


@pytest.fixture
def digits_project() -> Project:
    return make_project(digits_mlp(), {"dataset": "digits"})
