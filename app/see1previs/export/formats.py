"""The export formats a camera plan can contain (a light module: the CLI reads it at start)."""

FORMATS = ("csv", "json", "shotlist", "otio", "usd")
"""Per-shot track CSV and JSON, the shot list, the OTIO timeline and the USD stage."""
