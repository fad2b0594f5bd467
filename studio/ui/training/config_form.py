"""The training config form: every knob of the project's training config (plus augmentation and dropout).

Each widget writes through an undoable command (commands.py) and reads back from the project on
`project_replaced` / `project_edited`, so undo, redo, opening another project and edits from
elsewhere all show up here. `_syncing` keeps those read-backs from echoing as new edits.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from studio.core.train.config import AMP_MODES, OPTIMIZERS, SCHEDULES, SEED_MAX, TrainConfig
from studio.ui.training.commands import SetAugment, SetDropout, SetTrainingField, dropout_nodes
from studio.ui.training.processes import ProcessesField

DEVICES = ("auto", "cpu", "cuda", "mps")
RANDOM_SEED = -1
"""The seed box's value for no seed ("seed": null): each run draws one."""
_ABSENT = object()


def select(box: QComboBox, value: str) -> None:
    """Show the item whose data is `value` (an unknown value from a hand-edited file changes nothing)."""
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)


class LrEdit(QLineEdit):
    """A learning rate typed as text (1e-3, 0.0003): spin boxes are clumsy over six decades."""

    valueEdited = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lrEdit")
        self.editingFinished.connect(self._commit)

    def value(self) -> float | None:
        try:
            v = float(self.text())
        except ValueError:
            return None
        return v if 0 < v < float("inf") else None  # "inf" parses, but no file could hold it

    def set_value(self, v: float) -> None:
        self.setText(f"{v:g}")
        self.setStyleSheet("")

    def _commit(self) -> None:
        v = self.value()
        if v is None:
            self.setStyleSheet("border: 1px solid #b42318;")
            self.setToolTip(self.tr("Type a positive number such as 0.001 or 3e-4"))
            return
        self.setStyleSheet("")
        self.valueEdited.emit(v)


