"""Data: "become one with the data" before training on it.

Pick the dataset, its options (a form per dataset kind, from `studio.core.data.options`) and the
validation share, then look: labelled samples, the class
histogram, per-channel mean/std before and after normalisation, hints about duplicates, leaks,
outliers and imbalance, and the batch entering the net: the exact tensors of the first training
step after augmentation and normalisation, drawn back as images. Loading runs on a background
thread; the page shows what it has when it arrives.

A new dataset kind or option is tried before it is written: the page loads it in the background and
writes it to the project (one undoable step) only when it loads; when it does not, the loader's
message is shown at the top and the project keeps the data set it had. The options typed for each
kind are remembered for the session, so switching to another kind and back brings them back.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from studio.core.data import options as option_table
from studio.core.train.config import TrainConfig
from studio.ui import drops, theme
from studio.ui.common.jobs import QtJobRunner
from studio.ui.common.messages import ERROR, INFO, WARNING, MessageBar, Msg
from studio.ui.common.style import training_sheet
from studio.ui.data.commands import SetDatasetOptions
from studio.ui.data.options_form import DatasetOptionsForm
from studio.ui.panels.base import PanelPage, fact_label, value_label
from studio.ui.panels.inputs import Incoming, Input, TakesInputs
from studio.ui.state import AppState
from studio.ui.training.commands import SetDataField
from studio.ui.training.data_view import (
    ChannelTable,
    ClassHistogram,
    PixmapLabel,
    labelled_grid,
    tiles_of,
)

TEXT_WINDOWS = 8
"""Windows of a text data set shown as text in Samples."""
GALLERY_SIZE = 32
BATCH_SHOWN = 32


@dataclass
class DataSnapshot:
    """What one background load computed (everything the page draws)."""

    bundle: Any
    facts: Any
    batch: Any
    batch_labels: list[str]
    batch_stats: dict[str, Any]
    batch_index: int
    batch_size: int
    seed: int
    source: dict = field(default_factory=dict)
    """The data section this was loaded from."""
    warnings: list = field(default_factory=list)
    """What loads but should be looked at (`studio.core.data.loader.data_warnings`), one line each."""


def _load(data: dict, training: TrainConfig, batch_index: int) -> DataSnapshot:
    from studio.core.data import load_dataset
    from studio.core.data.loader import data_warnings
    from studio.core.recipe.data_insight import batch_stats, data_facts, entering_batch

    bundle = load_dataset(data)
    warnings = [w.one_line() for w in data_warnings(data)]
    facts = data_facts(bundle)
    bs, seed = training.batch_size, training.seed
    x, y, _idx = entering_batch(bundle, bs, seed, batch_index)
    labels = []
    if "label" in y and y["label"].dim() == 1:
        names = facts.class_names
        labels = [names[int(v)] if int(v) < len(names) else str(int(v)) for v in y["label"][:BATCH_SHOWN]]
    return DataSnapshot(bundle, facts, x, labels, batch_stats(x), batch_index, bs, seed, copy.deepcopy(data),
                        warnings)


class DataPanel(TakesInputs, PanelPage):
    KEY = "data"
    INPUTS = (Input(drops.IMAGE_FOLDER), Input(drops.CSV))
    """A folder of class folders or a .csv table dropped on the window is tried as the data set."""
    MESSAGES = (Msg("load_failed", ERROR), Msg("needs_input", INFO), Msg("data_warning", WARNING))
    """Why the data set did not load (or which folder or file it still needs): shown at the top of the
    page, where the eye already is (the page below is long, and a message at its foot was never seen
    while "loading…" stayed on top)."""

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("DataPanel", "Data")

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(state, parent)
        self.body.parentWidget().setMaximumWidth(1300)
        self.add_header(self.tr("Data"), self.tr(
            "Become one with the data before training on it: look at samples and their labels, the class balance "
            "and the statistics, and at the very batch the network will receive."))
        self._syncing = False
        self.snapshot: DataSnapshot | None = None
        self._batch_index = 0
        self._typed: dict[str, dict[str, Any]] = {}
        """The options shown for each dataset kind this session (applied or not), by kind."""
        self._pending: dict[str, Any] | None = None
        """A data section being tried (another kind or option), not yet in the project."""
        self._pending_key: str | None = None
        self._loaded: dict[str, Any] | None = None
        """The data section of the snapshot on the page."""
        self._committing = False
        self._error_title = self.tr("This data set cannot be loaded")
        self.error = MessageBar(self.MESSAGES, self._error_title)
        self.body.addWidget(self.error)

        form = self.add_facts()
        self.dataset_box = QComboBox()
        self.dataset_box.setObjectName("datasetBox")
        from studio.core.data import dataset_names

        self.dataset_box.addItems(dataset_names())
        self.val_box = QDoubleSpinBox()
        self.val_box.setObjectName("valFraction")
        self.val_box.setRange(0.01, 0.99)
        self.val_box.setSingleStep(0.05)
        self.val_box.setDecimals(2)
        self.val_box.setKeyboardTracking(False)
        self.reload_button = QPushButton(self.tr("Reload"))
        row = QHBoxLayout()
        row.setSpacing(8)
        self.dataset_box.setMinimumWidth(180)
        self.val_box.setMinimumWidth(72)
        row.addWidget(self.dataset_box)
        row.addSpacing(16)
        share = QLabel(self.tr("validation share"))
        share.setObjectName("Muted")
        row.addWidget(share)
        row.addWidget(self.val_box)
        row.addSpacing(12)
        row.addWidget(self.reload_button)
        row.addStretch(1)
        form.addRow(fact_label(self.tr("Dataset")), row)
        self.options_form = DatasetOptionsForm(form, form.rowCount(), self)
        self.summary = value_label(self.tr("loading…"))
        self.summary.setObjectName("dataSummary")
        form.addRow(fact_label(self.tr("Contents")), self.summary)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.add_section(self.tr("Samples"))
        self.gallery = PixmapLabel(self.tr("loading…"))
        self.gallery.setObjectName("sampleGallery")
        self.body.addWidget(self.gallery)

        self.add_section(self.tr("Balance and statistics"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        self.histogram = ClassHistogram()
        grid.addWidget(self.histogram, 0, 0)
        self.channels = ChannelTable()
        self.channels.setObjectName("channelTable")
        grid.addWidget(self.channels, 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        self.body.addLayout(grid)
        self.hints = self.add_bullets([self.tr("loading…")])
        self.hints.setObjectName("dataHints")

        self.add_section(self.tr("The batch entering the net"))
        self.add_hint(self.tr("The exact tensors of a training step, after normalisation and augmentation, drawn with "
                              "one linear grey scale from the batch's smallest to its largest value: what the "
                              "network gets, not a prettified copy."))
        batch_row = QHBoxLayout()
        self.batch_info = value_label("")
        self.batch_info.setObjectName("batchInfo")
        batch_row.addWidget(self.batch_info, 1)
        self.next_batch = QPushButton(self.tr("Next batch"))
        self.next_batch.setObjectName("nextBatch")
        batch_row.addWidget(self.next_batch)
        self.body.addLayout(batch_row)
        self.batch_view = PixmapLabel("")
        self.batch_view.setObjectName("batchView")
        self.body.addWidget(self.batch_view)

        self.task = QtJobRunner("data", parent=self)
        self.task.result.connect(self._show)
        self.task.error.connect(self._failed)
        self.dataset_box.currentTextChanged.connect(self._dataset_chosen)
        self.options_form.edited.connect(self._option_edited)
        self.val_box.valueChanged.connect(self._val_chosen)
        self.reload_button.clicked.connect(lambda: self.reload())
        self.next_batch.clicked.connect(lambda: self.reload(self._batch_index + 1))
        state.project_replaced.connect(self._project_replaced)
        state.project_edited.connect(self._on_edited)
        self.setStyleSheet(training_sheet())
        theme.follow_theme(self, self._restyle)
        self._sync_and_reload()

    def _restyle(self) -> None:
        """The page's sheet and the pictures drawn on the card's colour, in the new theme."""
        self.setStyleSheet(training_sheet())
        if self.snapshot is not None:
            self._draw_gallery(self.snapshot)
            self._draw_batch(self.snapshot)

    # --- shell compatibility ------------------------------------------------------------------------
    def fact_texts(self) -> dict[str, str]:
        data = self.state.project.data
        out = {self.tr("Dataset"): str(data.get("dataset", ""))}
        if "val_fraction" in data:
            out[self.tr("Validation share")] = f"{float(data['val_fraction']):.0%}"
        return out

    # --- editing ----------------------------------------------------------------------------------
    @property
    def pending(self) -> dict[str, Any] | None:
        """The data section being tried (a kind or an option the user chose that is not in the project
        yet because it has not loaded); None when the page shows the project's."""
        return copy.deepcopy(self._pending)

    def receive(self, item: Incoming) -> bool:
        """A dropped folder of class folders or CSV file: tried as the `folder` or `csv` data set with
        the other options the user had for that kind; written to the project when it loads."""
        name, key = ("folder", "root") if item.kind == drops.IMAGE_FOLDER else ("csv", "path")
        if self.options_form.dataset:
            self._typed[self.options_form.dataset] = dict(self.options_form.values)
        options = {**option_table.switched_options(name, self._typed), key: str(item.path)}
        if name == "csv" and self._typed.get("csv", {}).get("path") != str(item.path):
            options.pop("target", None)  # another file's column
        self._typed[name] = options
        self._syncing = True
        try:
            self.dataset_box.setCurrentText(name)
        finally:
            self._syncing = False
        self._propose(name, options, key)
        return True

    def _dataset_chosen(self, name: str) -> None:
        if self._syncing or name == self.options_form.dataset:
            return
        if self.options_form.dataset:
            self._typed[self.options_form.dataset] = dict(self.options_form.values)
        self._propose(name, option_table.switched_options(name, self._typed), None)

    def _option_edited(self, key: str, _value: Any) -> None:
        name = self.options_form.dataset
        self._typed[name] = dict(self.options_form.values)
        self._propose(name, self._typed[name], key)

    def _propose(self, name: str, options: dict[str, Any], key: str | None) -> None:
        """Try the data section with `name` and `options`: it is written to the project when it loads."""
        project_data = self.state.project.data
        candidate = copy.deepcopy(dict(project_data))
        candidate["dataset"] = name
        candidate["options"] = copy.deepcopy(options)
        self.options_form.show_options(name, options)
        if candidate == project_data or (not options and not project_data.get("options")
                                         and name == project_data.get("dataset")):
            self._pending = None  # back to what the project has
            if self._loaded != project_data or self.busy:  # a tried one may still be loading
                self.reload(0)
            return
        self._pending_key = key  # names the undo step of an options change
        self._pending = candidate
        self.reload(0)

    def _commit(self, data: dict[str, Any]) -> None:
        """Write the tried data section that loaded into the project: one undoable step."""
        name, options = data.get("dataset"), copy.deepcopy(data.get("options") or {})
        project_data = self.state.project.data
        stack = self.state.undo_stack
        self._pending = None
        self._committing = True  # each push reports an edit; the page already shows the result
        try:
            if name != project_data.get("dataset"):
                stack.beginMacro(self.tr("Use dataset {name}").format(name=name))
                stack.push(SetDataField(self.state, "options", options))
                stack.push(SetDataField(self.state, "dataset", name))
                stack.endMacro()
            else:
                key = self._pending_key or "options"
                label = self.tr("Set {option} of {dataset}").format(
                    option=self.options_form.label(str(name), key), dataset=name)
                stack.push(SetDatasetOptions(self.state, options, key, label))
        finally:
            self._committing = False
        self._sync_and_reload(load=False)

    def _val_chosen(self, value: float) -> None:
        if self._syncing or abs(float(self.state.project.data.get("val_fraction", 0.2)) - value) < 1e-9:
            return
        self.state.undo_stack.push(SetDataField(self.state, "val_fraction", round(float(value), 4)))

    def _project_replaced(self) -> None:
        self._typed.clear()
        self._pending = None
        self._loaded = None
        self._sync_and_reload()

    def _on_edited(self, what: str) -> None:
        if self._committing:
            return
        if what == "data":
            self._pending = None  # an edit elsewhere, an undo or our own commit: show the project
            self._sync_and_reload(load=self.state.project.data != self._loaded)
        elif what == "training":
            self._sync_and_reload()

    def _sync_and_reload(self, load: bool = True) -> None:
        data = self._pending if self._pending is not None else self.state.project.data
        self._syncing = True
        try:
            name = str(data.get("dataset", "digits"))
            if self.dataset_box.findText(name) < 0:
                self.dataset_box.addItem(name)
            self.dataset_box.setCurrentText(name)
            self.val_box.setValue(float(self.state.project.data.get("val_fraction", 0.2)))
            options = dict(data.get("options") or {})
            self._typed[name] = options
            self.options_form.show_options(name, options)
        finally:
            self._syncing = False
        if load:
            self.reload(0)

    # --- loading and drawing --------------------------------------------------------------------------
    def reload(self, batch_index: int = 0) -> None:
        """Load the data section being tried, else the project's, in the background."""
        self._batch_index = batch_index
        data = copy.deepcopy(self._pending if self._pending is not None else self.state.project.data)
        training = self.state.train_config
        missing = option_table.missing_required(str(data.get("dataset", "")), data.get("options") or {})
        if missing:
            self.task.cancel()
            self._needs(str(data.get("dataset")), missing[0].key)
            return
        self.summary.setText(self.tr("loading…"))
        self.task.submit(lambda _job: _load(data, training, batch_index))

    @property
    def busy(self) -> bool:
        """A load runs, or its result has not reached the page yet."""
        return not self.task.settled

    def _failed(self, message: str, _user_error: bool) -> None:
        """Say why at the top, and take down what the previous data set left on the page.

        The project is not touched: the user fixes the file or the option and the page reloads.
        """
        self.error.title.setText(self._error_title)
        self.error.show_message("load_failed", message.splitlines()[0] if message else self.tr("unknown error"))
        if self._pending is not None:
            self.summary.setText(self.tr("not loaded: the reason is above; the project keeps the data set "
                                         "“{name}”").format(name=self.state.project.data.get("dataset", "")))
        else:
            self.summary.setText(self.tr("not loaded: the reason is above"))
        self._clear_page()

    def _needs(self, dataset: str, key: str) -> None:
        """A data set kind is chosen whose folder or file is still to be chosen: say so, load nothing."""
        field_name = self.options_form.label(dataset, key)
        self.error.title.setText(self.tr("Not loaded yet"))
        self.error.show_message("needs_input", self.tr(
            "Fill in “{field}” below to use the data set “{name}”; until it loads, the project keeps "
            "“{current}”.").format(field=field_name, name=dataset, current=self.state.project.data.get("dataset", "")))
        self.summary.setText(self.tr("not loaded: “{field}” is empty").format(field=field_name))
        self._clear_page()

    def _clear_page(self) -> None:
        """Take down what the previous data set left on the page."""
        self.snapshot = None
        self._loaded = None
        self.gallery.setText(self.tr("No samples to show: the data set did not load."))
        self.histogram.hide()
        self.channels.setRowCount(0)
        self.channels.hide()
        self.hints.setText("")
        self.hints.hide()
        self.batch_info.setText("")
        self.batch_view.setText("")
        self.next_batch.setEnabled(False)
        self.verticalScrollBar().setValue(0)

    def _show(self, snap: DataSnapshot) -> None:
        if self._pending is not None:
            if snap.source != self._pending:
                return  # the project's data arrived while another one is being tried
            self._loaded = copy.deepcopy(snap.source)
            self._commit(snap.source)  # it loads: now it is the project's
        elif snap.source != self.state.project.data:
            return  # a data set tried before the user went back to the project's
        self._loaded = copy.deepcopy(snap.source)
        self.error.clear()
        if snap.warnings:  # it loaded and trains, but e.g. its images were stretched to a size nobody chose
            self.error.title.setText(self.tr("Loaded, but look at this"))
            self.error.show_message("data_warning", snap.warnings[0])
        self.next_batch.setEnabled(True)
        self.hints.show()
        self.channels.show()
        if snap.batch_index == 0 and self._batch_index != 0:
            return
        self.snapshot = snap
        b, f = snap.bundle, snap.facts
        classes = f"{len(f.class_names)} classes" if f.class_names else b.task
        self.summary.setText(self.tr("{train:,} training / {val:,} validation examples of shape {shape} ({kind}), "
                                     "{classes}").format(train=b.n_train, val=b.n_val, shape=tuple(b.input_shape),
                                                         kind=b.input_kind, classes=classes))
        self._draw_gallery(snap)
        self.histogram.setVisible(bool(f.train_counts))
        if f.train_counts:
            self.histogram.show_counts(f.class_names, f.train_counts, f.val_counts)
        self.channels.show_stats(f.raw_mean, f.raw_std, f.norm_mean, f.norm_std)
        self.hints.setText("".join(f"<p style='margin:0 0 6px 0'>•&nbsp;&nbsp;{h}</p>" for h in f.hints()))
        self._draw_batch(snap)

    def _draw_gallery(self, snap: DataSnapshot) -> None:
        from studio.core.recipe.data_insight import denormalised

        b = snap.bundle
        if b.input_kind == "tokens" and snap.facts.class_names:
            self._draw_text_windows(snap)
            return
        if b.input_kind != "image" or b.x_train.dim() != 4:
            self.gallery.setText(self.tr("{kind} inputs: no picture to show; the batch below draws each example "
                                         "as a row of values.").format(kind=b.input_kind))
            return
        x = denormalised(b, b.x_train[:GALLERY_SIZE])
        labels = []
        y = b.y_train.get("label")
        names = snap.facts.class_names
        for i in range(x.shape[0]):
            labels.append(names[int(y[i])] if y is not None and y.dim() == 1 and int(y[i]) < len(names)
                          else (str(int(y[i])) if y is not None and y.dim() == 1 else ""))
        self.gallery.setPixmap(labelled_grid(tiles_of(x), labels, cols=16))

    def _draw_text_windows(self, snap: DataSnapshot) -> None:
        """A text data set's first training windows, decoded back to text: what a language model
        reads (one window each line; a line break inside a window shows as ⏎)."""
        from studio.core.data.text import Vocabulary

        level = str((self.state.project.data.get("options") or {}).get("level", "char"))
        vocab = Vocabulary(list(snap.facts.class_names), level)
        x = snap.bundle.x_train[:TEXT_WINDOWS]
        lines = [escape(vocab.decode([int(t) for t in row]).replace("\n", "⏎")) for row in x]
        self.gallery.setText(self.tr("The first {n} of {total} training windows of {length} tokens ({level} level, "
                                     "{vocab} distinct tokens), decoded back to text:").format(
            n=len(lines), total=f"{snap.bundle.x_train.shape[0]:,}", length=x.shape[1], level=level, vocab=len(vocab))
            + "<pre style='margin-top:6px'>" + "<br>".join(lines) + "</pre>")

    def _draw_batch(self, snap: DataSnapshot) -> None:
        from studio.core.recipe.data_insight import tensor_grid

        s = snap.batch_stats
        aug = ", ".join(k for k, v in (snap.bundle.augment or {}).items() if v) or self.tr("no augmentation")
        self.batch_info.setText(self.tr("batch {i} of epoch 1 (seed {seed}): shape {shape} {dtype}, values "
                                        "{lo:.3g} … {hi:.3g}, mean {mean:.3f}, std {std:.3f}; {aug}").format(
            i=snap.batch_index + 1, seed=snap.seed, shape=tuple(s["shape"]), dtype=s["dtype"], lo=s["min"],
            hi=s["max"], mean=s["mean"], std=s["std"], aug=aug))
        x = snap.batch[:BATCH_SHOWN]
        if x.dim() == 4 and x.shape[1] in (1, 3):
            tiles = tiles_of(x, s["min"], s["max"])
            self.batch_view.setPixmap(labelled_grid(tiles, snap.batch_labels or [""] * len(tiles), cols=16))
        else:
            from studio.ui.training.recipe_view import rgb_pixmap

            grid, _ = tensor_grid(x.float() if x.is_floating_point() else x.float(), scale=4)
            self.batch_view.setPixmap(rgb_pixmap(grid))
