"""The rehearsal window: play a baked scene from one performer's point of view, cue by cue.

The crew member picks who they play (an actor, or a camera operator), a view — first person
(from the actor's eyes) or follow-cam (behind and above them) — and plays the scene. A large
prompt over the picture announces their next cue in the cue sheet's words with a live
countdown, turns to "NOW" at the cue time, and shows a badge when the bake says the cue did
not work as written. Their cues are listed beside the picture; a click starts two seconds
before that cue. A ghost line shows where the actor's hips go in the next three seconds.

Keys: Space play/pause · Page Down or ] next cue · Page Up or [ previous cue · Home restart ·
P pause at each cue on/off · V switch first person / follow-cam.

All the timing (next cue, countdown, stepping, pausing at cues) is
:class:`see1previs.session.rehearsal.Rehearsal`; this window only shows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QElapsedTimer, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from see1previs.core.scene import Scene
from see1previs.gui.icons import icon
from see1previs.gui.theme import monospace_font
from see1previs.gui.viewport_host import is_stand_in, make_viewport
from see1previs.session.rehearsal import Rehearsal, performer_label

FIRST_PERSON, FOLLOW_CAM = "first_person", "follow_cam"
VIEWS = {FIRST_PERSON: "First person", FOLLOW_CAM: "Follow-cam"}
FIRST_PERSON_FOV = 90.0  # deg, horizontal: about what a person notices without turning
FOLLOW_CAM_FOV = 70.0
GHOST_RGBA = (0.55, 0.85, 1.0, 0.75)
BADGE_COLORS = {"warning": "#f0a23a", "impossible": "#ff6b5b", "not baked": "#8b93a1"}
PROMPT_STYLE = """
QFrame#cue-prompt { background: rgba(14, 16, 20, 205); border: 1px solid #3a404b;
                    border-radius: 8px; }
QFrame#cue-prompt[now="true"] { border: 2px solid #f0a23a; background: rgba(60, 40, 8, 215); }
QLabel { background: transparent; }
QLabel#prompt-header { color: #9aa3b2; font-size: 13px; }
QLabel#prompt-action { color: #f2f4f8; font-size: 24px; font-weight: 600; }
QLabel#prompt-countdown { color: #6cc28a; font-size: 34px; font-weight: 700; }
QLabel#prompt-countdown[now="true"] { color: #f0a23a; }
QLabel#prompt-badge { color: #14161a; font-size: 13px; font-weight: 700;
                      border-radius: 4px; padding: 2px 8px; }
"""


class CuePrompt(QFrame):
    """The large cue announcement drawn over the picture."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("cue-prompt")
        self.setStyleSheet(PROMPT_STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 10, 18, 12)
        layout.setSpacing(2)
        top = QHBoxLayout()
        self.header = QLabel(objectName="prompt-header")
        self.badge = QLabel(objectName="prompt-badge")
        self.badge.hide()
        top.addWidget(self.header)
        top.addStretch(1)
        top.addWidget(self.badge)
        layout.addLayout(top)
        self.action = QLabel(objectName="prompt-action")
        self.action.setWordWrap(True)
        layout.addWidget(self.action)
        self.countdown = QLabel(objectName="prompt-countdown")
        layout.addWidget(self.countdown)

    def show_prompt(self, prompt, total: int) -> None:
        cue = prompt.cue
        if cue is None:
            self.header.setText("Rehearsal")
            self.badge.hide()
        else:
            self.header.setText(f"Cue {cue.number} of {total} · {cue.timecode}")
            if cue.outcome in BADGE_COLORS:
                self.badge.setText(cue.outcome.upper())
                self.badge.setToolTip(cue.reason)
                self.badge.setStyleSheet(f"background: {BADGE_COLORS[cue.outcome]};")
                self.badge.show()
            else:
                self.badge.hide()
        self.action.setText(prompt.text)
        self.countdown.setText(prompt.countdown)
        self.countdown.setVisible(bool(prompt.countdown))
        for widget in (self, self.countdown):
            if widget.property("now") != prompt.now:
                widget.setProperty("now", prompt.now)
                widget.style().unpolish(widget)
                widget.style().polish(widget)


