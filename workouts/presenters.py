"""Shape projection rows for the logging pages: cards, set rows, 'last time' text, prefills."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypertrophy.formatting import fmt_number, fmt_rpe, fmt_weight
from hypertrophy.units import from_kg, to_kg

DEFAULT_REST = {"weight_reps": 120, "bodyweight_reps": 90, "time": 60, "distance_time": 0}
REPS_KINDS = ("weight_reps", "bodyweight_reps")


def default_rest(meta, *, compound_s: int, isolation_s: int) -> int:
    """The rest timer's length for a card that has no rest of its own (a template's or program's
    rest for the exercise, or one the lifter set on the card, always wins over this).

    Sets of reps rest what the lifter chose in their settings: ``isolation_s`` after an isolation
    exercise, ``compound_s`` after a compound one or one whose mechanics are unknown (their own
    exercises: when in doubt, a full recovery). Timed and distance work (planks, carries, cardio)
    keeps the catalog's per-exercise rest, which the settings do not describe. static/js/cards.js
    (``defaultRest``) applies the same rule to cards added offline."""
    set_kind = getattr(meta, "set_kind", "weight_reps")
    if set_kind in REPS_KINDS:
        return isolation_s if getattr(meta, "mechanics", None) == "isolation" else compound_s
    return getattr(meta, "default_rest_s", DEFAULT_REST.get(set_kind, 90))


def display_weight(weight_kg: float | None, unit: str) -> float | None:
    """A stored kg weight in the user's unit, rounded to what a lifter reads (0.1)."""
    value = from_kg(weight_kg, unit)
    return None if value is None else round(value, 1)


def set_description(s, unit: str, *, with_unit: bool = True) -> str:
    parts = []
    if s.weight_kg is not None and s.reps is not None:
        weight = fmt_weight(s.weight_kg, unit, with_unit=False)
        parts.append(f"{weight} {unit} × {s.reps}" if with_unit else f"{weight} × {s.reps}")
    elif s.reps is not None:
        parts.append(f"{s.reps} reps")
    if s.duration_s is not None:
        minutes, seconds = divmod(s.duration_s, 60)
        parts.append(f"{minutes}:{seconds:02d}")
    if s.distance_m is not None:
        parts.append(f"{fmt_number(s.distance_m)} m")
    return " · ".join(parts)


def last_text(sets: list, unit: str) -> str:
    """'last: 100 kg × 8, 100 × 7' (warm-ups left out)."""
    working = [s for s in sets if s.set_type != "warmup"] or sets
    if not working:
        return ""
    return "last: " + ", ".join(set_description(s, unit, with_unit=(i == 0)) for i, s in enumerate(working))


def target_text(target: dict) -> str:
    """'today: 3 sets · 102.5 kg × 8–10 @ RIR 2': what a card started from a template or
    program aims at (static/js/cards.js builds the same text for cards added offline)."""
    low, high = target.get("rep_min"), target.get("rep_max")
    reps = "" if low is None else str(low) if low == high or high is None else f"{low}–{high}"
    load = target.get("weight")
    # A bodyweight exercise's target is no added load: "bodyweight × 8–12", not "0 kg × 8–12".
    if load is None:
        weight = ""
    else:
        weight = "bodyweight × " if load == 0 else f"{fmt_number(load)} {target.get('unit') or 'kg'} × "
    effort = f" @ RPE {fmt_number(target['rpe'])}" if target.get("rpe") is not None else f" @ RIR {target['rir']}" if target.get("rir") is not None else ""
    sets = f"{target['sets']} set{'' if target['sets'] == 1 else 's'} · " if target.get("sets") else ""
    return f"today: {sets}{weight}{reps}{effort}".rstrip(" ·")


@dataclass
class Card:
    exercise_id: str
    name: str
    set_kind: str
    equipment: str
    rest_s: int
    superset: str | None
    sets: list = field(default_factory=list)
    last: str = ""
    prefill_weight: float | None = None
    prefill_reps: int | None = None
    is_barbell: bool = False
    target: str = ""
    planned_rows: list = field(default_factory=list)


