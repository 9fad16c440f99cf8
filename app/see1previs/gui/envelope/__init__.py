"""The safety envelope in the window: the *Envelope…* action, its run, and what it shows.

:func:`install_envelope` adds the action to a menu of the main window and wires the rest:
:mod:`.run` (the dialog, the background run with progress and cancel, the files written),
:mod:`.overlay` (each actor's 90 % envelope as a translucent tube in the viewport) and
:mod:`.moments` (a dock with the risky moments on a time strip, clickable: the playhead goes
there, and the worst sample opens as a scene). The same moments are flags on the main
timeline's actor tracks (:mod:`see1previs.gui.risk_marks`).
"""

from __future__ import annotations

from see1previs.gui.envelope.run import EnvelopeController


def install_envelope(window) -> EnvelopeController:
    """Add *Scene ▸ Envelope…* and the *Envelope* dock to a main ``window``."""
    controller = EnvelopeController(window)
    window.envelope = controller
    menus = {a.text(): a.menu() for a in window.menuBar().actions() if a.menu() is not None}
    scene_menu = menus.get("&Scene")
    if scene_menu is not None:
        scene_menu.addAction(controller.action)
    return controller
