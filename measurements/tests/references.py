"""The U.S. Navy body-fat equations as published (Hodgdon & Beckett), written out
independently of ``measurements/bodyfat.py`` so tests can check it against them."""

from __future__ import annotations

import math


def ref_male_cm(height, neck, waist):
    return 86.010 * math.log10(waist - neck) - 70.041 * math.log10(height) + 30.30


def ref_female_cm(height, neck, waist, hip):
    return 163.205 * math.log10(waist + hip - neck) - 97.684 * math.log10(height) - 104.912


def ref_male_in(height, neck, abdomen):
    return 86.010 * math.log10(abdomen - neck) - 70.041 * math.log10(height) + 36.76


def ref_female_in(height, neck, waist, hip):
    return 163.205 * math.log10(waist + hip - neck) - 97.684 * math.log10(height) - 78.387
