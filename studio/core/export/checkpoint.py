"""Opening a checkpoint safely, and refusing the ones we should not open.

A `.pt` file is a pickle, and unpickling can run arbitrary code; Studio only ever loads with
`torch.load(weights_only=True)`, which accepts tensors and plain containers and nothing else. The
three ways a user's file can fail get three different messages, because the fixes differ: a
corrupt file needs a backup, a foreign file needs the right run folder, and a file that needs
unsafe unpickling (a whole pickled model, custom classes) must be re-saved as a state_dict by
whoever trusts it. Every way of opening a run (explain, export, resume) loads through here, via
`run_folder.load_checkpoint`, so a file is refused in the same words everywhere.
"""

from __future__ import annotations

import os
import pickle
import re
import zipfile
from pathlib import Path
from typing import Any

import torch

from studio.core.errors import UserError
from studio.core.train.run_layout import BEST, CHECKPOINT_FORMAT, CHECKPOINT_KEY, LAST


class CheckpointError(UserError):
    """A checkpoint Studio will not open; the message says which of the reasons applies."""


UNSAFE_MARKERS = ("Unsupported global", "GLOBAL ", "Can only build", "Unsupported class")


def _is_unsafe_unpickling(exc: BaseException) -> bool:
    """True when the safe unpickler stopped at a Python object (a class or function it will not
    import); other unpickler failures (bad opcodes, truncated data) mean the file is corrupt."""
    text = str(exc)
    return isinstance(exc, pickle.UnpicklingError) and any(m in text for m in UNSAFE_MARKERS)


def _unsafe_detail(exc: BaseException) -> str:
    """What the file holds besides tensors, from torch's message (e.g. the class `__main__.Net`)."""
    match = re.search(r"GLOBAL ([\w.]+)", str(exc))
    if match:
        return f"it contains the Python object {match.group(1)}, e.g. a whole pickled model"
    return "it holds Python objects, not just tensors"


def read_checkpoint_file(path: str | os.PathLike[str]) -> Any:
    """`torch.load(path, weights_only=True)` on the CPU, with each failure turned into a clear refusal."""
    path = Path(path)
    if not path.exists():
        raise CheckpointError(f"checkpoint {path} does not exist",
                              f"pass a run folder that holds {BEST} or {LAST}")
    if path.is_dir():
        raise CheckpointError(f"{path} is a folder, not a checkpoint file")
    if path.stat().st_size == 0:
        raise CheckpointError(f"checkpoint {path} is corrupt: the file is empty",
                              "train again or restore the run folder from a backup")
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        if _is_unsafe_unpickling(exc):
            raise CheckpointError(
                f"checkpoint {path} would need unsafe unpickling ({_unsafe_detail(exc)}); "
                "Studio never runs code stored in a checkpoint",
                "if you trust it, load it in Python and re-save model.state_dict(), "
                "or export from the Studio run folder that made it") from exc
        raise CheckpointError(f"checkpoint {path} is corrupt (its pickle data cannot be read)",
                              "train again or restore the run folder from a backup") from exc
    except (RuntimeError, EOFError, zipfile.BadZipFile, ValueError, UnicodeDecodeError, OSError,
            IndexError, KeyError, TypeError, AttributeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CheckpointError(f"checkpoint {path} is corrupt or not a PyTorch file ({first})",
                              "train again or restore the run folder from a backup") from exc


def load_studio_checkpoint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A Studio checkpoint dict (`{"studio_checkpoint": 1, "model": state_dict, ...}`), or a refusal."""
    data = read_checkpoint_file(path)
    if not isinstance(data, dict) or CHECKPOINT_KEY not in data:
        what = "a bare state_dict" if isinstance(data, dict) and data and all(
            isinstance(v, torch.Tensor) for v in data.values()) else f"a {type(data).__name__}"
        raise CheckpointError(
            f"{path} is not a Studio checkpoint (it holds {what} without the '{CHECKPOINT_KEY}' marker)",
            f"choose {BEST} or {LAST} inside a run folder made by `studio train`")
    version = data.get(CHECKPOINT_KEY)
    if not isinstance(version, int) or version < 1:
        raise CheckpointError(f"{path} has an unknown checkpoint version {version!r}")
    if version > CHECKPOINT_FORMAT:
        raise CheckpointError(
            f"{path} was written by a newer Studio (checkpoint version {version}, this one reads {CHECKPOINT_FORMAT})",
            "update Studio to open it")
    state = data.get("model")
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f"checkpoint {path} is corrupt: its 'model' entry is not a state_dict of tensors",
                              "train again or restore the run folder from a backup")
    return data

