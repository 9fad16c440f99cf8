"""What an editor's tools need on each clip: an EDL-safe reel name, the record start, and the
shot's description and notes in a form every adapter carries.

**Reel names** follow the CMX 3600 reel field: at most 8 characters, upper-case letters and
digits only (no spaces, no punctuation). A shot's reel is its id, upper-cased, with every
other character dropped (``SH-010`` → ``SH010``, ``1a`` → ``1A``) and cut to 8 characters.
An id that leaves nothing, or a name the EDL reserves (``BL``, ``BLK``, ``BLACK``, ``AX``,
``BARS``), is prefixed with ``S``. Two shots never share a reel: a clash ends in a running
number (``LONGSHOT`` and ``LONGSHO2``).

**Record timecode** starts at 01:00:00:00, the editorial convention, at the scene rate's
nominal timecode base (frame 86 400 at 24 and at 23.976).

**Description and notes** travel three ways, so each adapter finds them where it looks:

- ``clip.metadata["cmx_3600"]["comments"]``: ``DESCRIPTION: …`` and ``NOTES: …``, written as
  ``*`` comment lines under the event by the CMX 3600 adapter and read back into the same
  place;
- ``clip.metadata["fcp_xml"]["comments"]``: Final Cut Pro 7's clip comments A (description)
  and B (notes), the *Comment A/B* columns of FCP and Premiere;
- markers at the clip's first frame, named ``Description`` and ``Notes`` with the text as the
  marker's comment (OTIO ``marker.metadata["fcp_xml"]["comment"]`` and ``["see1"]["text"]``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import opentimelineio as otio

from see1previs.core.scene_cameras import Shot
from see1previs.core.timebase import FrameRate

REEL_LENGTH = 8
RESERVED_REELS = frozenset({"BL", "BLK", "BLACK", "AX", "BARS"})
RECORD_START_HOURS = 1
DESCRIPTION_MARKER = "Description"
NOTES_MARKER = "Notes"
_PUNCTUATION = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def reel_name(shot_id: str) -> str:
    """The CMX 3600 reel for one shot id (see the module docstring); not yet de-duplicated."""
    reel = re.sub(r"[^A-Z0-9]", "", ascii_text(shot_id).upper())[:REEL_LENGTH]
    if not reel or reel in RESERVED_REELS:
        reel = ("S" + reel)[:REEL_LENGTH]
    return reel


def reel_names(shot_ids: Iterable[str]) -> dict[str, str]:
    """A distinct reel for every shot id, in the order given (a clash gets 2, 3, … at the end)."""
    reels: dict[str, str] = {}
    taken: set[str] = set()
    for shot_id in shot_ids:
        reel = base = reel_name(shot_id)
        number = 2
        while reel in taken:
            suffix = str(number)
            reel = base[: REEL_LENGTH - len(suffix)] + suffix
            number += 1
        reels[shot_id] = reel
        taken.add(reel)
    return reels


def record_start(frame_rate: FrameRate) -> otio.opentime.RationalTime:
    """01:00:00:00 at the scene rate (non-drop, counted at the nominal base)."""
    frames = RECORD_START_HOURS * 3600 * frame_rate.nominal
    return otio.opentime.RationalTime(frames, float(frame_rate.fps))


def ascii_text(text: str) -> str:
    """``text`` on one line in plain ASCII (EDLs are ASCII): accents and typographic quotes
    and dashes folded to their plain forms, anything else dropped."""
    folded = unicodedata.normalize("NFKD", text.translate(_PUNCTUATION))
    return " ".join(folded.encode("ascii", "ignore").decode("ascii").split())


def annotate_clip(clip: otio.schema.Clip, shot: Shot, reel: str) -> None:
    """Put the reel, description and notes on ``clip`` (its ``source_range`` must be set)."""
    comments = []
    fcp_comments = {}
    for label, text, fcp_key in (
        (DESCRIPTION_MARKER, shot.description, "clipcommenta"),
        (NOTES_MARKER, shot.notes, "clipcommentb"),
    ):
        one_line = " ".join(text.split())
        if not one_line:
            continue
        comments.append(f"{label.upper()}: {ascii_text(one_line)}")
        fcp_comments[fcp_key] = one_line
        clip.markers.append(
            otio.schema.Marker(
                name=label,
                marked_range=otio.opentime.TimeRange(
                    clip.source_range.start_time,
                    otio.opentime.RationalTime(0, clip.source_range.start_time.rate),
                ),
                color=otio.schema.MarkerColor.BLUE
                if label == DESCRIPTION_MARKER
                else otio.schema.MarkerColor.YELLOW,
                metadata={"fcp_xml": {"comment": one_line}, "see1": {"text": one_line}},
            )
        )
    clip.metadata["cmx_3600"] = {"reel": reel, "comments": comments}
    if fcp_comments:
        clip.metadata["fcp_xml"] = {"comments": fcp_comments}
