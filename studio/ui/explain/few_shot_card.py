"""Few-shot: how well a trained embedding recognises classes from K examples each (the Explain tab).

The window's face of `studio few-shot RUN` (studio/commands/few_shot.py): the same run folder and
weights the Model card shows, the same pool (the run's validation split, or an image folder chosen
here: `studio.core.train.few_shot.episode_pool`, as the command draws it) and the same core function,
`studio.core.train.few_shot.evaluate`, with the same seed, so the table shows the command's figures.
One row per N-way K-shot pair: the mean accuracy over the episodes with its 95 % interval, and
chance (1/N) beside it, which is what the figure means next to.

It lives in Explain rather than beside the Train panel's live embedding plot because it asks a
question about a finished run (any run folder, best or latest weights), which is what Explain opens;
the Train panel's plot follows the training that is running now.

Loading the data and embedding it take seconds, so the work runs on the tab's `QtJobRunner`; the
job (`evaluate_run`) is a plain function, no Qt. Two mistakes get their own message here instead
of a trace: a run without an embedding output (said as soon as the run is chosen), and data with
fewer usable classes than N (said after the data is read, naming the data and the numbers).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import UserError
from studio.core.train.few_shot import FewShotReport, embedding_head_index
from studio.ui.common.messages import ERROR, Msg
from studio.ui.common.widgets import Segmented
from studio.ui.explain.context import ExplainContext
from studio.ui.explain.widgets import LazyView

STAGES = 3
"""Progress steps of one evaluation: the weights, the data, the embedding and its episodes."""


@dataclass(frozen=True)
class FewShotRequest:
    """What the Run button asks for: every (way, shot) pair of `ways` x `shots` is evaluated."""

    run_dir: Path
    checkpoint: str
    ways: tuple[int, ...]
    shots: tuple[int, ...]
    queries: int
    episodes: int
    seed: int
    folder: Path | None = None
    """None: the run's validation split."""

    @property
    def settings(self) -> list[tuple[int, int]]:
        return [(w, k) for w in self.ways for k in self.shots]  # the command's order


@dataclass(frozen=True)
class ShortOfClasses:
    """The data has fewer classes with enough samples than the largest N asked for."""

    found: int
    need_samples: int
    way: int
    folder: Path | None


@dataclass(frozen=True)
class FewShotOutcome:
    request: FewShotRequest
    report: FewShotReport


def usable_classes(labels, need_samples: int) -> int:
    """How many classes have at least `need_samples` samples (the episodes' condition)."""
    import torch

    labels = labels.long().cpu()
    return int((torch.bincount(labels) >= need_samples).sum()) if labels.numel() else 0


def evaluate_run(request: FewShotRequest, progress: Callable[..., None]) -> FewShotOutcome | ShortOfClasses:
    """The command's evaluation of `request` (worker thread): load the weights and the pool the way
    `studio few-shot` does, then the core's `evaluate`. Data too short of classes is a `ShortOfClasses`."""
    from studio.app.run_store import RunStore
    from studio.core.train.few_shot import episode_pool, evaluate

    progress(0, STAGES)
    opened = RunStore().open(request.run_dir)
    model = opened.model(request.checkpoint)
    embedding_head_index(model)
    progress(1, STAGES)
    pool = episode_pool(opened.project.data, dict(opened.summary().dataset),
                        None if request.folder is None else str(request.folder),
                        "choose an image folder with one sub-folder per class")
    x, labels, names, trained, source = pool.x, pool.labels, pool.names, pool.trained, pool.source
    need = max(request.shots) + request.queries
    found = usable_classes(labels, need)
    if found < max(request.ways):
        return ShortOfClasses(found, need, max(request.ways), request.folder)
    progress(2, STAGES)
    report = evaluate(model, x, labels, names, trained, request.settings, request.queries, request.episodes,
                      request.seed, source)
    progress(3, STAGES)
    return FewShotOutcome(request, report)


def parse_numbers(text: str) -> list[int]:
    """'1, 5' -> [1, 5] (repeats dropped, order kept); [] when there is no number."""
    seen: list[int] = []
    for part in re.split(r"[,\s]+", text.strip()):
        if part and int(part) not in seen:
            seen.append(int(part))
    return seen


