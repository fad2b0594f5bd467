"""An imported model on the canvas (issue 15): its opaque Module blocks are drawn dashed, apart
from native blocks, with only the ports they use, and the palette does not offer the Module block
(only `studio import` makes one)."""

from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from torch import nn

from studio.core.graph.importers.api import import_model
from studio.core.project import Project


class _Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 8 * 8, 3)

    def forward(self, x):
        if x.shape[0] > 100_000:  # control flow: its TorchScript cannot be read back as blocks
            x = x * 0.5
        return self.fc(torch.flatten(torch.relu(self.conv(x)), 1))


@pytest.fixture
def imported_panel(qtbot, tmp_path):
    from studio.ui.panels.build import BuildPanel
    from studio.ui.state import AppState

    file = tmp_path / "small.pt"
    torch.jit.save(torch.jit.script(_Small()), str(file))
    result = import_model(str(file), input_shape=(1, 8, 8))
    panel = BuildPanel(AppState(Project(name="small", graph=result.graph)))
    qtbot.addWidget(panel)
    panel.resize(1400, 860)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.wait(30)
    return panel


def _top_edge_gaps(panel, node_id: str) -> int:
    """How many breaks the painted top border of a block has (0 for a solid line)."""
    item = panel.scene.nodes[node_id]
    box = item.box()
    image = QImage(int(box.width()) * 2, 40, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    panel.scene.render(painter, QRectF(0, 0, image.width(), image.height()),
                       QRectF(box.left(), box.top() - 5, box.width(), 20))
    painter.end()
    row = 10  # the border line, 5 scene px below the top of the rendered strip, at scale 2
    middle = image.width() // 2

    def breaks(xs: range) -> int:
        inked = [min(QColor(image.pixel(x, y)).lightness() for y in range(row - 3, row + 4)) < 235 for x in xs]
        return sum(1 for a, b in zip(inked, inked[1:], strict=False) if a and not b)

    # Away from the rounded corners and from the input port drawn on the border's middle.
    return breaks(range(40, middle - 40)) + breaks(range(middle + 40, image.width() - 40))


def test_module_block_is_dashed_with_its_own_ports_and_not_in_the_palette(imported_panel):
    panel = imported_panel
    module = panel.scene.nodes["module"]
    assert list(module.inputs) == ["in"] and list(module.outputs) == ["out"]
    assert _top_edge_gaps(panel, "module") >= 5, "an imported Module block is drawn dashed"
    assert _top_edge_gaps(panel, "head") == 0, "a native block keeps its solid border"
    assert "Module" not in panel.palette.visible_blocks()
    assert "Conv2d" in panel.palette.visible_blocks()
