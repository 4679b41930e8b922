"""Volume for hypertrophy: weekly sets per muscle against the landmarks, frequency, energy.

The counting rules (pure functions, no database):

- **Sets per muscle** = working sets × the exercise's fractional contribution to the muscle
  (``Exercise.muscles``: ``{"chest": 1.0, "triceps": 0.5, ...}``). Warm-ups count for nothing;
  working, drop and failure sets count as one set each. Exercises with no muscle map (unknown
  ids) count for no muscle.
- **Weeks** start on the user's ``week_start`` weekday (0 = Monday, 5 = Saturday, 6 = Sunday)
  and are local calendar weeks in the site's time zone (``settings.TIME_ZONE``). A set belongs
  to the week of its ``completed_at``.
- **Frequency**: the sessions (workouts) of a week in which the muscle got at least one
  effective set — its fractional sets *in that session* add up to ≥ 1. Three sets of rows at 0.5
  for the elbow flexors train them (1.5); one set at 0.25 for the forearms does not.
- **Energy per workout** (kcal) = the set-weighted mean MET of the workout's exercises ×
  bodyweight (kg) × duration (h). This is the same as splitting the workout's duration between
  its exercises in proportion to their set counts and summing MET × kg × h over them. Every set
  counts here, warm-ups too: they take time. Duration is ``ended_at − started_at`` (up to now for
  a workout still in progress), capped at four hours so a workout left open overnight does not
  read as a day of lifting. Custom exercises have no MET and take the catalog default (5.0). The
  bodyweight is the latest measured weight; without one, 75 kg, and the page says so.

Reads (selectors) are bounded whatever the history: the landmarks, the sets of the last eight
weeks (index ``set_user_completed``), the workouts started in those weeks (``workout_user_started``),
the catalog rows of the exercises involved, the user's custom exercises among them, and the latest
bodyweight. Sets count only while their workout exists; a set whose workout started more than a
day before the eight weeks is not counted.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from django.utils import timezone

from measurements.selectors import measurement_list
from workouts.models import MUSCLES, Exercise, SetEntry, UserExercise, VolumeLandmark, WeeklyMetrics, Workout
from workouts.progress.volume_example import FractionExample, fraction_example
from workouts.progress.energy import DEFAULT_BODYWEIGHT_KG, WorkoutEnergy, workout_energies
from workouts.progress.verdict import minimum_sets, muscle_verdict
from workouts.progress.weeks import week_of

WARMUP = "warmup"
HISTORY_WEEKS = 8
WORKOUT_LOOKBACK = timedelta(days=1)  # a set in the window may belong to a workout started just before it
EPSILON = 1e-9
MUSCLE_LABELS = dict(MUSCLES)
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Landmark:
    muscle: str
    mv: float
    mev: float
    mav_low: float
    mav_high: float
    mrv: float
    source: str = ""

    @property
    def is_default(self) -> bool:
        return self.source.startswith("default")


def default_landmark(muscle: str) -> Landmark:
    """The default band (MEV 10 – MRV 20) for a muscle with no landmark row."""
    return Landmark(muscle, mv=0, mev=10, mav_low=10, mav_high=20, mrv=20, source="default band (MEV 10 / MRV 20)")


# --- pure functions -------------------------------------------------------------------------


def counts_as_working(set_type: str | None) -> bool:
    """Working, drop and failure sets count; warm-ups do not."""
    return set_type != WARMUP


def sets_per_muscle(sets: Iterable, muscles: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """Fractional sets per muscle of some sets (anything with ``exercise_id`` and ``set_type``)."""
    totals: dict[str, float] = defaultdict(float)
    for s in sets:
        if not counts_as_working(s.set_type):
            continue
        for muscle, share in (muscles.get(s.exercise_id) or {}).items():
            if share and share > 0:
                totals[muscle] += share
    return {muscle: round(value, 2) for muscle, value in totals.items()}


def week_starts(today: date, week_start: int, weeks: int = HISTORY_WEEKS) -> list[date]:
    """The first days of the last ``weeks`` training weeks, oldest first, ending with today's week."""
    current = week_of(today, week_start)
    return [current - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]


def local_week(moment: datetime, week_start: int, tz: tzinfo) -> date:
    return week_of(moment.astimezone(tz).date(), week_start)


def trained_muscles(sets: Iterable, muscles: Mapping[str, Mapping[str, float]]) -> set[str]:
    """The muscles one session's sets trained with at least one effective set."""
    return {muscle for muscle, value in sets_per_muscle(sets, muscles).items() if value >= 1 - EPSILON}


def frequency_per_muscle(sets: Iterable, muscles: Mapping[str, Mapping[str, float]]) -> dict[str, int]:
    """How many sessions (distinct ``workout_id``) trained each muscle with ≥ 1 effective set."""
    by_workout: dict[object, list] = defaultdict(list)
    for s in sets:
        by_workout[s.workout_id].append(s)
    counts: dict[str, int] = defaultdict(int)
    for rows in by_workout.values():
        for muscle in trained_muscles(rows, muscles):
            counts[muscle] += 1
    return dict(counts)


