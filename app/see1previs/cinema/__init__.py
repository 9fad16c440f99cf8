"""Cinema layer: camera bodies and lenses, lens optics, camera rigs and shot analysis.

The equipment catalog and its data files live in :mod:`see1previs.cinema.catalog`, the optics
(field of view, depth of field, shot sizes) in :mod:`see1previs.cinema.optics`. Nothing here
imports a GUI toolkit.
"""
