"""The rule-based coach: answers common questions from the lifter's own numbers, deterministically.

It needs no configuration and is always available, so it is the default, the fallback when the
LLM fails, and the answer when the LLM quota or rate limit is spent. A question is matched to a
topic by keywords; each topic reads a few projections (coaching.data) and says what it found,
numbers included. Wording and thresholds follow the lifter's persona.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from coaching import data
from coaching.insights import AIMED, in_deload_week
from coaching.persona import Persona, persona_of
from workouts.progress.volume import MUSCLE_LABELS

CAPABILITIES = (
    "I can answer from your own logs: how an exercise is progressing (e.g. “How is my bench press progressing?”), "
    "which muscles are under- or over-trained this week, whether you should deload, how your bodyweight and body fat "
    "changed, your personal records, your goals, your recent workouts and your current program. "
    "Tell me things to keep in mind with “remember: …”."
)
# A question with no exercise in it is about the one asked about before only if it refers back
# (“is it still going up?”); “hello” or “am I eating enough?” is not about the last lift.
FOLLOW_UP = r"\b(it|its|it's|that|this one|that one|them|still|same|and now|now)\b"
# "How is my bench?" from a lifter with an empty log: say why there is no answer yet.
PROGRESS_WORDS = r"\b(progress\w*|going|improv\w*|stronger|weaker|e?1rm|stall\w*|how (is|are) my)\b"
STREAK_WEEKS = 52  # how far back the deload answer counts weeks of training
INJURY_WORDS = ("hurt", "pain", "injur", "sore", "strain", "tweak", "ache")
# What lifters call a muscle group, and the muscles (volume landmarks) it means: "am I doing
# enough for back?" is about lats and upper back, not the back squat.
MUSCLE_GROUPS: dict[str, tuple[str, ...]] = {
    "back": ("lats", "traps-rhomboids"),
    "upper back": ("traps-rhomboids", "rear-delts"),
    "lats": ("lats",),
    "traps": ("traps-rhomboids",),
    "chest": ("chest",),
    "pecs": ("chest",),
    "shoulders": ("front-delts", "side-delts", "rear-delts"),
    "delts": ("front-delts", "side-delts", "rear-delts"),
    "arms": ("elbow-flexors", "triceps"),
    "biceps": ("elbow-flexors",),
    "triceps": ("triceps",),
    "legs": ("quads", "hamstrings", "glutes", "calves"),
    "quads": ("quads",),
    "hamstrings": ("hamstrings",),
    "glutes": ("glutes",),
    "calves": ("calves",),
    "abs": ("abs",),
    "core": ("abs",),
}
_GROUP = (
    r"\b(?:" + "|".join(re.escape(g) for g in sorted(MUSCLE_GROUPS, key=len, reverse=True)) + r")\b"
    # ... and not the start of an exercise's name ("back squats", "chest press", "triceps pushdown").
    r"(?!\s*(?:squats?|extensions?|raises?|press|rows?|curls?|fl(?:y|ies)|pulldowns?|dips?|thrusts?|pushdowns?))"
)
# Topics in order of precedence, each a regular expression over the lower-cased question.
TOPICS: tuple[tuple[str, str], ...] = (
    ("deload", r"\bdeload|\bfatigue|\btired|\brest week|\brecover|\bburn(ed|t)? ?out|\boverreach"),
    # "I have a sore shoulder" is news about the lifter, not a question about shoulder presses.
    ("injury", r"\b(hurts?|hurting|pain(ful)?|injur\w*|sore|strain(ed)?|tweak(ed)?|aches?|aching)\b"),
    (
        "body",
        r"\bbody ?-?fat|\bmy weight\b|\bbody ?weight|\blean mass|\bmeasurement|\bwaist|\bfat loss"
        r"|\b(lose|gain|losing|gaining) weight",
    ),
    (
        "volume",
        r"\bunder-? ?train|\bover-? ?train|\bmuscles?\b|\bvolume\b|\bsets per\b|\blandmark|\bneglect"
        rf"|\b(enough|too much|too little|more|less)\b.*{_GROUP}|{_GROUP}.*\b(enough|too much|too little)\b"
        rf"|\bhow many sets\b.*{_GROUP}|\b(train|trained|training|hit|work|worked)\b.*{_GROUP}",
    ),
    ("records", r"\brecords?\b|\bprs?\b|\bpersonal best|\bstrongest\b|\bheaviest\b"),
    ("goals", r"\bgoals?\b|\btarget\b"),
    ("program", r"\bprogram|\broutine\b|\btoday'?s workout|\bwhat should i (do|train) today|\bmy plan\b"),
    (
        "workouts",
        r"\blast workout|\brecent workouts?|\bthis week\b|\blast week\b|\bhow many\b|\bsessions?\b|\bworkouts\b"
        r"|\bhow did i do\b|\bhow much (did|have) i (train|lift)",
    ),
)


@dataclass(frozen=True)
class Answer:
    text: str
    topic: str


def topic_of(question: str) -> str:
    q = question.lower()
    for topic, pattern in TOPICS:
        if re.search(pattern, q):
            return topic
    return "exercise"


def _unit_value(value: float | None, unit: str) -> str:
    return f"{data.num(value)} {unit}" if value is not None else "—"


def _load(value: float | None, unit: str) -> str:
    """A total load (volume, tonnage) whole, with a thousands separator: ``72,131 lb`` (as the
    workout pages show it), not ``72130.8 lb``."""
    return f"{round(value or 0):,} {unit}"


def _movement(delta: float, unit: str) -> str:
    """``down 1.5 points``, ``up 2 kg``, ``unchanged``."""
    if not delta:
        return "unchanged"
    return f"{'down' if delta < 0 else 'up'} {data.num(abs(delta))} {unit}"


def _target(exercise: dict) -> str:
    """``3×8–10``: a planned exercise's sets and rep range."""
    return f"{exercise.get('sets')}×{exercise.get('rep_min')}–{exercise.get('rep_max')}"


