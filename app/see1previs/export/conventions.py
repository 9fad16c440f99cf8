"""The words every exported file uses to state its frame, axes and units.

One definition, so the CSV header, the JSON ``frame`` entry, the USD layer documentation and
the OTIO metadata can never disagree about the conventions they describe.
"""

from __future__ import annotations

from see1previs.core.timebase import FrameRate

GENERATOR = "SEE-1 Previs"

MODULE_FRAME = (
    "SEE-1 module frame: origin at the centre of the sphere, +X toward the main hatch, "
    "+Z the studio's reference up (a convention, not gravity), right-handed; metres"
)
CAMERA_AXES = "the camera looks along its local -Z, +Y is image up and +X image right"
QUATERNION = "unit quaternion (w, x, y, z) rotating camera axes into the module frame"


def frame_rate_text(frame_rate: FrameRate) -> str:
    """E.g. '23.976 fps (24000/1001), timecode non-drop counted at 24'."""
    fps = frame_rate.fps
    exact = f" ({fps.numerator}/{fps.denominator})" if fps.denominator != 1 else ""
    return f"{frame_rate}{exact}, timecode non-drop counted at {frame_rate.nominal}"
