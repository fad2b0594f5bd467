"""The options of the chosen dataset kind as rows of a form: folders and files with Browse, spin boxes,
choices and switches, built from the Qt-free table in `studio.core.data.options`.

The rows live in the form layout the page gives (the Data panel's card, under the Dataset row), so
their labels line up with the card's. The form only shows values and says which one the user
changed (`edited(key, value)`, value None: leave the option out); the page decides what to do with
it (try it with the loader, write it to the project undoably).

MNIST, Fashion-MNIST and CIFAR-10 get one more row, Files: whether the standard files are in the
chosen folder, and a Download button that fetches the missing ones there (md5-checked, renamed into
place only when whole; `studio.core.data.vision_download`) with a progress bar and Cancel. When the
download ends the form reports the folder as edited, so the page tries the data set again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.data import options as table
from studio.core.data.options import Option
from studio.ui.common.download_progress import DownloadProgress


def _downloadable() -> tuple[str, ...]:
    from studio.core.data.vision_download import SOURCES

    return tuple(SOURCES)


def _kind(dataset: str) -> str:
    """The dataset kind a name stands for ("image_folder" is "folder")."""
    from studio.core.data.loader import ALIASES

    name = str(dataset).lower()
    return ALIASES.get(name, name)


class DatasetOptionsForm(QObject):
    """The rows of one dataset kind's options, inserted into `layout` from row `first_row` on."""

    edited = Signal(str, object)
    """(option key, new value or None to leave it out): the user changed one field."""
    downloaded = Signal(str)
    """The folder a Download just filled (the standard files are there now)."""

    def __init__(self, layout: QFormLayout, first_row: int, parent: QObject | None = None):
        super().__init__(parent)
        self.layout = layout
        self.first_row = first_row
        self.dataset = ""
        self.values: dict[str, Any] = {}
        self.fields: dict[str, QWidget] = {}
        """The editor of each option, by key (a QLineEdit for folders and files)."""
        self.browse: dict[str, QPushButton] = {}
        self.rows: list[QLabel] = []
        self._setting = False
        self.files_status: QLabel | None = None
        self.download_button: QPushButton | None = None
        self.download_progress: DownloadProgress | None = None
        """The Files row's widgets, for the data sets with standard files to download (else None)."""
        self._download_for: tuple[str, str] | None = None
        """(data set, folder) of the last download: its outcome stays shown while they are chosen."""

    # --- texts ------------------------------------------------------------------------------------
    def label(self, dataset: str, key: str) -> str:
        dataset = _kind(dataset)
        special = {
            ("csv", "path"): self.tr("CSV file"),
            ("text", "path"): self.tr("Text file"),
            ("csv", "task"): self.tr("Task"),
            ("sequence", "task"): self.tr("Label"),
            ("csv", "encoding"): self.tr("Text encoding"),
            ("sequence", "encoding"): self.tr("Encoding"),
            ("shapes", "size"): self.tr("Image size"),
            ("shapes_multi", "size"): self.tr("Image size"),
            ("detection_folder", "format"): self.tr("Label format"),
            ("sine", "length"): self.tr("Window length"),
            ("sequence", "length"): self.tr("Length"),
            ("mnist", "download"): self.tr("Download on load"),
            ("fashion_mnist", "download"): self.tr("Download on load"),
            ("cifar10", "download"): self.tr("Download on load"),
        }
        if (dataset, key) in special:
            return special[(dataset, key)]
        common = {
            "root": self.tr("Folder"), "image_size": self.tr("Image size"), "channels": self.tr("Channels"),
            "layout": self.tr("Layout"), "count": self.tr("Examples"), "noise": self.tr("Noise"),
            "seed": self.tr("Seed"), "vocab": self.tr("Vocabulary"), "horizon": self.tr("Horizon"),
            "download": self.tr("Download"), "limit": self.tr("Limit"), "target": self.tr("Target column"),
            "level": self.tr("Tokens"), "context": self.tr("Context"), "stride": self.tr("Stride"),
            "min_objects": self.tr("Fewest objects"), "max_objects": self.tr("Most objects"),
            "min_size": self.tr("Smallest shape"), "max_size": self.tr("Largest shape"),
            "per_voice": self.tr("Takes per voice"), "held_out_voices": self.tr("Held-out voices"),
            "features": self.tr("Features"), "seconds": self.tr("Clip length (s)"),
        }
        return common.get(key, key)

    def tooltip(self, dataset: str, key: str) -> str:
        dataset = _kind(dataset)
        special = {
            ("detection_folder", "root"): self.tr("A YOLO folder (images/ and labels/) or a folder holding one "
                                                  "COCO .json file."),
            ("detection_folder", "format"): self.tr("Automatic: YOLO when the folder has images/ and labels/, "
                                                    "else COCO."),
            ("folder", "root"): self.tr("A folder with one sub-folder of images per class; the sub-folders' "
                                        "names are the class names."),
            ("folder", "image_size"): self.tr("Every image is resized to this many pixels a side."),
            ("folder", "channels"): self.tr("1 for grey, 3 for colour; automatic follows the first image."),
            ("csv", "path"): self.tr("A table with a header row; every column but the target holds numbers."),
            ("csv", "target"): self.tr("The column the network learns to predict; the others are its inputs."),
            ("csv", "task"): self.tr("Automatic: a text target, or whole numbers with at most 20 values, is a "
                                     "class; other numbers are regressed."),
            ("csv", "encoding"): self.tr("Empty: UTF-8. Name the file's encoding (latin-1, cp1252) to read "
                                         "another."),
            ("text", "path"): self.tr("A plain UTF-8 text file; empty: the built-in stories."),
            ("text", "level"): self.tr("char: one token per character; word: words, punctuation and line "
                                       "breaks."),
            ("text", "context"): self.tr("Tokens per window: the Input's shape [T]."),
            ("text", "stride"): self.tr("Tokens between the starts of two training windows."),
            ("digits", "image_size"): self.tr("28 gives MNIST's 28×28, so the course's CNN runs unchanged."),
            ("digits", "layout"): self.tr("image: 1×S×S pictures; rows: each picture as a sequence of its "
                                          "rows (for an LSTM over rows)."),
            ("sequence", "task"): self.tr("majority: the most frequent token; first: the first token; "
                                          "parity: whether token 0 occurs an odd number of times."),
            ("sine", "horizon"): self.tr("Future values to forecast in each channel."),
        }
        if (dataset, key) in special:
            return special[(dataset, key)]
        common = {
            "root": self.tr("The folder holding the data set's files; empty: the standard data folder."),
            "download": self.tr("Download missing files (needs a network)."),
            "limit": self.tr("Keep only the first examples of each split."),
            "seed": self.tr("The same seed gives the same examples."),
        }
        return common.get(key, "")

    def none_text(self, dataset: str, key: str) -> str:
        """What an option left out means, shown in its field."""
        dataset = _kind(dataset)
        special = {
            ("folder", "channels"): self.tr("automatic"),
            ("csv", "task"): self.tr("automatic"),
            ("csv", "target"): self.tr("the last column"),
            ("csv", "encoding"): self.tr("UTF-8"),
            ("text", "path"): self.tr("the built-in stories"),
            ("text", "stride"): self.tr("half the context"),
            ("folder", "root"): self.tr("choose a folder of class folders"),
            ("detection_folder", "root"): self.tr("choose a YOLO or COCO folder"),
            ("csv", "path"): self.tr("choose a .csv file"),
            ("mnist", "limit"): self.tr("all"), ("fashion_mnist", "limit"): self.tr("all"),
            ("cifar10", "limit"): self.tr("all"),
        }
        if (dataset, key) in special:
            return special[(dataset, key)]
        if key == "root":
            from studio.core.data.vision_files import default_root

            return str(default_root())
        return self.tr("none")

    # --- building -----------------------------------------------------------------------------------
    def show_options(self, dataset: str, options: dict[str, Any]) -> None:
        """Show `dataset`'s fields with `options` (rebuilding the rows when the kind changed)."""
        options = dict(options or {})
        self._setting = True
        try:
            if dataset != self.dataset:
                self._clear()
                self.dataset = dataset
                for i, option in enumerate(table.options_for(dataset)):
                    self._add_row(self.first_row + i, option)
                if _kind(dataset) in _downloadable():
                    self._add_files_row(self.first_row + len(table.options_for(dataset)))
            self.values = options
            for option in table.options_for(dataset):
                self._set_field(option, options.get(option.key))
            self._show_files_status()
        finally:
            self._setting = False

    def _clear(self) -> None:
        for _ in range(len(self.rows)):
            self.layout.removeRow(self.first_row)
        self.rows.clear()
        self.fields.clear()
        self.browse.clear()
        self.files_status = self.download_button = self.download_progress = None

    def _add_row(self, row: int, option: Option) -> None:
        name = f"option_{option.key}"
        editor: QWidget
        if option.kind in (table.FOLDER, table.FILE):
            editor = QLineEdit()
            editor.setPlaceholderText(self.none_text(self.dataset, option.key))
            editor.editingFinished.connect(lambda o=option, e=editor: self._text_done(o, e))
            button = QPushButton(self.tr("Browse…"))
            button.setObjectName(f"{name}_browse")
            button.clicked.connect(lambda _=False, o=option: self._browse(o))
            self.browse[option.key] = button
            editor.setMinimumWidth(360)
            editor.setMaximumWidth(640)  # Browse stays beside the path, not at the card's far edge
            field: QWidget | QHBoxLayout = QHBoxLayout()
            field.setSpacing(8)
            field.addWidget(editor, 1)
            field.addWidget(button)
            field.addStretch(0)
        elif option.kind == table.TEXT:
            editor = QLineEdit()
            editor.setPlaceholderText(self.none_text(self.dataset, option.key))
            editor.setMaximumWidth(220)
            editor.editingFinished.connect(lambda o=option, e=editor: self._text_done(o, e))
            field = editor
        elif option.kind == table.INT:
            editor = QSpinBox()
            optional = option.default is None
            lo, hi = int(option.lo if option.lo is not None else 0), int(option.hi if option.hi is not None else 10**9)
            editor.setRange(lo - 1 if optional else lo, hi)
            if optional:
                editor.setSpecialValueText(self.none_text(self.dataset, option.key))
            editor.setKeyboardTracking(False)
            editor.setMinimumWidth(120)
            editor.valueChanged.connect(lambda v, o=option, e=editor: self._number_done(o, e, v))
            # Enter (or leaving the box) on the default it shows makes that value the project's own
            # choice: a folder of mixed sizes asks for a size, and 64 is a size one may choose
            editor.editingFinished.connect(lambda o=option, e=editor: self._number_chosen(o, e))
            field = editor
        elif option.kind == table.FLOAT:
            editor = QDoubleSpinBox()
            editor.setRange(float(option.lo or 0.0), float(option.hi if option.hi is not None else 1e9))
            editor.setSingleStep(float(option.step or 0.1))
            editor.setDecimals(3)
            editor.setKeyboardTracking(False)
            editor.setMinimumWidth(120)
            editor.valueChanged.connect(lambda v, o=option: self._emit(o, round(float(v), 6)))
            field = editor
        elif option.kind == table.BOOL:
            editor = QCheckBox()
            editor.toggled.connect(lambda on, o=option: self._emit(o, bool(on)))
            field = editor
        else:  # CHOICE, COLUMN
            editor = QComboBox()
            editor.setMinimumWidth(180)
            if option.kind == table.CHOICE:
                for choice in option.choices:
                    editor.addItem(self.none_text(self.dataset, option.key) if choice is None else str(choice),
                                   choice)
            editor.currentIndexChanged.connect(lambda i, o=option, e=editor: self._emit(o, e.itemData(i)))
            field = editor
        editor.setObjectName(name)
        tip = self.tooltip(self.dataset, option.key)
        if tip:
            editor.setToolTip(tip)
        caption = QLabel(self.label(self.dataset, option.key))
        caption.setObjectName("Muted")
        if tip:
            caption.setToolTip(tip)
        if isinstance(field, QHBoxLayout):
            self.layout.insertRow(row, caption, field)
        else:
            line = QHBoxLayout()
            line.setSpacing(8)
            line.addWidget(field)
            line.addStretch(1)
            self.layout.insertRow(row, caption, line)
        self.rows.append(caption)
        self.fields[option.key] = editor

    def _add_files_row(self, row: int) -> None:
        """Files: whether the standard files are in the folder, Download, and the download's bar."""
        status = QLabel("")
        status.setObjectName("datasetFilesStatus")
        status.setWordWrap(True)
        button = QPushButton(self.tr("Download"))
        button.setObjectName("datasetDownload")
        button.setToolTip(self.tr("Fetch the data set's standard files into the folder above, checking each "
                                  "one's published md5 (needs a network)."))
        button.clicked.connect(self.start_download)
        progress = DownloadProgress("datasetDownloadProgress")
        progress.succeeded.connect(self._download_done)
        progress.failed.connect(lambda _message: self._show_files_status(keep_message=True))
        status.setMaximumWidth(640)
        progress.setMaximumWidth(740)  # the bar stays under the Folder field, not across the whole card
        line = QHBoxLayout()
        line.setSpacing(8)
        line.addWidget(status, 1)  # as wide as the Folder field, Download under its Browse
        line.addWidget(button)
        line.addStretch(0)
        box = QVBoxLayout()
        box.setSpacing(4)
        box.addLayout(line)
        box.addWidget(progress)
        caption = QLabel(self.tr("Files"))
        caption.setObjectName("Muted")
        self.layout.insertRow(row, caption, box)
        self.rows.append(caption)
        self.files_status, self.download_button, self.download_progress = status, button, progress

    def data_root(self) -> Path:
        """The folder the loader reads the standard files from (the Folder option, else the default)."""
        from studio.core.data.vision_files import default_root

        root = self.values.get("root")
        return Path(str(root)).expanduser() if root else default_root()

    def _show_files_status(self, keep_message: bool = False) -> None:
        if self.files_status is None or self.download_button is None or self.download_progress is None:
            return
        from studio.core.data.vision_download import missing_files, source_for

        source = source_for(_kind(self.dataset))
        folder = self.data_root() / source.folder
        missing = missing_files(_kind(self.dataset), self.data_root())
        if missing:
            text = self.tr("Not in {folder} yet: Download fetches the {n} missing files.").format(
                folder=folder, n=len(missing))
        else:
            text = self.tr("All files are in {folder}.").format(folder=folder)
        self.files_status.setText(text)
        busy = self.download_progress.busy
        self.download_button.setEnabled(bool(missing) and not busy)
        if not keep_message and not busy and self._download_for != (self.dataset, str(self.data_root())):
            self.download_progress.hide()

    def start_download(self) -> None:
        """Fetch the chosen data set's missing standard files into its folder, in the background."""
        if self.download_progress is None:
            return
        from studio.core.data.vision_download import download_vision, source_for

        name, root = _kind(self.dataset), self.data_root()
        title = source_for(name).title
        started = self.download_progress.start(
            self.tr("Downloading {title} into {root}…").format(title=title, root=root),
            lambda progress, cancel: download_vision(name, root, progress=progress, cancel=cancel))
        if started and self.download_button is not None:
            self._download_for = (self.dataset, str(root))
            self.download_button.setEnabled(False)

    def _download_done(self, folder: Path) -> None:
        if self.download_progress is not None:
            self.download_progress.say(self.tr("Downloaded and checked: the files are in {folder}.").format(
                folder=folder))
        self._show_files_status(keep_message=True)
        self.downloaded.emit(str(folder))
        self.edited.emit("root", self.values.get("root"))  # the page tries the data set again

    # --- values --------------------------------------------------------------------------------------
    def _set_field(self, option: Option, value: Any) -> None:
        editor = self.fields[option.key]
        shown = option.default if value is None else value
        if isinstance(editor, QLineEdit):
            editor.setText("" if shown is None else str(shown))
            if option.kind == table.FILE:
                self._fill_columns(str(shown or ""))
        elif isinstance(editor, QSpinBox):
            if isinstance(shown, (list, tuple)) and shown:
                shown = shown[0]
            try:
                number = int(shown) if shown is not None else editor.minimum()
            except (TypeError, ValueError):
                number = editor.minimum()
            editor.setValue(number)
        elif isinstance(editor, QDoubleSpinBox):
            try:
                editor.setValue(float(shown))
            except (TypeError, ValueError):
                pass
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(shown))
        elif isinstance(editor, QComboBox):
            index = editor.findData(shown)
            if index < 0 and shown is not None:
                editor.addItem(str(shown), shown)
                index = editor.count() - 1
            editor.setCurrentIndex(max(index, 0))

    def _fill_columns(self, path: str) -> None:
        """The target column's choices: the header row of the CSV file `path`."""
        for option in table.options_for(self.dataset):
            if option.kind != table.COLUMN:
                continue
            box = self.fields[option.key]
            assert isinstance(box, QComboBox)
            current = self.values.get(option.key)
            columns = table.csv_columns(path, self.values.get("encoding")) if path.strip() else []
            box.blockSignals(True)
            box.clear()
            last = columns[-1] if columns else ""
            none = self.none_text(self.dataset, option.key)
            box.addItem(f"{none} ({last})" if last else none, None)
            for column in columns:
                box.addItem(column, column)
            index = box.findData(current)
            if index < 0 and current is not None:
                box.addItem(str(current), current)
                index = box.count() - 1
            box.setCurrentIndex(max(index, 0))
            box.blockSignals(False)

    def _emit(self, option: Option, value: Any, chosen: bool = False) -> None:
        if self._setting:
            return
        if value == option.default and option.key not in self.values and not chosen:
            return  # showing the default, not a change
        if value == self.values.get(option.key, option.default) and not (chosen and option.key not in self.values):
            return
        self.values = {**self.values, option.key: value}
        if value is None:
            self.values.pop(option.key)
        if option.kind == table.FILE:
            self._fill_columns(str(value or ""))
        self.edited.emit(option.key, value)

    def _text_done(self, option: Option, editor: QLineEdit) -> None:
        text = editor.text().strip()
        self._emit(option, text or None)

    def _number_chosen(self, option: Option, editor: QSpinBox) -> None:
        if option.key not in self.values and option.default is not None and editor.value() == option.default:
            self._emit(option, int(editor.value()), chosen=True)

    def _number_done(self, option: Option, editor: QSpinBox, value: int) -> None:
        if option.default is None and value == editor.minimum():
            self._emit(option, None)
        else:
            self._emit(option, int(value))

    def _browse(self, option: Option) -> None:
        editor = self.fields[option.key]
        assert isinstance(editor, QLineEdit)
        start = editor.text().strip() or str(Path.home())
        if option.kind == table.FOLDER:
            path = QFileDialog.getExistingDirectory(editor, self.tr("Choose the folder"), start)
        else:
            patterns = " ".join(f"*{s}" for s in option.suffixes)
            filters = ";;".join(f for f in (self.tr("Data files ({patterns})").format(patterns=patterns)
                                            if patterns else "", self.tr("All files (*)")) if f)
            path, _ = QFileDialog.getOpenFileName(editor, self.tr("Choose the file"), start, filters)
        if path:
            editor.setText(path)
            self._text_done(option, editor)
