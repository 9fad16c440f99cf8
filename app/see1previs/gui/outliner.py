"""The outliner: a tree of the scene (actors, props, cameras, shots, cues) to select from.

:class:`SceneTreeModel` is a ``QAbstractItemModel`` over the session's scene: five groups,
one row per item, rebuilt when the scene changes. :class:`Outliner` shows it and keeps the
view's selection and the session's selection the same in both directions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTreeView, QVBoxLayout, QWidget

from see1previs.core.scene import Scene
from see1previs.gui.icons import icon
from see1previs.gui.qt_events import listen
from see1previs.session.session import Session

_ROOT = QModelIndex()  # the invisible root, as Qt's default argument
GROUPS = (
    ("actors", "Actors", "actor"),
    ("props", "Props", "prop"),
    ("cameras", "Cameras", "camera"),
    ("shots", "Shots", "shot"),
    ("cues", "Cues", "cue"),
)
ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(eq=False)
class _Node:
    kind: str  # group key ("props") for groups and items alike
    row: int
    item_id: str = ""  # empty for a group
    name: str = ""
    info: str = ""
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)


def describe(scene: Scene, group: str, item) -> str:
    """The outliner's second column: what a crew member wants to see at a glance."""
    if group == "props":
        return f"{item.shape.type}, {item.mass:g} kg"
    if group == "actors":
        return f"{item.height:g} m, {item.mass:g} kg"
    if group == "cameras":
        where = getattr(item.rig, "mount", None) or item.rig.type
        return f"{item.focal_length:g} mm, {where}"
    if group == "shots":
        return f"{item.camera}, {item.start:g}–{item.end:g} s"
    if group == "cues":
        target = getattr(item, "target", "")
        return f"{item.type} at {item.time:g} s" + (f" → {target}" if target else "")
    return ""


class SceneTreeModel(QAbstractItemModel):
    """Scene items grouped by kind; ``ID_ROLE`` gives an item's scene id."""

    HEADERS = ("Name", "Info")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[_Node] = []
        self.set_scene(None)

    def set_scene(self, scene: Scene | None) -> None:
        self.beginResetModel()
        self._groups = []
        for row, (group, title, _) in enumerate(GROUPS):
            node = _Node(group, row, name=title)
            items = getattr(scene, group) if scene is not None else []
            node.info = f"{len(items)}"
            for index, item in enumerate(items):
                label = item.id + (f" — {item.name}" if getattr(item, "name", "") else "")
                node.children.append(
                    _Node(group, index, item.id, label, describe(scene, group, item), node)
                )
            self._groups.append(node)
        self.endResetModel()

    def index_of(self, item_id: str) -> QModelIndex:
        for group in self._groups:
            for child in group.children:
                if child.item_id == item_id:
                    return self.createIndex(child.row, 0, child)
        return QModelIndex()

    def group_index(self, group: str) -> QModelIndex:
        for node in self._groups:
            if node.kind == group:
                return self.createIndex(node.row, 0, node)
        return QModelIndex()

    # -- QAbstractItemModel ---------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, self._groups[row])
        node: _Node = parent.internalPointer()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:
        if not index.isValid():
            return QModelIndex()
        node: _Node = index.internalPointer()
        if node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent: QModelIndex = _ROOT) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.column() != 0:
            return 0
        return len(parent.internalPointer().children)

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:
        return len(self.HEADERS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.name if index.column() == 0 else node.info
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            kind = next(k for g, _, k in GROUPS if g == node.kind)
            return icon(kind)
        if role == ID_ROLE:
            return node.item_id
        if role == KIND_ROLE:
            return node.kind
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            from see1previs.gui.theme import DIM_TEXT

            return DIM_TEXT
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        node: _Node = index.internalPointer()
        flags = Qt.ItemFlag.ItemIsEnabled
        if node.item_id:
            flags |= Qt.ItemFlag.ItemIsSelectable
        return flags

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class Outliner(QWidget):
    """The outliner dock's contents."""

    def __init__(
        self, session: Session, context_actions: list[QAction], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.context_actions = context_actions
        self.model = SceneTreeModel(self)
        self.view = QTreeView(self)
        self.view.setObjectName("outliner-tree")
        self.view.setModel(self.model)
        self.view.setHeaderHidden(False)
        self.view.setAlternatingRowColors(True)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.header().setStretchLastSection(True)
        self.view.setColumnWidth(0, 170)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._syncing = False
        self.view.selectionModel().selectionChanged.connect(self._view_selection_changed)
        listen(self, session.scene_changed, self._scene_changed)
        listen(self, session.selection_changed, self._session_selection_changed)
        self._scene_changed(session.scene)

    def _scene_changed(self, scene: Scene) -> None:
        expanded = {
            self.model.data(self.model.index(r, 0), KIND_ROLE)
            for r in range(self.model.rowCount())
            if self.view.isExpanded(self.model.index(r, 0))
        }
        self._syncing = True
        try:
            self.model.set_scene(scene)
            for row in range(self.model.rowCount()):
                index = self.model.index(row, 0)
                kind = self.model.data(index, KIND_ROLE)
                if not expanded or kind in expanded:
                    self.view.setExpanded(index, True)
        finally:
            self._syncing = False
        self._session_selection_changed(self.session.selection)

    def _view_selection_changed(self, *_: object) -> None:
        if self._syncing:
            return
        ids = [
            self.model.data(index, ID_ROLE)
            for index in self.view.selectionModel().selectedRows(0)
            if self.model.data(index, ID_ROLE)
        ]
        self.session.select(ids)

    def _session_selection_changed(self, ids) -> None:
        self._syncing = True
        try:
            selection = QItemSelection()
            for item_id in ids:
                index = self.model.index_of(item_id)
                if index.isValid():
                    selection.select(index, index.siblingAtColumn(1))
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            self.view.selectionModel().select(selection, flags)
            if ids:
                index = self.model.index_of(ids[0])
                if index.isValid():
                    self.view.scrollTo(index)
        finally:
            self._syncing = False

    def _context_menu(self, position) -> None:
        menu = QMenu(self)
        for action in self.context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.popup(self.view.viewport().mapToGlobal(position))
