"""The simulation report: what a director wants to know after a bake, as data and as text.

Duration and frames, contact events, each body's top speed (and when), its closest approach
to the hull, and its state at the end of the scene.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import trimesh

from see1previs.core import quaternion as quat
from see1previs.core.timebase import FrameRate
from see1previs.physics.bodies import support_distance
from see1previs.physics.trajectory import Trajectory
from see1previs.physics.visuals import visual_parts
from see1previs.physics.world import World
from see1previs.station.model import Station
from see1previs.station.queries import MESH_QUERY_LOCK

WALL_SAMPLE_SPACING = 0.02  # m between wall sample points for clearance estimates
NEAR_WALL = 0.3  # m; closer than this a body's gap is measured on the dense samples


@dataclass(frozen=True)
class BodySummary:
    id: str
    kind: str
    max_speed: float  # m/s
    max_speed_time: float  # s
    max_spin: float  # rad/s
    min_hull_clearance: float  # m, body surface to the wall, over the scene (0 = touching)
    min_hull_clearance_time: float
    final_position: tuple[float, float, float]
    final_speed: float
    final_spin: float


@dataclass(frozen=True)
class SimulationReport:
    title: str
    duration: float
    frame_rate: FrameRate
    frames: int
    contact_count: int
    wall_contacts: int
    body_contacts: int
    hardest_contact: tuple[float, str, str, float] | None  # time, a, b, approach speed
    bodies: list[BodySummary]
    from_cache: bool = False

    @classmethod
    def build(cls, world: World, trajectory: Trajectory, from_cache: bool = False):
        scene = world.scene
        contacts = trajectory.contacts
        wall_contacts = int(np.sum(np.char.startswith(contacts["body_b"].astype(str), "station")))
        hardest = None
        if len(contacts):
            k = int(np.argmax(contacts["approach_speed"]))
            row = contacts[k]
            hardest = (
                float(row["start"]),
                str(row["body_a"]),
                str(row["body_b"]),
                float(row["approach_speed"]),
            )
        summaries = []
        times = trajectory.times
        gaps = _WallSampler.for_station(world.station).surface_gaps(world, trajectory)
        for b, handle in enumerate(world.bodies):
            speed = np.linalg.norm(trajectory.linear_velocities[:, b], axis=1)
            spin = np.linalg.norm(trajectory.angular_velocities[:, b], axis=1)
            gap = gaps[:, b]
            i_speed = int(np.argmax(speed))
            i_gap = int(np.argmin(gap))
            summaries.append(
                BodySummary(
                    id=handle.id,
                    kind=handle.kind,
                    max_speed=float(speed[i_speed]),
                    max_speed_time=float(times[i_speed]),
                    max_spin=float(np.max(spin)),
                    min_hull_clearance=float(gap[i_gap]),
                    min_hull_clearance_time=float(times[i_gap]),
                    final_position=tuple(float(v) for v in trajectory.positions[-1, b]),
                    final_speed=float(speed[-1]),
                    final_spin=float(spin[-1]),
                )
            )
        return cls(
            title=scene.title,
            duration=scene.duration,
            frame_rate=scene.frame_rate,
            frames=trajectory.frame_count,
            contact_count=len(contacts),
            wall_contacts=wall_contacts,
            body_contacts=len(contacts) - wall_contacts,
            hardest_contact=hardest,
            bodies=summaries,
            from_cache=from_cache,
        )

    def to_text(self) -> str:
        rate = self.frame_rate
        tc = rate.timecode
        lines = [
            f"Scene: {self.title}",
            f"Duration: {self.duration:g} s ({self.frames} frames at {rate}, "
            f"{tc(rate.frame_at(self.duration))})"
            + ("  [from bake cache]" if self.from_cache else ""),
            f"Contacts: {self.contact_count} ({self.wall_contacts} with the interior, "
            f"{self.body_contacts} between bodies)",
        ]
        if self.hardest_contact:
            t, a, b, v = self.hardest_contact
            lines.append(
                f"Hardest contact: {a} / {b} at {tc(rate.frame_at(t))} closing at {v:.2f} m/s"
            )
        if self.bodies:
            lines.append("")
            header = (
                f"{'body':<16} {'kind':<6} {'max speed':>14} {'max spin':>9} "
                f"{'min clearance':>16} {'final position (m)':>26} {'final speed':>12}"
            )
            lines.append(header)
            lines.append("-" * len(header))
            for s in self.bodies:
                x, y, z = s.final_position
                lines.append(
                    f"{s.id:<16.16} {s.kind:<6} "
                    f"{s.max_speed:6.2f} m/s @{s.max_speed_time:4.1f}s "
                    f"{s.max_spin:5.2f} r/s "
                    f"{s.min_hull_clearance:6.2f} m @{s.min_hull_clearance_time:4.1f}s "
                    f"({x:+6.2f}, {y:+6.2f}, {z:+6.2f}) "
                    f"{s.final_speed:8.2f} m/s"
                )
        return "\n".join(lines)


class _WallSampler:
    """Fast gap between a body's surface and the wall, for every frame of a trajectory.

    The wall is sampled densely (about a point per 2 cm square, seeded so reports are
    repeatable) into a k-d tree; a body's gap is the
    distance from its origin to the nearest wall point, less how far its surface reaches in
    that direction. Accurate to about the sample spacing, which is what a report needs; the
    narrowest frame is then measured exactly against the wall mesh.
    """

    _cache: ClassVar[dict[str, _WallSampler]] = {}

    def __init__(self, station: Station) -> None:
        from scipy.spatial import cKDTree

        self.station = station
        boundary = station.boundary
        count = int(min(600_000, max(1_000, 1.5 * boundary.area / WALL_SAMPLE_SPACING**2)))
        points, faces = trimesh.sample.sample_surface(boundary, count, seed=1)
        self.points = np.asarray(points)
        self.normals = np.asarray(boundary.face_normals)[faces]  # into the cabin
        self.tree = cKDTree(self.points)
        # Nearest-neighbour search from mid-cabin explores most of a dense surface cloud (all
        # points are nearly equidistant), so far points use a coarse cloud first.
        self.stride = max(1, count // 5_000)
        self.coarse_tree = cKDTree(self.points[:: self.stride])

    @classmethod
    def for_station(cls, station: Station) -> _WallSampler:
        key = station.content_hash()
        if key not in cls._cache:
            cls._cache[key] = cls(station)
        return cls._cache[key]

    def _nearest(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Distance to and index of the nearest dense wall sample for each position."""
        distance, coarse_index = self.coarse_tree.query(positions)
        index = coarse_index * self.stride
        near = distance < NEAR_WALL
        if near.any():  # close to the wall the dense cloud is cheap to search, and matters
            distance[near], index[near] = self.tree.query(
                positions[near], distance_upper_bound=NEAR_WALL + 0.1
            )
        return distance, index

    def _segment_gaps(self, trajectory: Trajectory, parts: list, actor: str) -> np.ndarray:
        """An articulated actor's gap: the nearest capsule end of any segment, per frame."""
        gaps = np.full(trajectory.frame_count, np.inf)
        for part in parts:
            if part.owner != actor or part.kind != "capsule":
                continue
            k = trajectory.links.index(part.link)
            link_rotation = quat.to_matrix(trajectory.link_orientations[:, k])
            centre = trajectory.link_positions[:, k] + link_rotation @ part.position
            axis = link_rotation @ quat.rotate(part.orientation, [0.0, 0.0, part.size[1]])
            for end in (centre + axis, centre - axis):
                distance, index = self._nearest(end)
                toward = self.points[index] - end
                inside = np.einsum("ni,ni->n", -toward, self.normals[index]) >= 0
                gaps = np.minimum(gaps, np.where(inside, distance, -distance) - part.size[0])
        return gaps

    def surface_gaps(self, world: World, trajectory: Trajectory) -> np.ndarray:
        """(frames, bodies) gap between each body's surface and the wall; 0 when touching."""
        frames, count = trajectory.positions.shape[:2]
        gaps = np.zeros((frames, count))
        if count == 0:
            return gaps
        rotations = quat.to_matrix(trajectory.orientations)
        articulated = []
        for b, handle in enumerate(world.bodies):
            if handle.rig is not None:
                articulated.append(b)
                continue
            positions = trajectory.positions[:, b]
            distance, index = self._nearest(positions)
            toward = self.points[index] - positions
            inside = np.einsum("ni,ni->n", -toward, self.normals[index]) >= 0
            direction = toward / np.maximum(distance, 1e-12)[:, None]
            reach = support_distance(handle.plan, rotations[:, b], direction)
            gaps[:, b] = np.where(inside, distance, -distance) - reach
        if articulated:
            parts = visual_parts(world)
            for b in articulated:
                gaps[:, b] = self._segment_gaps(trajectory, parts, world.bodies[b].id)
        # Refine each rigid body's narrowest frame against the wall mesh itself, in one batch.
        rigid = [b for b in range(count) if b not in articulated]
        if not rigid:
            return np.where(gaps > -0.005, np.maximum(gaps, 0.0), gaps)
        narrowest = np.argmin(gaps, axis=0)
        bodies = np.arange(count)
        origins = trajectory.positions[narrowest, bodies]
        with MESH_QUERY_LOCK:  # the station's mesh is shared across threads
            closest, distance, _ = trimesh.proximity.closest_point(self.station.boundary, origins)
        inside = np.asarray(self.station.contains(origins))
        direction = (closest - origins) / np.maximum(distance, 1e-12)[:, None]
        for b, handle in enumerate(world.bodies):
            if b in articulated:
                continue
            reach = support_distance(
                handle.plan, rotations[narrowest[b], b][None], direction[b][None]
            )[0]
            signed = distance[b] if inside[b] else -distance[b]
            gaps[narrowest[b], b] = signed - reach
        # Contacts are soft: a touching body dips a few mm into the wall; report that as 0.
        return np.where(gaps > -0.005, np.maximum(gaps, 0.0), gaps)
