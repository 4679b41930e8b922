"""The question bank: questions typed the way lifters type them (lowercase, typos, plurals,
abbreviations, time ranges), each with the facts a right answer quotes, computed at test time
from the seeded history's own rows (``coaching.tests.history``), not from the coach's selectors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from coaching.tests.facts import NAMES, TODAY, TOMORROW, Facts
from coaching.tests.history import load_in_week
from hypertrophy.formatting import fmt_number

MONDAY = TODAY - timedelta(days=TODAY.weekday())


def _month(back: int) -> date:
    m = TODAY.year * 12 + TODAY.month - 1 - back
    return date(m // 12, m % 12 + 1, 1)


# phrase → (first day, day after the last); None: from the first log
WINDOWS: dict[str, tuple[date | None, date]] = {
    "since january": (date(TODAY.year, 1, 1), TOMORROW),
    "this year": (date(TODAY.year, 1, 1), TOMORROW),
    "last month": (_month(1), _month(0)),
    "this month": (_month(0), TOMORROW),
    "in march": (date(TODAY.year, 3, 1), date(TODAY.year, 4, 1)),
    "in the last 3 months": (date(TODAY.year, TODAY.month - 3, TODAY.day), TOMORROW),
    "ever": (None, TOMORROW),
    "last week": (MONDAY - timedelta(days=7), MONDAY),
    "this week": (MONDAY, TOMORROW),
    "in 2025": (date(2025, 1, 1), date(2026, 1, 1)),
    "last winter": (date(TODAY.year - 1, 12, 1), date(TODAY.year, 3, 1)),
    "in the last 6 weeks": (TOMORROW - timedelta(weeks=6), TOMORROW),
    "since march": (date(TODAY.year, 3, 1), TOMORROW),
    "last 30 days": (TOMORROW - timedelta(days=30), TOMORROW),
}
TREND = (TOMORROW - timedelta(days=56), TOMORROW)  # a lift's progress without a window


def dates_said(window: tuple[date | None, date]) -> list[str]:
    """The window's first and last day as an answer writes them ("1 Jan", "17 Jun 2026")."""
    start, end = window
    last = end - timedelta(days=1)
    out = [f"{last.day} {last:%b %Y}"]
    if start is not None:
        out.append(f"{start.day} {start:%b}")
    return out


@dataclass
class Q:
    text: str
    kind: str
    expect: Callable[[Facts], list[str]]
    forbid: list[str] = field(default_factory=list)
    llm: bool = True  # asked of the LLM coach too (out-of-scope questions need no tool)


# How lifters say each lift: abbreviations, plurals, typos.
SAID = [
    ("bench", "barbell-bench-press"),
    ("benhc", "barbell-bench-press"),
    ("bench press", "barbell-bench-press"),
    ("bp", "barbell-bench-press"),
    ("ohp", "barbell-overhead-press"),
    ("overhaed press", "barbell-overhead-press"),
    ("military press", "barbell-overhead-press"),
    ("squat", "barbell-back-squat"),
    ("squats", "barbell-back-squat"),
    ("sqaut", "barbell-back-squat"),
    ("back squat", "barbell-back-squat"),
    ("deads", "conventional-deadlift"),
    ("deadlift", "conventional-deadlift"),
    ("deadlfit", "conventional-deadlift"),
    ("rdl", "romanian-deadlift"),
    ("rdls", "romanian-deadlift"),
    ("rows", "barbell-row"),
    ("bb row", "barbell-row"),
    ("curls", "barbell-curl"),
    ("pullups", "pull-up"),
    ("pull-ups", "pull-up"),
    ("dips", "dip"),
    ("presses", "barbell-bench-press"),
    ("leg press", "leg-press"),
]
E1RM_TEMPLATES = [
    "how is my {lift} going {w}",
    "{lift} e1rm {w}",
    "whats my {lift} 1rm {w}",
    "{lift} progress {w}",
    "has my {lift} improved {w}",
]
WINDOW_CYCLE = [
    "since january", "last month", "in march", "in the last 3 months", "ever", "this year", "in 2025",
    "last winter", "in the last 6 weeks", "since march", "this month",
]


def _e1rm_q(text: str, exercise: str, window, unit: str = "kg") -> Q:
    def expect(f: Facts) -> list[str]:
        return [NAMES[exercise], f.w(f.best(exercise, window), unit), *dates_said(window)]

    return Q(text, "e1rm", expect, forbid=["Lying Leg Curl"] if exercise == "barbell-curl" else [])