class ConfigForm(QFrame):
    """A three-column grid of label/field pairs over `state.train_config`."""

    def __init__(self, state, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.setObjectName("PanelCard")
        self._syncing = False
        grid = QGridLayout(self)
        grid.setContentsMargins(18, 14, 18, 14)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        self.fields: dict[str, QWidget] = {}
        self._slot = 0

        # combo items show words in the user's language and keep the config value as their data
        self.optimizer = self._combo("optimizer", self.tr("Optimizer"), OPTIMIZERS,
                                     {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop"})
        self.lr = LrEdit()
        self._place(self.tr("Learning rate"), self.lr, "lr")
        self.schedule = self._combo("schedule", self.tr("LR schedule"), SCHEDULES,
                                    {"constant": self.tr("constant"), "step": self.tr("step decay"),
                                     "cosine": self.tr("cosine"), "onecycle": self.tr("one-cycle")})
        self.epochs = self._spin("epochs", self.tr("Epochs"), 1, 100_000)
        self.batch_size = self._spin("batch_size", self.tr("Batch size"), 1, 65_536)
        self.seed = self._spin("seed", self.tr("Seed"), RANDOM_SEED, SEED_MAX)
        # Below 0 is no seed: "seed": null in the file, each run draws its own (and records it).
        self.seed.setSpecialValueText(self.tr("random each run"))
        self.seed.setToolTip(self.tr("The same seed repeats a run exactly; below 0 each run draws its own "
                                     "(the run's start event records it)"))
        self.amp = self._combo("amp", self.tr("Mixed precision"), AMP_MODES,
                               {"off": self.tr("off"), "auto": self.tr("auto (CUDA only)")})
        self.device = self._combo("device", self.tr("Device"), DEVICES,
                                  {"auto": self.tr("auto"), "cpu": "CPU", "cuda": self.tr("CUDA (NVIDIA GPU)"),
                                   "mps": self.tr("MPS (Apple GPU)")})
        # how many processes Start uses (not a project setting): beside the device it runs on
        self.processes = ProcessesField()
        self._place(self.tr("Processes"), self.processes, "processes")
        self.weight_decay = self._double("weight_decay", self.tr("Weight decay"), 0.0, 1.0, 5, 1e-4)
        self.label_smoothing = self._double("label_smoothing", self.tr("Label smoothing"), 0.0, 0.99, 3, 0.05)
        self.ema = self._double("ema", self.tr("EMA decay (0 = off)"), 0.0, 0.99999, 5, 0.001)
        self.early_stopping = self._spin("early_stopping", self.tr("Early stop patience (0 = off)"), 0, 1000)
        self.dropout = QDoubleSpinBox()
        self.dropout.setRange(0.0, 0.95)
        self.dropout.setDecimals(2)
        self.dropout.setSingleStep(0.05)
        self._place(self.tr("Dropout (all blocks)"), self.dropout, "dropout")
        # transfer learning: the frozen blocks (Build's inspector) join training at this epoch
        self.unfreeze_at_epoch = self._spin("unfreeze_at_epoch", self.tr("Unfreeze after epoch (0 = never)"),
                                            0, 100_000)
        self.backbone_lr_scale = self._double("backbone_lr_scale", self.tr("Unfrozen blocks' LR ×"),
                                              0.0001, 10.0, 4, 0.05)

        aug_row = QWidget()
        aug = QHBoxLayout(aug_row)
        aug.setContentsMargins(0, 0, 0, 0)
        aug.setSpacing(10)
        self.aug_flip = QCheckBox(self.tr("flip"))
        self.aug_crop = QSpinBox()
        self.aug_crop.setRange(0, 64)
        self.aug_crop.setSuffix(self.tr(" px shift"))
        self.aug_rotation = QSpinBox()
        self.aug_rotation.setRange(0, 180)
        self.aug_rotation.setSuffix("°")
        self.aug_noise = QDoubleSpinBox()
        self.aug_noise.setRange(0.0, 5.0)
        self.aug_noise.setDecimals(2)
        self.aug_noise.setSingleStep(0.05)
        self.aug_noise.setPrefix(self.tr("noise "))
        for w in (self.aug_flip, self.aug_crop, self.aug_rotation, self.aug_noise):
            aug.addWidget(w)
        aug.addStretch(1)
        row = (self._slot + 2) // 3
        label = QLabel(self.tr("Augmentation"))
        label.setObjectName("Muted")
        grid.addWidget(label, row, 0)
        grid.addWidget(aug_row, row, 1, 1, 5)
        for col in (1, 3, 5):
            grid.setColumnStretch(col, 1)

        for key in ("optimizer", "schedule", "amp", "device"):
            box = getattr(self, key)
            box.currentIndexChanged.connect(lambda _i, k=key, b=box: self._set(k, b.currentData()))
        self.lr.valueEdited.connect(lambda v: self._set("lr", v))
        for key in ("epochs", "batch_size", "early_stopping", "unfreeze_at_epoch"):
            getattr(self, key).valueChanged.connect(lambda v, k=key: self._set(k, int(v)))
        self.seed.valueChanged.connect(lambda v: self._set("seed", None if v == RANDOM_SEED else int(v)))
        for key in ("weight_decay", "label_smoothing", "ema", "backbone_lr_scale"):
            getattr(self, key).valueChanged.connect(lambda v, k=key: self._set(k, float(v)))
        self.dropout.valueChanged.connect(self._set_dropout)
        self.aug_flip.toggled.connect(lambda v: self._augment("flip", bool(v)))
        self.aug_crop.valueChanged.connect(lambda v: self._augment("crop", int(v)))
        self.aug_rotation.valueChanged.connect(lambda v: self._augment("rotation", float(v)))
        self.aug_noise.valueChanged.connect(lambda v: self._augment("noise", float(v)))
        state.project_replaced.connect(self.refresh)
        state.project_edited.connect(lambda part: self.refresh() if part in ("training", "data", "graph") else None)
        self.refresh()

    # --- building ---------------------------------------------------------------------------------
    def _place(self, text: str, widget: QWidget, key: str) -> None:
        row, col = divmod(self._slot, 3)
        label = QLabel(text)
        label.setObjectName("Muted")
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.layout().addWidget(label, row, col * 2)
        self.layout().addWidget(widget, row, col * 2 + 1)
        widget.setObjectName(f"train_{key}")
        widget.setMinimumWidth(90)
        widget.setMinimumHeight(28)
        self.fields[key] = widget
        self._slot += 1

    def _combo(self, key: str, text: str, items, labels: dict[str, str] | None = None) -> QComboBox:
        box = QComboBox()
        for value in items:
            box.addItem((labels or {}).get(value, value), value)
        self._place(text, box, key)
        return box

    def _spin(self, key: str, text: str, lo: int, hi: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(lo, hi)
        box.setKeyboardTracking(False)
        self._place(text, box, key)
        return box

    def _double(self, key: str, text: str, lo: float, hi: float, decimals: int, step: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(lo, hi)
        box.setDecimals(decimals)
        box.setSingleStep(step)
        box.setKeyboardTracking(False)
        self._place(text, box, key)
        return box

    # --- writing ----------------------------------------------------------------------------------
    def _set(self, key: str, value: Any) -> None:
        if self._syncing:
            return
        if self.state.project.training.get(key, _ABSENT) == value:
            return
        self.state.train_config.replace(**{key: value})  # a value the trainer would refuse never enters the project
        self.state.undo_stack.push(SetTrainingField(self.state, key, value))

    def _augment(self, key: str, value: Any) -> None:
        if self._syncing:
            return
        current = (self.state.project.data.get("augment") or {}).get(key)
        if (current or 0) == (value or 0):
            return
        self.state.undo_stack.push(SetAugment(self.state, key, value))

    def _set_dropout(self, p: float) -> None:
        if self._syncing or not dropout_nodes(self.state.project):
            return
        self.state.undo_stack.push(SetDropout(self.state, p))

    # --- reading ----------------------------------------------------------------------------------
    def config(self) -> TrainConfig:
        """The project's training config as the trainer will read it (defaults filled in)."""
        return self.state.train_config

    def refresh(self, *_args: object) -> None:
        project = self.state.project
        cfg = self.state.train_config
        self._syncing = True
        try:
            select(self.optimizer, cfg.optimizer)
            self.lr.set_value(cfg.lr)
            select(self.schedule, cfg.schedule)
            select(self.amp, cfg.amp)
            select(self.device, cfg.device)
            self.processes.update_for(cfg.device, project.graph)
            self.epochs.setValue(cfg.epochs)
            self.batch_size.setValue(cfg.batch_size)
            # A null seed asks each run to draw its own: the config holds one drawn for this read,
            # which no run will use, so the box says "random each run" instead.
            self.seed.setValue(RANDOM_SEED if project.training.get("seed", 0) is None else cfg.seed)
            self.weight_decay.setValue(cfg.weight_decay)
            self.label_smoothing.setValue(cfg.label_smoothing)
            self.ema.setValue(cfg.ema)
            self.early_stopping.setValue(cfg.early_stopping)
            self.unfreeze_at_epoch.setValue(cfg.unfreeze_at_epoch)
            self.backbone_lr_scale.setValue(cfg.backbone_lr_scale)
            frozen = [n.id for n in project.graph.nodes if getattr(n, "frozen", False)]
            for box in (self.unfreeze_at_epoch, self.backbone_lr_scale):
                box.setEnabled(bool(frozen))
            self.unfreeze_at_epoch.setToolTip(
                self.tr("The {n} frozen blocks train from the epoch after this one, at the learning rate "
                        "times the factor beside; 0 keeps them frozen").format(n=len(frozen)) if frozen else
                self.tr("No block is frozen: freeze blocks in Build's inspector to train the head first"))
            self.backbone_lr_scale.setToolTip(self.unfreeze_at_epoch.toolTip())
            nodes = dropout_nodes(project)
            self.dropout.setEnabled(bool(nodes))
            self.dropout.setToolTip(self.tr("Sets p of all {n} Dropout blocks").format(n=len(nodes)) if nodes else
                                    self.tr("The graph has no Dropout block: add one in Build"))
            ps = sorted({float(n.params.get("p", 0.5)) for n in nodes})
            self.dropout.setValue(ps[0] if len(ps) == 1 else (ps[-1] if ps else 0.0))
            self.dropout.setSpecialValueText("")
            aug = project.data.get("augment") or {}
            self.aug_flip.setChecked(bool(aug.get("flip")))
            self.aug_crop.setValue(int(4 if aug.get("crop") is True else (aug.get("crop") or 0)))
            self.aug_rotation.setValue(int(float(aug.get("rotation") or 0)))
            self.aug_noise.setValue(float(aug.get("noise") or 0.0))
        finally:
            self._syncing = False
