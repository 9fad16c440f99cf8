"""A baked trajectory: every body's motion at the scene frame rate, plus contact events.

The Trajectory is the hand-off from physics to everything downstream (viewport, cameras,
exports). Arrays are frame-major: ``positions[frame, body]``. Position is the body origin
(the point the scene's pose refers to); orientation is (w, x, y, z); velocities are of the
centre of mass, module frame. :meth:`Trajectory.sample` interpolates at any time in O(1):
positions linearly, orientations by slerp.

Articulated actors also record their segments as *links* (``"mika/head"``): each link's frame
origin and orientation per frame. :meth:`Trajectory.link_pose` answers for a link or for a
rigid body id alike, so a viewport can pose every shape of :mod:`see1previs.physics.visuals`
with one call.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from see1previs.core import quaternion as quat
from see1previs.core.atomic_write import AtomicWriteError, replace_file_atomically
from see1previs.physics.npz_archive import ArchiveError, Member, read_npz, write_npz

CONTACT_DTYPE = np.dtype(
    [
        ("start", "f8"),  # s, first step in contact
        ("end", "f8"),  # s, last step in contact
        ("body_a", "U64"),  # scene id, or "station" / "station:H3"
        ("body_b", "U64"),
        ("link_a", "U64"),  # the segment that touched ("mika/head"), or body_a for a rigid body
        ("link_b", "U64"),
        ("impulse", "f8", (3,)),  # N·s on body_a from body_b, module frame
        ("impulse_magnitude", "f8"),  # N·s, |impulse|
        ("peak_force", "f8"),  # N, largest normal force
        ("position", "f8", (3,)),  # m, first contact point
        ("approach_speed", "f8"),  # m/s, normal closing speed when contact began
    ]
)
ID_DTYPE = np.dtype("U64")  # body ids and link names in an archive
FILE_LIMIT = 1 << 30  # bytes any one array of a trajectory file may hold
TEXT_LIMIT = 16 << 20  # bytes of the text entries (units, metadata)
RATE_PATTERN = re.compile(r"([0-9]{1,12})/([0-9]{1,12})")  # an archive's frame rate
UNITS = {
    "times": "s",
    "positions": "m, module frame, body origin",
    "orientations": "unit quaternion (w, x, y, z), body to module frame",
    "linear_velocities": "m/s, centre of mass, module frame",
    "angular_velocities": "rad/s, module frame",
    "link_positions": "m, module frame, segment frame origin",
    "link_orientations": "unit quaternion (w, x, y, z), segment frame",
    "contacts.impulse": "N·s on body_a, module frame",
    "contacts.peak_force": "N",
}


@dataclass
class Trajectory:
    """Baked motion of every body of a scene."""

    body_ids: list[str]
    frame_rate: Fraction
    times: np.ndarray  # (F,) s
    positions: np.ndarray  # (F, B, 3) m
    orientations: np.ndarray  # (F, B, 4) wxyz
    linear_velocities: np.ndarray  # (F, B, 3) m/s
    angular_velocities: np.ndarray  # (F, B, 3) rad/s
    contacts: np.ndarray = field(default_factory=lambda: np.zeros(0, CONTACT_DTYPE))
    metadata: dict = field(default_factory=dict)
    links: list[str] = field(default_factory=list)  # articulated segments, "actor/segment"
    link_positions: np.ndarray | None = None  # (F, L, 3) m, segment frame origin
    link_orientations: np.ndarray | None = None  # (F, L, 4) wxyz

    # ---- lookup -------------------------------------------------------------------------
    @property
    def frame_count(self) -> int:
        return len(self.times)

    @property
    def duration(self) -> float:
        return float(self.times[-1]) if len(self.times) else 0.0

    def index(self, body_id: str) -> int:
        try:
            return self.body_ids.index(body_id)
        except ValueError:
            raise KeyError(f"no body '{body_id}' in this trajectory") from None

    def _bracket(self, t: float) -> tuple[int, int, float]:
        """Frames around time t and the blend between them (clamped to the baked range)."""
        last = self.frame_count - 1
        x = float(t) * float(self.frame_rate)
        if x <= 0.0 or last == 0:
            return 0, 0, 0.0
        if x >= last:
            return last, last, 0.0
        i = int(np.floor(x))
        # Frame times are k / fps exactly; guard against floor() landing one frame early.
        if i + 1 <= last and self.times[i + 1] <= t:
            i += 1
        u = (t - self.times[i]) / (self.times[i + 1] - self.times[i]) if i < last else 0.0
        return i, min(i + 1, last), float(u)

    def sample(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        """(positions (B, 3), orientations (B, 4)) of every body at time t, interpolated."""
        i, j, u = self._bracket(t)
        if i == j or u == 0.0:
            return self.positions[i].copy(), self.orientations[i].copy()
        position = (1.0 - u) * self.positions[i] + u * self.positions[j]
        orientation = quat.slerp(self.orientations[i], self.orientations[j], u)
        return position, orientation

    def pose(self, body_id: str, t: float) -> tuple[np.ndarray, np.ndarray]:
        b = self.index(body_id)
        i, j, u = self._bracket(t)
        if i == j or u == 0.0:
            return self.positions[i, b].copy(), self.orientations[i, b].copy()
        position = (1.0 - u) * self.positions[i, b] + u * self.positions[j, b]
        return position, quat.slerp(self.orientations[i, b], self.orientations[j, b], u)

    def link_pose(self, link: str, t: float) -> tuple[np.ndarray, np.ndarray]:
        """Pose of an articulated segment, or of a rigid body given by its id."""
        if link not in self.links:
            return self.pose(link, t)
        k = self.links.index(link)
        i, j, u = self._bracket(t)
        positions, orientations = self.link_positions, self.link_orientations
        if i == j or u == 0.0:
            return positions[i, k].copy(), orientations[i, k].copy()
        position = (1.0 - u) * positions[i, k] + u * positions[j, k]
        return position, quat.slerp(orientations[i, k], orientations[j, k], u)

    def velocity(self, body_id: str, t: float) -> tuple[np.ndarray, np.ndarray]:
        b = self.index(body_id)
        i, j, u = self._bracket(t)
        lin = (1.0 - u) * self.linear_velocities[i, b] + u * self.linear_velocities[j, b]
        ang = (1.0 - u) * self.angular_velocities[i, b] + u * self.angular_velocities[j, b]
        return lin, ang

    # ---- identity -----------------------------------------------------------------------
    def content_hash(self) -> str:
        """sha256 over every recorded array: equal hashes mean bit-identical bakes."""
        digest = hashlib.sha256()
        digest.update(json.dumps([self.body_ids, self.links]).encode())
        for array in (
            self.times,
            self.positions,
            self.orientations,
            self.linear_velocities,
            self.angular_velocities,
            *self.link_arrays(),
        ):
            digest.update(np.ascontiguousarray(array).tobytes())
        digest.update(self.contacts.tobytes())
        return digest.hexdigest()

    # ---- files --------------------------------------------------------------------------
    def save_npz(self, path: Path | str) -> None:
        """Write a NumPy archive (atomically); units are recorded in its ``units`` entry."""
        path = Path(path)
        data = write_npz(self.archive_arrays())
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file_atomically(path, data)
        except (OSError, AtomicWriteError) as exc:
            raise AtomicWriteError(f"cannot save the trajectory to '{path}': {exc}") from exc

    def link_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(link positions (F, L, 3), link orientations (F, L, 4)), empty without links."""
        frames = self.frame_count
        if self.link_positions is None or self.link_orientations is None:
            return np.zeros((frames, 0, 3)), np.zeros((frames, 0, 4))
        return self.link_positions, self.link_orientations

    def archive_arrays(self) -> dict[str, np.ndarray]:
        """The arrays of this trajectory's ``.npz`` archive, by name (see
        :func:`archive_members`)."""
        meta = dict(self.metadata)
        meta["frame_rate"] = f"{self.frame_rate.numerator}/{self.frame_rate.denominator}"
        return {
            "body_ids": np.array(self.body_ids, dtype=ID_DTYPE),
            "times": self.times,
            "positions": self.positions,
            "orientations": self.orientations,
            "linear_velocities": self.linear_velocities,
            "angular_velocities": self.angular_velocities,
            "contacts": self.contacts,
            "links": np.array(self.links, dtype=ID_DTYPE),
            "link_positions": self.link_arrays()[0],
            "link_orientations": self.link_arrays()[1],
            "units": np.array(json.dumps(UNITS)),
            "metadata": np.array(json.dumps(meta, sort_keys=True)),
        }

    @classmethod
    def from_archive_arrays(cls, arrays: dict[str, np.ndarray]) -> Trajectory:
        """The trajectory of an archive's arrays (as :meth:`archive_arrays` names them).

        Raises :class:`ArchiveError` if the metadata is not a JSON object with a frame rate.
        """
        try:
            meta = json.loads(str(arrays["metadata"]))
            text = meta.pop("frame_rate")
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise ArchiveError(f"the metadata is not readable ({exc})") from exc
        # "num/den" with small integers only: a huge exponent would take forever to expand.
        match = RATE_PATTERN.fullmatch(text) if isinstance(text, str) else None
        if match is None or int(match[1]) == 0 or int(match[2]) == 0:
            raise ArchiveError(f"the frame rate {str(text)[:40]!r} is not a positive fraction")
        rate = Fraction(int(match[1]), int(match[2]))
        return cls(
            body_ids=[str(b) for b in arrays["body_ids"]],
            frame_rate=rate,
            times=arrays["times"],
            positions=arrays["positions"],
            orientations=arrays["orientations"],
            linear_velocities=arrays["linear_velocities"],
            angular_velocities=arrays["angular_velocities"],
            contacts=arrays["contacts"],
            metadata=meta,
            links=[str(k) for k in arrays["links"]],
            link_positions=arrays["link_positions"],
            link_orientations=arrays["link_orientations"],
        )

    @classmethod
    def load_npz(cls, path: Path | str) -> Trajectory:
        """Read a trajectory archive, checking its layout and sizes before reading the data.

        Arrays this version does not know are left unread. Raises :class:`ArchiveError`
        (a ``ValueError``) for a file that is not a trajectory archive.
        """
        with open(path, "rb") as file:
            return cls.from_archive_arrays(read_npz(file, archive_members(), skip_unknown=True))


