"""File ▸ Import model…: a model made elsewhere as a new project (what `studio import` does).

The dialog offers torchvision's architectures (random weights, nothing is downloaded) or a model
file (TorchScript or state_dict `.pt`/`.pth`, `.onnx`); a weights-only file asks for its
architecture. It then asks where to save the project (never replacing a file unasked), imports off
the GUI thread while a busy bar runs, and opens the new project on the canvas, auto-laid out. A
refused file (a pickled nn.Module, no model at all, an ONNX op Studio has no block for) is the
core's one-line message; the open project stays as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from studio.app.jobs import Policy
from studio.core.errors import UserError
from studio.core.project import SUFFIX
from studio.ui.common.jobs import QtJobRunner

MODEL_SUFFIXES = (".pt", ".pth", ".onnx")


_ARCHITECTURES: list[str] | None = None


def architectures() -> list[str]:
    """torchvision's classification architectures (importing torchvision takes seconds: a job)."""
    global _ARCHITECTURES
    if _ARCHITECTURES is None:
        from studio.core.graph.importers.api import torchvision_architectures

        _ARCHITECTURES = torchvision_architectures()
    return list(_ARCHITECTURES)


def needs_architecture(path: Path) -> bool:
    """A .pt/.pth file that is not TorchScript: weights only, so the import needs the architecture."""
    from studio.core.graph.importers.api import _is_torchscript

    path = Path(path)
    return path.suffix.lower() in (".pt", ".pth") and path.is_file() and not _is_torchscript(path)


def parameter_count(arch: str) -> int:
    """The architecture's parameters, counted on the meta device (no memory, no initialisation)."""
    from studio.core.graph.importers.api import build_torchvision

    model = build_torchvision(arch, {}, meta=True)
    return sum(p.numel() for p in model.parameters())


def parse_shape(text: str) -> tuple[int, ...] | None:
    text = text.strip()
    if not text:
        return None
    try:
        shape = tuple(int(v) for v in text.replace("x", ",").split(",") if v.strip())
    except ValueError:
        shape = ()
    if not shape or any(v < 1 for v in shape):
        raise UserError(f"{text!r} is not a shape like 3,224,224 (one sample, no batch)")
    return shape


FOLD_ASPECT = 1.5
"""Width over height the folded layout aims at: about a canvas's shape, so Fit shows it readably."""
BAND_GAP = 180.0


