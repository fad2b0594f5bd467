"""The spoken-digits 1-D CNN template trained once per test process (the data, predict and Try tests).

`spoken_digits_cache(factory)` generates the espeak-ng clips once into a folder that serves as
$STUDIO_CACHE_DIR; `trained_spoken_digits(factory)` trains the shipped `spoken_digits_cnn1d`
template on them through the real trainer on the CPU (about 25 s) and returns its `done` event
(with "run_dir" and "wall_s"). A second caller in the same process gets the same folder and event:
the sound tests all run on one xdist worker (the "sound" group), so they share one training.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from studio.core.resources import TEMPLATES

TEMPLATE = TEMPLATES / "spoken_digits_cnn1d.studio.json"
_STATE: dict[str, object] = {}


def spoken_digits_cache(tmp_path_factory) -> Path:
    """The cache folder with the default clips generated (skips where espeak-ng is missing)."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("spoken_digits is generated with espeak-ng (apt-get install espeak-ng)")
    folder = _STATE.get("cache")
    if folder is None or not Path(folder).is_dir():
        from studio.core.data import spoken_digits

        folder = tmp_path_factory.mktemp("spoken-cache")
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("STUDIO_CACHE_DIR", str(folder))
            started = time.perf_counter()
            spoken_digits.ensure_clips(spoken_digits.DEFAULTS["per_voice"])
            print(f"\nspoken_digits: clips generated in {time.perf_counter() - started:.1f} s")
        _STATE["cache"] = folder
    return Path(folder)


def trained_spoken_digits(tmp_path_factory) -> dict:
    """The template's `done` event, trained on the CPU the first time this process asks."""
    done = _STATE.get("done")
    if done is not None and (Path(done["run_dir"]) / "best.pt").is_file():
        return done
    from studio.core.project import load_project
    from studio.core.train.trainer import run_training

    cache = spoken_digits_cache(tmp_path_factory)
    run_dir = tmp_path_factory.mktemp("spoken-run") / "spoken"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STUDIO_CACHE_DIR", str(cache))
        started = time.perf_counter()
        done = run_training(load_project(TEMPLATE), run_dir, overrides={"device": "cpu"})
        done["wall_s"] = time.perf_counter() - started
    assert done["event"] == "done", done
    _STATE["done"] = done
    return done
