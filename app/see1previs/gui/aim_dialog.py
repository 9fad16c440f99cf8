"""The *Aim…* dialog: solve a push-off or a throw so it arrives at a mark, in the background.

The director picks where to arrive from a drop-down of names (another actor, an actor's
hand, a handrail or foot restraint, or a point typed in metres or clicked in the viewport with
*Pick*) and either *at time* or *at speed*; Solve runs :func:`see1previs.physics.aim.solve_aim` in a
:class:`~see1previs.gui.workers.Worker` (the window never freezes; the progress bar moves
with each trial bake); the result, or the reason no push can do it, shows in the dialog,
with the solved path drawn small from above and from the side, and in the viewport until the
dialog closes or its choices change. Apply lands the solved speed and direction as ONE
undoable edit.

:func:`install` adds an *Aim…* action to a main window (Cue menu, or Scene menu without
one; the timeline's right-click menu), enabled when a push-off or throw cue is selected.
:func:`aim_cue` opens the dialog for a cue; other menus can call it too.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from see1previs.core.scene import CatchCue, GrabCue, PushOffCue, ThrowCue
from see1previs.gui.icons import icon
from see1previs.gui.qt_events import listen
from see1previs.gui.workers import Worker
from see1previs.physics.aim import AimError, AimResult, solve_aim
from see1previs.physics.aim_targets import target_choices
from see1previs.physics.bake import station_for

AIM_SHORTCUT = "Ctrl+Alt+A"
POINT = "__point__"  # the drop-down entry whose mark is typed in
OK_STYLE = "color: #7bd88f;"
REFUSED_STYLE = "color: #ff6b6b;"


class AimDialog(QDialog):
    """Aim one push-off or throw cue of the session's scene."""

    applied = Signal(object)  # the AimResult that became an edit
    path_changed = Signal(object)  # (path, mark) of the solved aim, or None when there is none

    def __init__(self, session, cue_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.cue_id = cue_id
        self.result: AimResult | None = None
        # on_point -> None: asks the viewport for a clicked point (set by aim_cue)
        self.pick_in_viewport = None
        self._solving_for = self._solved_for = None  # the scene a solve was made for
        scene = session.scene
        cue = next(c for c in scene.cues if c.id == cue_id)
        self.cue = cue
        self.setWindowTitle(f"Aim {cue_id}")
        self.setObjectName("aim-dialog")
        self.worker = Worker("aim", self)
        self.worker.progress.connect(lambda token, fraction: self._progress(fraction))
        self.worker.finished.connect(lambda token, value: self._solved(value))
        self.worker.failed.connect(lambda token, exc: self._refused(exc))
        self.worker.cancelled.connect(lambda token: self._stopped())

        station = session.bake.station if session.bake is not None else None
        if station is None:
            station = station_for(scene, session.scene_dir)
        mover = cue.actor if isinstance(cue, PushOffCue) else None

        layout = QVBoxLayout(self)
        rate = scene.frame_rate
        stamp = rate.timecode(rate.frame_at(cue.time))
        who = next((a.name or a.id for a in scene.actors if a.id == cue.actor), cue.actor)
        what = (
            f"{who} pushes off {cue.surface}"
            if isinstance(cue, PushOffCue)
            else f"{who} throws '{cue.prop}'"
        )
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self._heading = f"<b>{cue_id}</b> — {what} at {stamp}"
        self._show_heading(cue)
        layout.addWidget(self.heading)

        form = QFormLayout()
        self.target = QComboBox()
        self.target.setObjectName("aim-target")
        for label, text in target_choices(scene, station, mover=mover):
            self.target.addItem(label, text)
        self.target.addItem("A point (x, y, z)…", POINT)
        form.addRow("Arrive at", self.target)
        self.point = [_spin(-4.0, 4.0, 0.0, " m", 3) for _ in range(3)]
        row = QHBoxLayout()
        for axis, box in zip("xyz", self.point, strict=True):
            box.setObjectName(f"aim-point-{axis}")
            row.addWidget(QLabel(axis))
            row.addWidget(box)
        self.point_row = QWidget()
        self.point_row.setLayout(row)
        self.pick_button = QPushButton("Pick")
        self.pick_button.setObjectName("aim-pick")
        self.pick_button.setToolTip(
            "Click in the viewport where to arrive: the point 0.6 m in front of the wall, "
            "fixture or body under the cursor, toward you"
        )
        self.pick_button.clicked.connect(self.pick_point)
        point_line = QHBoxLayout()
        point_line.addWidget(self.point_row, 1)
        point_line.addWidget(self.pick_button)
        form.addRow("Point", _row_widget(point_line))

        self.at_time = QRadioButton("At time")
        self.at_speed = QRadioButton("At speed")
        self.at_time.setObjectName("aim-at-time")
        self.at_speed.setObjectName("aim-at-speed")
        group = QButtonGroup(self)
        group.addButton(self.at_time)
        group.addButton(self.at_speed)
        self.time = _spin(0.0, float(scene.duration), float(scene.duration), " s", 2)
        self.time.setObjectName("aim-time")
        self.timecode = QLabel()
        self.speed = _spin(0.01, 15.0, float(cue.speed), " m/s", 3)
        self.speed.setObjectName("aim-speed")
        time_row = QHBoxLayout()
        time_row.addWidget(self.at_time)
        time_row.addWidget(self.time)
        time_row.addWidget(self.timecode)
        speed_row = QHBoxLayout()
        speed_row.addWidget(self.at_speed)
        speed_row.addWidget(self.speed)
        form.addRow("When", _row_widget(time_row))
        form.addRow("", _row_widget(speed_row))
        layout.addLayout(form)

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.message = QLabel("Choose where to arrive, then Solve.")
        self.message.setObjectName("aim-result")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        # The cabin drawn as a circle of its typical radius (the SEE-1 sphere's 3 m).
        radius = float(np.median(np.linalg.norm(station.boundary.vertices, axis=1)))
        self.preview = PathPreview(radius)
        self.preview.setObjectName("aim-path")
        layout.addWidget(self.preview)

        buttons = QDialogButtonBox()
        self.solve_button = QPushButton(icon("simulate"), "&Solve")
        self.solve_button.setObjectName("aim-solve")
        self.apply_button = QPushButton("&Apply")
        self.apply_button.setObjectName("aim-apply")
        self.apply_button.setEnabled(False)
        buttons.addButton(self.solve_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ApplyRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():  # Return in a field commits it, nothing more
            button.setAutoDefault(False)
            button.setDefault(False)
        self.solve_button.clicked.connect(self.solve)
        self.apply_button.clicked.connect(self.apply)
        layout.addWidget(buttons)

        self._defaults(scene)
        self.target.currentIndexChanged.connect(lambda index: self._target_changed())
        self.at_time.toggled.connect(lambda checked: self._mode_changed())
        self.time.valueChanged.connect(lambda value: self._update_timecode())
        for box in (*self.point, self.time, self.speed):
            box.valueChanged.connect(lambda value: self._forget_result())
        self._target_changed()
        self._mode_changed()
        self._update_timecode()
        self.setMinimumWidth(460)

    # -- choices -----------------------------------------------------------------------------
    def _defaults(self, scene) -> None:
        """A throw goes to the hand of the catch that follows it, at the catch time."""
        self.at_time.setChecked(True)
        catch = None
        if isinstance(self.cue, ThrowCue):
            catch = next(
                (
                    c
                    for c in scene.cues
                    if isinstance(c, CatchCue | GrabCue)
                    and c.target == self.cue.prop
                    and c.time > self.cue.time
                ),
                None,
            )
        if catch is not None:
            self._choose(f"{catch.actor}:{catch.hand}_hand")
            self.time.setValue(float(catch.time))
            return
        toward = getattr(self.cue, "toward", None)
        if toward is not None:
            self._choose(toward)
        end = self.cue.time + getattr(self.cue, "duration", 0.0)
        self.time.setValue(min(float(scene.duration), round(end + 2.0, 2)))

    def _choose(self, text: str) -> None:
        index = self.target.findData(text)
        if index >= 0:
            self.target.setCurrentIndex(index)

    def choose_point(self, point) -> None:
        """Aim at a point (module frame, metres), as if typed in."""
        self.target.setCurrentIndex(self.target.findData(POINT))
        for box, value in zip(self.point, point, strict=True):
            box.setValue(float(value))

    def pick_point(self) -> None:
        """Let the director click where to arrive in the viewport."""
        if self.pick_in_viewport is None:
            self._show("No 3D viewport to pick in: type the point.", REFUSED_STYLE)
            return
        self._show("Click in the viewport where to arrive (Esc cancels).", "")

        def picked(point) -> None:
            if point is None:
                self._show("Nothing inside the cabin there: click the wall, a fixture or "
                           "a body.", REFUSED_STYLE)  # fmt: skip
                return
            self.choose_point(point)
            where = ", ".join(f"{c:+.2f}" for c in point)
            self._show(f"Arrive at ({where}) m, picked in the viewport. Solve.", "")

        self.pick_in_viewport(picked)

    def target_text(self) -> str:
        data = self.target.currentData()
        if data == POINT:
            return ",".join(f"{box.value():.3f}" for box in self.point)
        return str(data)

    def _target_changed(self) -> None:
        self.point_row.setEnabled(self.target.currentData() == POINT)
        self._forget_result()

    def _mode_changed(self) -> None:
        self.time.setEnabled(self.at_time.isChecked())
        self.speed.setEnabled(self.at_speed.isChecked())
        self._forget_result()

    def _update_timecode(self) -> None:
        rate = self.session.scene.frame_rate
        self.timecode.setText(rate.timecode(rate.frame_at(self.time.value())))

    def _forget_result(self) -> None:
        self.result = None
        self.apply_button.setEnabled(False)
        if hasattr(self, "preview"):
            self.preview.show_path(None, None)
        self.path_changed.emit(None)

    # -- solving -----------------------------------------------------------------------------
    def solve(self) -> None:
        """Start solving in the background with the dialog's choices."""
        session = self.session
        scene, cue_id, target = session.scene, self.cue_id, self.target_text()
        at = self.time.value() if self.at_time.isChecked() else None
        speed = self.speed.value() if self.at_speed.isChecked() else None
        # Checkpoints of the last bake save baking up to the cue; the solver checks they
        # still hold for this scene.
        memory = session.bake.memory if session.bake is not None else None
        scene_dir = session.scene_dir

        def job(progress, should_cancel):
            return solve_aim(
                scene,
                cue_id,
                target,
                at=at,
                speed=speed,
                scene_dir=scene_dir,
                previous=memory,
                progress=progress,
                should_cancel=should_cancel,
            )

        self._forget_result()
        self._solving_for = scene
        self.progress.setRange(0, 0)  # busy until the first trial reports
        self._show(f"Solving: trial bakes from {cue_id}'s checkpoint…", "")
        self.solve_button.setEnabled(False)
        self.worker.submit(cue_id, job)

    def _progress(self, fraction: float) -> None:
        self.progress.setRange(0, 100)
        self.progress.setValue(round(100 * fraction))

    def _solved(self, result: AimResult) -> None:
        self.solve_button.setEnabled(True)
        self.progress.setRange(0, 100)
        self.progress.setValue(100)
        self.result = result
        self._solved_for = self._solving_for
        self.apply_button.setEnabled(True)
        self.preview.show_path(result.path, result.mark_position)
        self.path_changed.emit((result.path, result.mark_position))
        heading = ", ".join(f"{c:+.2f}" for c in result.direction)
        verb = "Push off" if result.cue_type == "push_off" else "Throw"
        self._show(
            f"<b>{verb} at {result.speed:.3f} m/s toward ({heading})</b><br>"
            f"Arrives at {result.mark.label} at {result.arrival_time:.2f} s, "
            f"{result.miss * 1000:.0f} mm off in the real bake.<br>"
            f"{result.trials_text}, {result.seconds:.1f} s. Apply to use it.",
            OK_STYLE,
        )

    def _refused(self, exc: BaseException) -> None:
        self.solve_button.setEnabled(True)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        if isinstance(exc, AimError):
            text = str(exc).removeprefix(f"cue '{self.cue_id}': ")
        else:  # the scene cannot be baked, or a bug: say so rather than hide it
            problems = getattr(exc, "problems", None)
            text = "; ".join(f"{p}: {m}" for p, m in problems) if problems else repr(exc)
        self._show(f"Cannot aim: {text}", REFUSED_STYLE)

    def _stopped(self) -> None:
        self.solve_button.setEnabled(True)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self._show("Stopped.", REFUSED_STYLE)

    def _show_heading(self, cue) -> None:
        names = {body.id: body.name or body.id for body in self.session.scene.bodies()}
        self.heading.setText(f"{self._heading}, now {_aim_words(cue, names)}")

    def _show(self, text: str, style: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)

    def apply(self) -> bool:
        """Make the solved speed and direction one undoable edit of the scene."""
        if self.result is None:
            return False
        if self.session.scene != self._solved_for:  # the answer belongs to that scene
            self._forget_result()
            self._show("The scene changed since this solve: Solve again.", REFUSED_STYLE)
            return False
        after = self.result.apply(self.session.scene)
        edit = self.session.edit(f"Aim {self.cue_id} at {self.result.mark.label}", after)
        self._show_heading(next(c for c in after.cues if c.id == self.cue_id))
        self.applied.emit(self.result)
        self.apply_button.setEnabled(False)
        self._show(self.message.text() + "<br>Applied.", OK_STYLE)
        return edit is not None

    def done(self, code: int) -> None:
        self.worker.cancel()
        self.worker.wait()
        self.path_changed.emit(None)
        super().done(code)


class PathPreview(QWidget):
    """The solved path drawn small, from above and from the side (module frame, metres):
    the cabin's outline, the path from the cue (hollow dot) to arrival (dot), and the mark."""

    VIEWS = (("from above (+Y up)", 0, 1), ("from the side (+Z up)", 0, 2))  # title, axes

    def __init__(self, radius: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.radius = radius
        self.path: np.ndarray | None = None
        self.mark: tuple[float, float, float] | None = None
        self.setMinimumHeight(170)

    def show_path(self, path, mark) -> None:
        self.path = None if path is None else np.asarray(path, dtype=float)
        self.mark = mark
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = self.width() / len(self.VIEWS)
        text = self.palette().text().color()
        for k, (title, across, up) in enumerate(self.VIEWS):
            box = QRectF(k * width + 6, 4, width - 12, self.height() - 8)
            painter.setPen(text)
            painter.drawText(box, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft, title)
            side = min(box.width(), box.height() - 16)
            centre = QPointF(box.center().x(), box.top() + 16 + side / 2)
            scale = side / (2.0 * self.radius)

            def point(p, centre=centre, scale=scale, across=across, up=up):
                return QPointF(centre.x() + p[across] * scale, centre.y() - p[up] * scale)

            painter.setPen(QPen(QColor(128, 128, 140), 1.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, side / 2, side / 2)
            hatch = QRectF(centre.x() + side / 2 - 40, centre.y() - 8, 80, 16)
            painter.drawText(hatch, Qt.AlignmentFlag.AlignCenter, "hatch ▸")
            if self.path is None or len(self.path) == 0:
                continue
            line = QPainterPath(point(self.path[0]))
            for p in self.path[1:]:
                line.lineTo(point(p))
            painter.setPen(QPen(QColor(255, 176, 64), 2.0))
            painter.drawPath(line)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(point(self.path[0]), 4, 4)
            painter.setBrush(QColor(255, 176, 64))
            painter.drawEllipse(point(self.path[-1]), 3, 3)
            if self.mark is not None:
                m = point(self.mark)
                painter.setPen(QPen(QColor(123, 216, 143), 2.0))
                painter.drawLine(m + QPointF(-6, -6), m + QPointF(6, 6))
                painter.drawLine(m + QPointF(-6, 6), m + QPointF(6, -6))
        painter.end()


# -- the window's action ---------------------------------------------------------------------


def aimable_cue(session) -> str | None:
    """The selected push-off or throw cue's id, if one is selected."""
    cues = {cue.id: cue for cue in session.scene.cues}
    return next(
        (i for i in session.selection if isinstance(cues.get(i), PushOffCue | ThrowCue)), None
    )


def aim_cue(window, cue_id: str | None = None) -> AimDialog | None:
    """Open the Aim dialog on ``cue_id`` (or the selected push-off or throw cue)."""
    session = window.session
    cue_id = cue_id or aimable_cue(session)
    cue = next((c for c in session.scene.cues if c.id == cue_id), None)
    if not isinstance(cue, PushOffCue | ThrowCue):
        window.report_error("Nothing to aim", "Select a push-off or throw cue to aim.")
        return None
    previous = getattr(window, "aim_dialog", None)
    if previous is not None:
        previous.close()
    dialog = AimDialog(session, cue.id, window)
    tools = getattr(getattr(window, "viewport", None), "cue_tools", None)
    if tools is not None:
        who = cue.actor if isinstance(cue, PushOffCue) else cue.prop
        dialog.pick_in_viewport = lambda on_point: tools.pick.start_point(
            f"Click where {who} should arrive", on_point
        )
        dialog.path_changed.connect(
            lambda shown: tools.solved.show(*(shown if shown is not None else (None, None)))
        )
    window.aim_dialog = dialog
    dialog.show()
    return dialog


def install(window) -> QAction:
    """Add *Aim…* to a main window: Cue menu (else Scene menu), timeline right-click menu."""
    action = QAction(icon("cue-push-off"), "&Aim…", window)
    action.setShortcut(QKeySequence(AIM_SHORTCUT))
    action.setStatusTip("Solve the selected push-off or throw to arrive at a mark")
    action.triggered.connect(lambda checked=False: aim_cue(window))
    window.aim_action = action
    menu: QMenu | None = getattr(window, "cue_menu", None)
    if menu is None:
        menus = {a.text(): a.menu() for a in window.menuBar().actions() if a.menu() is not None}
        menu = menus.get("&Scene")
    if menu is not None:
        menu.addSeparator()
        menu.addAction(action)
    timeline = getattr(window, "timeline", None)
    if timeline is not None:
        timeline.canvas.context_actions.append(action)

    def update(*_args) -> None:
        action.setEnabled(aimable_cue(window.session) is not None)

    listen(window, window.session.selection_changed, update)
    listen(window, window.session.scene_changed, update)
    update()
    return action


def _aim_words(cue, names: dict[str, str]) -> str:
    if cue.toward is not None:
        return f"{cue.speed:g} m/s toward {names.get(cue.toward, cue.toward)}"
    heading = ", ".join(f"{c:+.2f}" for c in cue.direction)
    return f"{cue.speed:g} m/s toward ({heading})"


def _spin(low: float, high: float, value: float, suffix: str, decimals: int) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSingleStep(10 ** -(decimals - 1))
    box.setValue(value)
    box.setSuffix(suffix)
    box.setKeyboardTracking(False)
    return box


def _row_widget(layout: QHBoxLayout) -> QWidget:
    layout.setContentsMargins(0, 0, 0, 0)
    widget = QWidget()
    widget.setLayout(layout)
    return widget