def _prefill(card: Card, own: list, unit: str) -> None:
    """The single log form's values: the next working row laid out for today, else (every planned
    row logged) today's last working set again. A warm-up's weight never fills it: the form logs
    a working set unless the lifter picks another type."""
    row = next((r for r in card.planned_rows if r.set_type == "working"), None)
    if row is not None:
        card.prefill_weight, card.prefill_reps = row.weight, row.reps
        return
    last = next((s for s in reversed(own) if s.set_type == "working"), None)
    if last is not None:
        card.prefill_weight, card.prefill_reps = display_weight(last.weight_kg, unit), last.reps


def build_cards(
    *, workout, sets: list, exercises: dict, last_sets: dict, unit: str, rest: tuple[int, int]
) -> list[Card]:
    """Cards in the workout's order, then exercises that only appear through their sets.
    ``rest``: the lifter's (compound, isolation) rest in seconds, for cards without their own."""
    order: list[tuple[str, str | None, int | None]] = [
        (c["exercise_id"], c.get("superset"), c.get("rest_s")) for c in (workout.exercises if workout else [])
    ]
    targets = {c["exercise_id"]: c["target"] for c in (workout.exercises if workout else []) if c.get("target")}
    known = {e for e, _, _ in order}
    for s in sets:
        if s.exercise_id not in known:
            order.append((s.exercise_id, None, None))
            known.add(s.exercise_id)
    by_exercise: dict[str, list] = {}
    for s in sets:
        by_exercise.setdefault(s.exercise_id, []).append(s)
    cards = []
    for exercise_id, superset, rest_s in order:
        meta = exercises.get(exercise_id)
        set_kind = getattr(meta, "set_kind", "weight_reps")
        own = by_exercise.get(exercise_id, [])
        previous = last_sets.get(exercise_id, [])
        card = Card(
            exercise_id=exercise_id,
            name=getattr(meta, "name", exercise_id),
            set_kind=set_kind,
            equipment=getattr(meta, "equipment", "other"),
            rest_s=rest_s if rest_s is not None else default_rest(meta, compound_s=rest[0], isolation_s=rest[1]),
            superset=superset,
            sets=own,
            last=last_text(previous, unit),
            is_barbell=getattr(meta, "equipment", "") == "barbell",
        )
        target = targets.get(exercise_id)
        if target:
            card.target = target_text(target)
        card.planned_rows = planned_rows(logged=own, previous=previous, target=target, unit=unit)
        _prefill(card, own, unit)
        cards.append(card)
    return cards


def weight_text(weight_kg: float | None, unit: str) -> str:
    """'102.5 kg': a stored kg weight in the user's unit, with the unit."""
    return fmt_weight(weight_kg, unit)


def record_text(record, unit: str) -> str:
    """'heaviest weight 105 kg', 'best e1RM 120 kg (105 kg × 4)', '9 reps at 100 kg', …"""
    lifted = f"{weight_text(record.weight_kg, unit)} × {record.reps}"
    if record.kind == "weight":
        return f"heaviest weight {weight_text(record.weight_kg, unit)}"
    if record.kind == "e1rm":
        return f"best e1RM {weight_text(record.value, unit)} ({lifted})"
    if record.kind == "reps":
        return f"{record.reps} reps at {weight_text(record.weight_kg, unit)}"
    return f"best set volume {weight_text(record.value, unit)} ({lifted})"


def exercise_records(bests, unit: str) -> list[tuple[str, str]]:
    """(label, value) of an exercise's all-time records, for the exercise page."""
    if bests is None:
        return []
    out = [("Heaviest weight", weight_text(bests.weight_kg, unit))]
    if bests.e1rm_kg is not None:
        out.append(("Best e1RM", weight_text(bests.e1rm_kg, unit)))
    out.append(("Best set volume", weight_text(bests.volume_kg, unit)))
    return out


def most_reps_text(bests, unit: str) -> str:
    """'100 kg × 8 · 90 kg × 10 · …': the most reps at each weight no heavier set beat."""
    return " · ".join(f"{weight_text(kg, unit)} × {r}" for kg, r in bests.frontier) if bests else ""


# --- today's rows, laid out in advance ----------------------------------------------------------

