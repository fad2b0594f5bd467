"""How the Export panel looks: verdict colours for both themes, style sheet snippets and number formats.

The app's style sheet (resources/styles/studio.qss) covers the common widgets; the few things only
this panel has (the PASS/FAIL banner, segmented format buttons, the drop zone, the bars) are styled
here from the same colour table, and re-styled when the theme changes.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from studio.ui import theme

VERDICT_COLORS = {
    "light": {"pass_fg": "#166534", "pass_bg": "#dcfce7", "pass_border": "#86efac",
              "fail_fg": "#b42318", "fail_bg": "#fee4e2", "fail_border": "#fda29b",
              "good": "#15803d", "bad": "#b42318"},
    "dark": {"pass_fg": "#4ade80", "pass_bg": "#12301f", "pass_border": "#1f6b3d",
             "fail_fg": "#f97066", "fail_bg": "#3a1614", "fail_border": "#7a271a",
             "good": "#4ade80", "bad": "#f97066"},
}


def colors() -> dict[str, str]:
    """The theme's colour table plus the verdict colours of this panel."""
    name = theme.current_theme()
    return {**theme.current_colors(), **VERDICT_COLORS.get(name, VERDICT_COLORS["light"])}


def qcolor(key: str) -> QColor:
    return QColor(colors()[key])


def panel_sheet() -> str:
    """Rules for the panel's own object names (applied on the panel, so they reach every child)."""
    c = colors()
    return f"""
    QFrame#ExportCard {{ background: {c['surface']}; border: 1px solid {c['border']}; border-radius: 10px; }}
    QLabel#CardTitle {{ font-size: 12pt; font-weight: 600; }}
    QLabel#FieldLabel {{ color: {c['muted']}; font-weight: 600; }}
    QPushButton#Segment {{ background: {c['surface_alt']}; border: 1px solid {c['border']}; border-radius: 0px;
                           padding: 6px 14px; color: {c['muted']}; }}
    QPushButton#Segment:focus {{ outline: none; }}
    QPushButton#Segment:checked {{ background: {c['accent_soft']}; color: {c['accent']}; border-color: {c['accent']};
                                   font-weight: 600; }}
    QPushButton#Segment:disabled {{ color: {c['border']}; }}
    QPushButton#Primary {{ background: {c['accent']}; color: {c['accent_text']}; border: 1px solid {c['accent']};
                           padding: 7px 22px; font-weight: 600; }}
    QPushButton#Primary:disabled {{ background: {c['border']}; border-color: {c['border']}; color: {c['muted']}; }}
    QFrame#Verdict[verdict="pass"] {{ background: {c['pass_bg']}; border: 1px solid {c['pass_border']};
                                      border-radius: 8px; }}
    QFrame#Verdict[verdict="fail"], QFrame#Verdict[verdict="error"] {{
        background: {c['fail_bg']}; border: 1px solid {c['fail_border']}; border-radius: 8px; }}
    QLabel#VerdictMark[verdict="pass"] {{ color: {c['pass_fg']}; font-size: 18pt; font-weight: 700; }}
    QLabel#VerdictMark[verdict="fail"], QLabel#VerdictMark[verdict="error"] {{
        color: {c['fail_fg']}; font-size: 18pt; font-weight: 700; }}
    QLabel#VerdictText {{ color: {c['text']}; }}
    QFrame#DropZone {{ background: {c['surface_alt']}; border: 2px dashed {c['border']}; border-radius: 10px; }}
    QFrame#DropZone[hover="true"] {{ border-color: {c['accent']}; background: {c['accent_soft']}; }}
    QLabel#Picture {{ background: {c['window']}; border: 1px solid {c['border']}; border-radius: 6px; }}
    QProgressBar {{ background: {c['surface_alt']}; border: 1px solid {c['border']}; border-radius: 5px;
                    height: 10px; text-align: center; color: transparent; }}
    QProgressBar::chunk {{ background: {c['accent']}; border-radius: 4px; }}
    """


def format_bytes(n: int | None) -> str:
    if n is None:
        return "—"
    n = int(n)
    for div, unit in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if n >= div:
            return f"{n / div:.1f} {unit}"
    return f"{n} B"


def format_ms(ms: float | None) -> str:
    if ms is None:
        return "—"
    if ms < 0.1:
        return f"{ms * 1000:.1f} µs"
    if ms < 10:
        return f"{ms:.2f} ms"
    return f"{ms:.1f} ms"


def format_percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{100.0 * value:.{digits}f}%"


def format_count(n: int | None) -> str:
    return "—" if n is None else f"{int(n):,}"
