"""Optics against independent truth: textbook angles, hand-evaluated formulas, blur geometry
solved numerically from first principles, and published depth-of-field tables."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import brentq

from see1previs.cinema import optics


def test_field_of_view_of_a_50mm_lens_on_full_frame() -> None:
    # Textbook values for 36 x 24 mm behind 50 mm: 39.6°, 27.0°, 46.8°.
    fov = optics.fov_deg(36.0, 24.0, 50.0)
    assert fov.h == pytest.approx(39.60, abs=0.005)
    assert fov.v == pytest.approx(26.99, abs=0.005)
    assert fov.d == pytest.approx(46.79, abs=0.005)


def test_field_of_view_of_a_35mm_lens_on_mini_lf_open_gate() -> None:
    fov = optics.fov_deg(36.70, 25.54, 35.0)
    assert fov.h == pytest.approx(math.degrees(2 * math.atan(36.70 / 2 / 35.0)), rel=1e-12)
    assert fov.v == pytest.approx(math.degrees(2 * math.atan(25.54 / 2 / 35.0)), rel=1e-12)
    assert fov.h == pytest.approx(55.33, abs=0.01)


def test_close_focus_narrows_the_view_as_a_thin_lens_does() -> None:
    # At 1:1 (focused at 2f) the image forms 2f behind the lens: half the angle's tangent.
    at_infinity = optics.fov_deg(36.0, 24.0, 50.0)
    at_macro = optics.fov_deg(36.0, 24.0, 50.0, focus_distance_m=0.1)
    assert at_macro.h == pytest.approx(math.degrees(2 * math.atan(36.0 / 4 / 50.0)))
    far_away = optics.fov_deg(36.0, 24.0, 50.0, focus_distance_m=1000.0)
    assert at_macro.h < far_away.h < at_infinity.h
    assert far_away.h == pytest.approx(at_infinity.h, rel=1e-4)


@given(
    width=st.floats(5.0, 60.0),
    hfov=st.floats(1.0, 170.0),
)
def test_focal_length_for_hfov_inverts_the_field_of_view(width: float, hfov: float) -> None:
    focal = optics.focal_length_for_hfov(width, hfov)
    assert optics.fov_deg(width, width / 2, focal).h == pytest.approx(hfov, rel=1e-9)


def test_focal_length_for_hfov_of_a_normal_lens() -> None:
    assert optics.focal_length_for_hfov(36.0, 39.5977527) == pytest.approx(50.0, rel=1e-7)


def test_circle_of_confusion_follows_the_d_over_1500_rule() -> None:
    assert optics.circle_of_confusion_mm(36.0, 24.0) == pytest.approx(0.0288, abs=5e-5)
    assert optics.circle_of_confusion_mm(27.99, 19.22) == pytest.approx(0.0226, abs=5e-5)
    assert optics.circle_of_confusion_mm(36.0, 24.0, divisor=1443) == pytest.approx(0.03, 1e-3)


def test_hyperfocal_distance_of_50mm_at_f8() -> None:
    # f²/(N c) + f = 2500 / 0.24 + 50 mm = 10 466.7 mm.
    assert optics.hyperfocal_m(50.0, 8.0, 0.03) == pytest.approx(10.47, abs=0.005)
    assert optics.hyperfocal_m(50.0, 8.0, 0.03) == pytest.approx((2500 / 0.24 + 50) / 1000)


def _blur_mm(focal: float, f_number: float, focus_mm: float, subject_mm: float) -> float:
    """Blur-spot diameter on the sensor, from thin-lens geometry alone (no DoF formula):
    the cone of light from the aperture converges at the subject's image distance."""
    image = focal * subject_mm / (subject_mm - focal)
    sensor = focal * focus_mm / (focus_mm - focal)
    aperture = focal / f_number
    return aperture * abs(image - sensor) / image


def test_depth_of_field_at_3m_matches_formulas_geometry_and_published_tables() -> None:
    focal, n, coc, focus = 50.0, 2.8, 0.03, 3.0
    dof = optics.depth_of_field(focal, n, focus, coc)

    # The formulas evaluated by hand, in their other common arrangement (H' = f²/Nc).
    h = focal**2 / (n * coc)
    s = focus * 1000
    assert dof.near_m == pytest.approx(s * h / (h + s - focal) / 1000, rel=1e-12)
    assert dof.far_m == pytest.approx(s * h / (h - s + focal) / 1000, rel=1e-12)

    # Where the blur spot grows to the circle of confusion, solved numerically.
    near = brentq(lambda x: _blur_mm(focal, n, s, x) - coc, 100.0, s) / 1000
    far = brentq(lambda x: _blur_mm(focal, n, s, x) - coc, s, 1e6) / 1000
    assert dof.near_m == pytest.approx(near, rel=1e-9)
    assert dof.far_m == pytest.approx(far, rel=1e-9)

    # Published calculators (c = 0.03 mm) print 2.73 m and 3.33 m; the brief quoted 2.74/3.32.
    for published_near, published_far in ((2.73, 3.33), (2.74, 3.32)):
        assert dof.near_m == pytest.approx(published_near, rel=0.01)
        assert dof.far_m == pytest.approx(published_far, rel=0.01)
    assert dof.total_m == pytest.approx(dof.far_m - dof.near_m)
    assert dof.total_m == pytest.approx(0.60, abs=0.005)