def _sets(count: float) -> str:
    """``1 set``, ``0.5 sets``, ``3 sets``."""
    return f"{data.num(count)} set{'' if count == 1 else 's'}"


def _day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {d:%b}"


class RuleCoach:
    """Deterministic answers. ``facts``: what the lifter asked the coach to remember;
    ``history``: their earlier questions, oldest first (a follow-up such as “is it still going
    up?” is about the exercise they asked about last)."""

    name = "rules"

    def __init__(
        self, *, user, facts: list[str] | None = None, history: list[str] | None = None, now: datetime | None = None
    ):
        self.user = user
        self.facts = facts or []
        self.history = history or []
        self.now = now or timezone.now()
        self.persona: Persona = persona_of(user)
        self.deloading = False  # the program's deload week (known once a volume question asks)

    # --- entry point -------------------------------------------------------------------------

    def answer(self, question: str) -> Answer:
        topic = topic_of(question)
        text = None
        if topic == "exercise":
            found, unlogged = data.find_asked_exercise(user=self.user, text=question)
            follow_up = found is None and unlogged is None and re.search(FOLLOW_UP, question.lower())
            for earlier in reversed(self.history[-3:] if follow_up else []):
                found = data.find_exercise(user=self.user, text=earlier)
                if found:
                    break
            text = self._exercise(*found) if found else None
            if unlogged:  # "is my front squat improving?" from a back-squatter: not the back squat's numbers
                text = (
                    f"You haven't logged any {unlogged[1]} yet. Log a few sessions of it and ask again: "
                    "I'll quote your estimated 1RM week by week."
                )
            elif text is None and re.search(PROGRESS_WORDS, question.lower()) and not data.known_exercises(
                user=self.user
            ):
                text = (
                    "You haven't logged any sets yet, so there is no lift to show a trend for. "
                    "Log a few sessions and ask again: I'll quote your estimated 1RM week by week."
                )
        else:
            by_question = {"volume": self._volume, "body": self._body}  # these read the question's words too
            text = by_question[topic](question) if topic in by_question else getattr(self, f"_{topic}")()
        if text is None:
            return Answer(
                self._with_facts(f"I can't answer that one from your data. {CAPABILITIES}", question), "unknown"
            )
        # "Nice work keeping track! Sorry to hear that…": no cheering around someone's pain.
        wrapped = text if topic == "injury" else self.persona.wrap(text)
        return Answer(self._with_facts(wrapped, question), topic)

    def _with_facts(self, text: str, question: str) -> str:
        """Mention what the lifter told the coach when it bears on the answer: an injury always
        (every suggestion should respect it), anything else sharing a word with the question."""
        words = set(question.lower().split())

        def injury(fact: str) -> bool:
            return any(w in fact.lower() for w in INJURY_WORDS)

        relevant = [f for f in self.facts if injury(f) or words & {w for w in f.lower().split() if len(w) > 3}][:3]
        if not relevant:
            return text
        quoted = "; ".join(f"“{f}”" for f in relevant)
        # The advice about pain only when a fact is about pain (not after "I want to bench 100 kg").
        careful = ""
        if any(map(injury, relevant)):
            careful = " Work around the pain, and stop any exercise that makes it worse."
        return f"{text}\n\nYou told me: {quoted}.{careful}"

    # --- topics --------------------------------------------------------------------------------

    def _exercise(self, exercise_id: str, name: str) -> str | None:
        p = data.exercise_progress(user=self.user, exercise_id=exercise_id, name=name, now=self.now)
        unit = p["unit"]
        if not p["weekly_best_e1rm"] and not p["best_e1rm_all_time"]:
            return f"You haven't logged any working sets of {name} yet."
        parts = []
        change = p.get("change")
        if change:
            delta = change["delta"]
            direction = "up" if delta > 0 else "down" if delta < 0 else "flat"
            amount = f" {data.num(abs(delta))} {unit}" if delta else ""
            pct = f" ({data.num(abs(change['percent']))}%)" if change["percent"] and delta else ""
            parts.append(
                f"{name}: your best estimated 1RM went from {_unit_value(change['from_e1rm'], unit)} "
                f"(week of {_day(change['from_week'])}) to {_unit_value(change['to_e1rm'], unit)} "
                f"(week of {_day(change['to_week'])}), {direction}{amount}{pct}."
            )
            if delta > 0:
                parts.append(
                    "That's steady progress: keep adding weight or reps when you hit the top of your rep range."
                )
            elif delta < 0:
                parts.append(
                    "It has slipped: check your sleep and recovery, and consider a lighter week if it keeps dropping."
                )
            else:
                parts.append("It has stalled: try a new rep range or add a set.")
        elif p["weekly_best_e1rm"]:
            only = p["weekly_best_e1rm"][-1]
            parts.append(
                f"{name}: only one week of data in the last 8 weeks (week of {_day(only['week_of'])}, "
                f"best e1RM {_unit_value(only['e1rm'], unit)}); "
                "log a few more sessions to see a trend."
            )
        else:
            parts.append(f"{name}: not trained in the last 8 weeks.")
        parts.append(
            f"All-time best e1RM {_unit_value(p['best_e1rm_all_time'], unit)}, "
            f"heaviest weight {_unit_value(p['heaviest_weight_all_time'], unit)}."
        )
        last = p["last_session"]
        if last["date"] and last["sets"]:
            sets = ", ".join(f"{data.num(s['weight'])}×{s['reps']}" for s in last["sets"])
            parts.append(f"Last session ({_day(last['date'])}): {sets} {unit}.")
        return " ".join(parts)

    def _volume(self, question: str = "") -> str | None:
        v = data.muscle_volume(user=self.user, now=self.now)
        if not v["muscles"]:
            return (
                "You haven't logged any working sets in the last four weeks, so every muscle is under its minimum. "
                "Start with 2–3 full-body sessions this week."
            )
        week = f"This week (from {_day(v['week_of'])})"
        lead = ""
        if not any(m["sets"] for m in v["muscles"]):
            # The week has just begun: last week's numbers say more than a list of zeros.
            lead = f"No working sets yet this week (it started {_day(v['week_of'])}). "
            v = data.muscle_volume(user=self.user, weeks_ago=1, now=self.now)
            week = f"Last week (from {_day(v['week_of'])})"
        # In the program's deload week low numbers are the plan, not sets to add (as on the home page).
        self.deloading = not lead and in_deload_week(self.user)
        named = re.search(_GROUP, question.lower())
        if named:
            return lead + self._group_volume(named.group(0), v["muscles"], week)
        return lead + self._all_volume(v["muscles"], week)

    def _verdict(self, m: dict) -> tuple[str, float]:
        """"over", "fine", "under" (a muscle with a minimum to reach, below it), "indirect" (below a
        minimum nobody trains for directly: forearms, spinal erectors), or "idle" (no sets and no
        minimum: nothing to say), and the persona's minimum."""
        minimum = self.persona.minimum_sets(mv=m["mv"], mev=m["mev"], mav_low=m["mav_low"])
        if m["sets"] > m["mrv"] + 1e-9:
            return "over", minimum
        if not m["sets"] and not minimum:
            return "idle", minimum
        if m["sets"] + 1e-9 >= minimum:
            return "fine", minimum
        return ("under" if m["muscle"] in AIMED else "indirect"), minimum

    def _group_volume(self, group: str, muscles: list[dict], week: str) -> str:
        """One muscle group ("back": lats and traps / rhomboids), each muscle against its landmarks."""
        rows = {m["muscle"]: m for m in muscles}
        lines = []
        for slug in MUSCLE_GROUPS[group]:
            label = MUSCLE_LABELS.get(slug, slug)
            m = rows.get(slug)
            if m is None:
                lines.append(f"{label}: no working sets in the last four weeks")
                continue
            verdict, minimum = self._verdict(m)
            if verdict == "over":
                lines.append(f"{label} {_sets(m['sets'])}, over its MRV of {data.num(m['mrv'])}: cut back")
            elif verdict == "under":
                fix = "fine in a deload week" if self.deloading else f"add about {self.persona.set_step} sets"
                lines.append(f"{label} {_sets(m['sets'])}, under your {data.num(minimum)}-set minimum: {fix}")
            elif verdict == "fine":
                lines.append(
                    f"{label} {_sets(m['sets'])}, on track (minimum {data.num(minimum)}, MRV {data.num(m['mrv'])})"
                )
            elif verdict == "idle":
                lines.append(f"{label} 0 sets (no minimum to reach)")
            else:
                lines.append(f"{label} {_sets(m['sets'])} (worked by your compound lifts, no minimum to reach)")
        title = f"{group[0].upper()}{group[1:]}"
        if len(lines) == 1 and lines[0].startswith(title):  # "Chest, this week: 19 sets", not "…: Chest 19 sets"
            lines = [lines[0][len(title) :].lstrip(": ")]
        return f"{title}, {week[0].lower()}{week[1:]}: " + "; ".join(lines) + "."

    def _all_volume(self, muscles: list[dict], week: str) -> str:
        under, over, fine, indirect = [], [], [], []
        for m in muscles:
            verdict, minimum = self._verdict(m)
            if verdict == "over":
                over.append(m)
            elif verdict == "fine":
                fine.append(m)
            elif verdict == "under":
                under.append((m, minimum))
            elif verdict == "indirect":
                indirect.append(m)
        parts = [f"{week}:"]
        if under:
            listed = "; ".join(
                f"{m['label']} {_sets(m['sets'])}, under your {data.num(minimum)}-set minimum"
                for m, minimum in under
            )
            parts.append(f"Under-trained: {listed}.")
            if self.deloading:
                parts.append("It's your program's deload week: fewer sets are the plan. Back to full sets next week.")
            else:
                parts.append(f"Add about {self.persona.set_step} sets per week to each until they reach the minimum.")
        else:
            parts.append("No muscle you train is under its minimum.")
        if over:
            parts.append(
                "Over the maximum you can recover from: "
                + "; ".join(f"{m['label']} {data.num(m['sets'])} sets (MRV {data.num(m['mrv'])})" for m in over)
                + ". Cut back there."
            )
        if fine:
            parts.append("On track: " + ", ".join(f"{m['label']} {data.num(m['sets'])}" for m in fine) + ".")
        if indirect:
            parts.append(
                "Worked by your compound lifts (no minimum to reach): "
                + ", ".join(f"{m['label']} {data.num(m['sets'])}" for m in indirect)
                + "."
            )
        return " ".join(parts)

    def deload_signals(self) -> dict:
        """Why a deload may be due: weeks trained in a row, muscles over MRV, main lifts going
        backwards. Shared with the weekly report."""
        # A year of weeks (one query): twelve capped the count at 12 for a lifter training for years.
        summary = data.weekly_summary(user=self.user, weeks=STREAK_WEEKS)
        this_week = data.this_week_start(self.user, self.now)
        streak, lighter = data.hard_streak(rows=summary["weeks"], this_week=this_week)
        over = [
            m
            for m in data.muscle_volume(user=self.user, weeks_ago=1, now=self.now)["muscles"]
            if m["sets"] > m["mrv"] + 1e-9
        ]
        slipping = []
        top = data.top_exercises(user=self.user, since=self.now - timedelta(weeks=4))
        names = data.exercise_display_names(user=self.user, exercise_ids=set(top))
        for exercise_id in top:
            p = data.exercise_progress(
                user=self.user, exercise_id=exercise_id, name=names.get(exercise_id, exercise_id), weeks=4, now=self.now
            )
            change = p.get("change")
            if change and change["delta"] < 0:
                slipping.append((p["exercise"], change, p["unit"]))
        return {
            "streak": streak,
            "lighter": lighter,
            "trained": any(r["sessions"] for r in summary["weeks"]),
            "over": over,
            "slipping": slipping,
        }

    def _deload(self) -> str | None:
        s = self.deload_signals()
        due_after = self.persona.deload_after_weeks
        reasons = []
        program = data.current_program(user=self.user)
        if program and program.get("deload"):
            # Already deloading: this week's lighter numbers are the plan, not a drop in strength.
            reason = program.get("deload_reason")
            return (
                f"You're in a deload week: your program {program.get('program')} has one this week"
                f"{' (' + reason + ')' if reason else ''}. Keep the sets halved and the loads about 10 % lighter; "
                "lower numbers this week are the plan, not lost strength. Back to full training next week."
            )
        if not s["trained"]:
            return "No deload needed: you haven't trained in the last year, so there is nothing to recover from."
        since = f" since your lighter week of {_day(s['lighter'].isoformat())}" if s["lighter"] else ""
        in_a_row = f"{s['streak']} week{'s' if s['streak'] != 1 else ''} in a row"
        if s["streak"] >= STREAK_WEEKS:
            in_a_row = f"at least {STREAK_WEEKS} weeks in a row"
        if s["streak"] >= due_after:
            reasons.append(f"you've trained {in_a_row}{since} (a deload is due after about {due_after})")
        for m in s["over"]:
            reasons.append(
                f"{m['label']} was at {data.num(m['sets'])} sets last week, over its MRV of {data.num(m['mrv'])}"
            )
        for name, change, unit in s["slipping"]:
            reasons.append(
                f"{name} went down from {_unit_value(change['from_e1rm'], unit)} "
                f"to {_unit_value(change['to_e1rm'], unit)} e1RM"
            )
        if reasons:
            return (
                "Yes, plan a deload week: "
                + "; ".join(reasons)
                + ". For a week, halve the sets and take about 10 % off the loads (as the Plan's deload weeks do)."
            )
        return (
            f"No deload needed yet: {in_a_row} of training{since} "
            f"(you'd deload after about {due_after}), no muscle over its MRV last week "
            "and your main lifts aren't going backwards."
        )

    def _injury(self) -> str:
        return (
            "Sorry to hear that. I'm a training coach, not a physio: for pain that is sharp, lasts or gets "
            "worse, see a professional. If you want me to keep it in mind, tell me with “remember: …” "
            "(for example “remember: my left shoulder hurts on presses”) and I'll bring it up whenever it "
            "matters; meanwhile train around it and stop any exercise that makes it worse."
        )

    def _body(self, question: str = "") -> str | None:
        t = data.measurement_trend(user=self.user, days=30, now=self.now)
        unit = t["unit"]
        if not t["measurements"]:
            return (
                "You haven't recorded any measurements yet. "
                "Log your weight (and neck/waist for a body fat estimate) on the Body page."
            )
        fat = t["body_fat_change"]
        if fat:
            fat_text = (
                f"Body fat over the last 30 days: {data.num(fat['from'])}% ({_day(fat['from_date'])}) "
                f"to {data.num(fat['to'])}% ({_day(fat['to_date'])}), "
                f"{_movement(fat['delta'], 'points')}."
            )
        else:
            latest = next((p for p in reversed(t["measurements"]) if p["body_fat_pct"] is not None), None)
            fat_text = (
                f"Only one body fat value lately: {data.num(latest['body_fat_pct'])}% on {_day(latest['date'])}."
                if latest
                else "No body fat values in the last 30 days: "
                "add neck and waist (and hip) to a measurement for an estimate."
            )
        w = t["weight_change"]
        weighed = [p for p in t["measurements"] if p["weight"] is not None]
        weight_text = ""
        if w:
            weight_text = (
                f"Bodyweight: {_unit_value(w['from'], unit)} ({_day(w['from_date'])}) to "
                f"{_unit_value(w['to'], unit)} ({_day(w['to_date'])}), {_movement(w['delta'], unit)}."
            )
        elif weighed:
            last = weighed[-1]
            weight_text = f"Only one bodyweight lately: {_unit_value(last['weight'], unit)} on {_day(last['date'])}."
        q = question.lower()
        if "weight" in q and "fat" not in q:  # a bodyweight question: its answer first
            return " ".join(p for p in (weight_text or "No bodyweight in the last 30 days.", fat_text) if p)
        return " ".join(p for p in (fat_text, weight_text) if p)

    def _records(self) -> str | None:
        r = data.personal_records(user=self.user)
        if not r["records"]:
            return "No records yet: log some working sets and I'll track your bests."
        unit = r["unit"]
        lines = [
            f"{x['exercise']}: heaviest {_unit_value(x['heaviest_weight'], unit)} × {x['reps_at_heaviest']}, "
            f"best e1RM {_unit_value(x['best_e1rm'], unit)}"
            if x["heaviest_weight"]
            else f"{x['exercise']}: most reps {x['most_reps']} (bodyweight)"
            for x in r["records"][:5]
        ]
        return "Your all-time bests: " + "; ".join(lines) + "."

    def _workouts(self) -> str | None:
        w = data.recent_workouts(user=self.user, limit=5)
        summary = data.weekly_summary(user=self.user, weeks=1)["weeks"]
        this_week = data.this_week_start(self.user, self.now).isoformat()
        current = next((r for r in summary if r["week_of"] == this_week), None)
        parts = []
        if current:
            parts.append(
                f"This week: {current['sessions']} session{'s' if current['sessions'] != 1 else ''}, "
                f"{current['sets']} sets, {_load(current['tonnage'], w['unit'])} lifted."
            )
        else:
            parts.append("No sessions yet this week.")
        if w["workouts"]:
            parts.append(
                "Recent workouts: "
                + "; ".join(
                    f"{x['name']} on {_day(x['date'])} ({x['sets']} sets, {_load(x['volume'], w['unit'])})"
                    for x in w["workouts"]
                )
                + "."
            )
        return " ".join(parts)

    def _goals(self) -> str | None:
        g = data.goals(user=self.user, now=self.now)["goals"]
        if not g:
            return (
                "You have no goals yet. "
                "Set one on the Progress page (an e1RM, a bodyweight, a body fat or sessions per week)."
            )
        parts = []
        for x in g:
            if x["achieved"]:
                parts.append(
                    f"{x['title']}: reached {x['target']}"
                    + (f" on {_day(x['achieved_on'])}" if x["achieved_on"] else "")
                )
            else:
                due = f", due {_day(x['due'])}" if x["due"] else ""
                parts.append(f"{x['title']}: {x['current']} of {x['target']} ({x['percent']}%{due})")
        return "Your goals: " + "; ".join(parts) + "."

    def _program(self) -> str | None:
        p = data.current_program(user=self.user)
        if not p:
            return "You have no active program. Pick or build one on the Plan page and I'll follow along."
        text = (
            f"You're in week {p.get('week')} of {p.get('weeks')} of {p.get('program')}"
            if p.get("week")
            else f"Your program is {p.get('program')}"
        )
        if p.get("deload"):
            text += f", a deload week{': ' + p['deload_reason'] if p.get('deload_reason') else ''}."
        else:
            text += "."
        today = p.get("today")
        if today:
            exercises = "; ".join(f"{e.get('name')} {e.get('text') or _target(e)}" for e in today.get("exercises", []))
            text += f" Today: {today.get('name')}: {exercises}."
        else:
            text += " No workout is planned for today."
        return text
