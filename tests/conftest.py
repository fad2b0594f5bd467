"""Suite-wide test set-up: GPU tests skip where there is no CUDA, and runs stay quiet and bounded."""

from __future__ import annotations

import os

import pytest

# Keep test runs on a 2-core machine predictable: one intra-op thread pool, no oversubscription
# when several test processes (or a training worker) run at once.
os.environ.setdefault("OMP_NUM_THREADS", "2")


def pytest_collection_modifyitems(config, items):
    try:
        import torch

        has_cuda = torch.cuda.is_available()
    except Exception:  # torch missing or broken: GPU tests cannot run either
        has_cuda = False
    if has_cuda:
        return
    skip_gpu = pytest.mark.skip(reason="needs an NVIDIA GPU with CUDA (none here)")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip_gpu)
