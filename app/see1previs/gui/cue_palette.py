"""The cue palette: one action per cue a director gives, added at the playhead.

For the selected actor: push off, hold, release, grab, catch, throw, tether, untether, pose;
for a selected prop: impulse and spin. The actions live in the *Cue* menu, a *Cues* toolbar
and the viewport's and timeline's right-click menus, each with a Shift+letter shortcut
(letters the viewport's own keys do not use). A new cue starts from what the scene shows
at the playhead (:mod:`see1previs.physics.cue_defaults`), is added as one undoable edit
and is selected, so the inspector shows its fields at once. *Untether* does not add a cue:
it sets the ``until`` of the tether clipped at the playhead. Actions that make no sense for
the selection are disabled, with the reason in their status tip.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QWidget

from see1previs.core import commands as cmd
from see1previs.gui.icons import icon
from see1previs.gui.qt_events import listen
from see1previs.physics.bake import station_for
from see1previs.physics.cue_defaults import ACTOR_KINDS, Moment, NoCueHere, new_cue, untether_at
from see1previs.session.session import Session


@dataclass(frozen=True)
class CueKind:
    kind: str  # the cue's type in the scene file ("untether" edits a tether)
    label: str
    shortcut: str
    tip: str

    @property
    def icon_name(self) -> str:
        return "cue-" + self.kind.replace("_", "-")


KINDS = (
    CueKind("push_off", "Push &Off", "Shift+P", "Push off the fixture held (or the wall)"),
    CueKind("hold", "&Hold", "Shift+H", "Take hold of the nearest handrail or foot restraint"),
    CueKind("release", "&Release", "Shift+L", "Let go of the fixture held"),
    CueKind("grab", "&Grab", "Shift+B", "Take the nearest prop in a free hand"),
    CueKind("catch", "&Catch", "Shift+C", "Catch the flying prop nearest a hand"),
    CueKind("throw", "&Throw", "Shift+V", "Throw the prop in hand toward the other actor"),
    CueKind("tether", "T&ether", "Shift+N", "Clip a safety tether to the nearest fixture"),
    CueKind("untether", "&Untether", "Shift+M", "Unclip the tether at the playhead"),
    CueKind("pose", "Po&se", "Shift+O", "Change posture to a library pose"),
    CueKind("impulse", "&Impulse", "Shift+I", "Give the selected prop a push"),
    CueKind("spin", "S&pin", "Shift+U", "Set the selected prop spinning"),
)
KIND_BY_TYPE = {k.kind: k for k in KINDS}


def cue_icon_name(cue_type: str) -> str:
    return "cue-" + cue_type.replace("_", "-")


class CuePalette(QObject):
    """The cue actions of a window, enabled for what is selected."""

    def __init__(self, session: Session, window: QWidget, report_error) -> None:
        super().__init__(window)
        self.session = session
        self.window = window
        self.report_error = report_error  # (title, message): how the window tells people
        self.actions: dict[str, QAction] = {}
        for kind in KINDS:
            action = QAction(icon(kind.icon_name), kind.label, window)
            action.setShortcut(QKeySequence(kind.shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setToolTip(f"{kind.label.replace('&', '')} ({kind.shortcut}): {kind.tip}")
            action.setStatusTip(kind.tip)
            action.triggered.connect(lambda checked=False, k=kind.kind: self.add(k))
            window.addAction(action)
            self.actions[kind.kind] = action
        listen(self, session.selection_changed, lambda ids: self.update_enabled())
        listen(self, session.scene_changed, lambda scene: self.update_enabled())
        self.update_enabled()

    # -- where the actions show ---------------------------------------------------------
    def actor_actions(self) -> list[QAction]:
        return [self.actions[k.kind] for k in KINDS if k.kind in ACTOR_KINDS]

    def prop_actions(self) -> list[QAction]:
        return [self.actions[k.kind] for k in KINDS if k.kind not in ACTOR_KINDS]

    def fill_menu(self, menu: QMenu) -> QMenu:
        menu.addActions(self.actor_actions())
        menu.addSeparator()
        menu.addActions(self.prop_actions())
        return menu

    def toolbar(self) -> QToolBar:
        bar = QToolBar("Cues", self.window)
        bar.setObjectName("cue-toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        bar.addActions(self.actor_actions())
        bar.addSeparator()
        bar.addActions(self.prop_actions())
        return bar

    # -- state --------------------------------------------------------------------------
    def subject(self) -> str | None:
        """The selected prop or actor (or the actor of a selected cue)."""
        scene = self.session.scene
        bodies = {b.id for b in scene.bodies()}
        cues = {c.id: c for c in scene.cues}
        for item in self.session.selection:
            if item in bodies:
                return item
            if item in cues:
                return cmd.cue_subject(cues[item])
        return None

    def update_enabled(self) -> None:
        subject = self.subject()
        actors = {a.id for a in self.session.scene.actors}
        for kind in KINDS:
            action = self.actions[kind.kind]
            if kind.kind in ACTOR_KINDS:
                ok = subject in actors
                why = "" if ok else "Select an actor first"
            else:
                ok = subject is not None
                why = "" if ok else "Select a prop (or an actor) first"
            action.setEnabled(ok)
            action.setStatusTip(kind.tip if ok else f"{why}: {kind.tip.lower()}")

    def moment(self) -> Moment:
        session = self.session
        bake = session.bake
        if bake is not None and set(bake.trajectory.body_ids) >= {
            b.id for b in session.scene.bodies()
        }:
            return Moment(session.scene, bake.station, session.time, bake.trajectory)
        station = bake.station if bake is not None else station_for(session.scene, None)
        return Moment(session.scene, station, session.time)

    # -- adding -------------------------------------------------------------------------
    def add(self, kind: str) -> str | None:
        """Add a cue of ``kind`` for the selection at the playhead; its id (None if refused)."""
        subject = self.subject()
        label = KIND_BY_TYPE[kind].label.replace("&", "")
        if subject is None:
            self.report_error(f"Cannot add {label}", "Select an actor or a prop first.")
            return None
        session = self.session
        try:
            moment = self.moment()
            if kind == "untether":
                index, until = untether_at(subject, moment)
                edited = cmd.set_value(session.scene, ("cues", index, "until"), until)
                cue_id = session.scene.cues[index].id
                session.edit(f"Untether {subject} at {self._stamp()}", edited)
                session.select([cue_id])
                return cue_id
            cue = new_cue(kind, subject, moment)
            edited = cmd.add_item(session.scene, "cues", cue)
        except (NoCueHere, ValueError, KeyError) as exc:
            self.report_error(f"Cannot add {label}", str(exc))
            return None
        session.edit(f"Add {label.lower()} cue {cue['id']} at {self._stamp()}", edited)
        session.select([cue["id"]])
        return cue["id"]

    def _stamp(self) -> str:
        rate = self.session.scene.frame_rate
        return rate.timecode(rate.frame_at(self.session.time))


def install(window) -> CuePalette:
    """Give a main window the palette: the *Cue* menu (before *View*), the *Cues* toolbar,
    the cue actions in the viewport's and the timeline's right-click menus, and the
    viewport's cue arrow and pick mode."""
    palette = CuePalette(window.session, window, lambda t, m: window.report_error(t, m))
    window.cue_palette = palette
    bar = window.menuBar()
    menu = QMenu("&Cue", window)
    palette.fill_menu(menu)
    view = next((a for a in bar.actions() if a.text() == "&View"), None)
    bar.insertMenu(view, menu) if view is not None else bar.addMenu(menu)
    window.cue_menu = menu
    window.addToolBar(palette.toolbar())
    add_menu = QMenu("Add &Cue at Playhead", window)
    add_menu.setIcon(icon("cue"))
    palette.fill_menu(add_menu)
    window.viewport.context_actions.insert(0, add_menu.menuAction())
    window.timeline.canvas.context_actions = [add_menu.menuAction()]
    try:  # the cue arrow and pick mode live in the 3D viewport
        from see1previs.gui.viewport.cue_gizmo import install as install_viewport_tools
    except ImportError:  # no 3D view on this machine: the text stand-in has no tools
        tools = None
    else:
        tools = install_viewport_tools(window)
    if tools is not None:
        window.inspector.pick_in_viewport = tools.pick.start
    outliner = window.outliner.context_actions
    outliner.insert(
        outliner.index(None) if None in outliner else len(outliner), add_menu.menuAction()
    )
    return palette