FLAG_TEXT = {
    "over": "over MRV",
    "high": "above MAV",
    "within": "",
    "under": "under MEV",
    "indirect": "below MEV, worked indirectly",
    "untrained": "not trained",
    "light": "lighter week",
    "early": "",
}


def flag_text(verdict: str, *, landmark: Landmark, aggressiveness: str = "moderate") -> str:
    """The volume page's words for a verdict (``workouts.progress.verdict``)."""
    if verdict == "under":
        minimum = minimum_sets(landmark, aggressiveness)
        return "under MEV" if minimum == landmark.mev else f"under your {minimum:g}-set minimum"
    return FLAG_TEXT[verdict]


# --- reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetRow:
    workout_id: uuid.UUID
    exercise_id: str
    set_type: str
    completed_at: datetime


@dataclass
class MuscleVolume:
    muscle: str
    label: str
    landmark: Landmark
    sets: float  # this week
    flag: str  # the verdict (``workouts.progress.verdict.muscle_verdict``) for this week
    sessions: int  # this week
    avg_sessions: float  # per week, over the previous full weeks of the window
    history: list[tuple[date, float]] = field(default_factory=list)  # oldest first, this week last
    trained_before: bool = True  # any sets of this muscle before the window's first week
    aggressiveness: str = "moderate"

    @property
    def flag_text(self) -> str:
        return flag_text(self.flag, landmark=self.landmark, aggressiveness=self.aggressiveness)

    @property
    def history_flags(self) -> list[tuple[date, float, str]]:
        """Each week of the window with its verdict (a finished week: no "early"; this week as ``flag``)."""
        out = []
        for i, (week, value) in enumerate(self.history):
            trained = self.trained_before or any(v > 0 for _, v in self.history[:i])
            verdict = muscle_verdict(
                muscle=self.muscle,
                sets=value,
                band=self.landmark,
                aggressiveness=self.aggressiveness,
                trained_before=trained,
            )
            out.append((week, value, verdict))
        if out:
            out[-1] = (*out[-1][:2], self.flag)
        return out


@dataclass
class VolumeReport:
    week_start_day: int
    weeks: list[date]  # first days, oldest first; the last one is this week
    muscles: list[MuscleVolume]
    energy: list[WorkoutEnergy]  # newest first
    week_kcal: float
    bodyweight_kg: float
    bodyweight_measured: bool
    example: FractionExample | None = None  # how one exercise's set splits between muscles

    @property
    def this_week(self) -> date:
        return self.weeks[-1]

    @property
    def this_week_end(self) -> date:
        return self.weeks[-1] + timedelta(days=6)

    @property
    def week_start_name(self) -> str:
        return WEEKDAYS[self.week_start_day]

    @property
    def scale_max(self) -> float:
        """A common scale for the bars: the largest MRV or week total, with a little room."""
        top = max([m.landmark.mrv for m in self.muscles] + [m.sets for m in self.muscles] + [1.0])
        return top * 1.08

    def muscle(self, slug: str) -> MuscleVolume | None:
        return next((m for m in self.muscles if m.muscle == slug), None)


def landmarks_by_muscle() -> dict[str, Landmark]:
    """Every muscle's landmarks (one query); the default band where a row is missing."""
    rows = {
        row.muscle: Landmark(row.muscle, row.mv, row.mev, row.mav_low, row.mav_high, row.mrv, row.source)
        for row in VolumeLandmark.objects.all()
    }
    return {slug: rows.get(slug) or default_landmark(slug) for slug, _ in MUSCLES}


def exercise_muscles_and_mets(*, user, exercise_ids: set[str]) -> tuple[dict[str, dict], dict[str, float]]:
    """Muscle maps and METs of some exercises: catalog rows, then the user's custom ones (two queries at most)."""
    muscles: dict[str, dict] = {}
    mets: dict[str, float] = {}
    catalog = Exercise.objects.filter(slug__in=exercise_ids).order_by().values_list("slug", "muscles", "met")
    for slug, muscle_map, met in catalog:
        muscles[slug], mets[slug] = muscle_map or {}, met
    custom = []
    for value in exercise_ids - muscles.keys():
        try:
            custom.append(uuid.UUID(value))
        except ValueError:
            continue
    if custom:
        for exercise_id, muscle_map in UserExercise.objects.filter(user=user, exercise_id__in=custom).values_list(
            "exercise_id", "muscles"
        ):
            muscles[str(exercise_id)] = muscle_map or {}
    return muscles, mets


def latest_bodyweight_kg(*, user) -> float | None:
    """The latest measured bodyweight (one query, through the measurements app's selector)."""
    return measurement_list(user=user).exclude(weight_kg=None).values_list("weight_kg", flat=True).first()


def _local_midnight(day: date, tz: tzinfo) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), tz)


def recent_sets(*, user, since: datetime, until: datetime) -> list[SetRow]:
    """The sets completed in [since, until), deleted workouts' included: one index range scan."""
    rows = (
        SetEntry.objects.filter(user=user, completed_at__gte=since, completed_at__lt=until)
        .order_by()
        .values_list("workout_id", "exercise_id", "set_type", "completed_at")
    )
    return [SetRow(*row) for row in rows]


