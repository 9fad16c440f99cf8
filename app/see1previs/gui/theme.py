"""The dark theme for a darkened previs suite: Fusion style, a low-glare palette, one accent.

Colours are chosen for long sessions in a dark room: dark grey (not black) panels, light
grey text with enough contrast to read at a glance, and a warm amber accent for the
selection and the playhead, which stays visible next to the blue-grey interior.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

BACKGROUND = QColor("#1e2127")
PANEL = QColor("#252931")
BASE = QColor("#1a1d22")
ALTERNATE = QColor("#22262d")
TEXT = QColor("#d8dde6")
DIM_TEXT = QColor("#8b93a1")
ACCENT = QColor("#f0a23a")
SELECTION = QColor("#3d5a80")
ERROR = QColor("#ff6b5b")
OK = QColor("#6cc28a")
GRID = QColor("#3a404b")

STYLE_SHEET = """
QMainWindow::separator { background: #15171b; width: 3px; height: 3px; }
QDockWidget { color: #d8dde6; font-weight: 600; }
QDockWidget::title { background: #2b3039; padding: 4px 6px; text-align: left; }
QToolBar { background: #252931; border: none; spacing: 2px; padding: 2px; }
QToolButton { padding: 3px; border-radius: 3px; }
QToolButton:hover { background: #343a45; }
QToolButton:checked { background: #3d5a80; }
QStatusBar { background: #252931; color: #aeb6c3; }
QLabel#problem { color: #ff6b5b; font-size: 11px; }
QLabel#unit { color: #8b93a1; }
QLabel#heading { color: #f0a23a; font-weight: 600; padding-top: 6px; }
QLineEdit { background: #1a1d22; border: 1px solid #3a404b; border-radius: 2px; padding: 2px 4px; }
QLineEdit:focus { border-color: #f0a23a; }
QLineEdit[invalid="true"], QComboBox[invalid="true"] { border-color: #ff6b5b; }
QHeaderView::section { background: #2b3039; color: #c2c9d4; padding: 3px; border: none;
                       border-right: 1px solid #1e2127; }
QProgressBar { border: 1px solid #3a404b; border-radius: 2px; background: #1a1d22;
               text-align: center; color: #d8dde6; height: 14px; }
QProgressBar::chunk { background: #3d6fa8; }
QTreeView, QListView, QTableView { background: #1a1d22; alternate-background-color: #20242a;
                                    border: none; }
QScrollArea { border: none; }
"""


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: BACKGROUND,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: BASE,
        QPalette.ColorRole.AlternateBase: ALTERNATE,
        QPalette.ColorRole.ToolTipBase: PANEL,
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: DIM_TEXT,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: PANEL,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.BrightText: ACCENT,
        QPalette.ColorRole.Highlight: SELECTION,
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#7fb2ff"),
        QPalette.ColorRole.Mid: GRID,
        QPalette.ColorRole.Dark: QColor("#15171b"),
    }
    for role, colour in roles.items():
        palette.setColor(role, colour)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, DIM_TEXT.darker(120))
    return palette


def apply_dark_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    app.setStyleSheet(STYLE_SHEET)
    font = QFont(app.font())
    if font.pointSizeF() < 9.5:
        font.setPointSizeF(9.5)
    app.setFont(font)


def monospace_font(size: float = 9.5) -> QFont:
    font = QFont("DejaVu Sans Mono")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSizeF(size)
    return font
