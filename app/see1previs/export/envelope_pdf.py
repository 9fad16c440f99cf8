"""The safety page: one printed page of a scene's envelope result for the director and crew.

Drawn from the result document (:func:`see1previs.envelope.result.result_document`), so it
can be printed from a saved ``*.envelope.json`` as well as right after a run:

- a header (scene, samples, seed, how many could not run);
- a table of risks: each cue that can fail, each contact kind faster than the safe speed,
  head strikes and camera contacts, with probability, 95 % interval, the fastest speeds and
  the perturbation that drives the risk most;
- histograms of the fastest contact speed per actor and of each camera's clearance;
- a top view (looking down +Z, +X to the hatch) of the sphere with every sample's position of
  each actor at each cue and the 90 % ellipse of the scatter.

Written atomically; units are stated on the page (m, m/s, s).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from see1previs.core.atomic_write import replace_file_atomically
from see1previs.export.pdf_document import landscape_document

SPHERE_RADIUS = 3.0  # m, the SEE-1 interior
PALETTE = ["#4a90d9", "#d98a4a", "#5bb974", "#c45ab3", "#8c8c8c", "#d9c24a"]


def write_safety_page(document: dict, path: Path, actor_colors: dict[str, str] | None = None):
    """Print ``document`` (an envelope result) as the safety page PDF at ``path``."""
    buffer = io.BytesIO()
    title = f"Safety envelope — {document['scene']['title']}"
    pdf = landscape_document(buffer, title)
    styles = getSampleStyleSheet()
    summary = document["summary"]
    colours = _colours(document, actor_colors or {})
    story = [
        Paragraph(title, styles["Title"]),
        Paragraph(_header(document), styles["Normal"]),
        Spacer(1, 3 * mm),
        _risk_table(summary, styles),
        Spacer(1, 2 * mm),
        Table(
            [[_histograms(histogram_values(document), colours), _top_view(document, colours)]],
            colWidths=[145 * mm, 100 * mm],
        ),
    ]
    pdf.build(story)
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file_atomically(path, buffer.getvalue())
    return path


def _header(document: dict) -> str:
    s = document["summary"]
    state = "" if document["complete"] else " — <b>partial run (cancelled)</b>"
    failed = f"; {len(s['failed'])} could not run" if s["failed"] else ""
    return (
        f"{s['baked']} of {document['samples_requested']} samples baked (seed "
        f"{document['seed']}){failed}{state}. Probabilities with 95 % Wilson intervals; speeds "
        "in m/s, distances in m, times in s. Spreads and sources: docs/envelope.md."
    )


def _p(figures: dict) -> tuple[str, str]:
    low, high = figures["interval95"]
    return f"{100 * figures['probability']:.1f} %", f"{100 * low:.1f}–{100 * high:.1f} %"


def _driver(summary: dict, risk: str) -> str:
    ranked = summary["sensitivity"].get(risk)
    if not ranked:
        return "—"
    top = ranked[0]
    return f"{top['parameter']} (ρ {top['rho']:+.2f})"


def risk_rows(summary: dict) -> list[list[str]]:
    """Rows of the risk table: who, what, probability, interval, speeds, main driver."""
    rows = []
    for cue_id, cue in summary["cues"].items():
        risk = f"{cue_id}.{cue['risk']}"
        miss = cue["miss_distance"]
        rows.append(
            [
                cue["actor"],
                f"{cue['risk'].replace('_', ' ')} ({cue_id})",
                *_p(cue),
                f"miss median {miss['p50']:.2f} m" if miss else "",
                _driver(summary, risk),
            ]
        )
    for actor, kinds in summary["contacts"].items():
        for kind, figures in kinds.items():
            hard = figures["over_safe_speed"]
            if not hard["count"]:
                continue
            speed = figures["speed"]
            rows.append(
                [
                    actor,
                    f"hits {kind} too fast",
                    *_p(hard),
                    f"median {speed['p50']:.2f}, 95 % {speed['p95']:.2f} m/s",
                    _driver(summary, f"{actor}.hits_{kind}"),
                ]
            )
    for actor, strike in summary["head_strikes"].items():
        if strike["count"]:
            speed = strike["speed"]
            rows.append(
                [
                    actor,
                    "head strike",
                    *_p(strike),
                    f"median {speed['p50']:.2f} m/s",
                    _driver(summary, f"{actor}.head_strike"),
                ]
            )
    for camera, actors in summary["cameras"].items():
        for actor, figures in actors.items():
            low = figures["clearance"]
            rows.append(
                [
                    actor,
                    f"touches camera {camera}",
                    *_p(figures["contact"]),
                    f"clearance 5 % {low['p05']:.2f} m, min {low['min']:.2f} m",
                    _driver(summary, f"{camera}.{actor}.clearance"),
                ]
            )
    return rows


def _risk_table(summary: dict, styles) -> Table:
    header = ["Actor", "Risk", "Probability", "95 % interval", "Figures", "Driven most by"]
    rows = risk_rows(summary) or [["—", "no actor in this scene: no human risk", "", "", "", ""]]
    body = [[Paragraph(cell, styles["BodyText"]) for cell in row] for row in rows]
    table = Table(
        [header, *body],
        colWidths=[22 * mm, 55 * mm, 25 * mm, 30 * mm, 70 * mm, 75 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("FONTSIZE", (0, 1), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _histogram(values: list[float], width: float, height: float, label: str, colour: str):
    d = Drawing(width, height)
    d.add(String(0, height - 9, label, fontSize=7))
    if not values:
        d.add(String(0, height / 2, "no samples", fontSize=7, fillColor=colors.grey))
        return d
    low, high = min(values), max(values)
    if high - low < 1e-9:
        low, high = low - 0.05, high + 0.05
    counts, edges = np.histogram(values, bins=12, range=(low, high))
    top = max(1, int(counts.max()))
    plot_h, plot_w = height - 22, width - 10
    bar = plot_w / len(counts)
    for k, count in enumerate(counts):
        h = plot_h * count / top
        d.add(Rect(5 + k * bar, 10, bar - 1, h, fillColor=colors.HexColor(colour), strokeWidth=0))
    d.add(Line(5, 10, 5 + plot_w, 10, strokeWidth=0.5))
    d.add(String(5, 1, f"{edges[0]:.2f}", fontSize=6))
    d.add(String(5 + plot_w, 1, f"{edges[-1]:.2f}", fontSize=6, textAnchor="end"))
    return d


def _histograms(samples: dict, colours: dict[str, str]) -> Table:
    """Fastest contact speed per actor (wall, fixture, actor, operator), camera clearances."""
    cells = []
    for actor, values in samples.get("speeds", {}).items():
        label = f"{actor}: fastest contact per sample [m/s]"
        cells.append(_histogram(values, 64 * mm, 22 * mm, label, colours.get(actor, PALETTE[0])))
    for (camera, actor), values in samples.get("clearances", {}).items():
        label = f"{actor} to camera {camera}: clearance [m]"
        cells.append(_histogram(values, 64 * mm, 22 * mm, label, colours.get(actor, PALETTE[0])))
    cells = cells[:6] or [Drawing(1, 1)]
    rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    if len(rows[-1]) == 1:
        rows[-1].append("")
    return Table(rows, colWidths=[68 * mm, 68 * mm])


def _top_view(document: dict, colours: dict[str, str]) -> Drawing:
    """The sphere from above (+Z up out of the page, +X to the hatch on the right)."""
    size = 82 * mm
    d = Drawing(size, size + 12)
    scale = (size / 2 - 8) / SPHERE_RADIUS
    cx = cy = size / 2

    def xy(p) -> tuple[float, float]:
        return cx + p[0] * scale, cy + p[1] * scale

    d.add(Circle(cx, cy, SPHERE_RADIUS * scale, fillColor=None, strokeColor=colors.grey))
    d.add(String(cx + SPHERE_RADIUS * scale - 2, cy + 3, "hatch +X", fontSize=6, textAnchor="end"))
    d.add(
        String(0, size + 3, "Top view: where each actor is at each cue (90 % ellipses)", fontSize=7)
    )
    for sample in document["samples"]:
        if sample["status"] != "ok":
            continue
        for actor, cues in sample["outcomes"]["positions"].items():
            for point in cues.values():
                x, y = xy(point)
                d.add(
                    Circle(
                        x,
                        y,
                        0.8,
                        fillColor=colors.HexColor(colours.get(actor, "#888888")),
                        strokeWidth=0,
                    )
                )
    for actor, cues in document["summary"]["positions"].items():
        for ellipse in cues.values():
            if ellipse is None:
                continue
            d.add(
                PolyLine(
                    _ellipse_xy(ellipse, xy),
                    strokeColor=colors.HexColor(colours.get(actor, "#888888")),
                    strokeWidth=0.8,
                )
            )
    return d


def _ellipse_xy(ellipse: dict, xy) -> list[float]:
    """The 90 % ellipse of the scatter projected on the XY plane (its 2D covariance)."""
    covariance = np.array(ellipse["covariance"])[:2, :2]
    values, vectors = np.linalg.eigh(covariance)
    k = math.sqrt(-2.0 * math.log(1.0 - ellipse["mass"]))  # χ²₂ quantile, as a radius
    points = []
    for t in np.linspace(0, 2 * math.pi, 40):
        local = np.array([math.cos(t), math.sin(t)]) * np.sqrt(np.maximum(values, 0)) * k
        x, y = xy(np.array(ellipse["mean"][:2]) + vectors @ local)
        points.extend([x, y])
    return points


def _colours(document: dict, given: dict[str, str]) -> dict[str, str]:
    actors = sorted(document["summary"]["positions"])
    return {a: given.get(a) or PALETTE[i % len(PALETTE)] for i, a in enumerate(actors)}


def histogram_values(document: dict) -> dict:
    """Per-sample values the histograms draw, gathered from the samples."""
    speeds: dict[str, list[float]] = {}
    clearances: dict[tuple[str, str], list[float]] = {}
    for sample in document["samples"]:
        if sample["status"] != "ok":
            continue
        outcomes = sample["outcomes"]
        for actor in document["summary"]["positions"]:
            mine = [
                c["speed"]
                for c in outcomes["contacts"]
                if c["actor"] == actor and c["kind"] not in ("prop",)
            ]
            speeds.setdefault(actor, []).append(max(mine, default=0.0))
        for entry in outcomes["cameras"]:
            clearances.setdefault((entry["camera"], entry["actor"]), []).append(entry["clearance"])
    return {"speeds": speeds, "clearances": clearances}