def recent_workouts(*, user, since: datetime, until: datetime) -> list[tuple]:
    """(workout_id, name, started_at, ended_at) of the workouts started in [since, until), newest first: one query."""
    return list(
        Workout.objects.filter(user=user, started_at__gte=since, started_at__lt=until)
        .order_by("-started_at", "-id")
        .values_list("workout_id", "name", "started_at", "ended_at")
    )


def muscles_trained_before(*, user, week: date) -> set[str]:
    """The muscles with any sets in the weeks before ``week`` (one query over the weekly rows)."""
    trained: set[str] = set()
    for sets in WeeklyMetrics.objects.filter(user=user, week_start__lt=week).values_list("sets_per_muscle", flat=True):
        trained.update(muscle for muscle, value in (sets or {}).items() if value > 0)
    return trained


@dataclass(frozen=True)
class _Window:
    """The weeks a report covers, in the site's time zone."""

    tz: tzinfo
    week_start_day: int
    starts: list[date]
    since: datetime
    until: datetime


def _window(*, user, now: datetime, weeks: int) -> _Window:
    tz = timezone.get_current_timezone()
    week_start_day = getattr(user, "week_start", 0) or 0
    starts = week_starts(now.astimezone(tz).date(), week_start_day, weeks)
    return _Window(
        tz=tz,
        week_start_day=week_start_day,
        starts=starts,
        since=_local_midnight(starts[0], tz),
        until=_local_midnight(starts[-1] + timedelta(days=7), tz),
    )


def _muscle_rows(*, user, window: _Window, sets: list[SetRow], muscles: dict, now: datetime) -> list[MuscleVolume]:
    """Every muscle's week: sets, the verdict, sessions, history."""
    landmarks = landmarks_by_muscle()
    by_week: dict[date, list[SetRow]] = defaultdict(list)
    for s in sets:
        by_week[local_week(s.completed_at, window.week_start_day, window.tz)].append(s)
    starts = window.starts
    weekly = {week: sets_per_muscle(by_week.get(week, []), muscles) for week in starts}
    frequency = {week: frequency_per_muscle(by_week.get(week, []), muscles) for week in starts}
    previous, current = starts[:-1], starts[-1]
    trained = muscles_trained_before(user=user, week=starts[0])
    aggressiveness = getattr(user, "coach_aggressiveness", "") or "moderate"
    days_in = (now.astimezone(window.tz).date() - current).days
    rows = []
    for slug, label in MUSCLES:
        history = [(week, weekly[week].get(slug, 0.0)) for week in starts]
        this_week = history[-1][1]
        verdict = muscle_verdict(
            muscle=slug,
            sets=this_week,
            band=landmarks[slug],
            aggressiveness=aggressiveness,
            trained_before=slug in trained or any(value > 0 for _, value in history[:-1]),
            days_into_week=days_in,
        )
        average = sum(frequency[w].get(slug, 0) for w in previous) / len(previous) if previous else 0.0
        rows.append(
            MuscleVolume(
                muscle=slug,
                label=label,
                landmark=landmarks[slug],
                sets=this_week,
                flag=verdict,
                sessions=frequency[current].get(slug, 0),
                avg_sessions=round(average, 1),
                history=history,
                trained_before=slug in trained,
                aggressiveness=aggressiveness,
            )
        )
    return rows


def volume_report(*, user, now: datetime | None = None, weeks: int = HISTORY_WEEKS) -> VolumeReport:
    """This week's sets per muscle against the landmarks, the last ``weeks`` weeks, frequency and
    energy: seven queries at most, however long the history."""
    now = now or timezone.now()
    window = _window(user=user, now=now, weeks=weeks)
    # Sets count only while their workout exists (a deleted workout's set rows may stay). Matching
    # them here, against the workouts started in the window or the day before it, keeps both reads
    # plain index range scans: no join whose plan could grow with the whole history.
    workouts = recent_workouts(user=user, since=window.since - WORKOUT_LOOKBACK, until=window.until)
    visible = {w[0] for w in workouts}
    sets = [s for s in recent_sets(user=user, since=window.since, until=window.until) if s.workout_id in visible]
    workouts = [w for w in workouts if w[2] >= window.since]
    muscles, mets = exercise_muscles_and_mets(user=user, exercise_ids={s.exercise_id for s in sets})
    measured = latest_bodyweight_kg(user=user)
    bodyweight = measured or DEFAULT_BODYWEIGHT_KG
    energy = workout_energies(workouts=workouts, sets=sets, mets=mets, bodyweight=bodyweight, now=now, tz=window.tz)
    this_week_from = _local_midnight(window.starts[-1], window.tz)
    return VolumeReport(
        week_start_day=window.week_start_day,
        weeks=window.starts,
        muscles=_muscle_rows(user=user, window=window, sets=sets, muscles=muscles, now=now),
        energy=energy,
        week_kcal=round(sum(e.kcal or 0 for e in energy if e.started_at >= this_week_from), 0),
        bodyweight_kg=bodyweight,
        bodyweight_measured=measured is not None,
        example=fraction_example(user=user, sets=sets, muscles=muscles),
    )
