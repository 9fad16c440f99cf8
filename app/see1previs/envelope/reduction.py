"""The summary of an envelope run: probabilities, speed distributions, ellipsoids, rankings.

:func:`summarize` takes the samples in any order and sorts them by index first, so the
summary of the same samples is bit-identical however many workers produced them and in
whatever order they finished. Samples that could not be set up or baked are counted and
listed, and left out of every figure.

Risks per sample (the names used in ``sensitivity`` and ``worst``):

- ``<cue>.<failure>``: a catch missed, a push-off out of reach, a hold or grab missed (0/1);
- ``<actor>.hits_<kind>``: a contact with the wall, a fixture, another actor, a camera
  operator or a camera faster than ``blocking.safe_speed`` (0/1);
- ``<actor>.head_strike``: a head contact faster than ``blocking.head_strike_speed`` (0/1);
- ``<camera>.<actor>.clearance``: the smallest distance to the camera's lens (metres).
"""

from __future__ import annotations

import numpy as np

from see1previs.core.scene import Scene
from see1previs.envelope.outcomes import FAILURES, PATH_STEP
from see1previs.envelope.statistics import (
    distribution,
    probability,
    rank_correlation,
    scatter_ellipsoid,
)

CONTACT_KINDS = ("wall", "fixture", "actor", "operator", "camera")
TUBE_MASS = 0.9


def summarize(scene: Scene, samples: list[dict]) -> dict:
    """Every figure of the safety page, from the samples of one run."""
    ordered = sorted(samples, key=lambda sample: sample["index"])
    good = [s for s in ordered if s["status"] == "ok"]
    failed = [{"index": s["index"], "problem": s["problem"]} for s in ordered if s not in good]
    risks = [risk_values(scene, s["outcomes"]) for s in good]
    return {
        "samples": len(ordered),
        "baked": len(good),
        "failed": failed,
        "cues": _cue_risks(scene, good),
        "contacts": _contact_risks(scene, good),
        "head_strikes": _head_strikes(scene, good),
        "cameras": _camera_clearances(scene, good),
        "arrivals": _arrivals(good),
        "positions": _positions(scene, good),
        "tubes": _tubes(scene, good),
        "sensitivity": _sensitivity(good, risks),
        "worst": _worst(good, risks),
        "moments": _risky_moments(scene, good),
    }


def risk_values(scene: Scene, outcomes: dict) -> dict[str, float]:
    """The risks of one baked sample (see the module docstring), by name."""
    out: dict[str, float] = {}
    for cue_id, cue in outcomes["cues"].items():
        if cue["type"] in FAILURES:
            out[f"{cue_id}.{FAILURES[cue['type']]}"] = 1.0 if cue["failure"] else 0.0
    limits = scene.blocking
    for actor in scene.actors:
        mine = [c for c in outcomes["contacts"] if c["actor"] == actor.id]
        for kind in CONTACT_KINDS:
            speeds = [c["speed"] for c in mine if c["kind"] == kind]
            if kind == "camera":
                speeds = [
                    c["speed"] or 0.0
                    for c in outcomes["cameras"]
                    if c["actor"] == actor.id and c["contact"]
                ]
            out[f"{actor.id}.hits_{kind}"] = float(max(speeds, default=0.0) > limits.safe_speed)
        heads = [c["head_speed"] for c in mine if c["head"]]  # a thrown prop counts too
        out[f"{actor.id}.head_strike"] = float(max(heads, default=0.0) > limits.head_strike_speed)
    for entry in outcomes["cameras"]:
        out[f"{entry['camera']}.{entry['actor']}.clearance"] = entry["clearance"]
    return out


def _cue_risks(scene: Scene, good: list[dict]) -> dict:
    out = {}
    for cue in scene.cues:
        if cue.type not in FAILURES:
            continue
        failures = [s["outcomes"]["cues"].get(cue.id, {}).get("failure") for s in good]
        misses = [
            s["outcomes"]["cues"][cue.id]["distance"]
            for s in good
            if s["outcomes"]["cues"].get(cue.id, {}).get("failure")
            and s["outcomes"]["cues"][cue.id]["distance"] is not None
        ]
        out[cue.id] = {
            "actor": cue.actor,
            "type": cue.type,
            "risk": FAILURES[cue.type],
            **probability(sum(1 for f in failures if f), len(good)),
            "miss_distance": distribution(misses),
        }
    return out


def _contact_risks(scene: Scene, good: list[dict]) -> dict:
    out: dict[str, dict] = {}
    safe = scene.blocking.safe_speed
    for actor in scene.actors:
        per_kind = {}
        for kind in CONTACT_KINDS:
            fastest = []
            for s in good:
                if kind == "camera":
                    speeds = [
                        c["speed"] or 0.0
                        for c in s["outcomes"]["cameras"]
                        if c["actor"] == actor.id and c["contact"]
                    ]
                else:
                    speeds = [
                        c["speed"]
                        for c in s["outcomes"]["contacts"]
                        if c["actor"] == actor.id and c["kind"] == kind
                    ]
                if speeds:
                    fastest.append(max(speeds))
            per_kind[kind] = {
                "touch": probability(len(fastest), len(good)),
                "over_safe_speed": probability(sum(v > safe for v in fastest), len(good)),
                "speed": distribution(fastest),
            }
        out[actor.id] = per_kind
    return out


