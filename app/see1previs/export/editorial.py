"""The cut for editing systems: a CMX 3600 EDL and a Final Cut Pro 7 XML, written through the
OpenTimelineIO plugin adapters (``cmx_3600``, ``fcp_xml``) from the same timeline as the
``.otio`` file, so all three agree shot for shot.

Both hold one event (clip) per shot in shooting order, the clip named after the shot, its
source range the shot's cut in scene timecode (out point excluded: an 8 s shot is 8 s), and
record timecode from 01:00:00:00.

- **EDL** (``timeline.edl``): ASCII, ``TITLE:`` and ``FCM: NON-DROP FRAME`` header, video
  track ``V``, cuts only. The reel is the shot's EDL-safe reel name (see
  :mod:`see1previs.export.editorial_marks`); the full clip name follows as
  ``* FROM CLIP NAME:``, then ``* DESCRIPTION:`` and ``* NOTES:`` comment lines. Read it
  with the same adapter at the scene rate: ``otio.adapters.read_from_file(path,
  adapter_name="cmx_3600", rate=24)`` (an EDL does not state its rate); the comments come
  back in ``clip.metadata["cmx_3600"]["comments"]``, the reel in ``["reel"]``.
- **FCP XML** (``timeline.xml``, xmeml version 4): a sequence starting at 01:00:00:00, one
  clipitem per shot with the description and notes as clip comments A and B and as markers
  named ``Description`` and ``Notes`` (the text in the marker's comment). Final Cut Pro 7,
  Premiere Pro, DaVinci Resolve and Avid (via conversion) import it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import opentimelineio as otio

from see1previs.core.scene import Scene
from see1previs.core.scene_cameras import Shot
from see1previs.export.editorial_marks import ascii_text
from see1previs.export.files import write_text
from see1previs.export.otio_timeline import build_timeline

if TYPE_CHECKING:
    from see1previs.cinema.tracks import CameraTrack

EDL_ADAPTER = "cmx_3600"
FCP_XML_ADAPTER = "fcp_xml"


def edl_text(timeline: otio.schema.Timeline) -> str:
    """The timeline as a CMX 3600 EDL, record timecode from its ``global_start_time``."""
    edl = timeline.deepcopy()
    edl.name = ascii_text(edl.name)
    (video,) = edl.video_tracks()
    # The adapter counts record timecode from the track's own start: begin the track at
    # minus the record start, as the adapter itself does when it reads an EDL.
    start = timeline.global_start_time or otio.opentime.RationalTime(0, _rate(video))
    video.source_range = otio.opentime.TimeRange(-start, video.duration())
    for clip in video.find_clips():
        clip.name = ascii_text(clip.name)
        clip.markers[:] = []  # description and notes go as comments, in their own case
    text = otio.adapters.write_to_string(edl, EDL_ADAPTER, rate=_rate(video))
    lines = text.splitlines()
    if lines and lines[0].startswith("TITLE:"):
        lines.insert(1, "FCM: NON-DROP FRAME")
    return "\n".join(lines) + "\n"


def fcp_xml_text(timeline: otio.schema.Timeline) -> str:
    """The timeline as Final Cut Pro 7 XML (xmeml)."""
    return otio.adapters.write_to_string(timeline, FCP_XML_ADAPTER)


def write_edl(
    path: Path | str,
    scene: Scene,
    shots: Iterable[Shot],
    tracks: Mapping[str, CameraTrack],
    media: Mapping[str, str] | None = None,
) -> None:
    """Write the cut as a CMX 3600 EDL (``media`` as for the OTIO timeline)."""
    write_text(path, edl_text(build_timeline(scene, shots, tracks, media=media)))


def write_fcp_xml(
    path: Path | str,
    scene: Scene,
    shots: Iterable[Shot],
    tracks: Mapping[str, CameraTrack],
    media: Mapping[str, str] | None = None,
) -> None:
    """Write the cut as Final Cut Pro 7 XML (``media`` as for the OTIO timeline)."""
    write_text(path, fcp_xml_text(build_timeline(scene, shots, tracks, media=media)))


def _rate(track: otio.schema.Track) -> float:
    clips = list(track.find_clips())
    return clips[0].source_range.start_time.rate if clips else 24.0
