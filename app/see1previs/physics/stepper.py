"""Advancing a bake's physics: regular steps, exact landings on cue times, quiet stretches.

:class:`Stepper` owns the step-level part of a bake. The physics keeps a regular step
(contact response depends on the step length); a cue is met exactly by one shorter step that
lands on its time. While nothing touches and no actor cue is acting, a run of steps goes to
MuJoCo in one call; if any force evaluation of the run saw a touch, the run is undone and
stepped again one by one, because the contact report needs every step of a touch. Either
way the states are the same, bit for bit.
"""

from __future__ import annotations

import math

import mujoco
import numpy as np

from see1previs.physics import contact_forces
from see1previs.physics.bake_guard import BakeGuard
from see1previs.physics.blocking_runtime import ActorCues
from see1previs.physics.contacts import ContactRecorder

STATE = mujoco.mjtState.mjSTATE_INTEGRATION


class Stepper:
    """Steps one world for a bake: actor cues before each step, the guard and the contact
    report after it."""

    def __init__(
        self,
        model: mujoco.MjModel,
        data: mujoco.MjData,
        guard: BakeGuard,
        recorder: ContactRecorder,
        actor_cues: ActorCues | None,
    ) -> None:
        self.model, self.data = model, data
        self.guard, self.recorder, self.actor_cues = guard, recorder, actor_cues
        self.dt = model.opt.timestep
        self.tolerance = 1e-9 * self.dt
        self._qvel_before = np.zeros(model.nv)
        self._touched = contact_forces.TOUCHED_SLOT
        self._quiet_runs = model.nuserdata > self._touched
        self._saved = np.empty(mujoco.mj_stateSize(model, STATE))

    def step(self, length: float) -> None:
        """One physics step of ``length`` seconds (the scene's step, or a shorter one)."""
        model, data = self.model, self.data
        started = data.time
        if self.actor_cues is not None and self.actor_cues.busy:
            self.actor_cues.before_step(data.time, length)
            self.guard.cue_acted()
        self._qvel_before[:] = data.qvel
        if length != self.dt:
            model.opt.timestep = length
            mujoco.mj_step(model, data)
            model.opt.timestep = self.dt
        else:
            mujoco.mj_step(model, data)
        self.guard.after_step(data, started)  # blow-ups (MuJoCo resets the state to t = 0)
        recorder = self.recorder
        if data.ncon or data.userdata[0] or recorder.active:  # contacts or sphere-wall touches
            recorder.observe(model, data, data.time, length, self._qvel_before)

    def steps(self, count: int) -> None:
        """``count`` whole steps: in one call to MuJoCo while nothing touches or acts."""
        model, data = self.model, self.data
        busy = self.recorder.active or (self.actor_cues is not None and self.actor_cues.busy)
        if count > 1 and self._quiet_runs and not busy:
            mujoco.mj_getState(model, data, self._saved, STATE)
            data.userdata[self._touched] = 0.0
            started = data.time
            mujoco.mj_step(model, data, count)
            if data.userdata[self._touched] == 0.0:
                self.guard.after_step(data, started)
                return
            mujoco.mj_setState(model, data, self._saved, STATE)
        for _ in range(count):
            self.step(self.dt)

    def whole_steps_to(self, t: float) -> None:
        """Every whole step that ends by ``t`` (summed as MuJoCo sums its clock)."""
        count, clock = 0, self.data.time
        while clock + self.dt <= t + self.tolerance:
            clock += self.dt
            count += 1
        self.steps(count)

    def advance_to(self, target: float) -> None:
        """Step until the clock reads ``target`` exactly (the last step may be shorter)."""
        data = self.data
        self.steps(math.floor((target - data.time) / self.dt + 1e-9))
        rest = target - data.time
        if rest > 1e-9 * self.dt:
            self.step(rest)
        data.time = target
