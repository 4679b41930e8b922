"""``generate``: the inputs checked, the days laid out with their main and further lifts, sets
added a set at a time (main lifts first, then the muscle furthest below its aim), the plan
assembled. The state of one run is a ``Build`` passed to each step."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from workouts.plans.generator.choices import (
    choose_split,
    day_kinds,
    equipment_preference,
    goal_band,
    rep_ranges,
    rest_seconds,
    usable_exercises,
    validate_goals,
)
from workouts.plans.generator.explain import explain
from workouts.plans.generator.plan import Band, GeneratorError, Inputs, Plan, PlannedDay, PlannedExercise
from workouts.plans.generator.tables import (
    BIG_MUSCLES,
    EPS,
    EXPERIENCE_AIM,
    EXPERIENCE_MAX_SETS,
    EXPERIENCE_WEEKS,
    GOALS,
    PATTERN_MUSCLE,
    SPLITS,
    STAPLES,
    WEEKDAYS,
    WORK_S,
    day_region,
    fits_region,
)
from workouts.progress.verdict import PRIORITY

DEFAULT_LANDMARK = {"mv": 0, "mev": 10, "mav_low": 10, "mav_high": 20, "mrv": 20}
FILL_UP_STEPS = 1000  # a bound on the fill-up loop (it ends long before: each step adds a set or gives up)


@dataclass
class Build:
    """One run of the generator: what the inputs fixed, and the plan so far."""

    split: str
    pool: list[Mapping]
    prefer: Callable[[Mapping], int]
    reps: tuple[tuple[int, int], tuple[int, int]]  # (compound, isolation)
    rests: tuple[int, int]  # (compound, isolation)
    max_sets: int
    budget: int  # seconds a session may last
    bands: dict[str, Band]
    volume: dict[str, float]
    days: list[PlannedDay] = field(default_factory=list)
    week_used: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    stuck: set[str] = field(default_factory=set)
    limits: dict[str, str] = field(default_factory=dict)  # why a muscle stayed below its band


def _checked_weeks(inputs: Inputs) -> int:
    """The weeks of accumulation, after refusing inputs the generator cannot work with."""
    errors = validate_goals(inputs.goals)
    if errors:
        raise GeneratorError(" ".join(errors))
    if not 2 <= inputs.days_per_week <= 6:
        raise GeneratorError("Train two to six days a week.")
    if not 30 <= inputs.session_minutes <= 180:
        raise GeneratorError("Sessions must last 30 to 180 minutes.")
    if inputs.experience not in EXPERIENCE_MAX_SETS:
        raise GeneratorError(f"Unknown experience level: {inputs.experience}.")
    weeks = inputs.weeks or EXPERIENCE_WEEKS[inputs.experience]
    if not 4 <= weeks <= 6:
        raise GeneratorError("A mesocycle lasts four to six weeks before its deload.")
    return weeks


def _bands(
    goals: Mapping[str, int], pool: list[Mapping], landmarks: Mapping[str, Mapping[str, float]], experience: str
) -> dict[str, Band]:
    """Each muscle's band of the goal mix, its cap and the aim inside it."""
    bands: dict[str, Band] = {}
    for m in sorted({m for e in pool for m in e["muscles"]} | set(landmarks)):
        lm = landmarks.get(m) or DEFAULT_LANDMARK
        low, high = goal_band(goals, lm)
        aimed = m in PRIORITY and low > 0
        aim = low + (high - low) * EXPERIENCE_AIM[experience]
        bands[m] = Band(low=low, high=high, cap=high if aimed else max(high, float(lm["mrv"])), aim=round(aim, 2))
    return bands


def _start(inputs: Inputs, goals: dict[str, int], catalog: Iterable[Mapping], landmarks) -> Build:
    split = choose_split(inputs.days_per_week, inputs.split)
    pool = usable_exercises(catalog, tuple(inputs.equipment), inputs.experience)
    if not pool:
        raise GeneratorError("No exercise in the catalog fits that equipment.")
    bands = _bands(goals, pool, landmarks, inputs.experience)
    return Build(
        split=split,
        pool=pool,
        prefer=equipment_preference(goals),
        reps=rep_ranges(goals),
        rests=rest_seconds(goals),
        max_sets=EXPERIENCE_MAX_SETS[inputs.experience],
        budget=inputs.session_minutes * 60,
        bands=bands,
        volume={m: 0.0 for m in bands},
    )


def _planned(build: Build, e: Mapping) -> PlannedExercise:
    """A catalog row as a plan exercise with no sets yet (rep range and rest by its mechanics)."""
    compound = e.get("mechanics") == "compound"
    reps = build.reps[0] if compound else build.reps[1]
    return PlannedExercise(
        exercise_id=e["slug"],
        name=e["name"],
        pattern=e["pattern"],
        mechanics=e.get("mechanics", "isolation"),
        muscles=dict(e["muscles"]),
        sets=0,
        rep_min=reps[0],
        rep_max=reps[1],
        rir=2,
        rest_s=build.rests[0] if compound else build.rests[1],
    )


