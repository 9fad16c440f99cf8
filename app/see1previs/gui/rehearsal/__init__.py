"""Rehearsal mode: a performer plays the baked scene from their own point of view, cue by cue.

:class:`~see1previs.gui.rehearsal.window.RehearsalWindow` is the window;
:mod:`see1previs.gui.rehearsal.actions` adds "Rehearse…" and "Cue sheet…" to the main window.
The timing it shows is :mod:`see1previs.session.rehearsal` (no Qt).
"""