SET_LABELS = {"warmup": "W", "drop": "D", "failure": "F"}


@dataclass(frozen=True)
class PlannedRow:
    """One not-yet-logged row of a card's set grid. ``label``: W (warm-up), D (drop), F (failure)
    or the working set's number; ``previous``: the matching set last time ('' when none);
    ``weight`` in the lifter's unit."""

    label: str
    set_type: str
    previous: str = ""
    weight: float | None = None
    reps: int | None = None
    rpe: float | None = None
    duration_s: int | None = None
    distance_m: float | None = None

    def as_dict(self) -> dict:
        return {
            "label": self.label, "set_type": self.set_type, "previous": self.previous, "weight": self.weight,
            "reps": self.reps, "rpe": self.rpe, "duration_s": self.duration_s, "distance_m": self.distance_m,
        }


def previous_text(s, unit: str) -> str:
    """'100 × 8 @8': a set as the grid's "previous" column shows it (the unit is the page's, as in
    the weight column beside it)."""
    text = set_description(s, unit, with_unit=False)
    return f"{text} {fmt_rpe(s.rpe)}" if text and s.rpe is not None else text


def _target_weight(target: dict, unit: str) -> float | None:
    """A template's or program's load in the lifter's unit (it may have been planned in the other)."""
    if target.get("weight") is None:
        return None
    return display_weight(to_kg(target["weight"], target.get("unit") or "kg"), unit)


def _row_from(s, set_type: str, unit: str) -> dict:
    """Values of a row taken from last time's set at the same position among sets of its type."""
    if s is None:
        return {"set_type": set_type}
    return {
        "set_type": set_type, "previous": previous_text(s, unit), "weight": display_weight(s.weight_kg, unit),
        "reps": s.reps, "rpe": s.rpe, "duration_s": s.duration_s, "distance_m": s.distance_m,
    }


def _session_plan(previous: list, target: dict | None, unit: str) -> list[dict]:
    """Every row of today's session of an exercise, in order: last time's sets type by type (warm-ups
    as warm-ups, working as working), or the target's working sets (its count, load and the top
    of its rep range, as the page script pre-fills it) after last time's warm-ups. Never a
    warm-up's values in a working row."""
    if not target or not target.get("sets"):
        plan = [_row_from(s, s.set_type, unit) for s in previous]
        return plan or [{"set_type": "working"}]
    warmups = [s for s in previous if s.set_type == "warmup"]
    working = [s for s in previous if s.set_type == "working"]
    plan = [_row_from(s, "warmup", unit) for s in warmups]
    load = _target_weight(target, unit)
    for i in range(int(target["sets"])):
        row = _row_from(working[i] if i < len(working) else None, "working", unit)
        if load is not None:
            row["weight"] = load
        reps = target.get("rep_max") if target.get("rep_max") is not None else target.get("rep_min")
        if reps is not None:
            row["reps"] = reps
        if target.get("rpe") is not None:
            row["rpe"] = target["rpe"]
        plan.append(row)
    return plan


def planned_rows(*, logged: list, previous: list, target: dict | None, unit: str) -> list[PlannedRow]:
    """The rows of a card still to log today. The session's plan (see ``_session_plan``) minus, type
    by type, as many rows as today has logged sets of that type; working sets are numbered after
    today's logged ones."""
    done: dict[str, int] = {}
    for s in logged:
        done[s.set_type] = done.get(s.set_type, 0) + 1
    seen: dict[str, int] = {}
    number = done.get("working", 0)
    rows = []
    for row in _session_plan(previous, target, unit):
        kind = row["set_type"]
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] <= done.get(kind, 0):
            continue
        if kind == "working":
            number += 1
        rows.append(PlannedRow(label=SET_LABELS.get(kind) or str(number), **row))
    return rows


def last_rows(sets: list, unit: str) -> list[dict]:
    """Last time's sets of an exercise as the page keeps them for cards added offline: the same
    fields as a planned row, in order (the page lays out rows from them as ``planned_rows`` does)."""
    return [{"label": SET_LABELS.get(s.set_type, ""), **_row_from(s, s.set_type, unit)} for s in sets]
