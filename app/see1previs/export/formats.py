"""The export formats a camera plan can contain (a light module: the CLI reads it at start)."""

FORMATS = (
    "csv",
    "json",
    "shotlist",
    "otio",
    "edl",
    "fcpxml",
    "usd",
    "gltf",
    "chan",
    "opentrackio",
    "motion",
    "storyboards",
    "pdf",
    "movies",
)
"""Per-shot track CSV and JSON, the shot list CSV, the OTIO timeline, the cut as a CMX 3600
EDL and as Final Cut Pro 7 XML, the USD stage, the glTF scene, the storyboard PNGs, the
shot-list PDF with storyboards and the previs movies (an H.264 MP4 per shot and the previs cut)."""

SLOW_FORMATS = ("movies",)
"""Formats an export writes only when asked: rendering every frame of every shot takes
minutes where the rest takes seconds."""

DEFAULT_FORMATS = tuple(f for f in FORMATS if f not in SLOW_FORMATS)
"""What an export writes when no formats are named: everything but the slow formats."""

CAMERA_FORMATS = ("chan", "opentrackio", "motion")
"""Per-shot Nuke ``.chan`` files, per-shot OpenTrackIO samples and ``motion_control.csv``
(each shot's peak rates against a motion-control rig's limits, and with pre-roll the eased
moves the rig runs)."""
