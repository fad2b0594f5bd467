"""The colours the app draws with beyond the theme's table, the style sheets of the panels' own
widgets, and how numbers are written.

The app's style sheet (resources/styles/studio.qss) covers the common Qt widgets. The object names
the panels give their own widgets (cards, segmented choices, the verdict banner, drop zones) are
styled here from the same colour table; a panel applies its sheet to its page and applies it again
when the theme changes. Good/bad colours are chosen per theme so that they read on a light and on a
dark background; trace colours are fixed hues lifted a little on dark backgrounds.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from studio.ui import theme

VERDICT_COLORS = {
    "light": {"pass_fg": "#166534", "pass_bg": "#dcfce7", "pass_border": "#86efac",
              "fail_fg": "#b42318", "fail_bg": "#fee4e2", "fail_border": "#fda29b",
              "good": "#15803d", "bad": "#b42318", "error_fg": "#7a271a",
              "warn_fg": "#b54708", "warn_bg": "#fef0c7", "warn_border": "#fec84b"},
    "dark": {"pass_fg": "#4ade80", "pass_bg": "#12301f", "pass_border": "#1f6b3d",
             "fail_fg": "#f97066", "fail_bg": "#3a1614", "fail_border": "#7a271a",
             "good": "#4ade80", "bad": "#f97066", "error_fg": "#fecdca",
             "warn_fg": "#fdb022", "warn_bg": "#3b2a0c", "warn_border": "#93370d"},
}
"""Passed/failed checks (and passed with a warning), right/wrong predictions, better/worse figures
and error messages."""

TRACE_HUES = {
    "signal": "#2563eb",
    "second": "#ea580c",
    "third": "#16a34a",
    "error": "#b42318",
    "marker": "#7c3aed",
}
"""The audio lab's traces by role: the signal, a second and a third one, an error, a marker."""


def is_dark() -> bool:
    return theme.current_theme() == "dark"


def colors() -> dict[str, str]:
    """The theme's colour table plus the verdict colours for the same theme."""
    name = theme.current_theme()
    return {**theme.current_colors(), **VERDICT_COLORS.get(name, VERDICT_COLORS["light"])}


def qcolor(key: str) -> QColor:
    return QColor(colors()[key])


def trace_color(name: str) -> QColor:
    color = QColor(TRACE_HUES[name])
    return color.lighter(140) if is_dark() else color


