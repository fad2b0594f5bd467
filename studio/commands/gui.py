"""`studio gui [PROJECT]`: open the desktop app (also what `python main.py` and `studio` run)."""

from __future__ import annotations

import argparse

PANEL_NAMES = ("build", "data", "train", "explain", "audio", "export")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", nargs="?", metavar="PROJECT",
                        help="a .studio.json project to open (default: the built-in MNIST CNN example); "
                             "a run folder, .onnx file, image, WAV file, folder of class folders or "
                             ".csv opens as if dropped on the window")
    parser.add_argument("--screenshot", metavar="OUT.png",
                        help="render the main window to a PNG once it has laid out, then quit "
                             "(works without a display)")
    parser.add_argument("--panel", metavar="NAME", type=str.lower, choices=PANEL_NAMES,
                        help="panel to bring to the front: " + ", ".join(PANEL_NAMES))
    parser.add_argument("--theme", choices=("light", "dark"),
                        help="theme for this launch (the View menu changes the saved one)")
    # Hooks for tests that drive a real app process; not part of the user interface.
    parser.add_argument("--test-edit", help=argparse.SUPPRESS)
    parser.add_argument("--test-restore", choices=("yes", "no"), help=argparse.SUPPRESS)
    parser.add_argument("--test-report", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    from studio.core.errors import UserError

    try:
        from studio.ui.app import LaunchOptions, run_app
    except ImportError as exc:
        raise UserError(f"the desktop app needs PySide6, which failed to import ({exc})",
                        "install it with `pip install PySide6-Essentials pyqtgraph`, or use the "
                        "headless subcommands (see `python -m studio --help`)") from exc
    return run_app(LaunchOptions(
        project=args.project, screenshot=args.screenshot, panel=args.panel, theme=args.theme,
        test_edit=args.test_edit, test_restore=args.test_restore, test_report=args.test_report,
    ))
