"""Session layer: the work the CLI and the GUI share, above every inner layer.

Today it holds the camera-plan export job (:mod:`see1previs.session.export_job`); the
editing session (scene + undo stack + bake) joins it with the desktop app.
"""
