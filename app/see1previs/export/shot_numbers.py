"""Scene/setup numbers for the shot list, as a 1st AD writes them: ``12A`` is scene 12, setup A.

The scene model has no separate setup field: a shot is identified by its ``id`` and
optionally a ``name`` whose first word is usually its number ("1A wide"). A shot's number is:

1. the first word of its name, when that is a scene/setup number — digits, then up to three
   letters (``12``, ``12A``, ``12AB``), upper-cased;
2. else its id, when that is one;
3. else a derived number: the scene number most of the other shots use (1 when none do),
   then the next free setup letter in shooting order — A, B, C…, skipping I and O (read as
   1 and 0 on a slate), then AA, AB… — never one another shot already has.
"""

from __future__ import annotations

import itertools
import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator

from see1previs.core.scene_cameras import Shot

_NUMBER = re.compile(r"^(\d+)([A-Z]{0,3})$")
SETUP_LETTERS = tuple(c for c in string.ascii_uppercase if c not in "IO")


def typed_number(shot: Shot) -> str | None:
    """The number the shot's name or id already gives, or None."""
    words = shot.name.split()
    for candidate in (words[0] if words else "", shot.id):
        if _NUMBER.match(candidate.upper()):
            return candidate.upper()
    return None


def setup_numbers(shots_in_order: Iterable[Shot]) -> dict[str, str]:
    """Shot id → scene/setup number for every shot (pass them in shooting order)."""
    shots = list(shots_in_order)
    typed = {shot.id: typed_number(shot) for shot in shots}
    scenes = Counter(_NUMBER.match(n).group(1) for n in typed.values() if n is not None)
    scene_number = scenes.most_common(1)[0][0] if scenes else "1"
    taken = {n for n in typed.values() if n is not None}
    letters = _setup_letters()
    numbers = {}
    for shot in shots:
        number = typed[shot.id]
        if number is None:
            number = scene_number + next(letters)
            while number in taken:
                number = scene_number + next(letters)
        taken.add(number)
        numbers[shot.id] = number
    return numbers


def _setup_letters() -> Iterator[str]:
    yield from SETUP_LETTERS
    for first, second in itertools.product(SETUP_LETTERS, repeat=2):
        yield first + second
