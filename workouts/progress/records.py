"""Personal records: which sets of a workout set which records. Pure: no Django.

Four records per exercise, over its working sets (warm-ups never count):

- ``weight``: the heaviest weight lifted (one rep or more);
- ``e1rm``: the best estimated one-rep max by the user's formula (rough sets, over
  ``formulas.ROUGH_ABOVE`` reps, are left out);
- ``reps``: the most reps at a weight — more reps than any earlier set at that weight
  or a heavier one;
- ``volume``: the best set volume (weight × reps of one set).

Nothing is stored: a workout's records are recomputed from the projections at read time
(the bests before the workout, then its sets in order), so an edited or deleted set, or
a deleted workout, changes them the next time they are read. A set sets a record only
when it beats an earlier value: an exercise's first workout sets the baseline, not
records. ``static/js/cards.js`` (``markRecords``, with the rules of ``static/js/rules.js``) runs the same rules on the phone.

Every record depends on a set's (weight, reps) only through quantities that never fall
when the weight or the reps rise, so the bests of any history follow from its Pareto
frontier: for each weight, the most reps at it, dropping points another set beats on
both. That frontier is what the selectors fetch and what the page gives the phone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from workouts.progress.formulas import DEFAULT_FORMULA, ROUGH_ABOVE, e1rm

KINDS = ("weight", "e1rm", "reps", "volume")
BADGES = {"weight": "PR weight", "e1rm": "PR e1RM", "reps": "PR reps", "volume": "PR volume"}
EPS = 1e-9


def counts(set_type: str | None, weight_kg: float | None, reps: int | None) -> bool:
    """Whether a set takes part in records: a working (not warm-up) set with a weight and a rep."""
    return set_type != "warmup" and weight_kg is not None and weight_kg >= 0 and reps is not None and reps >= 1


@dataclass
class Bests:
    """An exercise's bests so far. ``frontier``: (kg, reps), heaviest first, reps rising."""

    weight_kg: float | None = None
    e1rm_kg: float | None = None
    volume_kg: float | None = None
    frontier: list[tuple[float, int]] = field(default_factory=list)

    def reps_at(self, weight_kg: float) -> int | None:
        """The most reps of any set at ``weight_kg`` or heavier, if there was one."""
        return max((reps for kg, reps in self.frontier if kg >= weight_kg - EPS), default=None)

    def add(self, weight_kg: float, reps: int, formula: str = DEFAULT_FORMULA) -> None:
        """Take one counting set into the bests."""
        self.weight_kg = _max(self.weight_kg, weight_kg)
        self.volume_kg = _max(self.volume_kg, weight_kg * reps)
        if reps <= ROUGH_ABOVE:
            self.e1rm_kg = _max(self.e1rm_kg, e1rm(weight_kg, reps, formula))
        known = self.reps_at(weight_kg)
        if known is not None and known >= reps:
            return
        kept = [(kg, r) for kg, r in self.frontier if not (kg <= weight_kg + EPS and r <= reps)]
        kept.append((weight_kg, reps))
        self.frontier = sorted(kept, key=lambda p: -p[0])

    def copy(self) -> Bests:
        return Bests(self.weight_kg, self.e1rm_kg, self.volume_kg, list(self.frontier))

    def for_client(self) -> dict:
        """What the page script needs to mark records on the phone (JSON)."""
        return {"weight": self.weight_kg, "e1rm": self.e1rm_kg, "volume": self.volume_kg, "reps": [list(p) for p in self.frontier]}


def _max(a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def pareto(points: Iterable[tuple[float, int]]) -> list[tuple[float, int]]:
    """The (kg, reps) points no other point matches or beats on both, heaviest first."""
    out: list[tuple[float, int]] = []
    most = 0
    for kg, reps in sorted(points, key=lambda p: (-p[0], -p[1])):
        if reps > most:
            out.append((kg, reps))
            most = reps
    return out


def bests_from_rows(rows: Iterable[tuple[float, int, int | None]], formula: str = DEFAULT_FORMULA) -> Bests | None:
    """Bests from one row per weight: (kg, most reps, most reps up to ``ROUGH_ABOVE`` or None).
    ``None`` when there are no rows (the exercise was never done)."""
    rows = list(rows)
    if not rows:
        return None
    e1rms = [e1rm(kg, capped, formula) for kg, _, capped in rows if capped]
    return Bests(
        weight_kg=max(kg for kg, _, _ in rows),
        e1rm_kg=max((v for v in e1rms if v is not None), default=None),
        volume_kg=max(kg * reps for kg, reps, _ in rows),
        frontier=pareto((kg, reps) for kg, reps, _ in rows),
    )


def set_records(prior: Bests | None, sets: Sequence, formula: str = DEFAULT_FORMULA) -> list[tuple[str, ...]]:
    """For one exercise: the record kinds each set sets, in order, given the bests before
    them (``None``: no earlier history, so no records). ``sets`` have ``weight_kg``,
    ``reps`` and ``set_type`` and come in the order they were done."""
    if prior is None:
        return [() for _ in sets]
    bests = prior.copy()
    out: list[tuple[str, ...]] = []
    for s in sets:
        kg, reps = s.weight_kg, s.reps
        if not counts(s.set_type, kg, reps):
            out.append(())
            continue
        kinds = []
        if bests.weight_kg is not None and kg > bests.weight_kg + EPS:
            kinds.append("weight")
        estimate = e1rm(kg, reps, formula) if reps <= ROUGH_ABOVE else None
        if estimate is not None and bests.e1rm_kg is not None and estimate > bests.e1rm_kg + EPS:
            kinds.append("e1rm")
        known = bests.reps_at(kg)
        if known is not None and reps > known:
            kinds.append("reps")
        if bests.volume_kg is not None and kg * reps > bests.volume_kg + EPS:
            kinds.append("volume")
        bests.add(kg, reps, formula)
        out.append(tuple(kinds))
    return out


@dataclass(frozen=True)
class Record:
    """A record a workout set: its kind, the set that holds it, and the value (kg, or reps)."""

    exercise_id: str
    kind: str
    weight_kg: float
    reps: int
    value: float


def workout_records(
    prior: dict[str, Bests], sets: Sequence, formula: str = DEFAULT_FORMULA
) -> tuple[dict[int, tuple[str, ...]], list[Record]]:
    """Records of one workout's sets (any exercises, in the order done).

    Returns the badges of each set (by position in ``sets``; sets with none are left out)
    and the workout's records: one per exercise and kind — one per weight for ``reps`` —
    held by the last set that set it (the best of the workout), in the order first set.
    """
    by_exercise: dict[str, list[int]] = {}
    for i, s in enumerate(sets):
        by_exercise.setdefault(s.exercise_id, []).append(i)
    badges: dict[int, tuple[str, ...]] = {}
    found: dict[tuple, Record] = {}
    for exercise_id, positions in by_exercise.items():
        kinds_per_set = set_records(prior.get(exercise_id), [sets[i] for i in positions], formula)
        for i, kinds in zip(positions, kinds_per_set):
            if kinds:
                badges[i] = kinds
    for i in sorted(badges):
        s = sets[i]
        for kind in badges[i]:
            value = {"weight": s.weight_kg, "e1rm": e1rm(s.weight_kg, s.reps, formula), "reps": s.reps, "volume": s.weight_kg * s.reps}[kind]
            key = (s.exercise_id, kind, round(s.weight_kg, 6) if kind == "reps" else None)
            found[key] = Record(s.exercise_id, kind, s.weight_kg, s.reps, value)
    # Keep the order each record first appeared in, with the value of its last (best) set.
    return badges, list(found.values())
