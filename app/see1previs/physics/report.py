"""The simulation report: what a director wants to know after a bake, as data and as text.

Duration and frames, contact events, each body's top speed (and when), its closest approach
to the hull, and its state at the end of the scene.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from see1previs.core.timebase import FrameRate
from see1previs.physics.trajectory import Trajectory
from see1previs.physics.world import World


@dataclass(frozen=True)
class BodySummary:
    id: str
    kind: str
    max_speed: float  # m/s
    max_speed_time: float  # s
    max_spin: float  # rad/s
    min_hull_clearance: float  # m, body surface (bounding sphere) to hull, over the scene
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
        wall = int(np.sum(np.char.startswith(contacts["body_b"].astype(str), "station")))
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
        frames, count = trajectory.positions.shape[:2]
        if count:
            flat = trajectory.positions.reshape(-1, 3)
            clearance = np.asarray(world.station.clearance(flat)).reshape(frames, count)
        for b, handle in enumerate(world.bodies):
            speed = np.linalg.norm(trajectory.linear_velocities[:, b], axis=1)
            spin = np.linalg.norm(trajectory.angular_velocities[:, b], axis=1)
            gap = clearance[:, b] - handle.plan.bounding_radius
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
            wall_contacts=wall,
            body_contacts=len(contacts) - wall,
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