class RehearsalWindow(QMainWindow):
    """Rehearse one performer's blocking over a baked scene."""

    time_changed = Signal(float)
    paused_at_cue = Signal(int)  # position in the performer's cue list

    def __init__(
        self,
        scene: Scene,
        result: Any,
        actor_id: str | None = None,
        scene_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if parent is not None:
            self.setWindowFlag(Qt.WindowType.Window, True)
        if not scene.actors:
            raise ValueError(f"scene '{scene.title}' has no actors to rehearse")
        self.scene, self.result, self.scene_dir = scene, result, scene_dir
        self.setWindowTitle(f"Rehearsal — {scene.title}")
        self.setWindowIcon(icon("rehearse"))
        from see1previs.physics.blocking_report import blocking_report

        self.report = blocking_report(scene, result.trajectory, result.station)
        self.rehearsal: Rehearsal | None = None
        self.time = 0.0
        self.current: int | None = None  # the cue last stepped to or paused at
        self.view_mode = FIRST_PERSON
        self._ghost = None

        self.viewport = make_viewport(self)
        self.viewport.setObjectName("rehearsal-viewport")
        self.prompt = CuePrompt(self.viewport)
        self.viewport.installEventFilter(self)  # keep the prompt centred when it resizes
        hud = getattr(self.viewport, "hud", None)
        if hud is not None:
            hud.hide()  # the editing hints: the view follows the performer here
        self._build_controls()
        self.viewport.show_scene(scene, result.world, result.trajectory, scene_dir=scene_dir)
        if hasattr(self.viewport, "set_trails_visible"):
            self.viewport.set_trails_visible(False)  # only this performer's path ahead

        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(max(int(1000 / float(scene.frame_rate)), 10))
        self._timer.timeout.connect(self._tick)
        self._clock = QElapsedTimer()
        self._shortcuts()

        first = actor_id or scene.actors[0].id
        self.set_actor(first)
        self.resize(1280, 780)

    # ---- building ----------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.actor_box = QComboBox()
        self.actor_box.setObjectName("performer")
        for actor in self.scene.actors:
            self.actor_box.addItem(icon("actor"), performer_label(self.scene, actor.id), actor.id)
        self.actor_box.currentIndexChanged.connect(
            lambda i: self.set_actor(self.actor_box.itemData(i))
        )
        self.view_box = QComboBox()
        self.view_box.setObjectName("view")
        for key, label in VIEWS.items():
            self.view_box.addItem(label, key)
        self.view_box.currentIndexChanged.connect(
            lambda i: self.set_view_mode(self.view_box.itemData(i))
        )
        self.pause_box = QCheckBox("Pause at each cue")
        self.pause_box.setChecked(True)
        self.pause_box.setToolTip("Stop playback at every cue time (P)")
        self.cue_list = QListWidget()
        self.cue_list.setObjectName("cue-list")
        self.cue_list.setWordWrap(True)
        self.cue_list.setAlternatingRowColors(True)
        self.cue_list.setSpacing(3)
        self.cue_list.itemClicked.connect(lambda item: self.rehearse_cue(self.cue_list.row(item)))
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #f0a23a;")

        side = QWidget()
        side.setMinimumWidth(330)
        side.setMaximumWidth(420)
        form = QVBoxLayout(side)
        form.setContentsMargins(10, 10, 10, 10)
        for label, widget in (("Who you play", self.actor_box), ("View", self.view_box)):
            caption = QLabel(label)
            caption.setStyleSheet("color: #8b93a1;")
            form.addWidget(caption)
            form.addWidget(widget)
        form.addWidget(self.pause_box)
        caption = QLabel("Your cues (click one to run up to it)")
        caption.setStyleSheet("color: #8b93a1; margin-top: 8px;")
        form.addWidget(caption)
        form.addWidget(self.cue_list, 1)
        form.addWidget(self.warning_label)

        self.restart_button = self._button("to-start", "Restart (Home)", self.restart)
        self.previous_button = self._button("step-back", "Previous cue (Page Up)", self.previous)
        self.play_button = self._button("play", "Play / pause (Space)", self.toggle_play)
        self.next_button = self._button("step-forward", "Next cue (Page Down)", self.next)
        self.previous_button.setText(" Previous cue")
        self.next_button.setText(" Next cue")
        self.next_button.setObjectName("next-cue")
        self.previous_button.setObjectName("previous-cue")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, max(self.scene.frame_rate.frame_count(self.scene.duration), 1))
        self.slider.valueChanged.connect(self._slider_moved)
        self.time_label = QLabel()
        self.time_label.setFont(monospace_font(11))
        transport = QHBoxLayout()
        transport.setContentsMargins(8, 6, 8, 6)
        for button in (
            self.restart_button,
            self.previous_button,
            self.play_button,
            self.next_button,
        ):
            transport.addWidget(button)
        transport.addWidget(self.slider, 1)
        transport.addWidget(self.time_label)

        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.viewport, 1)
        column.addLayout(transport)
        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(centre, 1)
        row.addWidget(side)
        self.setCentralWidget(body)

    def _button(self, icon_name: str, tip: str, slot) -> QPushButton:
        button = QPushButton(icon(icon_name), "")
        button.setToolTip(tip)
        button.clicked.connect(lambda checked=False: slot())
        return button

    def _shortcuts(self) -> None:
        keys = {
            "Space": self.toggle_play,
            "PgDown": self.next,
            "]": self.next,
            "PgUp": self.previous,
            "[": self.previous,
            "Home": self.restart,
            "P": lambda: self.pause_box.toggle(),
            "V": self.cycle_view,
        }
        for key, slot in keys.items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    # ---- choosing ----------------------------------------------------------------------
    def set_actor(self, actor_id: str) -> None:
        """Rehearse this performer: their cues, prompt, eyes and path."""
        self.pause()
        self.rehearsal = Rehearsal(
            self.scene, actor_id, self.result.trajectory, self.result.station, self.report
        )
        index = self.actor_box.findData(actor_id)
        if index != self.actor_box.currentIndex():
            self.actor_box.blockSignals(True)
            self.actor_box.setCurrentIndex(index)
            self.actor_box.blockSignals(False)
        self.cue_list.clear()
        for cue in self.rehearsal.cues:
            item = QListWidgetItem(f"{cue.timecode}   {cue.action}")
            item.setFont(self.cue_list.font())
            if cue.outcome in BADGE_COLORS:
                item.setForeground(QColor(BADGE_COLORS[cue.outcome]))
                item.setToolTip(f"{cue.outcome}: {cue.reason}")
            else:
                item.setToolTip(cue.reason)
            self.cue_list.addItem(item)
        warnings = self.rehearsal.warnings
        self.warning_label.setText(
            "\n".join(f"⚠ {w.time:.1f} s: {w.message}" for w in warnings[:4])
            + (f"\n… and {len(warnings) - 4} more" if len(warnings) > 4 else "")
        )
        self.warning_label.setVisible(bool(warnings))
        self.current = None
        self.seek(0.0)

    def set_view_mode(self, mode: str) -> None:
        if mode not in VIEWS:
            raise ValueError(f"unknown rehearsal view '{mode}'; choose {', '.join(VIEWS)}")
        self.view_mode = mode
        index = self.view_box.findData(mode)
        if index != self.view_box.currentIndex():
            self.view_box.setCurrentIndex(index)
        self._show_time()

    def cycle_view(self) -> None:
        self.set_view_mode(FOLLOW_CAM if self.view_mode == FIRST_PERSON else FIRST_PERSON)

    # ---- transport ---------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def play(self) -> None:
        if self.time >= self.rehearsal.duration - 1e-9:
            self.seek(0.0)
        self._clock.start()
        self._timer.start()
        self.play_button.setIcon(icon("pause"))

    def pause(self) -> None:
        if hasattr(self, "_timer"):
            self._timer.stop()
            self.play_button.setIcon(icon("play"))

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def restart(self) -> None:
        self.pause()
        self.current = None
        self.seek(0.0)

    def next(self) -> None:
        """Step to the next cue of this performer (the playhead goes to its time)."""
        position = self.rehearsal.next_cue(self.time, self.current)
        if position is not None:
            self.pause()
            self.current = position
            self.seek(self.rehearsal.cues[position].time)

    def previous(self) -> None:
        position = self.rehearsal.previous_cue(self.time, self.current)
        if position is not None:
            self.pause()
            self.current = position
            self.seek(self.rehearsal.cues[position].time)

    def rehearse_cue(self, position: int) -> None:
        """Run up to a cue: start a little before it and play."""
        self.current = None
        self.seek(self.rehearsal.lead_in(position))
        self.play()

    def seek(self, t: float) -> None:
        """Put the playhead at scene time t (seconds)."""
        self.time = float(min(max(t, 0.0), self.rehearsal.duration))
        self._show_time()
        self.time_changed.emit(self.time)

    def _tick(self) -> None:
        elapsed = self._clock.restart() / 1000.0
        t0, t1 = self.time, min(self.time + elapsed, self.rehearsal.duration)
        stop = self.rehearsal.pause_between(t0, t1) if self.pause_box.isChecked() else None
        if stop is not None:
            self.pause()
            self.current = next(
                i for i, cue in enumerate(self.rehearsal.cues) if abs(cue.time - stop) < 1e-6
            )
            self.seek(stop)
            self.paused_at_cue.emit(self.current)
            return
        self.seek(t1)
        if t1 >= self.rehearsal.duration:
            self.pause()

    def _slider_moved(self, frame: int) -> None:
        if self.slider.isSliderDown():
            self.pause()
            self.current = None
            self.seek(self.scene.frame_rate.frame_time(frame))

    # ---- showing -----------------------------------------------------------------------
    def _show_time(self) -> None:
        rehearsal, t = self.rehearsal, self.time
        if rehearsal is None:
            return
        self.viewport.set_time(t)
        if not is_stand_in(self.viewport):
            if self.view_mode == FIRST_PERSON:
                eye, forward, _ = rehearsal.first_person(t)
                self.viewport.look_from(eye, forward, FIRST_PERSON_FOV)
            else:
                eye, forward, _ = rehearsal.follow_cam(t)
                self.viewport.look_from(eye, forward, FOLLOW_CAM_FOV)
            self._draw_ghost(rehearsal.path_ahead(t))
        prompt = rehearsal.prompt(t, self.current)
        self.prompt.show_prompt(prompt, len(rehearsal.cues))
        self._place_prompt()
        announced = rehearsal.announced(t, self.current)
        if announced is not None and self.cue_list.currentRow() != announced:
            self.cue_list.setCurrentRow(announced)
        elif announced is None:
            self.cue_list.clearSelection()
        rate = self.scene.frame_rate
        frame = rate.frame_at(t)
        self.time_label.setText(f"{rate.timecode(frame)}  {t:5.2f} s")
        if not self.slider.isSliderDown():
            self.slider.blockSignals(True)
            self.slider.setValue(frame)
            self.slider.blockSignals(False)

    def _draw_ghost(self, points: np.ndarray) -> None:
        import pyqtgraph.opengl as gl

        view = self.viewport.view
        if self._ghost is None:
            self._ghost = gl.GLLinePlotItem(
                pos=points, color=GHOST_RGBA, width=4.0, antialias=True, mode="line_strip"
            )
            self._ghost.setGLOptions("translucent")
            view.addItem(self._ghost)
        else:
            self._ghost.setData(pos=points)

    def _place_prompt(self) -> None:
        width = min(max(self.viewport.width() - 40, 200), 760)
        self.prompt.setFixedWidth(width)
        self.prompt.adjustSize()
        self.prompt.move((self.viewport.width() - width) // 2, 16)
        self.prompt.raise_()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.viewport and event.type() == QEvent.Type.Resize:
            self._place_prompt()
        return super().eventFilter(watched, event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._show_time)

    def closeEvent(self, event) -> None:
        self.pause()
        super().closeEvent(event)

    def prompt_texts(self) -> tuple[str, str]:
        """(action, countdown) as the prompt shows them now (for tests and screen readers)."""
        return self.prompt.action.text(), self.prompt.countdown.text()