def disabled_text() -> str:
    """The text colour of a control that cannot be used now: halfway from the muted text to the
    card, so it reads as 'not now' next to an enabled button in either theme."""
    c = theme.current_colors()
    muted, surface = QColor(c["muted"]), QColor(c["surface"])
    mix = QColor(*((a + b) // 2 for a, b in zip(muted.getRgb()[:3], surface.getRgb()[:3], strict=True)))
    return mix.name()


def grid_background() -> int:
    """Grey level between the tiles of filter and activation grids: the card's own lightness."""
    return QColor(theme.current_colors()["surface"]).lightness()


# --- style sheets ---------------------------------------------------------------------------------
def _shared_rules(c: dict[str, str]) -> str:
    """Rules for the widgets of studio.ui.common.widgets and the drop zone, the same on every page."""
    return f"""
    QFrame#Card {{ background: {c['surface']}; border: 1px solid {c['border']}; border-radius: 10px; }}
    QLabel#CardTitle {{ font-size: 12pt; font-weight: 600; }}
    QLabel#FieldLabel {{ color: {c['muted']}; font-weight: 600; }}
    QPushButton#Segment {{ background: {c['surface_alt']}; border: 1px solid {c['border']}; border-radius: 0px;
                           padding: 6px 14px; color: {c['muted']}; }}
    QPushButton#Segment:checked {{ background: {c['accent_soft']}; color: {c['accent']}; border-color: {c['accent']}; }}
    QPushButton:disabled, QPushButton:default:disabled {{ background: {c['surface_alt']}; border-color: {c['border']};
                                                         color: {disabled_text()}; }}
    QPushButton#Primary:disabled {{ background: {c['border']}; border-color: {c['border']}; color: {c['muted']}; }}
    QFrame#Verdict[verdict="pass"] {{ background: {c['pass_bg']}; border: 1px solid {c['pass_border']};
                                      border-radius: 8px; }}
    QFrame#Verdict[verdict="fail"], QFrame#Verdict[verdict="error"] {{
        background: {c['fail_bg']}; border: 1px solid {c['fail_border']}; border-radius: 8px; }}
    QFrame#Verdict[verdict="warn"] {{ background: {c['warn_bg']}; border: 1px solid {c['warn_border']};
                                      border-radius: 8px; }}
    QLabel#VerdictMark[verdict="pass"] {{ color: {c['pass_fg']}; font-size: 18pt; font-weight: 700; }}
    QLabel#VerdictMark[verdict="warn"] {{ color: {c['warn_fg']}; font-size: 18pt; font-weight: 700; }}
    QLabel#VerdictMark[verdict="fail"], QLabel#VerdictMark[verdict="error"] {{
        color: {c['fail_fg']}; font-size: 18pt; font-weight: 700; }}
    QLabel#VerdictText {{ color: {c['text']}; }}
    QFrame#DropZone {{ background: {c['surface_alt']}; border: 2px dashed {c['border']}; border-radius: 10px; }}
    QFrame#DropZone[hover="true"] {{ border-color: {c['accent']}; background: {c['accent_soft']}; }}
    QProgressBar::chunk {{ background: {c['accent']}; border-radius: 4px; }}
    """


def training_sheet() -> str:
    """The Train and Data pages: the shared widgets (the verdict banner's text colours) and buttons
    that look disabled when they are (the app's sheet draws the default button in the accent colour
    whether it can be clicked or not)."""
    c = colors()
    return _shared_rules(c) + f"""
    QLabel#RunsFolder {{ color: {c['text']}; }}
    QProgressBar {{ background: {c['surface_alt']}; border: 1px solid {c['border']}; border-radius: 4px; }}
    """


def explain_sheet() -> str:
    """The Explain page: its pictures on a light card, captions, the error line and the batch grid's
    tiles framed green (right) or red (wrong)."""
    c = colors()
    return _shared_rules(c) + f"""
    QLabel#Caption {{ color: {c['muted']}; }}
    QLabel#Facts {{ color: {c['text']}; }}
    QLabel#CamFacts {{ color: {c['text']}; background: {c['surface_alt']}; border: 1px solid {c['border']};
                       border-radius: 8px; padding: 10px 12px; }}
    QLabel#Picture {{ background: {c['surface_alt']}; border: 1px solid {c['border']}; border-radius: 6px;
                      color: {c['muted']}; padding: 4px; }}
    QFrame#Tile {{ background: {c['surface_alt']}; border: 2px solid {c['border']}; border-radius: 6px; }}
    QFrame#Tile[outcome="right"] {{ border-color: {c['good']}; }}
    QFrame#Tile[outcome="wrong"] {{ border-color: {c['bad']}; background: {c['fail_bg']}; }}
    QLabel#TileText[outcome="right"] {{ color: {c['good']}; font-weight: 600; }}
    QLabel#TileText[outcome="wrong"] {{ color: {c['bad']}; font-weight: 600; }}
    QLabel#Warning {{ color: {c['bad']}; font-weight: 600; }}
    QPushButton#Primary {{ background: {c['accent']}; color: {c['accent_text']}; border: 1px solid {c['accent']};
                           padding: 6px 18px; font-weight: 600; border-radius: 6px; }}
    QProgressBar {{ background: {c['surface_alt']}; border: 1px solid {c['border']}; border-radius: 5px;
                    max-height: 10px; text-align: center; color: transparent; }}
    QTabWidget::pane {{ border: 1px solid {c['border']}; border-radius: 8px; background: {c['surface']};
                        top: -1px; }}
    """


def export_sheet() -> str:
    """The Export page: its format choice reads as a set of tabs (the chosen one bold, focus without
    a frame), a wider Export button, and pictures on the window's colour."""
    c = colors()
    return _shared_rules(c) + f"""
    QPushButton#Segment:focus {{ outline: none; }}
    QPushButton#Segment:checked {{ font-weight: 600; }}
    QPushButton#Segment:disabled {{ color: {c['border']}; }}
    QPushButton#Primary {{ background: {c['accent']}; color: {c['accent_text']}; border: 1px solid {c['accent']};
                           padding: 7px 22px; font-weight: 600; }}
    QLabel#Picture {{ background: {c['window']}; border: 1px solid {c['border']}; border-radius: 6px; }}
    QProgressBar {{ background: {c['surface_alt']}; border: 1px solid {c['border']}; border-radius: 5px;
                    height: 10px; text-align: center; color: transparent; }}
    """


# --- numbers --------------------------------------------------------------------------------------
def format_count(n: int) -> str:
    """1625866 -> '1.63M', 18496 -> '18.5k', 320 -> '320'."""
    n = int(n)
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= div:
            value = n / div
            text = f"{value:.3g}" if value < 100 else f"{value:.0f}"
            return text + unit
    return str(n)


def format_grouped(n: int | None) -> str:
    """1625866 -> '1,625,866'; None (not known) -> '—'."""
    return "—" if n is None else f"{int(n):,}"


def format_shape(shape: tuple | None) -> str:
    if not shape:
        return "—"
    return "(" + ", ".join(str(s) for s in shape) + ")"


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
