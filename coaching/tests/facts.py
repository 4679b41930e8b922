"""The expected facts of the question bank, computed from the seeded history's own rows
(``coaching.tests.history``), independently of the coach's selectors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from coaching.tests.history import NOW, START, History, deload_week
from hypertrophy.formatting import fmt_weight
from workouts.plans import progression
from workouts.progress.formulas import e1rm

TODAY = NOW.date()
TOMORROW = TODAY + timedelta(days=1)
NAMES = {
    "barbell-bench-press": "Barbell Bench Press",
    "barbell-overhead-press": "Barbell Overhead Press",
    "barbell-back-squat": "Barbell Back Squat",
    "conventional-deadlift": "Conventional Deadlift",
    "romanian-deadlift": "Romanian Deadlift",
    "barbell-row": "Barbell Row",
    "barbell-curl": "Barbell Curl",
    "pull-up": "Pull-Up",
    "dip": "Dip",
    "leg-press": "Leg Press",
}

@dataclass
class Facts:
    """Expected facts over the history's rows."""

    h: History
    muscles: dict = field(default_factory=dict)  # exercise → muscle shares (the catalog's rows)
    asked: str = ""  # the question being checked
    unit: str = "kg"

    def rows(self, exercise: str, window):
        start, end = window
        return [
            r for r in self.h.sets
            if r.exercise == exercise and (start is None or r.at.date() >= start) and r.at.date() < end
        ]

    def best(self, exercise: str, window) -> float:
        return max(e1rm(self.h.load(r), r.reps) for r in self.rows(exercise, window))

    def w(self, kg: float, unit: str | None = None) -> str:
        return fmt_weight(kg, unit or self.unit)

    def heaviest(self, exercise: str, window) -> float:
        return max(self.h.load(r) for r in self.rows(exercise, window))

    def reps_at(self, exercise: str, load_kg: float, window=(None, TOMORROW)) -> int:
        return max(r.reps for r in self.rows(exercise, window) if self.h.load(r) + 1e-6 >= load_kg)

    def workouts(self, window):
        start, end = window
        return [w for w in self.h.workouts if (start is None or w[1].date() >= start) and w[1].date() < end]

    def all_rows(self, window):
        start, end = window
        return [r for r in self.h.sets if (start is None or r.at.date() >= start) and r.at.date() < end]

    def weighins(self, window):
        start, end = window
        return [x for x in self.h.weighins if (start is None or x[0].date() >= start) and x[0].date() < end]

    def muscle_sets(self, muscle: str, window, muscles: dict) -> float:
        return sum(muscles.get(r.exercise, {}).get(muscle, 0) for r in self.all_rows(window))

    def last_deload(self) -> date:
        current = (TODAY - START).days // 7
        week = max(k for k in range(current) if deload_week(k))
        return START + timedelta(weeks=week)

    def next_weight(self, exercise: str) -> float:
        sessions: dict = {}
        for r in self.rows(exercise, (TODAY - timedelta(days=180), TOMORROW)):
            sessions.setdefault(r.workout, []).append(progression.SetResult(r.kg, r.reps, r.rpe))
        history = list(sessions.values())[::-1]
        low, high = progression.rep_range_from_sets([s.reps for s in history[0]])
        return progression.next_weight(history, rep_min=low, rep_max=high, unit="kg").weight

    def new_records(self, window) -> list[str]:
        """The named lifts whose best e1RM in the window beat every earlier set, or "No new records"."""
        start, _ = window
        found = []
        for exercise, name in NAMES.items():
            earlier = [r for r in self.h.sets if r.exercise == exercise and r.at.date() < start]
            before = [e1rm(self.h.load(r), r.reps) for r in earlier]
            inside = [e1rm(self.h.load(r), r.reps) for r in self.rows(exercise, window)]
            if before and inside and max(inside) > max(before) + 1e-9:
                found.append(f"{name} {self.w(max(inside))}")
        return found or ["No new records"]

    def rotation_due(self) -> str:
        recent = self.workouts((TODAY - timedelta(days=42), TOMORROW))
        last = {}
        for name, at, _ in recent:
            last[name] = max(last.get(name, at), at)
        return min(last, key=last.get)