def bank() -> list[Q]:
    qs: list[Q] = []
    for i, (said, exercise) in enumerate(SAID):  # e1RM over windows: 48
        for j in (0, 5):
            phrase = WINDOW_CYCLE[(i + j) % len(WINDOW_CYCLE)]
            template = E1RM_TEMPLATES[(i + j) % len(E1RM_TEMPLATES)]
            qs.append(_e1rm_q(template.format(lift=said, w=phrase), exercise, WINDOWS[phrase]))
    for said, exercise in SAID[::3]:  # no window: the last 8 weeks
        qs.append(_e1rm_q(f"how are my {said} doing", exercise, TREND))
    qs += _more_phrasings()
    qs += _heaviest_and_sets()
    qs += _units_and_comparisons()
    qs += _totals()
    qs += _muscles_records_body()
    qs += _advice_and_scope()
    return qs


def _more_phrasings() -> list[Q]:
    """Phrasings found by asking the coach questions it had not seen."""
    since_summer = (date(TODAY.year - 1, 6, 1), TOMORROW)
    last_week = WINDOWS["last week"]
    this_week = WINDOWS["this week"]
    return [
        _e1rm_q("did my deadlift go up since last summer", "conventional-deadlift", since_summer),
        _e1rm_q("whats my best curl", "barbell-curl", WINDOWS["ever"]),
        Q("how heavy did i squat last week", "heaviest", lambda f: [
            NAMES["barbell-back-squat"], f.w(f.heaviest("barbell-back-squat", last_week)), *dates_said(last_week)]),
        Q("how many sets of bench last week", "lift_sets", lambda f: [
            f"{len(f.rows('barbell-bench-press', last_week))} working sets", *dates_said(last_week)]),
        Q("total reps this week", "volume", lambda f: [
            f"{fmt_number(sum(r.reps for r in f.all_rows(this_week)))} reps", *dates_said(this_week)]),
    ]


def _heaviest_and_sets() -> list[Q]:
    qs = []
    for text, exercise, phrase in [
        ("heaviest deadlift ever", "conventional-deadlift", "ever"),
        ("whats the most weight ive done on bench this year", "barbell-bench-press", "this year"),
        ("max weight on squats in 2025", "barbell-back-squat", "in 2025"),
        ("heaviest ohp last month", "barbell-overhead-press", "last month"),
        ("heaviest pull up ever", "pull-up", "ever"),
        ("top weight for rdls since march", "romanian-deadlift", "since march"),
        ("heaviest dips this year", "dip", "this year"),
        ("what's my heaviest bb row in march", "barbell-row", "in march"),
        ("heaviest leg press last winter", "leg-press", "last winter"),
        ("most weight i've deadlifted in the last 3 months", "conventional-deadlift", "in the last 3 months"),
    ]:
        window = WINDOWS[phrase]
        qs.append(Q(text, "heaviest", lambda f, e=exercise, w=window: [
            NAMES[e], f.w(f.heaviest(e, w)), *dates_said(w)]))
    for text, exercise, phrase in [
        ("best set of bench ever", "barbell-bench-press", "ever"),
        ("top set on squat this year", "barbell-back-squat", "this year"),
        ("best set deads last month", "conventional-deadlift", "last month"),
        ("best set on ohp in march", "barbell-overhead-press", "in march"),
        ("whats my best set of pullups", "pull-up", "ever"),
        ("top set of curls in 2025", "barbell-curl", "in 2025"),
        ("best set rdl since january", "romanian-deadlift", "since january"),
        ("best set on dips last winter", "dip", "last winter"),
    ]:
        window = WINDOWS[phrase]
        qs.append(Q(text, "best_set", lambda f, e=exercise, w=window: [NAMES[e], f.w(f.best(e, w)), *dates_said(w)]))
    for text, exercise, week in [
        ("how many reps can i do at {} kg on bench", "barbell-bench-press", 80),
        ("how many reps at {}kg squat", "barbell-back-squat", 90),
        ("max reps with {} kg ohp", "barbell-overhead-press", 70),
        ("how many reps of deadlift at {} kg", "conventional-deadlift", 100),
        ("how many reps at {} kg on leg press", "leg-press", 50),
        ("how many reps can i row at {} kg", "barbell-row", 60),
    ]:
        load = load_in_week(exercise, week)  # a load the history holds
        qs.append(Q(text.format(fmt_number(load)), "reps_at", lambda f, e=exercise, x=load: [
            NAMES[e], f" is {f.reps_at(e, x)} ("]))
    return qs


