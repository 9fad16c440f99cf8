"""Advancing a bake's physics: regular steps, exact landings on cue times, quiet stretches.

:class:`Stepper` owns the step-level part of a bake. The physics keeps a regular step
(contact response depends on the step length); a cue is met exactly by one shorter step that
lands on its time. While nothing touches and no actor cue is steering (a slack tether only
watches: see ``ActorCues.steers``), a run of steps goes to MuJoCo in one call, in *long
steps* of up to :data:`LONGEST_STEP_S` where free flight allows: the step is chosen so that
no point of any body sweeps more than :data:`SWEEP_M` and no body turns more than
:data:`TURN_RAD` in it, so a touch cannot be stepped over, and RK4's error in free flight
(drag and the torque-free tumble) stays far inside the validation's tolerances. If any force
evaluation of the run saw a touch, the run is undone and stepped again one by one at the
scene's step, because contacts are integrated at that step and the contact report needs
every step of a touch; so is a run whose long steps MuJoCo called unstable. The choice
depends only on the state, so a bake stays deterministic and a resumed bake equals a full
one, bit for bit.
"""

from __future__ import annotations

import math

import mujoco
import numpy as np

from see1previs.physics import contact_forces
from see1previs.physics.bake_guard import BLOW_UP_WARNINGS, BakeGuard
from see1previs.physics.blocking_runtime import ActorCues
from see1previs.physics.contacts import ContactRecorder

STATE = mujoco.mjtState.mjSTATE_INTEGRATION
LONGEST_STEP_S = 0.008  # props in free flight (2 ms contacts: 4 steps in one)
ACTOR_LONGEST_STEP_S = 0.004  # with articulated actors: their stiffest servo modes
SWEEP_M = 0.02  # no point of a body moves further than this in one long step
TURN_RAD = 0.2  # and no body turns further than this


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
        free = [j for j in range(model.njnt) if model.jnt_type[j] == mujoco.mjtJoint.mjJNT_FREE]
        # Articulated actors' servos (modes up to ~400 rad/s) keep RK4 accurate to ~4 ms.
        longest = LONGEST_STEP_S if len(free) == model.njnt else ACTOR_LONGEST_STEP_S
        self._longest = max(1, int(longest / self.dt + 1e-9))
        # Every geom that moves, the body it moves with and the root of that body's tree:
        # MuJoCo's com-based velocities (cvel) are given at the tree's centre of mass.
        self._moving = np.flatnonzero(model.geom_bodyid > 0)
        self._moving_body = model.geom_bodyid[self._moving]
        self._moving_root = model.body_rootid[self._moving_body]
        self._scratch = mujoco.MjData(model)  # kinematics of the state alone, for the bound

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

    def long_step_factor(self) -> int:
        """How many scene steps one step of free flight may span from the current state.

        Bounded so that no point of any geom (an actor's limbs included) moves more than
        SWEEP_M and no body turns more than TURN_RAD in it: a geom's points move at most at
        |v| + |ω|·(its distance from its tree's centre of mass + its bounding radius).
        """
        if self._longest == 1 or not len(self._moving):
            return self._longest
        # From the state alone (never from what the last force evaluation left in the data),
        # so a bake resumed from a checkpoint chooses exactly as the full bake did.
        model, data = self.model, self._scratch
        data.qpos[:] = self.data.qpos
        data.qvel[:] = self.data.qvel
        mujoco.mj_kinematics(model, data)
        mujoco.mj_comPos(model, data)
        mujoco.mj_comVel(model, data)
        velocity = data.cvel[self._moving_body]  # (rotation, translation) at the tree's COM
        turning = np.linalg.norm(velocity[:, :3], axis=1)
        linear = np.linalg.norm(velocity[:, 3:], axis=1)
        arm = np.linalg.norm(
            data.geom_xpos[self._moving] - data.subtree_com[self._moving_root], axis=1
        )
        arm += model.geom_rbound[self._moving]
        sweep = float(np.max(linear + turning * arm)) * self.dt
        turn = float(np.max(turning)) * self.dt
        factor = self._longest
        if sweep > 0.0:
            factor = min(factor, int(SWEEP_M / sweep))
        if turn > 0.0:
            factor = min(factor, int(TURN_RAD / turn))
        return max(1, factor)

    def steps(self, count: int) -> None:
        """``count`` whole steps: in one call to MuJoCo while nothing touches or acts."""
        model, data = self.model, self.data
        busy = self.recorder.active or (self.actor_cues is not None and self.actor_cues.steers)
        if count > 1 and self._quiet_runs and not busy:
            mujoco.mj_getState(model, data, self._saved, STATE)
            # A tether's watch reads the tendon lengths of the last force evaluation: keep
            # them, so a redone run watches exactly what single steps would have.
            ten_length = data.ten_length.copy()
            data.userdata[self._touched] = 0.0
            started = data.time
            factor = self.long_step_factor()
            long = factor > 1 and count >= factor
            if long:
                long_steps, rest = divmod(count, factor)
                model.opt.timestep = factor * self.dt
                mujoco.mj_step(model, data, long_steps)
                model.opt.timestep = self.dt
                if rest:
                    mujoco.mj_step(model, data, rest)
            else:
                mujoco.mj_step(model, data, count)
            # Long steps that MuJoCo found unstable are redone at the scene's step too (its
            # warnings cleared): only the scene's step can call a bake blown up.
            unstable = long and any(data.warning[w].number for w in BLOW_UP_WARNINGS)
            if data.userdata[self._touched] == 0.0 and not unstable:
                self.guard.after_step(data, started)
                return
            mujoco.mj_setState(model, data, self._saved, STATE)
            data.ten_length[:] = ten_length
            for warning in BLOW_UP_WARNINGS:
                data.warning[warning].number = 0
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