def test_focus_at_the_hyperfocal_distance_is_sharp_to_infinity_from_half_of_it() -> None:
    hyperfocal = optics.hyperfocal_m(50.0, 8.0, 0.03)
    at_h = optics.depth_of_field(50.0, 8.0, hyperfocal, 0.03)
    assert at_h.far_m == math.inf and at_h.total_m == math.inf
    assert at_h.near_m == pytest.approx(hyperfocal / 2, rel=1e-12)
    beyond = optics.depth_of_field(50.0, 8.0, 2 * hyperfocal, 0.03)
    assert beyond.far_m == math.inf
    assert hyperfocal / 2 < beyond.near_m < hyperfocal


def test_depth_of_field_grows_when_stopping_down_and_focusing_farther() -> None:
    wide_open = optics.depth_of_field(35.0, 1.8, 2.0, 0.025).total_m
    stopped = optics.depth_of_field(35.0, 5.6, 2.0, 0.025).total_m
    farther = optics.depth_of_field(35.0, 1.8, 4.0, 0.025).total_m
    assert wide_open < stopped and wide_open < farther


def test_image_height_fraction() -> None:
    # A 1.75 m actor 5 m from a 50 mm lens: 17.5 mm tall on a 24 mm high sensor.
    assert optics.image_height_fraction(1.75, 5.0, 50.0, 24.0) == pytest.approx(17.5 / 24.0)


def test_shot_size_is_monotonic_in_the_subject_fraction() -> None:
    order = [size for size, _ in optics.SHOT_SIZE_LIMITS] + [optics.WIDEST_SHOT]
    assert order == ["ECU", "CU", "MCU", "MS", "MWS", "WS", "EWS"]
    limits = [limit for _, limit in optics.SHOT_SIZE_LIMITS]
    assert limits == sorted(limits)
    fractions = [0.0] + [10 ** (k / 50) for k in range(-150, 151)] + [math.inf]
    ranks = [order.index(optics.shot_size(f)) for f in fractions]
    assert ranks == sorted(ranks, reverse=True)  # more of the frame -> never a wider shot
    assert set(ranks) == set(range(len(order)))  # and every size is reachable


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        (0.08, "ECU"),  # eyes and mouth
        (0.20, "CU"),  # head and the top of the shoulders
        (0.30, "MCU"),  # to mid-chest
        (0.50, "MS"),  # to the waist
        (0.75, "MWS"),  # to the knees
        (1.20, "WS"),  # head to toe with room
        (2.50, "WS"),
        (5.00, "EWS"),  # small in the frame
    ],
)
def test_shot_sizes_by_how_much_of_the_person_the_frame_shows(shown: float, expected: str) -> None:
    assert optics.shot_size(1.0 / shown) == expected


def test_shot_size_of_an_actor_framed_by_distance() -> None:
    # 50 mm on a 24 mm high sensor: a 1.75 m actor at 1 m fills 3.6 frame heights (the frame
    # shows 0.27 of them: a medium close-up); at 20 m they are small in the frame.
    near = optics.image_height_fraction(1.75, 1.0, 50.0, 24.0)
    far = optics.image_height_fraction(1.75, 20.0, 50.0, 24.0)
    assert optics.shot_size(near) == "MCU"
    assert optics.shot_size(far) == "EWS"


@pytest.mark.parametrize(
    ("call", "quantity"),
    [
        (lambda: optics.fov_deg(36, 24, 0), "focal length"),
        (lambda: optics.fov_deg(36, 24, -50), "focal length"),
        (lambda: optics.fov_deg(0, 24, 50), "sensor width"),
        (lambda: optics.fov_deg(36, -1, 50), "sensor height"),
        (lambda: optics.fov_deg(36, 24, 50, focus_distance_m=0), "focus distance"),
        (lambda: optics.fov_deg(36, 24, 50, focus_distance_m=0.04), "focus distance"),
        (lambda: optics.fov_deg(36, 24, math.nan), "focal length"),
        (lambda: optics.hyperfocal_m(50, 0, 0.03), "f-number"),
        (lambda: optics.hyperfocal_m(50, 2.8, -0.03), "circle of confusion"),
        (lambda: optics.depth_of_field(50, 2.8, -3, 0.03), "focus distance"),
        (lambda: optics.depth_of_field(50, -2.8, 3, 0.03), "f-number"),
        (lambda: optics.depth_of_field(math.inf, 2.8, 3, 0.03), "focal length"),
        (lambda: optics.focal_length_for_hfov(36, 180), "field of view"),
        (lambda: optics.focal_length_for_hfov(36, 0), "field of view"),
        (lambda: optics.image_height_fraction(1.75, 0, 50, 24), "subject distance"),
        (lambda: optics.image_height_fraction(0, 3, 50, 24), "subject height"),
        (lambda: optics.circle_of_confusion_mm(36, 24, divisor=0), "divisor"),
        (lambda: optics.shot_size(-0.5), "frame height"),
        (lambda: optics.shot_size(math.nan), "frame height"),
        (lambda: optics.fov_deg(36, 24, True), "focal length"),
    ],
)
def test_bad_input_names_the_quantity(call, quantity: str) -> None:
    with pytest.raises(ValueError, match=quantity):
        call()


def test_error_message_carries_the_value() -> None:
    with pytest.raises(
        ValueError, match=r"focal length must be a number greater than 0 mm, got -35"
    ):
        optics.fov_deg(36, 24, -35)
