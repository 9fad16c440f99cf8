"""Exporters: camera plans for the cinematographer, VFX and editorial.

- :mod:`~see1previs.export.camera_tracks` — per-shot camera track, CSV and JSON
- :mod:`~see1previs.export.shot_list_csv` — the shot list as CSV
- :mod:`~see1previs.export.usd_stage` — cameras, bodies and interior as a USD stage, with
  :mod:`~see1previs.export.usd_skel` (articulated actors as UsdSkel) and
  :mod:`~see1previs.export.usd_looks` (materials and light rings)
- :mod:`~see1previs.export.gltf_scene` — the whole scene as binary glTF 2.0; actors' skeletons
  and skinned bodies for both come from :mod:`~see1previs.export.actor_skeleton`
- :mod:`~see1previs.export.otio_timeline` — one clip per shot as an OpenTimelineIO timeline
- :mod:`~see1previs.export.camera_plan` — all of the above into one folder, atomically
- :mod:`~see1previs.export.files` — the atomic file and folder writers they share, with
  :mod:`~see1previs.export.manifest` (what a complete export holds),
  :mod:`~see1previs.export.folder_swap` (one-step folder replacement) and
  :mod:`~see1previs.export.staging` (the hidden folders beside the output, and recovery)

Every file states its units and frame; see ``docs/exports.md``.

Import the writers from their modules; this package stays light so the command line starts
quickly (USD and OTIO load only when an export runs).
"""