def _units_and_comparisons() -> list[Q]:
    qs = []
    for text, exercise, phrase in [
        ("bench 1rm this year in pounds", "barbell-bench-press", "this year"),
        ("squat e1rm in lbs since january", "barbell-back-squat", "since january"),
        ("deadlift ever in pounds", "conventional-deadlift", "ever"),
        ("dips e1rm this year in pounds", "dip", "this year"),
        ("ohp progress last month in lb", "barbell-overhead-press", "last month"),
        ("rdl 1rm in 2025 in pounds", "romanian-deadlift", "in 2025"),
    ]:
        qs.append(_e1rm_q(text, exercise, WINDOWS[phrase], unit="lb"))
    for text, a, b in [
        ("bench vs squat", "barbell-bench-press", "barbell-back-squat"),
        ("is my ohp or my bench stronger", "barbell-overhead-press", "barbell-bench-press"),
        ("compare deads and squats", "conventional-deadlift", "barbell-back-squat"),
        ("squat versus deadlift", "barbell-back-squat", "conventional-deadlift"),
        ("rdl vs deadlift", "romanian-deadlift", "conventional-deadlift"),
        ("pullups vs dips", "pull-up", "dip"),
        ("bench compared to ohp", "barbell-bench-press", "barbell-overhead-press"),
        ("rows vs bench", "barbell-row", "barbell-bench-press"),
    ]:
        window = WINDOWS["ever"]
        qs.append(Q(text, "compare", lambda f, a=a, b=b, w=window: [
            NAMES[a], NAMES[b], f.w(f.best(a, w)), f.w(f.best(b, w))]))
    now_window = (TOMORROW - timedelta(days=28), TOMORROW)
    year_ago = (now_window[0].replace(year=now_window[0].year - 1), now_window[1].replace(year=now_window[1].year - 1))
    for text, exercise in [
        ("bench compared with a year ago", "barbell-bench-press"),
        ("how does my squat compare to a year ago", "barbell-back-squat"),
        ("ohp now vs a year ago", "barbell-overhead-press"),
        ("deadlift compared with 1 year ago", "conventional-deadlift"),
        ("is my rdl better than a year ago", "romanian-deadlift"),
        ("pullups compared with a year ago", "pull-up"),
    ]:
        qs.append(Q(text, "then", lambda f, e=exercise: [
            NAMES[e], f.w(f.best(e, now_window)), f.w(f.best(e, year_ago)), *dates_said(year_ago)]))
    return qs


def _totals() -> list[Q]:
    qs = []
    for text, phrase in [
        ("how many workouts this month", "this month"),
        ("how many workouts last week", "last week"),
        ("how many sessions did i do this week", "this week"),
        ("number of workouts last month", "last month"),
        ("how many workouts this year", "this year"),
        ("how many sessions in march", "in march"),
        ("how many workouts since january", "since january"),
        ("how many sessions in 2025", "in 2025"),
        ("how many times did i train last winter", "last winter"),
        ("workouts did i do in the last 6 weeks", "in the last 6 weeks"),
    ]:
        w = WINDOWS[phrase]
        qs.append(Q(text, "sessions", lambda f, w=w: [f"{len(f.workouts(w))} session", *dates_said(w)]))
    for text, phrase in [
        ("total volume last month", "last month"),
        ("how much weight did i lift this week", "this week"),
        ("tonnage this year", "this year"),
        ("volume last week", "last week"),
        ("total volume in march", "in march"),
        ("how much did i lift in 2025", "in 2025"),
        ("kg lifted since january", "since january"),
        ("volume in the last 6 weeks", "in the last 6 weeks"),
    ]:
        w = WINDOWS[phrase]
        qs.append(Q(text, "volume", lambda f, w=w: [
            fmt_number(round(sum((r.kg or 0) * r.reps for r in f.all_rows(w)))) + " kg", *dates_said(w)]))
    for text, phrase in [
        ("how long did i train this week", "this week"),
        ("how much time did i spend training last month", "last month"),
        ("hours in the gym this year", "this year"),
        ("how long were my workouts last week", "last week"),
        ("training duration in march", "in march"),
        ("how much time in the gym since january", "since january"),
    ]:
        w = WINDOWS[phrase]
        qs.append(Q(text, "duration", lambda f, w=w: [
            f"{fmt_number(sum(int((e - s).total_seconds()) // 60 for _, s, e in f.workouts(w)))} minute",
            *dates_said(w)]))
    for text, phrase in [
        ("how often do i train this year", "this year"),
        ("how many times a week do i train in 2025", "in 2025"),
        ("training frequency last month", "last month"),
        ("how often did i work out in the last 3 months", "in the last 3 months"),
        ("how often did i train since march", "since march"),
    ]:
        w = WINDOWS[phrase]
        qs.append(Q(text, "frequency", lambda f, w=w: [
            fmt_number(len(f.workouts(w)) / max((w[1] - w[0]).days / 7, 1)) + " a week", *dates_said(w)]))
    return qs