class FewShotPane(LazyView):
    """The Few-shot tab: settings, data, a Run button with progress, and the table of results."""

    MESSAGES = (Msg("failed", ERROR), Msg("no_embedding", ERROR), Msg("not_a_run", ERROR),
                Msg("too_few_classes", ERROR), Msg("bad_settings", ERROR), Msg("no_folder", ERROR))
    """failed: the core's one-line message. The others are this tab's own, named in the code."""

    COLUMNS = 4

    def __init__(self, context: ExplainContext, parent: QWidget | None = None):
        super().__init__(context, "few-shot", parent)
        self.outcome: FewShotOutcome | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 16, 16, 16)
        column.setSpacing(12)
        intro = QLabel(self.tr("Prototypical network: in each episode N classes are drawn, each class's prototype "
                               "is the mean embedding of its K examples, and every query takes the class of the "
                               "nearest prototype. No training: this measures what the embedding already knows."))
        intro.setObjectName("Caption")
        intro.setWordWrap(True)
        column.addWidget(intro)

        numbers = QRegularExpressionValidator(r"^[0-9][0-9 ,]*$")
        self.way = QLineEdit("5")
        self.shot = QLineEdit("1, 5")
        for edit in (self.way, self.shot):
            edit.setValidator(numbers)
            edit.setMaximumWidth(90)
            edit.setToolTip(self.tr("One number or several separated by commas: every N-way, K-shot pair gets "
                                    "a row"))
        self.queries = QSpinBox()
        self.queries.setRange(1, 1000)
        self.queries.setValue(15)
        self.queries.setToolTip(self.tr("Query samples per class in each episode"))
        self.episodes = QSpinBox()
        self.episodes.setRange(1, 100000)
        self.episodes.setSingleStep(100)
        self.episodes.setValue(200)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setMaximumWidth(110)
        self.seed.setToolTip(self.tr("The same run, data and seed give the same figures as the studio few-shot command"))
        fields = QHBoxLayout()
        fields.setSpacing(10)
        for text, widget in ((self.tr("N-way"), self.way), (self.tr("K-shot"), self.shot),
                             (self.tr("Queries"), self.queries), (self.tr("Episodes"), self.episodes),
                             (self.tr("Seed"), self.seed)):
            caption = QLabel(text)
            caption.setObjectName("FieldLabel")
            fields.addWidget(caption)
            fields.addWidget(widget)
            fields.addSpacing(8)
        fields.addStretch(1)
        column.addLayout(fields)

        data = QHBoxLayout()
        data.setSpacing(10)
        caption = QLabel(self.tr("Data"))
        caption.setObjectName("FieldLabel")
        self.source = Segmented([("validation", self.tr("The run's validation data")),
                                 ("folder", self.tr("An image folder"))])
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(self.tr("A folder with one sub-folder of images per class"))
        self.folder.setMinimumWidth(260)
        self.choose_button = QPushButton(self.tr("Choose folder…"))
        data.addWidget(caption)
        data.addWidget(self.source)
        data.addWidget(self.folder, 1)
        data.addWidget(self.choose_button)
        column.addLayout(data)

        line = QHBoxLayout()
        line.setSpacing(10)
        self.run_button = QPushButton(self.tr("Run"))
        self.run_button.setObjectName("Primary")
        self.bar = QProgressBar()
        self.bar.setRange(0, STAGES)
        self.bar.setTextVisible(False)
        self.stage = QLabel()
        self.stage.setObjectName("Caption")
        self.bar.setFixedWidth(260)
        line.addWidget(self.run_button)
        line.addWidget(self.bar)
        line.addWidget(self.stage)
        line.addStretch(1)
        column.addLayout(line)
        column.addWidget(self.error)

        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([self.tr("Setting"), self.tr("Accuracy (mean ± 95 % interval)"),
                                              self.tr("Chance (1/N)"), self.tr("Episodes")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        column.addWidget(self.table, 0, Qt.AlignmentFlag.AlignLeft)
        self.facts = QLabel()
        self.facts.setObjectName("Facts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        column.addWidget(self.facts)
        column.addStretch(1)

        self.run_button.clicked.connect(self.start)
        self.choose_button.clicked.connect(self.browse_folder)
        self.source.changed.connect(self._on_source)
        self.folder.textEdited.connect(lambda _t: self.source.set_value("folder"))
        self.worker.progress.connect(self._on_progress)
        context.input_changed.disconnect(self.invalidate)  # the figures do not depend on the input image
        self._show_idle()
        self.clear_view()
        self._on_source(self.source.value())

    # --- choosing -------------------------------------------------------------------------------
    def _on_source(self, key: str) -> None:
        self.folder.setEnabled(key == "folder")

    def browse_folder(self) -> None:
        """The folder picker; the chosen folder becomes the data (nothing runs until Run)."""
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose an image folder (one sub-folder per class)"),
                                                  self.folder.text())
        if folder:
            self.choose_folder(Path(folder))

    def choose_folder(self, folder: Path | None) -> None:
        """Evaluate on `folder` from now on; None goes back to the run's validation data."""
        if folder is None:
            self.source.set_value("validation")
            return
        self.folder.setText(str(folder))
        self.source.set_value("folder")

    def subject_changed(self) -> None:
        """A new run: old figures go, and a run that cannot be evaluated says why at once."""
        self.worker.cancel()
        self.clear_view()
        self._show_idle()
        self.error.clear()
        reason = self.refusal()
        if reason:
            self.error.show_message(*reason)
        self.run_button.setEnabled(self.context.subject is not None and not reason)

    def refusal(self) -> tuple[str, str] | None:
        """(message key, text) when the loaded model cannot be evaluated; None when it can."""
        subject = self.context.subject
        if subject is None:
            return None
        if subject.run_dir is None:
            return ("not_a_run", self.tr("{name} is not a trained Studio run: few-shot evaluation needs a run "
                                         "with an embedding output. Choose a trained run.").format(name=subject.title))
        try:
            embedding_head_index(subject.model)
        except UserError:
            kinds = ", ".join(h.kind for h in getattr(subject.model, "heads", [])) or self.tr("none")
            return ("no_embedding", self.tr("{name} has no embedding output (its outputs: {kinds}), so there is "
                                            "nothing to compare: train a project with an EmbeddingHead, e.g. the "
                                            "Siamese embedding template, and choose that run.").format(
                name=subject.run_dir.name, kinds=kinds))
        return None

    def compute(self) -> None:
        """Nothing on showing: an evaluation starts only when asked (Run)."""

    # --- running --------------------------------------------------------------------------------
    def request(self) -> FewShotRequest | None:
        """What the fields ask for, or None with the reason shown."""
        subject = self.context.subject
        if subject is None or subject.run_dir is None:
            return None
        ways, shots = parse_numbers(self.way.text()), parse_numbers(self.shot.text())
        if not ways or not shots or min(ways) < 2 or min(shots) < 1:
            self.error.show_message("bad_settings", self.tr("N-way takes whole numbers of 2 or more and K-shot of 1 "
                                                            "or more, separated by commas (e.g. 5 and 1, 5)."))
            return None
        folder = None
        if self.source.value() == "folder":
            text = self.folder.text().strip()
            if not text or not Path(text).is_dir():
                self.error.show_message("no_folder", self.tr("{folder} is not a folder: choose a folder with one "
                                                             "sub-folder of images per class.").format(
                    folder=text or self.tr("No folder chosen")))
                return None
            folder = Path(text)
        return FewShotRequest(subject.run_dir, subject.checkpoint, tuple(ways), tuple(shots), self.queries.value(),
                              self.episodes.value(), self.seed.value(), folder)

    def start(self) -> None:
        self.error.clear()
        request = self.request()
        if request is None:
            return
        self.outcome = None
        self.table.setRowCount(0)
        self._fit_table()
        self.facts.setText("")
        self.run_button.setEnabled(False)
        self.bar.setValue(0)
        self.bar.show()
        self.stage.setText(self.tr("Loading the weights…"))
        self.submit(lambda job: evaluate_run(request, job.progress))

    def _on_progress(self, values: tuple) -> None:
        done = int(values[0])
        self.bar.setValue(done)
        texts = {1: self.tr("Reading the data…"), 2: self.tr("Embedding the samples and running the episodes…")}
        if done in texts:
            self.stage.setText(texts[done])

    def show_result(self, result: object) -> None:
        self._show_idle()
        if isinstance(result, ShortOfClasses):
            data = str(result.folder) if result.folder is not None else self.tr("The run's validation data")
            self.error.show_message("too_few_classes", self.tr(
                "{data} has {found} classes with at least {need} images each, fewer than N = {way}: lower N-way, "
                "K-shot or Queries, or choose a folder with more classes.").format(
                data=data, found=result.found, need=result.need_samples, way=result.way))
            return
        assert isinstance(result, FewShotOutcome)
        self.outcome = result
        self.show_report(result.report)

    def show_report(self, report: FewShotReport) -> None:
        self.table.setRowCount(len(report.settings))
        for row, setting in enumerate(report.settings):
            cells = [self.tr("{way}-way {shot}-shot").format(way=setting.way, shot=setting.shot),
                     f"{100 * setting.accuracy:.1f} % ± {100 * setting.ci95:.1f}",
                     f"{100 * setting.chance:.1f} %", str(setting.episodes)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        self._fit_table()
        first = report.settings[0] if report.settings else None
        facts = self.tr("{source}: {samples} samples, {classes} classes, {queries} queries per class.").format(
            source=escape(report.source), samples=report.n_samples, classes=report.n_classes,
            queries=first.queries if first else 0)
        if report.held_out:
            facts += " " + self.tr("Episodes use the {n} classes the run never saw in training: {names}.").format(
                n=len(report.classes_used), names=escape(", ".join(report.classes_used)))
        else:
            facts += " " + self.tr("Every class of this data was seen in training: the figures measure the "
                                   "embedding on new samples, not on new classes.")
        self.facts.setText(facts)

    def _fit_table(self) -> None:
        """The table as big as its rows and columns: no scroll bars, no empty stretch."""
        self.table.resizeColumnsToContents()
        frame = 2 * self.table.frameWidth() + 2
        header = self.table.horizontalHeader()
        widths = sum(header.sectionSize(i) for i in range(self.COLUMNS))
        self.table.setFixedSize(widths + frame, header.sizeHint().height() + self.table.verticalHeader().length()
                                + frame)
        self.table.setVisible(self.table.rowCount() > 0)

    def on_failed(self, message: str) -> None:
        self._show_idle()

    def _show_idle(self) -> None:
        self.bar.hide()
        self.stage.setText("")
        self.run_button.setEnabled(self.context.subject is not None and self.refusal() is None)

    def clear_view(self) -> None:
        self.outcome = None
        self.table.setRowCount(0)
        self._fit_table()
        if self.context.subject is None:
            self.facts.setText(self.tr("Choose a trained embedding run (e.g. the Siamese embedding template) in "
                                       "the Model card, then press Run."))
        else:
            self.facts.setText("")

