"""Where Studio's shipped files live (templates, icons, translations, styles).

Studio is installed in place (`pip install -e .`), so `resources/` sits next to the package.
"""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
TEMPLATES = RESOURCES / "templates"
PLUGINS = Path(__file__).resolve().parents[2] / "plugins"


def resource_path(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)


def default_example_path() -> Path:
    """The project the app opens on first launch: the course's MNIST CNN on offline digits."""
    return TEMPLATES / "mnist_cnn.studio.json"
