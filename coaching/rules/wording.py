"""How the rule-based coach writes numbers and dates into its answers."""

from __future__ import annotations

from datetime import date

from hypertrophy.formatting import fmt_count, fmt_number


def unit_value(value: float | None, unit: str) -> str:
    return f"{fmt_number(value)} {unit}" if value is not None else "—"


def load(value: float | None, unit: str) -> str:
    """A total load (volume, tonnage) whole, with a thousands separator: ``72,131 lb`` (as the
    workout pages show it), not ``72130.8 lb``."""
    return f"{fmt_number(round(value or 0))} {unit}"


def movement(delta: float, unit: str) -> str:
    """``down 1.5 points``, ``up 2 kg``, ``unchanged``."""
    if not delta:
        return "unchanged"
    return f"{'down' if delta < 0 else 'up'} {fmt_number(abs(delta))} {unit}"


def target(exercise: dict) -> str:
    """``3×8–10``: a planned exercise's sets and rep range."""
    return f"{exercise.get('sets')}×{exercise.get('rep_min')}–{exercise.get('rep_max')}"


def sets_text(count: float) -> str:
    """``1 set``, ``0.5 sets``, ``3 sets``."""
    return fmt_count(count, "set")


def day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {d:%b}"

