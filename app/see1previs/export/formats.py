"""The export formats a camera plan can contain (a light module: the CLI reads it at start)."""

FORMATS = ("csv", "json", "shotlist", "otio", "usd", "storyboards", "pdf")
"""Per-shot track CSV and JSON, the shot list CSV, the OTIO timeline, the USD stage, the
storyboard PNGs and the shot-list PDF with storyboards."""
