"""Train: live training with curves and recipe diagnostics (page of what it will do, plus the training config)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from studio.ui.panels.base import PlannedPanel


class TrainPanel(PlannedPanel):
    KEY = "train"

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("TrainPanel", "Train")

    def heading(self) -> str:
        return self.tr("Train")

    def lede(self) -> str:
        return self.tr("Train the network on the GPU when there is one, else the CPU, while the learning "
                       "curves draw live and Karpathy's recipe checks tell you what the curves mean.")

    def features(self) -> list[str]:
        return [
            self.tr("Start, pause and stop a run; stopping saves a checkpoint you can resume or export."),
            self.tr("Watch training and validation loss and accuracy update several times a second."),
            self.tr("Run the recipe checks: loss at initialisation, overfitting one batch, "
                    "a learning rate that is too high, under- and overfitting."),
            self.tr("Compare runs side by side and keep the best checkpoint."),
        ]

    def arrives_with(self) -> str:
        return self.tr("the training engine")

    def project_facts(self) -> list[tuple[str, str]]:
        t = self.state.project.training
        names = {
            "optimizer": self.tr("Optimizer"), "lr": self.tr("Learning rate"),
            "batch_size": self.tr("Batch size"), "epochs": self.tr("Epochs"),
            "seed": self.tr("Seed"), "device": self.tr("Device"),
        }
        return [(names.get(k, k), str(v)) for k, v in t.items() if not isinstance(v, (dict, list))]
