"""Frame rates and timecode, checked against arithmetic done by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from see1previs.core.timebase import FrameRate

NTSC = {
    "23.976": Fraction(24000, 1001),
    "23.98": Fraction(24000, 1001),
    "29.97": Fraction(30000, 1001),
    "47.952": Fraction(48000, 1001),
    "59.94": Fraction(60000, 1001),
    "119.88": Fraction(120000, 1001),
}
RATES = [FrameRate.parse(r) for r in (24, 25, 30, 48, 60, 23.976, 29.97, 59.94, "51/2")]


# -- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "exact"), NTSC.items())
def test_ntsc_decimals_are_exact_fractions(text: str, exact: Fraction) -> None:
    assert FrameRate.parse(text).fps == exact
    assert FrameRate.parse(float(text)).fps == exact


def test_23_976_is_exactly_24000_over_1001() -> None:
    rate = FrameRate.parse(23.976)
    assert rate.fps == Fraction(24000, 1001)
    assert rate == FrameRate.parse("24000/1001") == FrameRate.parse("23.98")
    assert rate.fps != Fraction(23976, 1000)


@pytest.mark.parametrize(
    ("value", "exact"),
    [
        (24, Fraction(24)),
        (24.0, Fraction(24)),
        ("25", Fraction(25)),
        (" 30 ", Fraction(30)),
        ("51/2", Fraction(51, 2)),
        (Fraction(1001, 40), Fraction(1001, 40)),
        (1, Fraction(1)),
        (1000, Fraction(1000)),
    ],
)
def test_other_spellings(value: object, exact: Fraction) -> None:
    assert FrameRate.parse(value).fps == exact  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", [25.5, "25.5", "abc", True, 0, -24, 1001, "1/0", float("nan"), float("inf"), None]
)
def test_refused_rates(value: object) -> None:
    with pytest.raises(ValueError):
        FrameRate.parse(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rate", "spelling"),
    [(24, 24), ("23.98", 23.976), ("30000/1001", 29.97), (59.94, 59.94), ("51/2", "51/2")],
)
def test_json_spelling_and_round_trip(rate: object, spelling: object) -> None:
    parsed = FrameRate.parse(rate)  # type: ignore[arg-type]
    assert parsed.to_json() == spelling
    assert FrameRate.parse(parsed.to_json()) == parsed


def test_nominal_rate_and_display() -> None:
    assert FrameRate.parse(23.976).nominal == 24
    assert FrameRate.parse(29.97).nominal == 30
    assert FrameRate.parse(25).nominal == 25
    assert str(FrameRate.parse(23.976)) == "23.976 fps"
    assert str(FrameRate.parse(29.97)) == "29.97 fps"
    assert str(FrameRate.parse(24)) == "24 fps"
    assert FrameRate.parse(24).is_integer and not FrameRate.parse(23.976).is_integer
    assert float(FrameRate.parse(23.976)) == 24000 / 1001


# -- frames and seconds --------------------------------------------------------------------------


def test_frame_times() -> None:
    assert FrameRate.parse(24).frame_time(24) == 1.0
    assert FrameRate.parse(25).frame_time(1) == 0.04
    assert FrameRate.parse(23.976).frame_time(24) == 1.001
    assert FrameRate.parse(29.97).frame_time(30) == 1.001
    assert FrameRate.parse(23.976).frame_time(86400) == pytest.approx(3603.6, abs=1e-9)


def _frames_by_counting(rate: FrameRate, duration: Fraction) -> int:
    """Frames k >= 0 with k / fps <= duration, counted one by one."""
    k = 0
    while Fraction(k) / rate.fps <= duration:
        k += 1
    return k


@pytest.mark.parametrize(
    ("rate", "duration", "frames"),
    [
        (24, 10.0, 241),
        (25, 10.0, 251),
        (23.976, 10.0, 240),  # the last frame is 239 at 9.968 s
        (29.97, 10.0, 300),
        (24, 0.5, 13),
        (24, 3600.0, 86401),
        (30, 0.1, 4),  # 0.1 is not exact in binary; frame 3 is still at 0.1 s
    ],
)
def test_frame_count_covers_both_ends(rate: object, duration: float, frames: int) -> None:
    assert FrameRate.parse(rate).frame_count(duration) == frames  # type: ignore[arg-type]


@pytest.mark.parametrize("rate", RATES, ids=str)
@pytest.mark.parametrize("duration", ["1/3", "10", "7/2", "1001/24"])
def test_frame_count_matches_counting(rate: FrameRate, duration: str) -> None:
    exact = Fraction(duration)
    assert rate.frame_count(float(exact)) == _frames_by_counting(rate, exact)


@pytest.mark.parametrize("rate", RATES, ids=str)
def test_frame_at_the_time_of_a_frame_is_that_frame(rate: FrameRate) -> None:
    for frame in [*range(0, 3000), 86399, 86400, 86401, 10**6]:
        assert rate.frame_at(rate.frame_time(frame)) == frame


def test_frame_at_between_frames_is_the_earlier_one() -> None:
    rate = FrameRate.parse(24)
    assert rate.frame_at(0.0) == 0
    assert rate.frame_at(1.0 / 24 - 1e-3) == 0
    assert rate.frame_at(1.0) == 24
    assert rate.frame_at(1.02) == 24


# -- timecode ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "frame", "timecode"),
    [
        (24, 86400, "01:00:00:00"),
        (24, 0, "00:00:00:00"),
        (24, 23, "00:00:00:23"),
        (24, 24, "00:00:01:00"),
        (24, 1439, "00:00:59:23"),
        (24, 1440, "00:01:00:00"),
        (25, 90000, "01:00:00:00"),
        (25, 24, "00:00:00:24"),
        (23.976, 86400, "01:00:00:00"),  # counted at 24 nominal: 3603.6 s of real time
        (23.976, 47, "00:00:01:23"),
        (29.97, 108000, "01:00:00:00"),  # non-drop, counted at 30
        (29.97, 107892, "00:59:56:12"),
        (60, 59, "00:00:00:59"),
        (120, 119, "00:00:00:119"),
        (5, 7, "00:00:01:02"),  # FF is always at least two digits
    ],
)
def test_timecode(rate: object, frame: int, timecode: str) -> None:
    assert FrameRate.parse(rate).timecode(frame) == timecode  # type: ignore[arg-type]


@given(rate=st.sampled_from(RATES), frame=st.integers(0, 24 * 3600 * 30))
def test_timecode_counts_back_to_the_frame(rate: FrameRate, frame: int) -> None:
    hh, mm, ss, ff = (int(part) for part in rate.timecode(frame).split(":"))
    assert 0 <= mm < 60 and 0 <= ss < 60 and 0 <= ff < rate.nominal
    assert ((hh * 60 + mm) * 60 + ss) * rate.nominal + ff == frame


def test_negative_frames_have_no_timecode() -> None:
    with pytest.raises(ValueError):
        FrameRate.parse(24).timecode(-1)
