"""Time-frequency pictures on a plot: a colour image whose axes are seconds and Hz (or mel bands)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from studio.core.audio.spectrum import stft_power


def _colormap():
    try:
        return pg.colormap.get("viridis")
    except Exception:  # an old pyqtgraph without bundled maps: a plain dark-to-light ramp
        return pg.ColorMap([0.0, 1.0], [(20, 20, 40), (250, 240, 120)])


class ImagePlot:
    """An ImageItem placed in data coordinates on `plot` (x: seconds, y: Hz or band index)."""

    def __init__(self, plot: pg.PlotWidget):
        self.plot = plot
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setColorMap(_colormap())
        plot.addItem(self.image)
        self.data = np.zeros((0, 0), np.float32)

    def set_image(self, data: np.ndarray, x_span: tuple[float, float], y_span: tuple[float, float],
                  levels: tuple[float, float]) -> None:
        """`data` is (x, y): one column of values per time step."""
        self.data = np.asarray(data, dtype=np.float32)
        if self.data.size == 0:
            self.image.clear()
            return
        self.image.setImage(self.data, levels=levels, autoLevels=False)
        (x0, x1), (y0, y1) = x_span, y_span
        self.image.setRect(QRectF(x0, y0, max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)))


def spectrogram_db(x: np.ndarray, rate: float, n_fft: int = 1024, hop: int = 256,
                   floor_db: float = -90.0) -> tuple[np.ndarray, float]:
    """(frames, bins) power in dB relative to a full-scale sine, and the seconds the frames span."""
    power = stft_power(x, n_fft, hop)
    window_gain = (0.5 * n_fft) ** 2 / 4.0  # a full-scale sine's peak bin power under a Hann window
    db = 10.0 * np.log10(np.maximum(power / window_gain, 1e-12))
    return np.maximum(db, floor_db).astype(np.float32), power.shape[0] * hop / rate