def folded_layout(graph) -> dict[str, tuple[float, float]]:
    """The canvas's auto layout, its long chain of layers cut into bands set side by side.

    An imported network is one long chain (resnet18 is ~50 layers deep): in one column, Fit shrinks
    it to a thread. Bands of consecutive layers, left to right, keep the flow downward in each band
    and the whole close to the canvas's shape.
    """
    import math

    from studio.ui.builder.layout import COLUMN, ROW, auto_layout

    positions = auto_layout(graph)
    if not positions:
        return positions
    layer = {nid: round(y / ROW) for nid, (_x, y) in positions.items()}
    depth = max(layer.values()) + 1

    def bands(rows: int) -> list[tuple[float, float]]:
        out = []
        for b in range(math.ceil(depth / rows)):
            xs = [positions[n][0] for n, lay in layer.items() if lay // rows == b]
            out.append((min(xs), max(xs)))
        return out

    def aspect(rows: int) -> float:
        width = sum(hi - lo + COLUMN for lo, hi in bands(rows)) + BAND_GAP * (len(bands(rows)) - 1)
        return width / (rows * ROW)

    rows = min(range(4, depth + 1), key=lambda r: abs(math.log(aspect(r) / FOLD_ASPECT)), default=depth)
    spans = bands(rows)
    offsets, left = [], 0.0
    for lo, hi in spans:
        offsets.append(left - lo)
        left += hi - lo + COLUMN + BAND_GAP
    return {nid: (x + offsets[layer[nid] // rows], (layer[nid] % rows) * ROW) for nid, (x, _y) in positions.items()}


def import_and_save(model: str, out: Path, arch: str | None = None,
                    input_shape: tuple[int, ...] | None = None) -> dict[str, Any]:
    """Import MODEL, lay it out, and write OUT and its weights file beside it (a job: no Qt)."""
    from studio.core.graph.importers.api import import_model
    from studio.core.graph.importers.weights import save_weights, weights_name
    from studio.core.graph.infer import infer_graph
    from studio.core.project import Project, save_project

    if arch is None and needs_architecture(Path(model)):
        from studio.core.graph.importers.api import load_state_dict_file

        load_state_dict_file(Path(model))  # refuses a pickled module, or a file that holds no weights
        raise UserError(QCoreApplication.translate("ImportModelDialog", "{name} holds weights only (a state_dict)")
                        .format(name=Path(model).name),
                        QCoreApplication.translate("ImportModelDialog", "choose the architecture they belong to "
                                                   "under “Architecture of the weights”"))
    result = import_model(model, arch, input_shape)
    for node_id, pos in folded_layout(result.graph).items():
        result.graph.node(node_id).pos = pos
    report = infer_graph(result.graph)
    weights_file = out.with_name(weights_name(out))
    result.graph.weights = weights_file.name
    project = Project(name=Path(model).stem if Path(model).suffix else model,
                      description=f"Imported from {result.source} (studio import).", graph=result.graph)
    save_weights(result.weights, weights_file)
    save_project(project, out)
    return {"project": out, "weights": weights_file, "nodes": len(result.graph.nodes),
            "modules": len(result.opaque), "params": report.total_params, "ok": report.ok}


class ImportModelDialog(QDialog):
    """Choose an architecture or a file, then where the project goes; the import runs in a job."""

    def __init__(self, window, path: Path | None = None):
        super().__init__(window)
        self.window_ = window
        self.setObjectName("importModelDialog")
        self.setWindowTitle(self.tr("Import model"))
        self.setModal(True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(560, 560)
        self.result_info: dict[str, Any] | None = None
        self.jobs = QtJobRunner("import model", Policy.ONE_AT_A_TIME, self)
        self.jobs.result.connect(self._imported)
        self.jobs.error.connect(self._failed)
        self.jobs.busy_changed.connect(self._set_busy)
        self.counts = QtJobRunner("import model parameter count", Policy.LATEST, self)
        self.counts.result.connect(self._show_count)
        self.counts.error.connect(lambda *_: self.count_label.setText(""))

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        intro = QLabel(self.tr("Turn a model made elsewhere into a project: layers Studio has a block for "
                               "become that block with their weights; the rest become Module blocks "
                               "(drawn dashed)."))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.from_list = QRadioButton(self.tr("A torchvision architecture (random weights, nothing is downloaded)"))
        self.from_list.setObjectName("importFromList")
        self.from_file = QRadioButton(self.tr("A model file (TorchScript or state_dict .pt/.pth, .onnx)"))
        self.from_file.setObjectName("importFromFile")
        group = QButtonGroup(self)
        group.addButton(self.from_list)
        group.addButton(self.from_file)
        layout.addWidget(self.from_list)

        self.filter = QLineEdit()
        self.filter.setObjectName("importFilter")
        self.filter.setPlaceholderText(self.tr("Filter, e.g. resnet"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.list = QListWidget()
        self.list.setObjectName("importArchitectures")
        self.list.currentTextChanged.connect(self._arch_chosen)
        self.list.itemDoubleClicked.connect(lambda _i: self.start())
        self.count_label = QLabel()
        self.count_label.setObjectName("importParamCount")
        indent = QVBoxLayout()
        indent.setContentsMargins(24, 0, 0, 0)
        indent.addWidget(self.filter)
        indent.addWidget(self.list, 1)
        indent.addWidget(self.count_label)
        layout.addLayout(indent, 1)

        layout.addWidget(self.from_file)
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("importFile")
        self.file_edit.setPlaceholderText(self.tr("model.pt, weights.pth or model.onnx"))
        self.file_edit.textChanged.connect(self._file_changed)
        self.browse_button = browse = QPushButton(self.tr("Browse…"))
        browse.setObjectName("importBrowse")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(browse)
        self.arch_combo = QComboBox()
        self.arch_combo.setObjectName("importArch")
        self.arch_combo.setEditable(True)
        self.arch_combo.lineEdit().setPlaceholderText(self.tr("e.g. resnet18"))
        self.arch_label = QLabel(self.tr("Architecture of the weights:"))
        self.shape_edit = QLineEdit()
        self.shape_edit.setObjectName("importShape")
        self.shape_edit.setPlaceholderText(self.tr("3,224,224"))
        form = QFormLayout()
        form.addRow(self.tr("File:"), row)
        form.addRow(self.arch_label, self.arch_combo)
        form.addRow(self.tr("One sample's shape:"), self.shape_edit)
        file_box = QWidget()
        file_box.setLayout(form)
        form.setContentsMargins(24, 0, 0, 0)
        self.file_box = file_box
        layout.addWidget(file_box)

        self.busy = QProgressBar()
        self.busy.setObjectName("importBusy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.status = QLabel()
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(self.tr("Import…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.from_list.toggled.connect(self._mode_changed)
        if path is not None:
            self.from_file.setChecked(True)
            self.file_edit.setText(str(path))
        else:
            self.from_list.setChecked(True)
        self._mode_changed()
        self.names = QtJobRunner("import model architectures", Policy.LATEST, self)
        self.names.result.connect(self._fill)
        self.names.error.connect(lambda message, _u: self.count_label.setText(message))
        if _ARCHITECTURES is not None:
            self._fill(architectures())
        else:
            self.count_label.setText(self.tr("Looking up torchvision's architectures…"))
            self.names.submit(lambda _ctx: architectures())

    def _fill(self, names: list[str]) -> None:
        self.count_label.setText("" if names else self.tr("torchvision is not installed: import a model file."))
        self.arch_combo.addItems(names)
        self.arch_combo.setCurrentIndex(-1)
        self.list.addItems(names)
        self._filter(self.filter.text())
        items = self.list.findItems("resnet18", Qt.MatchFlag.MatchExactly)
        if items:
            self.list.setCurrentItem(items[0])

    # --- choosing ------------------------------------------------------------------------------
    def _mode_changed(self, *_args) -> None:
        on_list = self.from_list.isChecked()
        for widget in (self.filter, self.list, self.count_label):
            widget.setEnabled(on_list)
        for widget in (self.file_edit, self.arch_combo, self.shape_edit):
            widget.setEnabled(not on_list)  # Browse… stays on: choosing a file switches to it
        self._file_changed()

    def _filter(self, text: str) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(text.strip().lower() not in item.text().lower())

    def _arch_chosen(self, arch: str) -> None:
        self.count_label.setText("")
        if arch:
            self.counts.submit(lambda _ctx, a=arch: (a, parameter_count(a)))

    def _show_count(self, value) -> None:
        arch, count = value
        current = self.list.currentItem()
        if current is not None and current.text() == arch:
            self.count_label.setText(self.tr("{arch}: {millions} million parameters").format(
                arch=arch, millions=f"{count / 1e6:.1f}"))

    def _file_changed(self, *_args) -> None:
        text = self.file_edit.text().strip()
        weights_only = bool(text) and needs_architecture(Path(text))
        self.arch_label.setVisible(weights_only)
        self.arch_combo.setVisible(weights_only)

    def browse(self) -> None:
        start = str(Path(self.file_edit.text()).parent) if self.file_edit.text() else self.window_._start_dir()
        filters = ";;".join([self.tr("Models (*.pt *.pth *.onnx)"), self.tr("All files (*)")])
        path = self.window_.prompter.open_file(self, self.tr("Import model"), start, filters)
        if path:
            self.from_file.setChecked(True)
            self.file_edit.setText(path)

    def source(self) -> tuple[str, str | None] | None:
        """(MODEL, architecture or None), or None with the reason shown when nothing is chosen."""
        if self.from_list.isChecked():
            item = self.list.currentItem()
            if item is None or item.isHidden():
                self.status.setText(self.tr("Choose an architecture in the list."))
                return None
            return item.text(), None
        text = self.file_edit.text().strip()
        if not text:
            self.status.setText(self.tr("Choose a model file."))
            return None
        if not Path(text).is_file():
            self.status.setText(self.tr("{path} is not a file.").format(path=text))
            return None
        arch = self.arch_combo.currentText().strip() if needs_architecture(Path(text)) else None
        return text, arch or None

    def _suggested(self, model: str) -> str:
        stem = Path(model).stem if Path(model).suffix else model
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem).strip("_") or "imported"
        start = Path(model).parent if Path(model).suffix else Path(self.window_._start_dir())
        return str(start / f"{stem.lower()}{SUFFIX}")

    # --- importing -----------------------------------------------------------------------------
    def start(self) -> bool:
        """Ask where to save, then import in the background; False when nothing started."""
        from studio.core.graph.importers.weights import weights_name

        if self.jobs.busy:
            return False
        chosen = self.source()
        if chosen is None:
            return False
        model, arch = chosen
        try:
            shape = parse_shape(self.shape_edit.text()) if self.from_file.isChecked() else None
        except UserError as exc:
            self.status.setText(exc.one_line())
            return False
        window = self.window_
        answer = window.prompter.save_path(self, self._suggested(model))
        if not answer:
            return False
        out = Path(answer)
        weights = out.with_name(weights_name(out))
        taken = [p.name for p in (out, weights) if p.exists()]
        if taken and not window.prompter.confirm(
                self, self.tr("Replace files?"),
                self.tr("{folder} already has {files}. Replace?").format(
                    files=", ".join(taken), folder=out.parent)):
            return False
        if not out.parent.is_dir():
            self.status.setText(self.tr("Folder {folder} does not exist.").format(folder=out.parent))
            return False
        if not window.maybe_keep_changes():
            return False
        self.status.setText(self.tr("Importing {model}…").format(model=Path(model).name))
        self.jobs.submit(lambda _ctx: import_and_save(model, out, arch, shape))
        return True

    def reject(self) -> None:
        """Cancel: an import under way is not opened (the files it was writing may still appear)."""
        self.jobs.cancel()
        super().reject()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.import_button.setEnabled(not busy)
        for widget in (self.from_list, self.from_file, self.list, self.filter, self.file_box):
            widget.setEnabled(not busy)
        if busy:
            return
        self._mode_changed()

    def _imported(self, info: dict[str, Any]) -> None:
        self.result_info = info
        window = self.window_
        if window.open_imported(info["project"]):
            window.statusBar().showMessage(
                self.tr("Imported {name}: {nodes} blocks ({modules} Module blocks), {params} parameters; "
                        "weights in {weights}").format(name=info["project"].name, nodes=info["nodes"],
                                                       modules=info["modules"], params=f"{info['params']:,}",
                                                       weights=info["weights"].name), 10000)
            self.accept()

    def _failed(self, message: str, _user_error: bool) -> None:
        self.status.setText(message)
        self.window_.statusBar().showMessage(message, 8000)
        self.window_.prompter.error(self, self.tr("Cannot import model"), message)
