"""Data: where the training examples come from (page of what it will do, plus the project's data config)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from studio.ui.panels.base import PlannedPanel


class DataPanel(PlannedPanel):
    KEY = "data"

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("DataPanel", "Data")

    def heading(self) -> str:
        return self.tr("Data")

    def lede(self) -> str:
        return self.tr("Become one with the data before training on it: look at samples, class balance "
                       "and splits, and choose augmentations with a preview.")

    def features(self) -> list[str]:
        return [
            self.tr("Pick a dataset: built-in offline digits, shapes, sequence tasks and sine series; "
                    "MNIST, Fashion-MNIST and CIFAR-10; your own image folders or CSV files."),
            self.tr("Browse samples with their labels and see how many examples each class has."),
            self.tr("Set the train/validation split and the normalisation, and check them at a glance."),
            self.tr("Add augmentations (flips, crops, noise) and preview them on real samples."),
        ]

    def arrives_with(self) -> str:
        return self.tr("the datasets issue")

    def project_facts(self) -> list[tuple[str, str]]:
        data = self.state.project.data
        facts = [(self.tr("Dataset"), str(data.get("dataset", "")))]
        if "val_fraction" in data:
            facts.append((self.tr("Validation share"), f"{float(data['val_fraction']):.0%}"))
        if data.get("options"):
            facts.append((self.tr("Options"), ", ".join(f"{k}={v}" for k, v in data["options"].items())))
        augment = data.get("augment") or {}
        facts.append((self.tr("Augmentation"), ", ".join(augment) if augment else self.tr("none")))
        return facts
