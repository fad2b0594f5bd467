"""How the Explain panel looks in both themes: its cards, pictures, captions and the error banner.

The app's style sheet covers common widgets; the panel's own object names are styled here from the
theme's colour table and re-applied when the theme changes. Right/wrong colours of the batch grid
are chosen per theme so they read on a light and on a dark background.
"""

from __future__ import annotations

from studio.ui import theme

OUTCOME_COLORS = {
    "light": {"right": "#15803d", "right_bg": "#dcfce7", "wrong": "#b42318", "wrong_bg": "#fee4e2",
              "error_bg": "#fee4e2", "error_border": "#fda29b", "error_fg": "#7a271a"},
    "dark": {"right": "#4ade80", "right_bg": "#12301f", "wrong": "#f97066", "wrong_bg": "#3a1614",
             "error_bg": "#3a1614", "error_border": "#7a271a", "error_fg": "#fecdca"},
}


def colors() -> dict[str, str]:
    name = theme.current_theme()
    return {**theme.current_colors(), **OUTCOME_COLORS.get(name, OUTCOME_COLORS["light"])}


def grid_background() -> int:
    """Grey level between the tiles of filter and activation grids: the card's own lightness."""
    from PySide6.QtGui import QColor

    return QColor(theme.current_colors()["surface"]).lightness()


def panel_sheet() -> str:
    c = colors()
    return f"""
    QFrame#ExplainCard {{ background: {c['surface']}; border: 1px solid {c['border']}; border-radius: 10px; }}
    QLabel#CardTitle {{ font-size: 12pt; font-weight: 600; }}
    QLabel#FieldLabel {{ color: {c['muted']}; font-weight: 600; }}
    QLabel#Caption {{ color: {c['muted']}; }}
    QLabel#Facts {{ color: {c['text']}; }}
    QLabel#CamFacts {{ color: {c['text']}; background: {c['surface_alt']}; border: 1px solid {c['border']};
                       border-radius: 8px; padding: 10px 12px; }}
    QLabel#Picture {{ background: {c['surface_alt']}; border: 1px solid {c['border']}; border-radius: 6px;
                      color: {c['muted']}; padding: 4px; }}
    QFrame#ErrorBanner {{ background: {c['error_bg']}; border: 1px solid {c['error_border']}; border-radius: 8px; }}
    QLabel#ErrorText {{ color: {c['error_fg']}; }}
    QFrame#DropZone {{ background: {c['surface_alt']}; border: 2px dashed {c['border']}; border-radius: 10px; }}
    QFrame#DropZone[hover="true"] {{ border-color: {c['accent']}; background: {c['accent_soft']}; }}
    QFrame#Tile {{ background: {c['surface_alt']}; border: 2px solid {c['border']}; border-radius: 6px; }}
    QFrame#Tile[outcome="right"] {{ border-color: {c['right']}; }}
    QFrame#Tile[outcome="wrong"] {{ border-color: {c['wrong']}; background: {c['wrong_bg']}; }}
    QLabel#TileText[outcome="right"] {{ color: {c['right']}; font-weight: 600; }}
    QLabel#TileText[outcome="wrong"] {{ color: {c['wrong']}; font-weight: 600; }}
    QLabel#Warning {{ color: {c['wrong']}; font-weight: 600; }}
    QPushButton#Segment {{ background: {c['surface_alt']}; border: 1px solid {c['border']}; border-radius: 0px;
                           padding: 6px 14px; color: {c['muted']}; }}
    QPushButton#Segment:checked {{ background: {c['accent_soft']}; color: {c['accent']}; border-color: {c['accent']}; }}
    QPushButton#Primary {{ background: {c['accent']}; color: {c['accent_text']}; border: 1px solid {c['accent']};
                           padding: 6px 18px; font-weight: 600; border-radius: 6px; }}
    QPushButton#Primary:disabled {{ background: {c['border']}; border-color: {c['border']}; color: {c['muted']}; }}
    QProgressBar {{ background: {c['surface_alt']}; border: 1px solid {c['border']}; border-radius: 5px;
                    max-height: 10px; text-align: center; color: transparent; }}
    QProgressBar::chunk {{ background: {c['accent']}; border-radius: 4px; }}
    QTabWidget::pane {{ border: 1px solid {c['border']}; border-radius: 8px; background: {c['surface']};
                        top: -1px; }}
    """
