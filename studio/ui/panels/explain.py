"""Explain: look inside a trained network (page of what it will do, plus the layers it could show)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from studio.ui.panels.base import PlannedPanel


class ExplainPanel(PlannedPanel):
    KEY = "explain"

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ExplainPanel", "Explain")

    def heading(self) -> str:
        return self.tr("Explain")

    def lede(self) -> str:
        return self.tr("See where a trained CNN looks and what its layers respond to, on your own images.")

    def features(self) -> list[str]:
        return [
            self.tr("Class activation maps (Grad-CAM and relatives) laid over an image, per class."),
            self.tr("First-layer filters and the activations of any layer for a chosen input."),
            self.tr("Feature visualisation: the input a unit responds to most."),
        ]

    def arrives_with(self) -> str:
        return self.tr("the explain panel issue")

    def project_facts(self) -> list[tuple[str, str]]:
        conv = [n.id for n in self.state.project.graph.nodes if "conv" in n.block.lower()]
        if not conv:
            return []
        return [(self.tr("Convolution layers"), ", ".join(conv))]
