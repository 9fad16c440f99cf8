"""Checks on the order of actor cues that need no physics: who holds what, and when.

Walking each actor's cues in time order (file order breaks ties) and tracking what every hand
and the feet hold finds blocking that cannot be performed however the bake turns out: taking
a second handrail with a hand that already holds one, throwing a prop nobody handed the
actor, throwing it twice, letting go of a fixture (or a prop or person) never held. Whether
a hand is actually *in reach* of a handrail or a flying prop is a physics question, answered
by the bake.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from see1previs.core.scene_cues import (
    CatchCue,
    GrabCue,
    HoldCue,
    PushOffCue,
    ReleaseCue,
    ThrowCue,
)

FOOT_RESTRAINT_PREFIX = "FR"


def default_limb(cue: HoldCue) -> str:
    """The limb a hold uses when the cue does not say: feet in a foot restraint."""
    if cue.limb is not None:
        return cue.limb
    return "feet" if cue.fixture.upper().startswith(FOOT_RESTRAINT_PREFIX) else "right_hand"


def limbs_of(limb: str) -> tuple[str, ...]:
    return ("left_hand", "right_hand") if limb == "both_hands" else (limb,)


@dataclass
class _ActorState:
    holds: dict[str, str] = field(default_factory=dict)  # limb -> fixture id
    in_hand: dict[str, str] = field(default_factory=dict)  # "left_hand"/"right_hand" -> prop


def ordered_cues(cues: list) -> list[tuple[int, object]]:
    """(file index, cue) sorted by time, file order breaking ties: the order cues act in."""
    return sorted(enumerate(cues), key=lambda pair: (pair[1].time, pair[0]))


def sequence_problems(cues: list, actor_ids: list[str], prop_ids: list[str]) -> list[tuple]:
    """(JSON path, message) for actor cues that conflict with what the actor holds."""
    problems: list[tuple[str, str]] = []
    states = {actor: _ActorState() for actor in actor_ids}
    holder_of: dict[str, tuple[str, str]] = {}  # prop -> (actor, hand)

    for index, cue in ordered_cues(cues):
        actor = getattr(cue, "actor", None)
        if actor not in states:
            continue  # unknown actors are reported by the reference check
        state = states[actor]
        where = f"cues[{index}]"
        what = f"cue '{cue.id}' ({cue.type}, {cue.time:g} s)"

        def problem(message: str, path: str = where, what: str = what) -> None:
            problems.append((path, f"{what}: {message}"))

        if isinstance(cue, HoldCue):
            limb = default_limb(cue)
            for part in limbs_of(limb):
                if part in state.holds:
                    problem(
                        f"'{actor}' {_limb_name(part)} already holds {state.holds[part]}; "
                        "release it first (one hand cannot hold two fixtures)"
                    )
                elif part in state.in_hand:
                    problem(
                        f"'{actor}' {_limb_name(part)} holds the prop '{state.in_hand[part]}'; "
                        "throw or hand it over first"
                    )
                else:
                    state.holds[part] = cue.fixture
        elif isinstance(cue, ReleaseCue) and cue.target is not None:
            hands = [hand for hand, held in state.in_hand.items() if held == cue.target]
            if not hands:
                problem(
                    f"'{actor}' does not hold '{cue.target}' at this time (no earlier grab "
                    "or catch of them, or they were already let go)",
                    f"{where}.target",
                )
            for hand in hands:
                del state.in_hand[hand]
            if holder_of.get(cue.target, (None,))[0] == actor:
                holder_of.pop(cue.target)
        elif isinstance(cue, ReleaseCue):
            held = [limb for limb, fixture in state.holds.items() if fixture == cue.fixture]
            if not held:
                problem(f"'{actor}' does not hold {cue.fixture} at this time")
            for limb in held:
                del state.holds[limb]
        elif isinstance(cue, PushOffCue):
            for limb in [limb for limb, fixture in state.holds.items() if fixture == cue.surface]:
                del state.holds[limb]  # pushing off a handrail lets go of it
        elif isinstance(cue, GrabCue | CatchCue):
            hand = f"{cue.hand}_hand"
            if cue.target == actor:
                problem(f"'{actor}' cannot take hold of themselves", f"{where}.target")
            elif cue.part is not None and cue.target in prop_ids:
                problem(
                    f"'{cue.target}' is a prop: 'part' names where a person is held",
                    f"{where}.part",
                )
            elif hand in state.in_hand:
                problem(
                    f"'{actor}' {_limb_name(hand)} already holds '{state.in_hand[hand]}'; "
                    "throw it first"
                )
            elif hand in state.holds:
                problem(f"'{actor}' {_limb_name(hand)} holds {state.holds[hand]}; release it first")
            else:
                previous = holder_of.get(cue.target)
                # A hand-off: the other actor lets go of the prop (a person may be held by
                # several hands at once).
                if previous is not None and cue.target in prop_ids:
                    states[previous[0]].in_hand.pop(previous[1], None)
                state.in_hand[hand] = cue.target
                holder_of[cue.target] = (actor, hand)
        elif isinstance(cue, ThrowCue):
            hand = next((h for h, prop in state.in_hand.items() if prop == cue.prop), None)
            if cue.prop not in prop_ids:
                continue  # reported by the reference check
            if hand is None:
                problem(
                    f"'{actor}' does not hold '{cue.prop}' at this time (no earlier grab or "
                    "catch of it, or it was already thrown)",
                    f"{where}.prop",
                )
            else:
                del state.in_hand[hand]
                holder_of.pop(cue.prop, None)
    return problems


def _limb_name(limb: str) -> str:
    return limb.replace("_", " ")