def archive_members(
    *,
    frames: int | None = None,
    bodies: int | None = None,
    links: int | None = None,
    max_contacts: int = FILE_LIMIT // CONTACT_DTYPE.itemsize,
    max_text_bytes: int = TEXT_LIMIT,
) -> dict[str, Member]:
    """The arrays a trajectory archive holds; ``None`` sizes are free, up to a generous limit.

    Given the frame, body and link counts every array's size is exact but the contacts',
    which are bounded by ``max_contacts``.
    """
    f, b, k = frames, bodies, links
    real = np.dtype(np.float64)

    def array(*shape: int | None) -> Member:
        return Member(real, shape, FILE_LIMIT)

    return {
        "body_ids": Member(ID_DTYPE, (b,), FILE_LIMIT),
        "times": array(f),
        "positions": array(f, b, 3),
        "orientations": array(f, b, 4),
        "linear_velocities": array(f, b, 3),
        "angular_velocities": array(f, b, 3),
        "contacts": Member(CONTACT_DTYPE, (None,), max_contacts * CONTACT_DTYPE.itemsize),
        "links": Member(ID_DTYPE, (k,), FILE_LIMIT),
        "link_positions": array(f, k, 3),
        "link_orientations": array(f, k, 4),
        "units": Member("U", (), max_text_bytes),
        "metadata": Member("U", (), max_text_bytes),
    }
