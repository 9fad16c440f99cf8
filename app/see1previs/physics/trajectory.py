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
import io
import json
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from see1previs.core import quaternion as quat
from see1previs.core.atomic_write import AtomicWriteError, replace_file_atomically

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
            *self._link_arrays(),
        ):
            digest.update(np.ascontiguousarray(array).tobytes())
        digest.update(self.contacts.tobytes())
        return digest.hexdigest()

    # ---- files --------------------------------------------------------------------------
    def save_npz(self, path: Path | str) -> None:
        """Write a NumPy archive (atomically); units are recorded in its ``units`` entry."""
        path = Path(path)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **self._arrays())
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file_atomically(path, buffer.getvalue())
        except (OSError, AtomicWriteError) as exc:
            raise AtomicWriteError(f"cannot save the trajectory to '{path}': {exc}") from exc

    def _link_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        frames = self.frame_count
        if self.link_positions is None or self.link_orientations is None:
            return np.zeros((frames, 0, 3)), np.zeros((frames, 0, 4))
        return self.link_positions, self.link_orientations

    def _arrays(self) -> dict[str, np.ndarray]:
        meta = dict(self.metadata)
        meta["frame_rate"] = f"{self.frame_rate.numerator}/{self.frame_rate.denominator}"
        return {
            "body_ids": np.array(self.body_ids, dtype="U64"),
            "times": self.times,
            "positions": self.positions,
            "orientations": self.orientations,
            "linear_velocities": self.linear_velocities,
            "angular_velocities": self.angular_velocities,
            "contacts": self.contacts,
            "links": np.array(self.links, dtype="U64"),
            "link_positions": self._link_arrays()[0],
            "link_orientations": self._link_arrays()[1],
            "units": np.array(
                json.dumps(
                    {
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
                )
            ),
            "metadata": np.array(json.dumps(meta, sort_keys=True)),
        }

    @classmethod
    def load_npz(cls, path: Path | str) -> Trajectory:
        with np.load(Path(path), allow_pickle=False) as archive:
            meta = json.loads(str(archive["metadata"]))
            rate = Fraction(meta.pop("frame_rate"))
            return cls(
                body_ids=[str(b) for b in archive["body_ids"]],
                frame_rate=rate,
                times=archive["times"],
                positions=archive["positions"],
                orientations=archive["orientations"],
                linear_velocities=archive["linear_velocities"],
                angular_velocities=archive["angular_velocities"],
                contacts=archive["contacts"],
                metadata=meta,
                links=[str(k) for k in archive["links"]],
                link_positions=archive["link_positions"],
                link_orientations=archive["link_orientations"],
            )
