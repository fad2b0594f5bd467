"""What each panel takes from outside the window, declared on the panel (in the spirit of Orange's
widget Inputs).

A panel lists its `INPUTS` (a run folder, an .onnx file, an image, a WAV file: the kinds of
`studio.ui.drops`) and receives each through `receive(item)`. The main window routes a dropped or
opened file by these declarations alone: a new panel that takes runs, or a new kind of file, is a
declaration in that panel's module, not another branch (or another method name) in the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Input:
    """One kind a panel takes, and whether the window brings the panel to the front when it hands
    one over (of the panels that take a run, Explain shows it; Export only lists it)."""

    kind: str
    shows: bool = True


@dataclass(frozen=True)
class Incoming:
    """What the window hands a panel: the kind, the path, and for a run which weights (best|last)."""

    kind: str
    path: Path
    checkpoint: str = "best"


class TakesInputs:
    """Mixin for a panel class: `INPUTS` says what it takes, `receive` takes one."""

    INPUTS: tuple[Input, ...] = ()

    @classmethod
    def takes(cls, kind: str) -> Input | None:
        """The panel's declaration for `kind`, or None when it does not take that kind."""
        return next((i for i in cls.INPUTS if i.kind == kind), None)

    def receive(self, item: Incoming) -> bool:
        """Take one declared input; True when it opened (False: the panel has shown why not)."""
        raise NotImplementedError(f"{type(self).__name__} declares no input of kind {item.kind!r}")


def takers(panels: dict[str, object], kind: str) -> list[tuple[object, Input]]:
    """The panels (in window order) that declare `kind`, each with its declaration."""
    out = []
    for panel in panels.values():
        declared = panel.takes(kind) if isinstance(panel, TakesInputs) else None
        if declared is not None:
            out.append((panel, declared))
    return out
