"""Train: the config form, Start / Pause / Stop / Resume over a worker process, live curves, and
Karpathy's recipe (checks and a verdict on the curves).

The page only wires the pieces in studio/ui/training together: a RunController drains the worker's
events at 20 Hz, the curves redraw at most 15 times a second and only when new data came, and the
recipe checks run on a background thread. Nothing here trains or evaluates on the GUI thread.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QToolButton,
    QWidget,
)

from studio.app.jobs import Policy
from studio.app.run_store import RunStore
from studio.core.recipe.diagnosis import Verdict, diagnose
from studio.core.train.run_layout import RUNS
from studio.ui import theme
from studio.ui.common.jobs import QtJobRunner
from studio.ui.common.style import training_sheet
from studio.ui.common.widgets import StableWidthButton, VerdictBanner
from studio.ui.drops import RUN
from studio.ui.panels.base import PanelPage
from studio.ui.panels.inputs import Incoming, Input, TakesInputs
from studio.ui.state import AppState
from studio.ui.training.commands import SetTrainingField
from studio.ui.training.config_form import ConfigForm
from studio.ui.training.curves import CurvesView
from studio.ui.training.recipe_job import recipe_checks_job
from studio.ui.training.recipe_view import DIAGNOSIS_COLORS, ChecksProgress, RecipeView, show_diagnosis
from studio.ui.training.run_controller import RunController, default_run_dir, runs_folder
from studio.ui.training.weights_offer import WeightsOffer

DRAW_INTERVAL_MS = 50
VERDICT_INTERVAL_S = 1.0
GUI_METRICS_INTERVAL_MS = 50
"""The GUI asks the trainer to flush step metrics every 50 ms (20 Hz) so curves can move at >= 10 Hz."""


def format_eta(seconds: float | None) -> str:
    if seconds is None or seconds != seconds or seconds < 0:
        return "—"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def epochs_text(n: int | None) -> str:
    """'1 epoch', '3 epochs': one text for one, another for any other count (pt-BR, like English,
    has only these two forms)."""
    n = int(n or 0)
    if n == 1:
        return QCoreApplication.translate("TrainPanel", "{n} epoch").format(n=n)
    return QCoreApplication.translate("TrainPanel", "{n} epochs").format(n=n)


class TrainPanel(TakesInputs, PanelPage):
    KEY = "train"
    INPUTS = (Input(RUN, shows=False),)  # an opened run's curves are here; Explain comes to the front

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("TrainPanel", "Train")

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(state, parent)
        self.body.parentWidget().setMaximumWidth(1500)  # curves want the width the window has
        self.add_header(self.tr("Train"), self.tr(
            "Train on the GPU when there is one, else the CPU, while the learning curves draw live and Karpathy's "
            "recipe tells you what they mean and what to do next."))

        controls = QHBoxLayout()
        controls.setSpacing(8)
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.setObjectName("startTraining")
        self.start_button.setDefault(True)
        self.pause_button = StableWidthButton((self.tr("Pause"), self.tr("Continue")))
        self.pause_button.setObjectName("pauseTraining")
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setObjectName("stopTraining")
        self.resume_button = QPushButton(self.tr("Resume run"))
        self.resume_button.setObjectName("resumeTraining")
        self.resume_button.setToolTip(self.tr("Go on from the stopped run's checkpoint, on the same curve"))
        self.checks_button = StableWidthButton((self.tr("Run recipe checks"), self.tr("Running checks…")))
        self.checks_button.setObjectName("runChecks")
        for b in (self.start_button, self.pause_button, self.stop_button, self.resume_button):
            controls.addWidget(b)
        controls.addSpacing(16)
        controls.addWidget(self.checks_button)
        self.checks_progress = ChecksProgress()  # "running check 2 of 9…" while they run
        controls.addWidget(self.checks_progress)
        controls.addStretch(1)
        self.status_label = QLabel(self.tr("Ready"))
        self.status_label.setObjectName("trainStatus")
        controls.addWidget(self.status_label)
        self.body.addLayout(controls)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setObjectName("trainProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(8)
        progress_row.addWidget(self.progress, 1)
        self.progress_label = QLabel("")
        self.progress_label.setObjectName("Muted")
        self.progress_label.setMinimumWidth(380)
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        progress_row.addWidget(self.progress_label)
        self.body.addLayout(progress_row)
        self.body.addLayout(self._runs_folder_row())
        self.body.addWidget(self.runs_note)
        self.error_label = QLabel("")
        self.error_label.setObjectName("trainError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("color:#b42318;font-weight:600")
        self.error_label.hide()
        self.body.addWidget(self.error_label)
        self.weights_offer = WeightsOffer()  # Download, when a PretrainedBackbone's file was missing
        self.body.addWidget(self.weights_offer)

        self.body.addSpacing(12)
        self.config_toggle = QToolButton()
        self.config_toggle.setObjectName("configToggle")
        self.config_toggle.setText(self.tr("Configuration"))
        self.config_toggle.setCheckable(True)
        self.config_toggle.setChecked(True)
        self.config_toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.config_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.config_toggle.setStyleSheet("QToolButton { border: none; font-size: 12pt; font-weight: 600; }")
        self.config_summary = QLabel("")
        self.config_summary.setObjectName("Muted")
        head = QHBoxLayout()
        head.addWidget(self.config_toggle)
        head.addWidget(self.config_summary, 1)
        self.body.addLayout(head)
        self.form = ConfigForm(state)
        self.body.addWidget(self.form)
        self.config_toggle.toggled.connect(self._show_config)
        self.add_section(self.tr("Learning curves"))
        self.curves = CurvesView()
        self.body.addWidget(self.curves)
        self.add_section(self.tr("Karpathy's recipe"))
        self.verdict = VerdictBanner(edged=True)
        show_diagnosis(self.verdict, Verdict("not_trained", self.tr(
            "Start a training: the verdict on its curves appears here.")))
        self.body.addWidget(self.verdict)
        self.recipe = RecipeView(state, self.checks_progress)
        self.body.addWidget(self.recipe)

        self.controller = RunController(self)
        self.runner = QtJobRunner("recipe", Policy.ONE_AT_A_TIME, self)
        self.verdict_task = QtJobRunner("verdict", parent=self)
        self.verdict_task.result.connect(self._show_verdict)
        self.verdict_task.error.connect(self._on_verdict_failed)
        self.recorded_task = QtJobRunner("recorded run", parent=self)  # an opened run's metrics, read off the GUI thread
        self.recorded_task.result.connect(self._show_recorded)
        self.recorded_task.error.connect(self._on_recorded_failed)
        self.draw_timer = QTimer(self)
        self.draw_timer.setInterval(DRAW_INTERVAL_MS)
        self.draw_timer.timeout.connect(self._draw)
        self._run_t0: float | None = None
        self._progress0: float | None = None
        self._last_step_event: dict | None = None
        self._finished_runs: list[Path] = []
        self._verdict_due = False
        self._verdict_at = 0.0

        self.start_button.clicked.connect(self.start_training)
        self.pause_button.clicked.connect(self._pause_or_resume)
        self.stop_button.clicked.connect(self.controller.stop)
        self.resume_button.clicked.connect(self.resume_run)
        self.checks_button.clicked.connect(self.run_all_checks)
        self.controller.events.connect(self._on_events)
        self.controller.state_changed.connect(self._on_state)
        self.controller.finished.connect(self._on_finished)
        self.runner.progress.connect(self.recipe.job_progress)  # a check starting, or one finished
        self.runner.error.connect(self._on_recipe_failed)
        self.runner.busy_changed.connect(lambda _busy: self._sync_buttons())
        self.recipe.use_lr.connect(self._use_lr)
        self.curves.export_requested.connect(self._export)
        self.curves.compare.currentIndexChanged.connect(self._compare_changed)
        state.project_replaced.connect(self._project_replaced)
        state.path_changed.connect(self._list_earlier_runs)
        state.path_changed.connect(self._show_runs_folder)
        state.project_replaced.connect(self._show_runs_folder)
        self._restyle()
        theme.follow_theme(self, self._restyle)
        self._sync_buttons()
        self.curves.reset(state.project.graph)  # the plots this kind of run has, for a project opened at start too
        self._list_earlier_runs()
        self._show_runs_folder()

    def _runs_folder_row(self) -> QHBoxLayout:
        """Where runs are saved, with a way to open and to copy it: an untitled project's runs go to
        the settings folder, which nothing else on screen names."""
        row = QHBoxLayout()
        row.setSpacing(8)
        self.runs_caption = QLabel(self.tr("Runs are saved in"))
        self.runs_caption.setObjectName("Muted")
        self.runs_path = QLabel("")
        self.runs_path.setObjectName("RunsFolder")
        self.runs_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.runs_note = QLabel("")  # under the row, wrapped: long in some languages
        self.runs_note.setObjectName("Muted")
        self.runs_note.setWordWrap(True)
        self.open_runs_button = QPushButton(self.tr("Open folder"))
        self.open_runs_button.setObjectName("openRunsFolder")
        self.copy_runs_button = QPushButton(self.tr("Copy path"))
        self.copy_runs_button.setObjectName("copyRunsFolder")
        self.open_runs_button.clicked.connect(self._open_runs_folder)
        self.copy_runs_button.clicked.connect(self._copy_runs_folder)
        for w in (self.runs_caption, self.runs_path, self.open_runs_button, self.copy_runs_button):
            row.addWidget(w)
        row.addStretch(1)
        return row

    def runs_location(self) -> Path:
        """The folder shown: this run's own once one started, else where the next one will go."""
        if self.controller.run_dir is not None:
            return self.controller.run_dir
        return runs_folder(self.state.path)

    def _show_runs_folder(self, *_args) -> None:
        this_run = self.controller.run_dir is not None
        self.runs_caption.setText(self.tr("This run is saved in") if this_run else self.tr("Runs are saved in"))
        where = self.runs_location()
        self.runs_path.setText(str(where))
        self.runs_path.setToolTip(str(where))
        self.runs_note.setText("" if self.state.path is not None else self.tr(
            "(the project is not saved: save it to keep its runs beside it)"))
        self.runs_note.setVisible(self.state.path is None)

    def _open_runs_folder(self) -> None:
        where = self.runs_location()
        where.mkdir(parents=True, exist_ok=True)  # the first run has not made it yet
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(where))):
            self.status_label.setText(self.tr("Could not open the folder; its path is copied"))
            self._copy_runs_folder()

    def _copy_runs_folder(self) -> None:
        QGuiApplication.clipboard().setText(str(self.runs_location()))
        self.status_label.setText(self.tr("Path copied"))

    def _restyle(self) -> None:
        """The page's sheet in the current theme: buttons that look disabled when they are."""
        self.setStyleSheet(training_sheet())

    # --- compatibility with the shell's facts (tests read them) ----------------------------------
    def fact_texts(self) -> dict[str, str]:
        t = self.form
        return {self.tr("Optimizer"): t.optimizer.currentText(), self.tr("Learning rate"): t.lr.text(),
                self.tr("Batch size"): str(t.batch_size.value()), self.tr("Epochs"): str(t.epochs.value()),
                self.tr("Seed"): str(t.seed.value()), self.tr("Device"): t.device.currentText()}

    def _show_config(self, visible: bool) -> None:
        """Fold the form away (it folds itself on Start) so the curves get the screen."""
        self.form.setVisible(visible)
        self.config_toggle.setArrowType(Qt.ArrowType.DownArrow if visible else Qt.ArrowType.RightArrow)
        cfg = self.state.train_config
        self.config_summary.setText("" if visible else self.tr("{opt}, lr {lr}, batch {bs}, {epochs}").format(
            opt=cfg.optimizer, lr=cfg.lr, bs=cfg.batch_size, epochs=epochs_text(cfg.epochs)))

    # --- actions ---------------------------------------------------------------------------------
    def start_training(self, run_dir: str | Path | None = None, overrides: dict | None = None,
                       cheap_checks: bool = True) -> Path | None:
        if self.controller.busy:
            return None
        project = self.state.project
        run_dir = Path(run_dir) if run_dir else default_run_dir(self.state.path, project.name)
        self.curves.reset(project.graph)
        self.error_label.hide()
        self.weights_offer.withdraw()
        show_diagnosis(self.verdict, Verdict("too_early", self.tr("The verdict appears after a few epochs.")))
        self._run_t0 = None
        self._progress0 = None
        self.progress.setValue(0)
        self.progress_label.setText(self.tr("starting the worker…"))
        overrides = {"metrics_interval_ms": GUI_METRICS_INTERVAL_MS, **(overrides or {})}
        self.controller.project_path = self.state.path
        self.controller.start(project, run_dir, overrides, nproc=self.form.processes.value())
        self._show_runs_folder()
        self.state.run_started.emit(Path(run_dir))
        self.config_toggle.setChecked(False)
        if cheap_checks and not self.runner.busy:
            from studio.core.recipe.report import CHEAP

            # their rows replace older ones; other checks' results stay
            self.runner.submit(recipe_checks_job(project, CHEAP))
        self.draw_timer.start()
        self._sync_buttons()
        return run_dir

    def resume_run(self) -> None:
        if self.controller.can_resume_stopped:
            self.error_label.hide()
            self.controller.resume_stopped()
            self.draw_timer.start()
            self._sync_buttons()

    def run_all_checks(self) -> None:
        if self.runner.busy:
            return
        self.recipe.clear()
        self.runner.submit(recipe_checks_job(self.state.project))
        self._sync_buttons()

    def _pause_or_resume(self) -> None:
        if self.controller.state == "paused":
            self.controller.resume()
        else:
            self.controller.pause()

    def _use_lr(self, lr: float) -> None:
        if self.state.train_config.lr != lr:
            self.state.undo_stack.push(SetTrainingField(self.state, "lr", lr))

    # --- a run opened from disk ----------------------------------------------------------------------
    def receive(self, item: Incoming) -> bool:
        """An opened run folder shows its recorded curves, its paradigm's views and the verdict, as
        they stood when it ended; a training under way keeps the curves it is drawing."""
        if self.controller.busy:
            return False
        path = Path(item.path)
        self.curves.reset(self.state.project.graph)
        self.progress.setValue(0)
        self.progress_label.setText(self.tr("reading run {run}…").format(run=path.name))
        self.recorded_task.submit(lambda _job: (path, RunStore().open(path).metrics()))
        return True

    def _show_recorded(self, result: tuple[Path, list[dict]]) -> None:
        path, events = result
        if self.controller.busy:  # a training started while the file was read: its curves win
            return
        self.curves.reset(self.state.project.graph)
        self._last_step_event = None
        self.config_toggle.setChecked(False)  # the curves are what an opened run is for
        self._on_events(events)
        self.curves.refresh()
        end = next((e for e in reversed(events) if e.get("event") in ("done", "error")), None)
        # a stopped, failed or killed run can go on from its checkpoint (Resume run)
        self.controller.adopt(self.state.project, path, end, {"metrics_interval_ms": GUI_METRICS_INTERVAL_MS})
        if end is not None:
            self._show_end(end)
        else:  # killed, or still training in another process: what the file holds so far
            epochs = sum(1 for e in events if e.get("event") == "epoch")
            self.progress_label.setText(self.tr("run {run}: {epochs} recorded, no end (stopped by force, or "
                                                "still training elsewhere)").format(run=path.name,
                                                                                    epochs=epochs_text(epochs)))
            self._verdict_due = False
            self._update_verdict()
        self.status_label.setText(self.tr("Recorded run {run}").format(run=path.name))
        self._sync_buttons()

    def _on_recorded_failed(self, message: str, _user_error: bool) -> None:
        self.progress_label.setText("")
        self.error_label.setText(self.tr("Cannot show the run's curves: {m}").format(m=message.splitlines()[0]))
        self.error_label.show()

    # --- events ----------------------------------------------------------------------------------
    def _on_events(self, events: list[dict]) -> None:
        self.curves.add_events(events)
        verdict_due = False
        for ev in events:
            kind = ev.get("event")
            if kind == "step":
                self._last_step_event = ev
            elif kind in ("epoch", "done", "error"):
                verdict_due = True
            elif kind == "start":
                self._run_t0 = time.monotonic()
                self._progress0 = None
        if self._last_step_event is not None:
            self._show_progress(self._last_step_event)
        if verdict_due:
            self._verdict_due = True

    def _show_progress(self, ev: dict) -> None:
        p = float(ev.get("progress") or 0.0)
        self.progress.setValue(int(1000 * min(1.0, p)))
        now = time.monotonic()
        if self._progress0 is None:
            self._progress0 = (now, p)
        t0, p0 = self._progress0
        eta = (now - t0) / (p - p0) * (1.0 - p) if p > p0 and now > t0 else None
        start = self.curves.series.start
        epochs = start.get("epochs", "?")
        self.progress_label.setText(self.tr("epoch {e}/{n} · step {s} · {sps} samples/s · ETA {eta}").format(
            e=ev.get("epoch"), n=epochs, s=ev.get("step"), sps=f"{float(ev.get('samples_per_s') or 0):,.0f}",
            eta=format_eta(eta)))

    def _maybe_update_verdict(self) -> None:
        """At most one diagnosis a second, and never two at once (fast runs finish many epochs a second)."""
        now = time.monotonic()
        if self._verdict_due and not self.verdict_task.busy and now - self._verdict_at >= VERDICT_INTERVAL_S:
            self._verdict_due = False
            self._verdict_at = now
            self._update_verdict()

    def _update_verdict(self) -> None:
        """Diagnose a snapshot of the curves' arrays on a background thread; show it when it comes back.
        (The raw events are not kept: a long run's dicts would make every garbage collection a stall.)"""
        curves = self.curves.series.curves()
        data = copy.deepcopy(self.state.project.data)  # a language model's bar: counting its text's tokens

        def judge(_job) -> Verdict:
            from studio.core.recipe.subject import text_unigram_perplexity

            return diagnose(curves, text_unigram_perplexity(data) if curves.language_model else None)

        self.verdict_task.submit(judge)

    def _show_verdict(self, verdict: Verdict) -> None:
        verdict = self.recipe.verdict_with_evidence(verdict)  # the range test's lr, not lr/10
        show_diagnosis(self.verdict, verdict)
        judged = verdict.name not in ("too_early", "not_trained")
        # a verdict naming a step ("NaN/Inf from step 2") is marked at that step, not at its epoch's end
        self.curves.mark_epoch(verdict.epoch if judged else None, verdict.title, DIAGNOSIS_COLORS.get(verdict.name),
                               step=verdict.step if judged else None)

    def _on_state(self, state: str) -> None:
        words = {"idle": self.tr("Ready"), "starting": self.tr("Starting…"), "running": self.tr("Training"),
                 "paused": self.tr("Paused"), "stopping": self.tr("Stopping (saving a checkpoint)…"),
                 "finished": self.tr("Finished"), "stopped": self.tr("Stopped — checkpoint saved"),
                 "error": self.tr("Failed")}
        self.status_label.setText(words.get(state, state))
        self._sync_buttons()

    def _on_finished(self, final: dict) -> None:
        self.draw_timer.stop()
        if self.controller.run_dir is not None:
            self.state.run_ended.emit(self.controller.run_dir)
        self._draw()
        self._show_end(final)
        self._list_earlier_runs()

    def _show_end(self, final: dict) -> None:
        """The run's last event (done or error) in the progress row, and the verdict on its curves."""
        if final.get("event") == "error":
            fix = f": {self.recipe.run_fix(final)}" if final.get("fix") else ""  # the range test's lr if any
            self.error_label.setText(f"{final.get('message', 'training failed')}{fix}")
            self.error_label.show()
            self.weights_offer.offer_for(self.state.project.graph, final.get("message", ""))
        else:
            self.progress.setValue(1000 if not final.get("stopped") else self.progress.value())
            acc = final.get("best_val_accuracy")
            self.progress_label.setText(self.tr("{reason} after {epochs} · {sps} samples/s{acc}").format(
                reason=final.get("reason", "done"), epochs=epochs_text(final.get("epochs")),
                sps=f"{float(final.get('samples_per_s') or 0):,.0f}",
                acc=self.tr(" · best validation accuracy {a}").format(a=f"{acc:.1%}") if acc is not None else ""))
            if final.get("diverged"):  # finished, but the loss ended far above where it began
                self.error_label.setText(f"{final.get('warning', 'training diverged')}: {self.recipe.run_fix(final)}")
                self.error_label.show()
        self._verdict_due = False
        self._update_verdict()

    def _on_verdict_failed(self, message: str, _user_error: bool) -> None:
        """A verdict that could not be computed says so (it used to vanish, leaving the last one up)."""
        self.error_label.setText(self.tr("Verdict: {m}").format(m=message.splitlines()[0]))
        self.error_label.show()

    def _on_recipe_failed(self, message: str, _user_error: bool) -> None:
        self.error_label.setText(self.tr("Recipe checks: {m}").format(m=message.splitlines()[0]))
        self.error_label.show()
        self.weights_offer.offer_for(self.state.project.graph, message)

    def _draw(self) -> None:
        self._maybe_update_verdict()
        if self.isVisible() or self.controller.state in ("finished", "stopped", "error"):
            self.curves.refresh()

    def _sync_buttons(self) -> None:
        c = self.controller
        busy = c.busy
        self.start_button.setEnabled(not busy)
        self.pause_button.setEnabled(c.state in ("running", "paused") and c.can_pause)
        self.pause_button.setToolTip("" if c.can_pause or not busy else self.tr(
            "Pause is not available on several processes: pausing is not coordinated across the ranks (Stop is: "
            "all of them stop and one checkpoint is saved)"))
        self.pause_button.setText(self.tr("Continue") if c.state == "paused" else self.tr("Pause"))
        self.stop_button.setEnabled(c.state in ("running", "paused", "starting"))
        self.resume_button.setEnabled(c.can_resume_stopped)
        self.checks_button.setEnabled(not self.runner.busy)
        self.checks_button.setText(self.tr("Running checks…") if self.runner.busy else self.tr("Run recipe checks"))
        self.checks_progress.set_running(self.runner.busy)
        self.form.setEnabled(not busy)

    def _project_replaced(self) -> None:
        if not self.controller.busy:
            self.curves.reset(self.state.project.graph)
            self.recipe.clear()
            show_diagnosis(self.verdict, Verdict("not_trained", self.tr("Start a training: the verdict on its "
                                                                        "curves appears here.")))
        self._list_earlier_runs()

    # --- earlier runs and export --------------------------------------------------------------------
    def runs_root(self) -> Path | None:
        if self.controller.run_dir is not None:
            return self.controller.run_dir.parent
        if self.state.path is not None:
            return Path(self.state.path).parent / RUNS
        return None

    def _list_earlier_runs(self, *_args) -> None:
        box = self.curves.compare
        root = self.runs_root()
        current = self.controller.run_dir.resolve() if self.controller.run_dir is not None else None
        runs = []
        if root is not None:
            runs = sorted((run.path for run in RunStore([root]).runs() if run.has_metrics and run.path != current),
                          key=lambda p: p.stat().st_mtime, reverse=True)[:30]
        selected = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(self.tr("no earlier run"), None)
        for p in runs:
            box.addItem(p.name, str(p))
        index = box.findData(selected)
        box.setCurrentIndex(max(0, index))
        box.blockSignals(False)

    def _compare_changed(self, _index: int) -> None:
        """Read off the GUI thread and decimated (CurvesView.compare_run): an earlier run of a
        million lines used to block the window for 17 s at 2.9 GB."""
        self.curves.compare_run(self.curves.compare.currentData())

    def choose_export_path(self, kind: str, suggested: Path) -> str | None:
        """Ask where to export (tests replace this)."""
        if kind == "png":
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export plots as PNG"), str(suggested), "PNG (*.png)")
            return path or None
        return QFileDialog.getExistingDirectory(self, self.tr("Export curve data (CSV) to folder"), str(suggested)) or None

    def _export(self, kind: str) -> None:
        base = self.controller.run_dir or Path.home()
        if kind == "png":
            path = self.choose_export_path("png", base / "curves.png")
            if path:
                self.curves.save_png(path)
                self.status_label.setText(self.tr("Saved {p}").format(p=Path(path).name))
        else:
            folder = self.choose_export_path("csv", base)
            if folder:
                files = self.curves.save_csv(folder)
                self.status_label.setText(self.tr("Saved {n} CSV files").format(n=len(files)))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.controller.shutdown()
        self.runner.cancel()
        super().closeEvent(event)