def _pick(build: Build, pattern: str, taken: set[str], *, compound: bool) -> Mapping | None:
    """The best exercise of a pattern not on the day yet: trains the pattern's muscle, new this
    week, a staple, the preferred equipment, then by slug."""
    options = [
        e
        for e in build.pool
        if e["pattern"] == pattern and e["slug"] not in taken and (not compound or e.get("mechanics") == "compound")
    ]
    if not options:
        return None
    key_muscle = PATTERN_MUSCLE.get(pattern)
    return min(
        options,
        key=lambda e: (
            e["muscles"].get(key_muscle, 0) < 1,
            e["slug"] in build.week_used,
            e["slug"] not in STAPLES,
            build.prefer(e),
            e["slug"],
        ),
    )


def _has_lat_pull(build: Build) -> bool:
    """Whether the equipment allows a lat pulldown or pull-up; if not, say what replaces it.

    An upright row is a "vertical pull" in the catalog but trains the side delts: without a lat
    pulldown or pull-up (barbell and dumbbells), a day that would open with a vertical pull opens
    with a row, the other vertical-pull slots become a row unless the day has one already, and the
    lats get their sets from rows and pullovers in the fill-up."""
    pool = build.pool
    if any(
        e["pattern"] == "vertical_pull" and e.get("mechanics") == "compound" and e["muscles"].get("lats", 0) >= 1
        for e in pool
    ):
        return True
    upright = ", not an upright row" if any(e["pattern"] == "vertical_pull" for e in pool) else ""
    build.notes.append(
        "No lat pulldown or pull-up fits your equipment (a pull-up bar or a cable station would add one): "
        f"a row takes the vertical pull's place and the lats get rows and pullovers{upright}."
    )
    return False


def _lay_out_days(build: Build, days_per_week: int) -> None:
    """The week's days with their main lift and further compound lifts (no sets yet)."""
    lat_pull = _has_lat_pull(build)
    weekdays = WEEKDAYS[days_per_week]
    for index, (name, main, others) in enumerate(day_kinds(build.split, days_per_week)):
        if not lat_pull:
            patterns = [("horizontal_pull" if p == "vertical_pull" else p) for p in (main, *others)]
            main, others = patterns[0], tuple(dict.fromkeys(p for p in patterns[1:] if p != patterns[0]))
        day = PlannedDay(name=name, main_pattern=main, weekday=weekdays[index])
        taken: set[str] = set()
        for position, pattern in enumerate((main, *others)):
            chosen = _pick(build, pattern, taken, compound=True)
            if chosen is None and position == 0:
                what = pattern.replace("_", " ")
                raise GeneratorError(f"No {what} exercise fits that equipment: add equipment or choose another split.")
            if chosen is None:
                continue
            taken.add(chosen["slug"])
            build.week_used.add(chosen["slug"])
            day.exercises.append(_planned(build, chosen))
        build.days.append(day)


def _fits(build: Build, day: PlannedDay, exercise: PlannedExercise) -> bool:
    """Whether one more set of ``exercise`` keeps its per-session limit, the session's length and
    every muscle under its cap."""
    if exercise.sets + 1 > build.max_sets or day.seconds + WORK_S + exercise.rest_s > build.budget:
        return False
    return all(
        build.volume[m] + c <= build.bands[m].cap + EPS for m, c in exercise.muscles.items() if m in build.bands
    )


def _add_set(build: Build, exercise: PlannedExercise) -> None:
    exercise.sets += 1
    for m, c in exercise.muscles.items():
        if m in build.volume:
            build.volume[m] += c


def _main_rounds(build: Build) -> None:
    """Main lifts first, then the other lifts, round-robin over the days: a set at a time."""
    for rounds, positions in ((3, slice(0, 1)), (2, slice(1, None))):
        for _ in range(rounds):
            for day in build.days:
                for exercise in day.exercises[positions]:
                    if _fits(build, day, exercise):
                        _add_set(build, exercise)
    for day in build.days:
        if not day.exercises or day.exercises[0].sets == 0:
            raise GeneratorError(f"{day.name}: the session is too short for its main lift; allow more minutes.")
        day.exercises = [e for e in day.exercises if e.sets > 0]


def _neediest(build: Build) -> str | None:
    """The aimed muscle furthest below its aim (on a split with region days, the big muscles
    first: their fill-ups only go on days of their region, so they claim that time before delts
    and arms, which can go anywhere); None when every one is there or stuck."""
    bands, volume = build.bands, build.volume
    short = [
        (-(bands[m].aim - volume[m]) / max(bands[m].aim, 1), m)
        for m in PRIORITY
        if m in bands and bands[m].low > 0 and m not in build.stuck and volume[m] < bands[m].aim - EPS
    ]
    if not short:
        return None
    big = [pair for pair in short if pair[1] in BIG_MUSCLES] if build.split != "full_body" else []
    return min(big or short)[1]


