"""The shot list: every shot in a sortable table; drag rows to change the shooting order.

:class:`ShotListModel` is a table over the scene's shots (order, shot, camera, in, out,
duration, framing, description). Clicking a header sorts the view; dragging rows and
dropping them elsewhere renumbers the shooting order as one undoable edit.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QByteArray, QMimeData, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from see1previs.core import commands as cmd
from see1previs.core.scene import Scene
from see1previs.gui.qt_events import listen
from see1previs.session.session import Session

_ROOT = QModelIndex()  # the invisible root, as Qt's default argument
MIME = "application/x-see1previs-shot-ids"
COLUMNS = ("#", "Shot", "Name", "Camera", "In", "Out", "Length", "Description")


class ShotListModel(QAbstractTableModel):
    """Rows in display order; the order is sorted by a column or by shooting order."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._rows: list[str] = []  # shot ids in display order
        self._sort = (0, Qt.SortOrder.AscendingOrder)
        self.refresh()

    @property
    def scene(self) -> Scene:
        return self.session.scene

    def shot_ids(self) -> list[str]:
        return list(self._rows)

    def refresh(self) -> None:
        self.beginResetModel()
        order = cmd.shooting_order(self.scene)
        rank = {shot_id: n for n, shot_id in enumerate(order, start=1)}
        shots = {s.id: s for s in self.scene.shots}
        column, direction = self._sort
        self._rows = sorted(shots, key=lambda i: self._sort_key(shots[i], rank[i], column))
        if direction == Qt.SortOrder.DescendingOrder:
            self._rows.reverse()
        self._rank = rank
        self.endResetModel()

    def _sort_key(self, shot, rank: int, column: int):
        keys = (
            rank,
            shot.id,
            shot.name.lower(),
            shot.camera,
            shot.start,
            shot.end,
            shot.end - shot.start,
            shot.description.lower(),
        )
        return (keys[column], rank)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.refresh()

    # -- table ------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:
        return len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        shot = next(s for s in self.scene.shots if s.id == self._rows[index.row()])
        if role == Qt.ItemDataRole.UserRole:
            return shot.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 4, 5, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        rate = self.scene.frame_rate
        values = (
            self._rank[shot.id],
            shot.id,
            shot.name,
            shot.camera,
            rate.timecode(rate.frame_at(shot.start)),
            rate.timecode(rate.frame_at(shot.end)),
            f"{shot.end - shot.start:.2f} s",
            shot.description,
        )
        return values[index.column()]

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return "Shooting order" if section == 0 else None
        return None

    # -- drag to reorder --------------------------------------------------------------------
    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes) -> QMimeData:
        rows = sorted({index.row() for index in indexes})
        data = QMimeData()
        data.setData(MIME, QByteArray("\n".join(self._rows[r] for r in rows).encode()))
        return data

    def dropMimeData(self, data: QMimeData, action, row: int, column: int, parent) -> bool:
        if not data.hasFormat(MIME):
            return False
        moved = bytes(data.data(MIME).data()).decode().split("\n")
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._rows)
        return self.move_shots(moved, row)

    def move_shots(self, moved: list[str], row: int) -> bool:
        """Put ``moved`` before display row ``row``; that display order becomes the shooting
        order."""
        before = self._rows[:row]
        new_order = [i for i in before if i not in moved] + moved
        new_order += [i for i in self._rows if i not in new_order]
        if new_order == cmd.shooting_order(self.scene):
            return False
        label = f"Reorder shots ({', '.join(moved)})"
        self.session.edit(label, cmd.reorder_shots(self.scene, new_order))
        return False  # the edit refreshes the model; Qt must not remove the dragged rows


class ShotList(QWidget):
    """The shot list dock's contents."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ShotListModel(session, self)
        self.view = QTableView(self)
        self.view.setObjectName("shot-table")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragDropOverwriteMode(False)
        self.view.setDropIndicatorShown(True)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(22)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.view.clicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        listen(self, session.scene_changed, lambda scene: self.model.refresh())

    def _clicked(self, index: QModelIndex) -> None:
        shot_id = self.model.data(index, Qt.ItemDataRole.UserRole)
        shot = next((s for s in self.session.scene.shots if s.id == shot_id), None)
        if shot is None:
            return
        self.session.select([shot_id])
        self.session.set_time(shot.start)
