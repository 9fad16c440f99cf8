"""The Help menu: the user guide, rendered, and a keyboard-shortcut sheet.

The user guide is ``docs/user-guide.md`` shipped with the app, shown as formatted text in a
browser window whose links open the other guides beside it. The shortcut sheet is built from
the window's own actions each time it opens, menu by menu, so it lists exactly the keys the
window answers to.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QImage, QKeySequence, QPixmap, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
)

from see1previs.resources import docs_dir

USER_GUIDE = "user-guide.md"
SHORTCUT_SHEET_KEYS = "Ctrl+/"
IMAGE_WIDTH_PX = 820  # screenshots fit the guide window's default width


def install(window: QMainWindow, help_menu: QMenu) -> None:
    """Add User Guide (F1) and Keyboard Shortcuts to ``help_menu``."""
    window.user_guide_action = QAction("&User Guide", window)
    window.user_guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    window.user_guide_action.setStatusTip("Read how to block, frame and export a scene")
    window.user_guide_action.triggered.connect(lambda checked=False: show_user_guide(window))
    window.shortcuts_action = QAction("&Keyboard Shortcuts", window)
    window.shortcuts_action.setShortcut(QKeySequence(SHORTCUT_SHEET_KEYS))
    window.shortcuts_action.setStatusTip("Every key the window answers to")
    window.shortcuts_action.triggered.connect(lambda checked=False: show_shortcut_sheet(window))
    help_menu.addActions([window.user_guide_action, window.shortcuts_action])
    help_menu.addSeparator()


def _reopen(window: QMainWindow, name: str, make) -> QDialog:
    dialog = getattr(window, name, None)
    if dialog is None:
        dialog = make()
        setattr(window, name, dialog)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


class UserGuide(QDialog):
    """A window showing the user guide (and the guides it links to) as formatted text."""

    def __init__(self, parent: QMainWindow) -> None:
        super().__init__(parent)
        self.setWindowTitle("SEE-1 Previs User Guide")
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)  # web links go to the browser, .md stay here
        self.browser.document().setDocumentMargin(14)
        self.browser.sourceChanged.connect(lambda url: self._fit_images())
        back = QPushButton("Back", self)
        back.setEnabled(False)
        back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(back.setEnabled)
        home = QPushButton("User Guide", self)
        home.clicked.connect(self.browser.home)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addWidget(home)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(buttons)
        layout.addWidget(self.browser)
        self.resize(900, 900)
        try:
            guide = docs_dir() / USER_GUIDE
        except FileNotFoundError as exc:
            self.browser.setPlainText(str(exc))
            return
        if guide.is_file():
            self.browser.setSource(QUrl.fromLocalFile(str(guide)))
        else:
            self.browser.setPlainText(f"The user guide is missing: {guide}")

    def _fit_images(self) -> None:
        """Screenshots shrink to the page width (Markdown gives them no size of their own)."""
        document = self.browser.document()
        width = IMAGE_WIDTH_PX
        block = document.begin()
        while block.isValid():
            for fragment in _fragments(block):
                image = fragment.charFormat().toImageFormat()
                if not image.isValid() or image.width() > 0:
                    continue
                picture = document.resource(
                    QTextDocument.ResourceType.ImageResource, QUrl(image.name())
                )
                if not isinstance(picture, QImage | QPixmap) or picture.width() <= width:
                    continue
                image.setWidth(width)
                image.setHeight(width * picture.height() / picture.width())
                cursor = QTextCursor(document)
                cursor.setPosition(fragment.position())
                cursor.setPosition(
                    fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                )
                cursor.setCharFormat(image)
            block = block.next()


def _fragments(block):
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        if fragment.isValid():
            yield fragment
        iterator += 1


def show_user_guide(window: QMainWindow) -> UserGuide:
    return _reopen(window, "user_guide_window", lambda: UserGuide(window))


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every action of ``window`` that has a shortcut.

    Actions in menus are listed under their menu, in menu order; shortcuts of actions in no
    menu (toolbars, docks) follow under "Other".
    """
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def keys_of(action: QAction) -> str:
        return ", ".join(
            k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
        )

    def walk(menu: QMenu, title: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{title} → {_plain(action.text())}")
                continue
            if action.isSeparator() or id(action) in seen:
                continue
            seen.add(id(action))
            if action.shortcuts():
                rows.append((title, _plain(action.text()), keys_of(action)))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), _plain(top.text()))
    for action in window.findChildren(QAction):
        if id(action) not in seen and action.shortcuts() and action.text():
            seen.add(id(action))
            rows.append(("Other", _plain(action.text()), keys_of(action)))
    return rows


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


class ShortcutSheet(QDialog):
    """A table of the window's keyboard shortcuts, refreshed every time it is opened."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Keyboard Shortcuts")
        note = QLabel(
            "Every key the main window answers to. Mouse and keys of the 3D viewport are "
            "in the user guide (F1)."
        )
        note.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["Menu", "Command", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        self.resize(560, 720)
        self._rows: list[tuple[str, str, str]] = []

    def refresh(self) -> None:
        rows = shortcut_rows(self.window_)
        self.table.setRowCount(len(rows))
        previous = None
        for row, (menu, command, keys) in enumerate(rows):
            shown = menu if menu != previous else ""  # the menu once, at its first command
            previous = menu
            for column, text in enumerate((shown, command, keys)):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        self._rows = rows

    def rows(self) -> list[tuple[str, str, str]]:
        """What the table shows (menu, command, keys), the menu repeated on every row."""
        return list(self._rows)


def show_shortcut_sheet(window: QMainWindow) -> ShortcutSheet:
    sheet = getattr(window, "shortcut_sheet", None) or ShortcutSheet(window)
    sheet.refresh()  # the actions as they are now (menus grow; shortcuts change)
    return _reopen(window, "shortcut_sheet", lambda: sheet)
