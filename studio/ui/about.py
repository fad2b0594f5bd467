"""The About box's text: versions of everything that matters when reporting a problem."""

from __future__ import annotations

import platform
import sys

import PySide6
from PySide6.QtCore import QCoreApplication, qVersion

from studio import __version__


def version_rows(info: dict | None) -> list[tuple[str, str]]:
    pending = QCoreApplication.translate("About", "detecting…")
    rows = [
        (QCoreApplication.translate("About", "Studio"), __version__),
        (QCoreApplication.translate("About", "Python"), f"{platform.python_version()} ({sys.implementation.name})"),
        (QCoreApplication.translate("About", "Qt"), f"{qVersion()} (PySide6 {PySide6.__version__})"),
    ]
    if info is None:
        rows += [(QCoreApplication.translate("About", "PyTorch"), pending), (QCoreApplication.translate("About", "CUDA"), pending), (QCoreApplication.translate("About", "Device"), pending)]
        return rows
    if info.get("torch"):
        rows.append((QCoreApplication.translate("About", "PyTorch"), info["torch"]))
    else:
        rows.append((QCoreApplication.translate("About", "PyTorch"), QCoreApplication.translate("About", "not available ({error})").format(error=info.get("torch_error", "?"))))
    cuda = info.get("cuda")
    if not cuda:
        rows.append((QCoreApplication.translate("About", "CUDA"), QCoreApplication.translate("About", "none (CPU-only PyTorch build)")))
    elif info.get("cuda_available"):
        rows.append((QCoreApplication.translate("About", "CUDA"), cuda))
    else:
        rows.append((QCoreApplication.translate("About", "CUDA"), QCoreApplication.translate("About", "{version} (built in; no usable GPU found)").format(version=cuda)))
    for gpu in info.get("gpus", []):
        rows.append((QCoreApplication.translate("About", "GPU {index}").format(index=gpu["index"]),
                     QCoreApplication.translate("About", "{name}, {memory} GiB, compute capability {cc}").format(
                         name=gpu["name"], memory=gpu["memory_gib"], cc=gpu["capability"])))
    rows.append((QCoreApplication.translate("About", "CPU"), QCoreApplication.translate("About", "{cores} cores ({cpu})").format(cores=info.get("cpu_cores", "?"),
                                                                  cpu=info.get("cpu") or "?")))
    rows.append((QCoreApplication.translate("About", "Platform"), platform.platform()))
    return rows


def about_text(info: dict | None) -> str:
    """Plain text (one `name: value` per line) so it can be copied into a bug report."""
    return "\n".join(f"{name}: {value}" for name, value in version_rows(info))


def about_html(info: dict | None) -> str:
    cells = "".join(
        f"<tr><td style='padding:2px 16px 2px 0; color:palette(placeholder-text)'>{name}</td>"
        f"<td style='padding:2px 0'>{value}</td></tr>"
        for name, value in version_rows(info))
    blurb = QCoreApplication.translate("About", "Build, train, explain and export neural networks, and explore sound. Works offline.")
    return f"<h2 style='margin-bottom:4px'>Studio</h2><p>{blurb}</p><table>{cells}</table>"
