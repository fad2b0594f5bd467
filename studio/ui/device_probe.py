"""Find out what the app will compute on, off the GUI thread.

Importing torch and asking CUDA about its devices takes seconds on a cold start, so the window
shows "detecting..." first and a background thread fills in the answer. The result is a plain
dict so the status bar and the About box can both read it.
"""

from __future__ import annotations

import os
import platform

from PySide6.QtCore import QObject, Signal

from studio.app.jobs import Policy
from studio.ui.common.jobs import QtJobRunner


def probe() -> dict:
    """Versions and the compute device, as the training engine will see them (slow: imports torch)."""
    info: dict = {"cpu_cores": os.cpu_count() or 1, "cpu": platform.processor() or platform.machine()}
    try:
        import torch
    except Exception as exc:  # a broken torch install should show in the About box, not crash the app
        info.update(torch=None, torch_error=str(exc), cuda=None, cuda_available=False, gpus=[])
        return info
    info["torch"] = torch.__version__
    info["cuda"] = torch.version.cuda
    info["torch_threads"] = torch.get_num_threads()
    gpus = []
    try:
        available = torch.cuda.is_available()
        if available:
            for index in range(torch.cuda.device_count()):
                props = torch.cuda.get_device_properties(index)
                gpus.append({"index": index, "name": props.name,
                             "memory_gib": round(props.total_memory / 2**30, 1),
                             "capability": f"{props.major}.{props.minor}"})
    except Exception as exc:  # a driver mismatch: say so, and fall back to the CPU
        available = False
        info["cuda_error"] = str(exc)
    info["cuda_available"] = bool(available and gpus)
    info["gpus"] = gpus
    return info


def device_summary(info: dict | None) -> str:
    """One line for the status bar: the GPU name and memory, else the CPU core count."""
    from PySide6.QtCore import QCoreApplication

    if info is None:
        return QCoreApplication.translate("DeviceProbe", "Detecting compute device…")
    if info.get("gpus"):
        gpu = info["gpus"][0]
        text = QCoreApplication.translate("DeviceProbe", "GPU - {name}, {memory} GiB").format(name=gpu["name"], memory=gpu["memory_gib"])
        if len(info["gpus"]) > 1:
            text += QCoreApplication.translate("DeviceProbe", " (+{n} more)").format(n=len(info["gpus"]) - 1)
        return text
    return QCoreApplication.translate("DeviceProbe", "CPU - {n} cores").format(n=info.get("cpu_cores", 1))


def _probe_or_say_why() -> dict:
    """`probe()`, or what is known without torch when probing itself broke (the About box shows why)."""
    try:
        return probe()
    except Exception as exc:
        return {"cpu_cores": os.cpu_count() or 1, "torch": None, "torch_error": str(exc), "gpus": []}


class DeviceProbe(QObject):
    """Runs `probe()` once on a job runner and emits `ready(info)` on the GUI thread."""

    ready = Signal(dict)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.info: dict | None = None
        self._started = False
        self._runner = QtJobRunner("device-probe", Policy.ONE_AT_A_TIME, self)
        self._runner.result.connect(self._store)

    def start(self) -> None:
        if not self._started:
            self._started = True
            self._runner.submit(lambda _job: _probe_or_say_why())

    def _store(self, info: dict) -> None:
        self.info = info
        self.ready.emit(info)
