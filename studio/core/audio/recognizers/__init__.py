"""Speech recognizers as plugins of one interface (`base.Recognizer`).

Built in: "whisper" (faster-whisper, the default whenever a model is on disk) and "pocketsphinx"
(its en-US model ships in its wheel, so it is always there). Other packages add engines through
the `studio.recognizers` entry-point group (name = "module:Class") or by calling `register`.
Engines are imported only when used, so listing them costs nothing.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from studio.core.audio.recognizers.base import Recognizer, Segment, Transcript
from studio.core.errors import UserError

__all__ = ["Recognizer", "Segment", "Transcript", "register", "engine_names", "get_engine_class",
           "default_engine", "create_recognizer", "engine_status"]

_ENGINES: dict[str, str] = {
    "whisper": "studio.core.audio.recognizers.whisper:WhisperRecognizer",
    "pocketsphinx": "studio.core.audio.recognizers.sphinx:PocketsphinxRecognizer",
}
_PREFERENCE = ["whisper", "pocketsphinx"]
_entry_points_loaded = False


def register(name: str, target: str | type[Recognizer], prefer: bool = False) -> None:
    """Add an engine: `target` is a Recognizer subclass or "module:Class"."""
    _ENGINES[name] = target  # type: ignore[assignment]
    if name in _PREFERENCE:
        _PREFERENCE.remove(name)
    _PREFERENCE.insert(0 if prefer else len(_PREFERENCE), name)


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    for ep in entry_points(group="studio.recognizers"):
        if ep.name not in _ENGINES:
            register(ep.name, ep.value)


def engine_names() -> list[str]:
    _load_entry_points()
    return list(_PREFERENCE)


def get_engine_class(name: str) -> type[Recognizer]:
    _load_entry_points()
    target = _ENGINES.get(name)
    if target is None:
        raise UserError(f"unknown speech engine {name!r}", f"choose one of: {', '.join(engine_names())}")
    if isinstance(target, str):
        module, _, attr = target.partition(":")
        target = getattr(importlib.import_module(module), attr)
    return target


def engine_status(**options) -> dict[str, str | None]:
    """{engine: None if usable, else why not}: what the engine picker shows."""
    return {name: get_engine_class(name).unavailable_reason(**options) for name in engine_names()}


def default_engine(**options) -> str:
    """The first usable engine in preference order (Whisper whenever its model is on disk)."""
    reasons = []
    for name in engine_names():
        reason = get_engine_class(name).unavailable_reason(offline_only=True, **options)
        if reason is None:
            return name
        reasons.append(f"{name}: {reason}")
    raise UserError("no speech engine is usable here (" + "; ".join(reasons) + ")",
                    "pip install faster-whisper pocketsphinx")


def create_recognizer(name: str | None = None, **options) -> Recognizer:
    """An engine instance; `name=None` picks the default. Options go to the engine (e.g. model_dir)."""
    name = name or default_engine(**options)
    cls = get_engine_class(name)
    reason = cls.unavailable_reason(**options)
    if reason is not None:
        raise UserError(f"speech engine {name!r} is not usable: {reason}",
                        "pick another engine" + (" (--engine pocketsphinx)" if name != "pocketsphinx" else ""))
    return cls(**options)
