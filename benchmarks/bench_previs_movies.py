"""Previs movie throughput: rendering, H.264 encoding and the whole movies export of a scene.

Bakes a demo scene (default ``scenes/first-light.see1.json``: three shots, 24 s of cut at
24 fps), then measures, at the movie width (1280 pixels):

- render: frames per second of the headless MuJoCo view plus the frame lines and burn-in;
- encode: frames per second of libx264 (yuv420p, CRF 20) on frames already rendered;
- export: ``write_previs_movies`` end to end (every frame rendered once, encoded into its
  shot's movie and into the cut), in frames per second and as a multiple of real time.

Run: ``python benchmarks/bench_previs_movies.py [scene] [--width 1280]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from see1previs.cinema.tracks import evaluate_camera
from see1previs.core.scenefile import load_scene
from see1previs.export.previs_movies import MovieEncoder, write_previs_movies
from see1previs.export.shots import cut_frames, shooting_order
from see1previs.physics.simulation import simulate
from see1previs.render.camera_view import CameraView
from see1previs.render.previs_frames import MOVIE_WIDTH, MovieFrames

SAMPLE_FRAMES = 48


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scene", nargs="?", type=Path, default=Path("scenes/first-light.see1.json"))
    parser.add_argument("--width", type=int, default=MOVIE_WIDTH)
    args = parser.parse_args()
    scene = load_scene(args.scene)
    result = simulate(scene, args.scene.parent)
    tracks = {
        c.id: evaluate_camera(c, scene, result.station, result.trajectory) for c in scene.cameras
    }
    view = CameraView(result.world, width=args.width)
    source = MovieFrames(view, scene, result.trajectory)
    try:
        shot = shooting_order(scene.shots)[0]
        track = tracks[shot.camera]
        frames = list(cut_frames(shot, scene.frame_rate))[:SAMPLE_FRAMES]
        started = time.perf_counter()
        images = [source.render(track, shot, frame) for frame in frames]
        render_fps = len(images) / (time.perf_counter() - started)
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            with MovieEncoder(
                Path(folder) / "sample.mp4", scene.frame_rate, source.frame_size(track)
            ) as movie:
                for image in images:
                    movie.write(image)
            encode_fps = len(images) / (time.perf_counter() - started)
            total = sum(cut_frames(s, scene.frame_rate).count for s in scene.shots)
            started = time.perf_counter()
            written = write_previs_movies(folder, scene, tracks, source)
            elapsed = time.perf_counter() - started
            sizes = {name: (Path(folder) / name).stat().st_size for name in written}
    finally:
        view.close()
    width, height = source.frame_size(track)
    seconds = total / float(scene.frame_rate.fps)
    print(
        f"scene: {args.scene.name}, {len(scene.shots)} shots, {total} frames "
        f"({seconds:.1f} s of cut)"
    )
    print(f"frame: {width} x {height} (shot {shot.id}), {scene.frame_rate}")
    print(f"render (view + frame lines + burn-in): {render_fps:6.1f} frames/s")
    print(f"encode (libx264 yuv420p CRF 20):       {encode_fps:6.1f} frames/s")
    print(
        f"movies export (shots + cut):           {total / elapsed:6.1f} frames/s, "
        f"{elapsed:.1f} s, {seconds / elapsed:.2f}x real time"
    )
    for name, size in sizes.items():
        print(f"  {name}: {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
