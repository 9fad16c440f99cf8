"""Frame rates and SMPTE timecode.

Frame rates are exact rationals: 23.976 means 24000/1001, 29.97 means 30000/1001, and so on
for the NTSC family. Timecode is non-drop ``HH:MM:SS:FF`` counted at the nominal (rounded)
integer rate, as editorial tools do for 23.976.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

# Rates people type as decimals that really are n*1000/1001.
_NTSC_DECIMALS = {
    "23.976": Fraction(24000, 1001),
    "23.98": Fraction(24000, 1001),
    "29.97": Fraction(30000, 1001),
    "47.952": Fraction(48000, 1001),
    "59.94": Fraction(60000, 1001),
    "119.88": Fraction(120000, 1001),
}


MIN_FPS = 1
MAX_FPS = 1000
# Longest spelling worth reading ("120000/1001" is 11 characters) and the largest power of
# ten a rate in range can need: anything beyond is out of range, decided without arithmetic.
_MAX_TEXT = 40
_MAX_EXPONENT = 40
_NUMBER = re.compile(
    r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE](?P<exp>[+-]?\d+))?(?:\s*/\s*(?P<den>[+-]?\d+))?"
)


def _exact(text: str, value: float | str) -> Fraction:
    """The exact number ``text`` spells, refusing sizes no frame rate has before computing."""
    match = _NUMBER.fullmatch(text)
    if match is None or len(text) > _MAX_TEXT:
        raise ValueError(f"'{_clipped(str(value))}' is not a frame rate")
    exponent = match.group("exp")
    if exponent is not None and abs(int(exponent)) > _MAX_EXPONENT:
        raise ValueError(f"must be between {MIN_FPS} and {MAX_FPS} fps, got {_clipped(str(value))}")
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"'{_clipped(str(value))}' is not a frame rate") from exc


def _clipped(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return f"{value:g}"


def _shown(value: object, rate: Fraction) -> str:
    """The rate as the file wrote it, for an error message (never a float overflow)."""
    if isinstance(value, str):
        return _clipped(value.strip())
    if abs(rate) < 10**15:
        return _float(float(rate))
    return "a number too large to be a frame rate"


@dataclass(frozen=True, order=True)
class FrameRate:
    """An exact frame rate in frames per second."""

    fps: Fraction

    @classmethod
    def parse(cls, value: float | int | str | Fraction) -> FrameRate:
        """Read ``24``, ``23.976``, ``"23.976"`` or ``"24000/1001"``.

        Text is checked for its size before it becomes a fraction, so ``"1e99999999"`` is
        refused at once instead of building a number with a hundred million digits.
        """
        if isinstance(value, Fraction):
            rate = value
        elif isinstance(value, bool):
            raise ValueError("a frame rate must be a number, got a boolean")
        elif isinstance(value, int):
            rate = Fraction(value)
        elif isinstance(value, float) and not (MIN_FPS <= value <= MAX_FPS):
            raise ValueError(f"must be between {MIN_FPS} and {MAX_FPS} fps, got {_float(value)}")
        elif isinstance(value, float | str):
            text = value if isinstance(value, str) else repr(value)
            text = text.strip()
            if text in _NTSC_DECIMALS:
                rate = _NTSC_DECIMALS[text]
            else:
                rate = _exact(text, value)
                if (not isinstance(value, str) or "/" not in text) and rate.denominator != 1:
                    raise ValueError(
                        f"{value} fps is not a standard rate; use an integer rate or one "
                        f"of {', '.join(_NTSC_DECIMALS)} (or write it as a fraction)"
                    )
        else:
            raise ValueError(f"'{value}' is not a frame rate")
        if not (MIN_FPS <= rate <= MAX_FPS):
            raise ValueError(
                f"must be between {MIN_FPS} and {MAX_FPS} fps, got {_shown(value, rate)}"
            )
        return cls(rate)

    def __float__(self) -> float:
        return float(self.fps)

    @property
    def nominal(self) -> int:
        """The integer rate timecode counts at (24 for 23.976)."""
        return round(self.fps)

    @property
    def is_integer(self) -> bool:
        return self.fps.denominator == 1

    def to_json(self) -> int | float | str:
        """Canonical scene-file spelling: 24, 23.976, or "n/d" for anything unusual."""
        if self.is_integer:
            return self.fps.numerator
        for text, rate in _NTSC_DECIMALS.items():
            if rate == self.fps and text != "23.98":
                return float(text)
        return f"{self.fps.numerator}/{self.fps.denominator}"

    def frame_time(self, frame: int) -> float:
        """Seconds at the start of ``frame`` (frame 0 is t = 0)."""
        return float(Fraction(frame) / self.fps)

    def frame_count(self, duration: float) -> int:
        """Frames needed to cover ``duration`` seconds, counting both ends (t=0 and t=duration)."""
        return math.floor(Fraction(duration) * self.fps + Fraction(1, 10**6)) + 1

    def frame_at(self, seconds: float) -> int:
        """The frame showing at ``seconds``."""
        return math.floor(Fraction(seconds) * self.fps + Fraction(1, 10**6))

    def timecode(self, frame: int) -> str:
        """Non-drop SMPTE timecode of ``frame`` counted at the nominal rate."""
        if frame < 0:
            raise ValueError(f"frame must be >= 0, got {frame}")
        base = self.nominal
        ff = frame % base
        total_seconds = frame // base
        ss = total_seconds % 60
        mm = (total_seconds // 60) % 60
        hh = total_seconds // 3600
        # FF is always at least two digits (SMPTE), wider only for rates above 100 fps.
        width = max(2, len(str(base - 1)))
        return f"{hh:02d}:{mm:02d}:{ss:02d}:{ff:0{width}d}"

    def __str__(self) -> str:
        return f"{float(self.fps):.3f}".rstrip("0").rstrip(".") + " fps"