def _head_strikes(scene: Scene, good: list[dict]) -> dict:
    out = {}
    limit = scene.blocking.head_strike_speed
    for actor in scene.actors:
        fastest = []
        for s in good:
            heads = [
                c["head_speed"]
                for c in s["outcomes"]["contacts"]
                if c["actor"] == actor.id and c["head"]
            ]
            if heads and max(heads) > limit:
                fastest.append(max(heads))
        out[actor.id] = {**probability(len(fastest), len(good)), "speed": distribution(fastest)}
    return out


def _camera_clearances(scene: Scene, good: list[dict]) -> dict:
    out: dict[str, dict] = {}
    for camera in scene.cameras:
        out[camera.id] = {}
        for actor in scene.actors:
            entries = [
                c
                for s in good
                for c in s["outcomes"]["cameras"]
                if c["camera"] == camera.id and c["actor"] == actor.id
            ]
            if not entries:
                continue
            out[camera.id][actor.id] = {
                "clearance": distribution([c["clearance"] for c in entries]),
                "contact": probability(sum(c["contact"] for c in entries), len(good)),
            }
    return out


def _arrivals(good: list[dict]) -> dict:
    cues = sorted({cue for s in good for cue in s["outcomes"]["arrivals"]})
    out = {}
    for cue in cues:
        times = [s["outcomes"]["arrivals"].get(cue) for s in good]
        out[cue] = distribution([t for t in times if t is not None])
    return out


def _positions(scene: Scene, good: list[dict]) -> dict:
    out: dict[str, dict] = {}
    for actor in scene.actors:
        cues = good[0]["outcomes"]["positions"].get(actor.id, {}) if good else {}
        out[actor.id] = {
            cue: scatter_ellipsoid([s["outcomes"]["positions"][actor.id][cue] for s in good])
            for cue in cues
        }
    return out


def _tubes(scene: Scene, good: list[dict]) -> dict:
    """Per actor: the mean path and the radius around it holding 90 % of the samples."""
    out = {}
    for actor in scene.actors:
        if not good:
            continue
        paths = np.array([s["outcomes"]["paths"][actor.id] for s in good], dtype=float)
        mean = paths.mean(axis=0)
        distance = np.linalg.norm(paths - mean[None], axis=-1)
        radius = np.quantile(distance, TUBE_MASS, axis=0)
        out[actor.id] = {
            "step": PATH_STEP,
            "mass": TUBE_MASS,
            "centre": [[float(c) for c in point] for point in mean],
            "radius": [float(r) for r in radius],
        }
    return out


def _sensitivity(good: list[dict], risks: list[dict[str, float]]) -> dict:
    """Per risk: every perturbation ranked by |Spearman ρ| with it (the first drives it most)."""
    if not good:
        return {}
    names = sorted(set().union(*(s["parameters"] for s in good)))
    out = {}
    for risk in sorted(set().union(*risks)):
        y = [r.get(risk, 0.0) for r in risks]
        ranked = []
        for name in names:
            rho = rank_correlation([s["parameters"].get(name, 0.0) for s in good], y)
            if rho is not None:
                ranked.append({"parameter": name, "rho": rho})
        ranked.sort(key=lambda item: (-abs(item["rho"]), item["parameter"]))
        if ranked:
            out[risk] = ranked
    return out


def _worst(good: list[dict], risks: list[dict[str, float]]) -> dict:
    """Per risk, the sample index where it was worst (first such index on ties)."""
    out = {}
    for risk in sorted(set().union(*risks)) if risks else []:
        values = [r.get(risk, 0.0) for r in risks]
        pick = int(np.argmin(values)) if risk.endswith(".clearance") else int(np.argmax(values))
        if risk.endswith(".clearance") or values[pick] > 0:
            out[risk] = good[pick]["index"]
    severity = [sum(v for k, v in r.items() if not k.endswith(".clearance")) for r in risks]
    if severity and max(severity) > 0:
        out["overall"] = good[int(np.argmax(severity))]["index"]
    return out


def _risky_moments(scene: Scene, good: list[dict]) -> list[dict]:
    """When things go wrong, for the timeline: per actor and risk kind, the median time."""
    found: dict[tuple[str, str], list[tuple[float, int, float]]] = {}
    safe, head = scene.blocking.safe_speed, scene.blocking.head_strike_speed
    for s in good:
        for contact in s["outcomes"]["contacts"]:
            if contact["head"] and contact["head_speed"] > head:
                found.setdefault((contact["actor"], "head_strike"), []).append(
                    (contact["time"], s["index"], contact["head_speed"])
                )
            elif contact["kind"] != "prop" and contact["speed"] > safe:
                found.setdefault((contact["actor"], f"hits_{contact['kind']}"), []).append(
                    (contact["time"], s["index"], contact["speed"])
                )
        for cue_id, cue in s["outcomes"]["cues"].items():
            if cue["failure"]:
                found.setdefault((cue["actor"], f"{cue_id}.{cue['failure']}"), []).append(
                    (
                        cue.get("closest_time") or cue["at"] or 0.0,
                        s["index"],
                        cue["distance"] or 0.0,
                    )
                )
    moments = []
    for (actor, kind), events in sorted(found.items()):
        samples = {index for _, index, _ in events}
        worst = max(events, key=lambda event: (event[2], -event[1]))
        moments.append(
            {
                "actor": actor,
                "risk": kind,
                "time": float(np.median([t for t, _, _ in events])),
                "probability": len(samples) / len(good),
                "worst_sample": worst[1],  # fastest contact or farthest miss
            }
        )
    moments.sort(key=lambda m: (m["time"], m["actor"], m["risk"]))
    return moments
