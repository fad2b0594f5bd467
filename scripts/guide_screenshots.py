"""The user guide's pictures (docs/images/guide-<panel>.png), made the way a user gets there.

Opens the built-in example in a 1440x900 window, trains it in the Train panel (3 epochs on the CPU,
recipe checks included), opens that run in Explain and Export, and grabs each panel once it has
drawn. Run it again after a change to a panel's look:

    .venv/bin/python scripts/guide_screenshots.py [OUT_DIR] [--theme light|dark]

Offscreen (no display needed); settings go to a throw-away folder, so yours are untouched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(REPO / "docs" / "images"))
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="studio-guide-"))
    os.environ["STUDIO_CONFIG_DIR"] = str(work / "config")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    from studio.core.resources import default_example_path
    from studio.ui.app import LaunchOptions, create_main_window, install_translations, make_application
    from studio.ui.prompts import ScriptedPrompter

    app = make_application()
    install_translations(app)
    project = work / "mnist_cnn.studio.json"
    project.write_bytes(default_example_path().read_bytes())
    window, error = create_main_window(app, LaunchOptions(project=str(project), theme=args.theme),
                                       ScriptedPrompter())
    if error:
        raise SystemExit(f"cannot open the example: {error}")
    window.resize(1440, 900)
    window.show()

    def wait(condition, seconds: float, what: str) -> None:
        end = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > end:
                raise SystemExit(f"timed out waiting for {what}")
            app.processEvents()
            time.sleep(0.02)

    def settle(seconds: float = 1.0) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def grab(key: str, name: str | None = None, scroll_to=None) -> None:
        window.show_panel(key)
        settle(1.5)
        if scroll_to is not None:  # a page scrolled so that this widget is at the top
            page = panels[key]
            page.verticalScrollBar().setValue(scroll_to.mapTo(page.widget(), scroll_to.rect().topLeft()).y() - 12)
            settle(0.5)
        path = out / f"guide-{name or key}.png"
        window.grab().save(str(path))
        print(f"saved {path}")

    window.probe.start()
    wait(lambda: window.probe.info is not None, 120, "the device probe")
    panels = window.panels
    grab("build")
    data = panels["data"]
    wait(lambda: data.snapshot is not None, 120, "the data set")
    grab("data")

    train = panels["train"]
    window.show_panel("train")
    train.state.project.training.update(epochs=3)
    train.state.notify_edited("training")
    train.start_training(str(work / "runs" / "guide-run"))
    wait(lambda: train.controller.state in ("finished", "stopped", "error"), 600, "the training")
    train.run_all_checks()
    wait(lambda: not train.runner.busy, 600, "the recipe checks")
    grab("train")
    grab("train", "train-verdict", scroll_to=train.verdict)
    train.verticalScrollBar().setValue(0)

    run = train.controller.run_dir
    window.open_run(Path(run))
    explain = panels["explain"]
    window.show_panel("explain")
    wait(lambda: explain.context.subject is not None, 120, "Explain to load the run")
    settle(8)  # the CAM of the first image
    grab("explain")
    grab("export")
    grab("audio")
    window.close()
    app.processEvents()
    QApplication.instance().quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
