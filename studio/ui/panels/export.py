"""Export: ship a trained model (page of what it will do)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from studio.ui.panels.base import PlannedPanel


class ExportPanel(PlannedPanel):
    KEY = "export"

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ExportPanel", "Export")

    def heading(self) -> str:
        return self.tr("Export")

    def lede(self) -> str:
        return self.tr("Take a trained run out of Studio, smaller and faster if you like, "
                       "with every export checked against the original.")

    def features(self) -> list[str]:
        return [
            self.tr("ONNX, checked with onnxruntime against PyTorch; TorchScript; plain PyTorch code."),
            self.tr("Model reduction: INT8 quantization, pruning and knowledge distillation, "
                    "with the accuracy and size before and after."),
            self.tr("Latency measured on this machine for each export."),
        ]

    def arrives_with(self) -> str:
        return self.tr("the export and model reduction issue")
