"""The safety envelope: how a scene's blocking holds up when people are not exact.

N variations of a scene are baked, each with every human action perturbed by the spreads of
the scene's ``envelope`` section (:mod:`see1previs.core.scene_envelope`); what happened in
each (missed catches, unreachable push-offs, contacts and their speeds, clearances to the
cameras, where everyone is at each cue) is extracted per sample and reduced to probabilities
and distributions. Samples run on Dask (:mod:`see1previs.envelope.cluster`); every sample
has its own seed, so the result does not depend on how many workers ran it.

Modules: ``seeds`` (per-sample random streams), ``variation`` (drawing and applying one
variation), ``outcomes`` (what happened in one bake), ``samples`` (one sample end to end, with
a per-process cache of compiled worlds), ``statistics`` and ``reduction`` (the summary),
``cluster`` (Dask), ``result`` (the JSON file).
"""