def _add_to_existing(build: Build, muscle: str) -> bool:
    """A set more of a planned exercise that trains ``muscle`` well, if one fits."""
    existing = [
        (-e.muscles.get(muscle, 0), e.sets, i, j)
        for i, day in enumerate(build.days)
        for j, e in enumerate(day.exercises)
        if e.muscles.get(muscle, 0) >= 0.5 and _fits(build, day, e)
    ]
    if not existing:
        return False
    _, _, i, j = min(existing)
    _add_set(build, build.days[i].exercises[j])
    return True


def _candidates(build: Build, muscle: str) -> list[Mapping]:
    """Exercises that train ``muscle`` well, best first (isolation, new this week, equipment)."""
    return sorted(
        (e for e in build.pool if e["muscles"].get(muscle, 0) >= 0.75),
        key=lambda e: (
            -e["muscles"][muscle],
            e.get("mechanics") != "isolation",
            e["slug"] in build.week_used,
            build.prefer(e),
            e["slug"],
        ),
    )


def _add_new_exercise(build: Build, muscle: str, candidates: list[Mapping]) -> bool:
    """A first set of a new exercise for ``muscle``, on the day of its region with the least of
    it (then the shortest day), if one fits there."""
    days = build.days
    order = sorted(
        range(len(days)),
        key=lambda i: (
            muscle not in (day_region(days[i].name) or {muscle}),
            sum(e.sets * e.muscles.get(muscle, 0) for e in days[i].exercises),
            days[i].seconds,
            i,
        ),
    )
    for i in order:
        here = {e.exercise_id for e in days[i].exercises}
        for candidate in candidates:
            if candidate["slug"] in here:
                continue
            exercise = _planned(build, candidate)
            if fits_region(days[i].name, exercise.muscles, exercise.pattern) and _fits(build, days[i], exercise):
                _add_set(build, exercise)
                days[i].exercises.append(exercise)
                build.week_used.add(candidate["slug"])
                return True
    return False


def _limit(build: Build, muscle: str, candidates: list[Mapping]) -> str:
    """Why ``muscle`` stays below its band: equipment, time, region or band."""
    days, shortest = build.days, WORK_S + min(build.rests)
    if not candidates and not any(e.muscles.get(muscle, 0) >= 0.5 for d in days for e in d.exercises):
        return "equipment"
    if all(d.seconds + shortest > build.budget for d in days if fits_region(d.name, {muscle: 1.0})):
        # Its own days are full; if another day has room, it is kept for its own muscles.
        room_elsewhere = any(
            d.seconds + shortest <= build.budget for d in days if not fits_region(d.name, {muscle: 1.0})
        )
        return "region" if room_elsewhere else "time"
    return "band"


def _fill_up(build: Build) -> None:
    """The muscle furthest below its aim gets a set, until every aimed muscle is there or stuck."""
    for _ in range(FILL_UP_STEPS):
        muscle = _neediest(build)
        if muscle is None:
            return
        if _add_to_existing(build, muscle):
            continue
        candidates = _candidates(build, muscle)
        if not _add_new_exercise(build, muscle, candidates):
            build.stuck.add(muscle)
            build.limits[muscle] = _limit(build, muscle, candidates)


def _plan(build: Build, inputs: Inputs, goals: dict[str, int], weeks: int) -> Plan:
    bands, volume = build.bands, build.volume
    aimed = [
        m
        for m in PRIORITY
        if m in bands and bands[m].low > 0 and bands[m].low - EPS <= volume[m] <= bands[m].high + EPS
    ]
    by_weight = ", ".join(GOALS[g] for g in sorted(goals, key=lambda g: -goals[g]))
    plan = Plan(
        name=f"{SPLITS[build.split]} {inputs.days_per_week}× — {by_weight}",
        split=build.split,
        days=build.days,
        weeks=weeks,
        deload_every=weeks + 1,
        bands=bands,
        weekly_sets={m: round(v, 2) for m, v in volume.items() if v > 0},
        aimed=aimed,
        below=[m for m in PRIORITY if m in bands and bands[m].low > 0 and m not in aimed],
        rep_ranges=build.reps,
        rir_by_week=[max(0, 3 - round(3 * k / max(weeks - 1, 1))) for k in range(weeks)],
        rationale=[],
        limits=build.limits,
        notes=build.notes,
    )
    plan.rationale = explain(plan, inputs, goals)
    return plan


def generate(inputs: Inputs, *, catalog: Iterable[Mapping], landmarks: Mapping[str, Mapping[str, float]]) -> Plan:
    """Build the plan. ``catalog``: exercises as dicts (slug, name, equipment, mechanics,
    pattern, set_kind, muscles); ``landmarks``: {muscle: {mv, mev, mav_low, mav_high, mrv}}."""
    weeks = _checked_weeks(inputs)
    goals = dict(sorted(inputs.goals.items()))
    build = _start(inputs, goals, catalog, landmarks)
    _lay_out_days(build, inputs.days_per_week)
    _main_rounds(build)
    _fill_up(build)
    return _plan(build, inputs, goals, weeks)
