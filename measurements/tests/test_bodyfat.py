"""The U.S. Navy body fat formulas (measurements/bodyfat.py) against reference values.

Expected values are computed here, independently, from the published formulas (the Navy's
own inch equations, Hodgdon & Beckett 1984, and their metric form with the constants 30.30
and −104.912), and a few are hard-coded as worked examples.
"""

from __future__ import annotations

import pytest

from measurements.bodyfat import BodyFatError, composition, navy_body_fat_cm, navy_body_fat_in
from measurements.tests.references import ref_female_cm, ref_female_in, ref_male_cm, ref_male_in

IN = 2.54


# --- the published formulas, written out again --------------------------------------------


# --- worked examples ---------------------------------------------------------------------


def test_male_178cm_neck_38_waist_85_is_about_16_and_a_half_percent():
    # 86.010·log10(47) − 70.041·log10(178) + 30.30 = 16.50 %
    value = navy_body_fat_cm(sex="male", height_cm=178, neck_cm=38, waist_cm=85)
    assert 16 < value < 17
    assert value == pytest.approx(16.50, abs=0.01)


def test_male_inch_example_70in_neck_15_abdomen_34():
    # 86.010·log10(19) − 70.041·log10(70) + 36.76 = 17.51 %
    assert navy_body_fat_in(sex="male", height_in=70, neck_in=15, waist_in=34) == pytest.approx(17.51, abs=0.01)


def test_female_165cm_neck_34_waist_75_hip_100():
    # 163.205·log10(141) − 97.684·log10(165) − 104.912 = 29.24 %
    assert navy_body_fat_cm(sex="female", height_cm=165, neck_cm=34, waist_cm=75, hip_cm=100) == pytest.approx(29.24, abs=0.01)


def test_female_inch_example_64in_neck_13_waist_30_hip_40():
    # 163.205·log10(57) − 97.684·log10(64) − 78.387 = 31.75 %
    assert navy_body_fat_in(sex="female", height_in=64, neck_in=13, waist_in=30, hip_in=40) == pytest.approx(31.75, abs=0.01)


# --- against the formulas over many inputs -------------------------------------------------

MALE = [(h, n, w) for h in (160, 170, 178, 185, 195) for n in (34, 37, 40, 43) for w in (72, 80, 88, 96, 104, 112)]
FEMALE = [(h, n, w, hip) for h in (150, 158, 165, 172, 180) for n in (29, 32, 35) for w in (62, 70, 80, 90) for hip in (88, 96, 104, 112)]


def _in_range(value: float) -> bool:
    return 2 <= value <= 75


def test_male_both_units_match_their_published_formula():
    checked = 0
    for height, neck, waist in MALE:
        cm, inch = ref_male_cm(height, neck, waist), ref_male_in(height / IN, neck / IN, waist / IN)
        if _in_range(cm):
            assert navy_body_fat_cm(sex="male", height_cm=height, neck_cm=neck, waist_cm=waist) == pytest.approx(cm, abs=1e-9)
            checked += 1
        if _in_range(inch):
            assert navy_body_fat_in(sex="male", height_in=height / IN, neck_in=neck / IN, waist_in=waist / IN) == pytest.approx(inch, abs=1e-9)
            checked += 1
    assert checked > 100


def test_female_both_units_match_their_published_formula():
    checked = 0
    for height, neck, waist, hip in FEMALE:
        cm, inch = ref_female_cm(height, neck, waist, hip), ref_female_in(height / IN, neck / IN, waist / IN, hip / IN)
        if _in_range(cm):
            assert navy_body_fat_cm(sex="female", height_cm=height, neck_cm=neck, waist_cm=waist, hip_cm=hip) == pytest.approx(cm, abs=1e-9)
            checked += 1
        if _in_range(inch):
            assert navy_body_fat_in(sex="female", height_in=height / IN, neck_in=neck / IN, waist_in=waist / IN, hip_in=hip / IN) == pytest.approx(inch, abs=1e-9)
            checked += 1
    assert checked > 300


# The centimetre and inch forms must agree within 0.3 points (they agree within 0.01).
AGREE = [
    ("male", 178, 38, 85, None),
    ("male", 180, 38, 85, None),
    ("male", 170, 36, 80, None),
    ("male", 185, 40, 95, None),
    ("male", 175, 39, 100, None),
    ("male", 190, 42, 90, None),
    ("male", 165, 37, 90, None),
    ("female", 160, 32, 70, 95),
    ("female", 155, 31, 72, 98),
    ("female", 158, 33, 80, 104),
    ("female", 162, 30, 68, 92),
    ("female", 150, 30, 75, 100),
]


