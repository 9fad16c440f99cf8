"""Zero-g physics: the MuJoCo world built from a scene, actors and cues, the bake, checks.

Importing the layer routes MuJoCo's warnings to Python logging (see ``engine_log``), so no
``MUJOCO_LOG.TXT`` is written into the folder the app runs in.
"""

from see1previs.physics.engine_log import route_engine_warnings

route_engine_warnings()