def _muscles_records_body() -> list[Q]:
    qs = []
    for text, muscle, label, phrase in [
        ("how many sets for chest last week", "chest", "Chest", "last week"),
        ("sets per week for back last month", "lats", "Lats", "last month"),
        ("how many sets on quads this month", "quads", "Quads", "this month"),
        ("how many sets for biceps this week", "elbow-flexors", "Biceps", "this week"),
        ("how many sets of triceps in march", "triceps", "Triceps", "in march"),
        ("how many sets for hamstrings last week", "hamstrings", "Hamstrings", "last week"),
        ("how many sets for shoulders this week", "side-delts", "Side delts", "this week"),
        ("sets for calves in 2025", "calves", "Calves", "in 2025"),
    ]:
        w = WINDOWS[phrase]
        qs.append(Q(text, "muscle_sets", lambda f, m=muscle, w=w, label=label: [
            label, fmt_number(round(f.muscle_sets(m, w, f.muscles), 2)) + " set", *dates_said(w)]))
    for text in ["what muscles am i neglecting", "anything i've been neglecting?", "which muscles have i been skipping",
                 "am i neglecting calves"]:
        qs.append(Q(text, "neglect", lambda f: ["Calves", "weeks ago"] + ([] if "calves" in f.asked else ["Abs"])))
    for text in ["what are my prs", "all time records", "my personal records", "show me my records"]:
        qs.append(Q(text, "records", lambda f: [
            f"{NAMES[e]} {f.w(f.best(e, WINDOWS['ever']))}" for e in (
                "barbell-bench-press", "barbell-back-squat", "conventional-deadlift", "pull-up")]))
    for text, phrase in [("any prs this week", "this week"), ("new records this month", "this month"),
                         ("did i set any records last month", "last month")]:
        w = WINDOWS[phrase]
        qs.append(Q(text, "records", lambda f, w=w: f.new_records(w)))
    for text, phrase in [
        ("how's my bodyweight since january", "since january"),
        ("my weight last month", "last month"),
        ("did i gain weight this year", "this year"),
        ("bodyweight in 2025", "in 2025"),
        ("body weight in the last 3 months", "in the last 3 months"),
        ("how much do i weigh lately", "last 30 days"),
    ]:
        w = WINDOWS[phrase]
        qs.append(Q(text, "bodyweight", lambda f, w=w: [
            f.w(f.weighins(w)[0][1]), f.w(f.weighins(w)[-1][1]), *dates_said(w)]))
    for text, phrase in [("body fat this year", "this year"), ("bf% since january", "since january"),
                         ("how has my body fat changed in 2025", "in 2025"), ("body fat last month", "last month")]:
        w = WINDOWS[phrase]
        qs.append(Q(text, "body_fat", lambda f, w=w: [
            f"{fmt_number(f.weighins(w)[0][2])}%", f"{fmt_number(f.weighins(w)[-1][2])}%", *dates_said(w)]))
    for text, phrase in [("lean mass in the last 3 months", "in the last 3 months"),
                         ("lean body mass this year", "this year"), ("lbm in 2025", "in 2025")]:
        w = WINDOWS[phrase]
        qs.append(Q(text, "lean_mass", lambda f, w=w: [
            f.w(round(kg * (1 - fat / 100), 2)) for _, kg, fat in (f.weighins(w)[0], f.weighins(w)[-1])]))
    return qs


def _advice_and_scope() -> list[Q]:
    qs = []
    for text in ["should i deload", "do i need a deload", "when was my last deload", "am i overreaching",
                 "should i take a deload week soon"]:
        qs.append(Q(text, "deload", lambda f: [
            f"week of {f.last_deload().day} {f.last_deload():%b %Y}"], forbid=["this is a deload week"]))
    for text, exercise in [
        ("what weight should i use on bench next time", "barbell-bench-press"),
        ("how heavy should i go on squat next session", "barbell-back-squat"),
        ("what should i lift on deadlift next time", "conventional-deadlift"),
        ("ohp weight for next workout", "barbell-overhead-press"),
        ("how much should i row next time", "barbell-row"),
    ]:
        qs.append(Q(text, "next_target", lambda f, e=exercise: [NAMES[e], f"{fmt_number(f.next_weight(e))} kg"]))
    for text in ["what should i train today", "what should i do today", "what workout is next"]:
        qs.append(Q(text, "program_day", lambda f: [f.rotation_due()]))
    for text in [
        "how many calories should i eat", "how much protein do i need", "how did i sleep last week",
        "what should i eat before training", "am i drinking enough water", "how many steps did i do today",
        "what's my resting heart rate", "should i take creatine",
    ]:
        qs.append(Q(text, "out_of_scope", lambda f: ["I don't track that"], llm=False))
    return qs
