"""The live picture of a diffusion model: what it draws from noise, and what noising does.

The trainer sends a `diffusion` event before each epoch event of a denoiser's run
(docs/training.md): 8 samples drawn by reverse diffusion from the same noise every epoch, one
validation image noised at a few time steps (the forward process), and the schedule's ᾱ_t. This
view shows the samples and the forward strip as pictures and ᾱ_t as a curve, so a student watches
the digits come out of the noise as the network learns to predict it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from studio.ui.common.plots import curve, make_plot
from studio.ui.training.data_view import PixmapLabel, labelled_grid, tiles_of
from studio.ui.training.plots import PALETTE

TILE_PX = 52


def images_of(flat: list[list[int]], shape: list[int]) -> torch.Tensor:
    """The event's images (flat uint8 lists, 0 for -1 and 255 for +1) as an (N, C, H, W) tensor."""
    return torch.tensor(np.asarray(flat, dtype=np.uint8).reshape(-1, *shape))


class DiffusionView(QWidget):
    """Samples from fixed noise, the forward process of one image, and the schedule's ᾱ_t."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 8, 8, 8)
        pictures = QVBoxLayout()
        self.caption = QLabel()
        self.caption.setObjectName("Muted")
        self.caption.setWordWrap(True)
        self.samples = PixmapLabel("")
        self.forward_caption = QLabel()
        self.forward_caption.setObjectName("Muted")
        self.forward = PixmapLabel("")
        for w in (self.caption, self.samples, self.forward_caption, self.forward):
            pictures.addWidget(w)
        pictures.addStretch(1)
        row.addLayout(pictures, 3)
        self.schedule_plot = make_plot(self.tr("Noise schedule"), "ᾱ_t", "t", min_height=200, live=True,
                                       legend_offset=None)
        self.alpha_curve = curve(self.schedule_plot, None, PALETTE[2], 2.0)
        row.addWidget(self.schedule_plot, 2)
        self.event: dict[str, Any] | None = None
        self.clear()

    def show_event(self, event: dict[str, Any]) -> bool:
        """Draw a `diffusion` event; other events are ignored (False)."""
        if event.get("event") != "diffusion":
            return False
        self.event = event
        shape = list(event.get("shape") or [1, 8, 8])
        samples = images_of(event.get("samples") or [], shape)
        self.caption.setText(self.tr("Epoch {epoch}: {n} samples drawn by reverse diffusion from the same noise "
                                     "each epoch").format(epoch=event.get("epoch"), n=samples.shape[0]))
        self.samples.setPixmap(labelled_grid(tiles_of(samples, 0, 255), [""] * samples.shape[0], cols=8,
                                             tile_px=TILE_PX, label_px=2))
        steps = list(event.get("forward_t") or [])
        forward = images_of(event.get("forward") or [], shape)
        self.forward_caption.setText(self.tr("The forward process of one validation image ({schedule} schedule, "
                                             "T = {T}):").format(schedule=event.get("schedule"),
                                                                  T=event.get("timesteps")))
        self.forward.setPixmap(labelled_grid(tiles_of(forward, 0, 255), [f"t={t}" for t in steps], cols=len(steps) or 1,
                                             tile_px=TILE_PX))
        self.alpha_curve.setData(np.asarray(event.get("alpha_bar_t") or [], dtype=float),
                                 np.asarray(event.get("alpha_bar") or [], dtype=float))
        return True

    def clear(self) -> None:
        self.event = None
        self.caption.setText(self.tr("Samples drawn from noise appear here after the first epoch."))
        self.samples.clear()
        self.forward_caption.setText("")
        self.forward.clear()
        self.alpha_curve.setData([], [])