@pytest.mark.parametrize("sex,height,neck,waist,hip", AGREE)
def test_centimetre_and_inch_forms_agree_within_0_3_points(sex, height, neck, waist, hip):
    cm = navy_body_fat_cm(sex=sex, height_cm=height, neck_cm=neck, waist_cm=waist, hip_cm=hip)
    inch = navy_body_fat_in(sex=sex, height_in=height / IN, neck_in=neck / IN, waist_in=waist / IN, hip_in=hip / IN if hip else None)
    assert abs(cm - inch) <= 0.3, (cm, inch)


def test_forms_agree_within_0_3_points_over_every_plausible_body():
    """Every input of the grid that gives a plausible number agrees across unit systems."""
    checked = 0
    for h, n, w in MALE:
        try:
            cm = navy_body_fat_cm(sex="male", height_cm=h, neck_cm=n, waist_cm=w)
        except BodyFatError:
            continue
        inch = navy_body_fat_in(sex="male", height_in=h / IN, neck_in=n / IN, waist_in=w / IN)
        assert abs(cm - inch) <= 0.3
        checked += 1
    for h, n, w, hip in FEMALE:
        try:
            cm = navy_body_fat_cm(sex="female", height_cm=h, neck_cm=n, waist_cm=w, hip_cm=hip)
        except BodyFatError:
            continue
        inch = navy_body_fat_in(sex="female", height_in=h / IN, neck_in=n / IN, waist_in=w / IN, hip_in=hip / IN)
        assert abs(cm - inch) <= 0.3
        checked += 1
    assert checked > 100


def test_a_woman_uses_hip_and_a_man_does_not():
    base = dict(height_cm=165, neck_cm=34, waist_cm=75)
    assert navy_body_fat_cm(sex="female", hip_cm=110, **base) > navy_body_fat_cm(sex="female", hip_cm=95, **base)
    assert navy_body_fat_cm(sex="male", hip_cm=110, **base) == navy_body_fat_cm(sex="male", hip_cm=None, **base)


# --- impossible inputs: a message, never a number, never another exception -----------------


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(sex="male", height_cm=178, neck_cm=40, waist_cm=40), "Neck must be smaller than waist"),
        (dict(sex="male", height_cm=178, neck_cm=45, waist_cm=40), "Neck must be smaller than waist"),
        (dict(sex="female", height_cm=165, neck_cm=34, waist_cm=75), "Hip is needed"),
        (dict(sex="female", height_cm=165, neck_cm=34, waist_cm=75, hip_cm=None), "Hip is needed"),
        (dict(sex=None, height_cm=178, neck_cm=38, waist_cm=85), "Set your sex"),
        (dict(sex="other", height_cm=178, neck_cm=38, waist_cm=85), "Set your sex"),
        (dict(sex="male", height_cm=None, neck_cm=38, waist_cm=85), "Set your height"),
        (dict(sex="male", height_cm=178, neck_cm=None, waist_cm=85), "Neck and waist are needed"),
        (dict(sex="male", height_cm=178, neck_cm=38, waist_cm=None), "Neck and waist are needed"),
        (dict(sex="male", height_cm=0, neck_cm=38, waist_cm=85), "positive numbers"),
        (dict(sex="male", height_cm=-178, neck_cm=38, waist_cm=85), "positive numbers"),
        (dict(sex="male", height_cm=178, neck_cm=-38, waist_cm=85), "positive numbers"),
        (dict(sex="male", height_cm=float("nan"), neck_cm=38, waist_cm=85), "positive numbers"),
        (dict(sex="male", height_cm=178, neck_cm=38, waist_cm=float("inf")), "positive numbers"),
        (dict(sex="male", height_cm=178, neck_cm=38, waist_cm=38.5), "implausible"),
        (dict(sex="male", height_cm=100, neck_cm=30, waist_cm=250), "implausible"),
    ],
)
def test_impossible_inputs_give_a_message_and_no_number(kwargs, message):
    with pytest.raises(BodyFatError, match=message):
        navy_body_fat_cm(**kwargs)


def test_impossible_inputs_in_inches_too():
    with pytest.raises(BodyFatError, match="Neck must be smaller than waist"):
        navy_body_fat_in(sex="male", height_in=70, neck_in=16, waist_in=15)
    with pytest.raises(BodyFatError, match="Hip is needed"):
        navy_body_fat_in(sex="female", height_in=64, neck_in=13, waist_in=30)


def test_composition_splits_weight_into_fat_and_lean():
    comp = composition(body_fat_pct=20.0, weight_kg=80.0)
    assert (comp.fat_mass_kg, comp.lean_mass_kg) == pytest.approx((16.0, 64.0))
    assert composition(body_fat_pct=20.0, weight_kg=None).lean_mass_kg is None
