"""Template filters for numbers a lifter reads."""

from __future__ import annotations

from django import template

from hypertrophy.units import from_kg

register = template.Library()


@register.filter
def load(weight_kg, unit: str = "kg") -> str:
    """A total load (volume) stored in kg, in the lifter's unit, whole, with a thousands
    separator: ``1,650 lb``."""
    value = from_kg(float(weight_kg or 0), unit if unit in ("kg", "lb") else "kg")
    return f"{round(value):,} {unit if unit in ('kg', 'lb') else 'kg'}"
