"""The envelope's JSON result: every sample's parameters and outcomes, and the summary.

Written atomically (:mod:`see1previs.core.atomic_write`), with sorted keys and Python's
shortest round-trip float text, so the same run gives byte-identical files. A partial run
(cancelled) is written the same way with ``"complete": false``; each sample can be redone
from the seed and its index alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import mujoco

from see1previs import __version__
from see1previs.core.atomic_write import replace_file_atomically
from see1previs.envelope.cluster import EnvelopeRun

RESULT_KIND = "see1-envelope"
RESULT_VERSION = 1
UNITS = {
    "length": "m",
    "time": "s",
    "speed": "m/s",
    "mass": "kg",
    "angle": "deg",
    "frame": "module frame: origin at the sphere centre, +X to the main hatch, +Z up",
}


def result_document(run: EnvelopeRun, source: str | None = None) -> dict:
    """The result of ``run`` as JSON data (no timings: the document depends on inputs only)."""
    return {
        "kind": RESULT_KIND,
        "version": RESULT_VERSION,
        "app_version": __version__,
        "mujoco_version": mujoco.__version__,
        "units": UNITS,
        "scene": {"title": run.scene.title, "file": source},
        "seed": run.seed,
        "samples_requested": run.requested,
        "samples_done": len(run.samples),
        "complete": run.complete,
        "envelope": run.scene.envelope.model_dump(mode="json"),
        "nominal": run.nominal,
        "summary": run.summary,
        "samples": run.samples,
    }


def result_text(run: EnvelopeRun, source: str | None = None) -> str:
    return json.dumps(result_document(run, source), sort_keys=True, indent=1) + "\n"


def result_path(out_dir: Path, scene_file: Path | None, title: str) -> Path:
    stem = scene_file.name.removesuffix(".see1.json") if scene_file else _slug(title)
    return out_dir / f"{stem}.envelope.json"


def write_result(run: EnvelopeRun, path: Path, source: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file_atomically(path, result_text(run, source).encode("utf-8"))
    return path


def _slug(title: str) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    return kept or "scene"
