"""The Qt-free heart of Studio.

Nothing under `studio.core` may import PySide6, pyqtgraph or sounddevice at import time: an
import-linter contract (pyproject.toml) and tests/test_architecture.py enforce it, so
`python -m studio train` runs on a GPU server that has only torch and numpy.
"""
