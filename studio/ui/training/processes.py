"""The Train panel's "Processes" field: how many training processes a run starts (torchrun / DDP).

One process is the ordinary worker (studio.core.train.worker); more go through the core's own
launcher behind `studio train --nproc N` (studio.core.train.distributed, see distributed_job.py).
The field shows which devices the processes would use ("2 CPU processes (gloo)", "2 GPUs: cuda:0,
cuda:1 (NCCL)") and is disabled, with a tooltip that says why, where more than one is not possible:
a GAN, a diffusion model or a language model (the trainer refuses them on several processes), Apple
MPS, too few GPUs or CPU cores, a PyTorch without NCCL. The number is a choice of this window, not a
setting of the project (the CLI's --nproc is not one either).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from studio.core.graph.networks import is_gan
from studio.core.graph.registry import get_block, has_block


def one_process_reason(graph) -> str | None:
    """Why a project of this graph trains on one process only (the trainer refuses it on more), or None."""
    if graph is None:
        return None
    if is_gan(graph):
        return QCoreApplication.translate(
            "ProcessesField",
            "GAN training runs on one process only so far: its two networks take turns on one batch, which "
            "needs both optimizers synchronised")
    kinds = {get_block(n.block).head for n in graph.nodes if has_block(n.block)}
    if "diffusion" in kinds:
        return QCoreApplication.translate(
            "ProcessesField",
            "Diffusion training runs on one process only so far: its noise and time steps are drawn per "
            "batch on one device")
    if "language_model" in kinds:
        return QCoreApplication.translate(
            "ProcessesField",
            "Language model training runs on one process only so far: its text sampling and perplexity are "
            "measured on one process")
    return None


def _cuda_count() -> int:
    import torch

    try:
        return int(torch.cuda.device_count()) if torch.cuda.is_available() else 0
    except Exception:  # noqa: BLE001 - a broken driver counts as no GPU
        return 0


def plan(device: str | None, graph=None) -> tuple[int, str, str | None]:
    """(the most processes possible, the backend "gloo"/"nccl"/"", why only one, or None) for a run of
    `graph` on the configured `device` on this machine."""
    import torch

    reason = one_process_reason(graph)
    if reason is not None:
        return 1, "", reason
    if not torch.distributed.is_available():
        return 1, "", QCoreApplication.translate(
            "ProcessesField",
            "This PyTorch build has no torch.distributed, which several processes need")
    name = (device or "auto").lower()
    if name == "mps":
        return 1, "", QCoreApplication.translate(
            "ProcessesField",
            "Apple MPS has no multi-process backend in PyTorch: choose CPU as the device to train several "
            "CPU processes")
    gpus = _cuda_count()
    if name.startswith("cuda") or (name == "auto" and gpus > 0):
        if gpus < 2:
            return 1, "nccl", QCoreApplication.translate(
                "ProcessesField",
                "Several GPU processes need one GPU each, and this machine has {n}: choose CPU as the "
                "device to train several CPU processes").format(n=gpus)
        if not torch.distributed.is_nccl_available():
            return 1, "nccl", QCoreApplication.translate(
                "ProcessesField",
                "This PyTorch build has no NCCL, which training on several GPUs needs: choose CPU as the "
                "device to train CPU processes (gloo)")
        return gpus, "nccl", None
    from studio.core.train.distributed import MAX_CPU_PROCESSES

    cores = os.cpu_count() or 1
    if cores < 2:
        return 1, "gloo", QCoreApplication.translate(
            "ProcessesField",
            "This machine has one CPU core: several CPU processes would only take turns on it")
    return min(cores, MAX_CPU_PROCESSES), "gloo", None


def describe(n: int, backend: str, device: str | None) -> str:
    """Which devices `n` processes use, in a few words."""
    if n <= 1:
        name = (device or "auto").lower()
        if name == "auto":
            return QCoreApplication.translate("ProcessesField", "one process")
        return QCoreApplication.translate("ProcessesField", "one process on {device}").format(
            device={"cpu": "CPU", "cuda": "cuda:0"}.get(name, name))
    if backend == "nccl":
        devices = ", ".join(f"cuda:{i}" for i in range(n)) if n <= 3 else f"cuda:0 … cuda:{n - 1}"
        return QCoreApplication.translate(
            "ProcessesField",
            "{n} GPUs: {devices} (NCCL)").format(n=n, devices=devices)
    return QCoreApplication.translate("ProcessesField", "{n} CPU processes (gloo)").format(n=n)


class ProcessesField(QWidget):
    """A spin box for N and, beside it, the devices N processes use."""

    changed = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.spin = QSpinBox()
        self.spin.setObjectName("trainProcesses")
        self.spin.setRange(1, 1)
        self.spin.setMinimumHeight(28)
        self.spin.setMinimumWidth(64)
        self.spin.setAccessibleName(self.tr("Processes"))
        self.devices = QLabel("")
        self.devices.setObjectName("Muted")
        self.devices.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.devices.setWordWrap(True)  # "4 GPUs: cuda:0 … cuda:3 (NCCL)" takes two lines in a narrow window
        row.addWidget(self.spin)
        row.addWidget(self.devices, 1)
        self._wanted = 1
        self._backend = ""
        self._device: str | None = "auto"
        self._reason: str | None = None
        self.spin.valueChanged.connect(self._on_value)

    def value(self) -> int:
        """How many processes Start would use (1 while several are not possible)."""
        return 1 if self._reason is not None else int(self.spin.value())

    @property
    def reason(self) -> str | None:
        """Why only one process is possible now, or None."""
        return self._reason

    def set_value(self, n: int) -> None:
        self._wanted = max(1, int(n))
        self.spin.setValue(self._wanted)

    def update_for(self, device: str | None, graph) -> None:
        """Re-read what is possible for this device and graph (the form calls it on every project change)."""
        most, self._backend, self._reason = plan(device, graph)
        self._device = device
        self.spin.blockSignals(True)
        self.spin.setRange(1, max(1, most))
        self.spin.setValue(min(self._wanted, max(1, most)))
        self.spin.blockSignals(False)
        possible = self._reason is None and most > 1
        self.spin.setEnabled(possible)
        if self._reason is not None:
            tip = self._reason
        else:
            tip = self.tr("Train on up to {most} processes with PyTorch's DistributedDataParallel, started by "
                          "torchrun: the batch size stays the global batch, split over the processes, and the "
                          "curves come from rank 0").format(most=most)
        for w in (self, self.spin, self.devices):
            w.setToolTip(tip)
        self._show()

    def _on_value(self, n: int) -> None:
        self._wanted = int(n)
        self._show()
        self.changed.emit(self.value())

    def _show(self) -> None:
        text = describe(self.value(), self._backend, self._device)
        self.devices.setText(text)
        # a short text ("one process") keeps one line; only a long one ("4 GPUs: ...") wraps
        self.devices.setMinimumWidth(min(self.devices.fontMetrics().horizontalAdvance(text) + 2, 160))
