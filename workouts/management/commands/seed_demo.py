"""``python manage.py seed_demo``: a demo account with years of realistic training history.

Everything is written through the one write path (``events.services.events_ingest``)
from a registered device, in batches of 500 with sequential sequence numbers, so the
projections are exactly what a real client syncing that history would produce.

The history is deterministic: the same ``--seed`` gives the same lifts, reps, ids and
notes; ``--end-date`` (default: today) only slides it in time. The lifter trains about
four times a week on a push / pull / legs / upper rotation, with warm-ups, working sets,
slow progressive overload through six-week blocks that end in a deload, RPE on some
sets, the odd week at a gym with pound plates, a weekly weigh-in (with neck, waist and
height now and then), notes, and a few corrected or deleted sets.
"""

from __future__ import annotations

import math
import random
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone as dj_timezone

BATCH = 500
KG_PER_LB = 0.45359237
def demo_email(username: str) -> str:
    """``demo@example.com`` for the default user; each other seeded user gets its own address
    (allauth keeps verified addresses unique)."""
    return f"{username}@example.com"


# --- the lifts -------------------------------------------------------------------------


@dataclass(frozen=True)
class Lift:
    slug: str
    start: float  # estimated one-rep max (kg) at the start of the history
    cap: float  # what it tends towards after years of training
    step: float  # smallest load jump in kg (plates, dumbbell pairs, machine stack)
    reps: tuple[int, int]  # rep range of working sets
    kind: str = "barbell"  # barbell, dumbbell, machine, cable, bodyweight
    rest_s: int = 120
    minimum: float = 0.0  # lightest load (the empty bar)


L = Lift
LIFTS = {
    lift.slug: lift
    for lift in [
        # push
        L("barbell-bench-press", 72, 132, 2.5, (5, 8), rest_s=180, minimum=20),
        L("barbell-overhead-press", 46, 82, 2.5, (5, 8), rest_s=150, minimum=20),
        L("incline-dumbbell-press", 26, 46, 2, (8, 12), "dumbbell", 120, 4),
        L("barbell-incline-bench-press", 60, 110, 2.5, (6, 10), rest_s=150, minimum=20),
        L("dumbbell-shoulder-press", 22, 40, 2, (8, 12), "dumbbell", 120, 4),
        L("dumbbell-lateral-raise", 10, 18, 1, (12, 20), "dumbbell", 60, 2),
        L("cable-lateral-raise", 8, 16, 1.25, (12, 20), "cable", 60, 2.5),
        L("cable-triceps-pushdown", 35, 65, 2.5, (10, 15), "cable", 75, 5),
        L("dumbbell-overhead-triceps-extension", 22, 40, 2, (10, 15), "dumbbell", 75, 4),
        L("ez-bar-skull-crusher", 35, 60, 2.5, (8, 12), rest_s=90, minimum=10),
        L("pec-deck", 55, 100, 5, (10, 15), "machine", 75, 10),
        L("dip", 95, 135, 2.5, (6, 12), "bodyweight", 120),
        # pull
        L("conventional-deadlift", 115, 215, 5, (3, 6), rest_s=210, minimum=60),
        L("barbell-row", 62, 115, 2.5, (6, 10), rest_s=150, minimum=20),
        L("pull-up", 92, 128, 2.5, (5, 10), "bodyweight", 150),
        L("lat-pulldown", 62, 105, 2.5, (8, 12), "cable", 105, 20),
        L("seated-cable-row", 65, 110, 2.5, (8, 12), "cable", 105, 20),
        L("cable-face-pull", 25, 45, 2.5, (12, 20), "cable", 60, 5),
        L("barbell-curl", 40, 68, 2.5, (8, 12), rest_s=90, minimum=20),
        L("ez-bar-curl", 38, 62, 2.5, (8, 12), rest_s=90, minimum=10),
        L("dumbbell-hammer-curl", 18, 32, 2, (8, 12), "dumbbell", 75, 4),
        L("dumbbell-rear-delt-fly", 10, 18, 1, (12, 20), "dumbbell", 60, 2),
        # legs
        L("barbell-back-squat", 95, 180, 2.5, (5, 8), rest_s=210, minimum=20),
        L("romanian-deadlift", 90, 160, 5, (6, 10), rest_s=150, minimum=40),
        L("leg-press", 180, 340, 10, (8, 12), "machine", 150, 40),
        L("leg-extension", 60, 110, 5, (10, 15), "machine", 90, 10),
        L("lying-leg-curl", 45, 80, 5, (10, 15), "machine", 90, 10),
        L("standing-calf-raise", 90, 160, 5, (10, 15), "machine", 75, 20),
        L("hip-thrust", 110, 200, 5, (8, 12), rest_s=120, minimum=40),
        L("dumbbell-walking-lunge", 24, 40, 2, (10, 12), "dumbbell", 120, 4),
    ]
}


@dataclass(frozen=True)
class Day:
    name: str
    main: str  # the heavy first lift (gets a warm-up ramp)
    fixed: tuple[str, ...]  # always there
    pool: tuple[str, ...]  # accessories, picked per six-week block


ROTATION = [
    Day("Push", "barbell-bench-press", ("barbell-overhead-press", "incline-dumbbell-press"),
        ("dumbbell-lateral-raise", "cable-triceps-pushdown", "pec-deck", "dumbbell-overhead-triceps-extension", "dip", "cable-lateral-raise")),
    Day("Pull", "conventional-deadlift", ("pull-up", "barbell-row"),
        ("lat-pulldown", "seated-cable-row", "cable-face-pull", "barbell-curl", "dumbbell-hammer-curl", "dumbbell-rear-delt-fly")),
    Day("Legs", "barbell-back-squat", ("romanian-deadlift", "leg-press"),
        ("leg-extension", "lying-leg-curl", "standing-calf-raise", "hip-thrust", "dumbbell-walking-lunge")),
    Day("Upper", "barbell-incline-bench-press", ("lat-pulldown", "dumbbell-shoulder-press"),
        ("seated-cable-row", "ez-bar-curl", "ez-bar-skull-crusher", "dumbbell-lateral-raise", "cable-face-pull", "dumbbell-hammer-curl")),
]

BLOCK_WEEKS = 6  # five training weeks then a deload
BLOCK_RPE = [7.0, 7.5, 8.0, 8.5, 9.0]
DELOAD_RPE = 6.0
TRAINING_DAYS = (0, 1, 3, 4)  # Mon, Tue, Thu, Fri; sometimes a Saturday too
BODYWEIGHT_START = 78.0

NOTES = [
    "Felt strong today.",
    "Slept badly, kept it honest.",
    "Left shoulder a bit cranky on presses - went lighter.",
    "Gym was packed, supersetted the accessories.",
    "New belt, squats felt solid.",
    "Grip gave out on the last deadlift set.",
    "Short on time, cut the last exercise.",
    "Great pump. Music was loud.",
    "Knee ok after warming up longer.",
    "PR attempt next week.",
    "Deload week, moving well.",
    "Hotel gym, plates in pounds.",
]


# --- the generator ---------------------------------------------------------------------


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _round_to(value: float, step: float) -> float:
    return round(math.floor(value / step + 1e-9) * step, 2)


def _clean(number: float) -> float | int:
    return int(number) if float(number).is_integer() else round(number, 2)


def e1rm_at(lift: Lift, week: float) -> float:
    """Slow progress with diminishing returns: halfway from start to cap after ~2 years."""
    return lift.cap - (lift.cap - lift.start) * math.exp(-week / 150)


def load_for(e1rm: float, reps: int, rpe: float) -> float:
    """The load that leaves ``10 - rpe`` reps in reserve for ``reps`` reps (Epley)."""
    return e1rm / (1 + (reps + (10 - rpe)) / 30)


@dataclass
class Raw:
    at: datetime
    order: int
    event_type: str
    payload: dict


class History:
    """Builds the whole history as a time-ordered list of (occurred_at, type, payload)."""

    def __init__(self, *, weeks: int, end: date, seed: int) -> None:
        self.rng = random.Random(seed)
        self.weeks = weeks
        self.end = end
        self.raw: list[Raw] = []
        self.workouts = 0
        self.sets = 0  # visible sets
        self.measurements = 0
        # The Monday `weeks` weeks before the week that holds `end`.
        self.first_monday = end - timedelta(days=end.weekday()) - timedelta(weeks=weeks - 1)
        self.bodyweight = BODYWEIGHT_START

    def add(self, at: datetime, event_type: str, payload: dict) -> None:
        self.raw.append(Raw(at, len(self.raw), event_type, payload))

    def build(self) -> list[Raw]:
        rng = self.rng
        rotation_index = 0
        holiday_weeks = {w for w in range(2, self.weeks - 1) if rng.random() < 0.03}
        accessories: dict[tuple[int, str], list[str]] = {}
        for week in range(self.weeks):
            monday = self.first_monday + timedelta(weeks=week)
            block, week_in_block = divmod(week, BLOCK_WEEKS)
            deload = week_in_block == BLOCK_WEEKS - 1
            pounds = rng.random() < 0.05  # a week away, at a gym with pound plates
            self.weigh_in(monday, week, pounds)
            if week in holiday_weeks:
                continue
            days = list(TRAINING_DAYS) + ([5] if rng.random() < 0.2 else [])
            for weekday in days:
                day_date = monday + timedelta(days=weekday)
                skipped = rng.random() < 0.03
                if skipped or day_date >= self.end:
                    continue
                day = ROTATION[rotation_index % len(ROTATION)]
                rotation_index += 1
                key = (block, day.name)
                if key not in accessories:
                    size = rng.choice((5, 6, 6, 7))
                    accessories[key] = rng.sample(day.pool, size - 1 - len(day.fixed))
                self.session(day, accessories[key], day_date, weekday, week, week_in_block, deload, pounds)
        self.raw.sort(key=lambda r: (r.at, r.order))
        return self.raw

    # -- one training session --------------------------------------------------------

    def session(self, day: Day, picked: list[str], day_date: date, weekday: int, week: int,
                week_in_block: int, deload: bool, pounds: bool) -> None:
        rng = self.rng
        if weekday >= 5:
            minute = 10 * 60 + rng.randint(-30, 60)
        else:
            minute = 17 * 60 + 30 + rng.randint(-90, 90)
        start = datetime(day_date.year, day_date.month, day_date.day, tzinfo=timezone.utc) + timedelta(minutes=minute, seconds=rng.randint(0, 59))
        workout_id = _uuid(rng)
        name = f"{day.name} (deload)" if deload else day.name
        self.add(start, "WorkoutStarted", {"workout_id": workout_id, "started_at": _iso(start), "name": name})
        self.workouts += 1
        exercises = [day.main, *day.fixed, *picked]
        if len(exercises) > 5 and rng.random() < 0.08:
            exercises.pop()  # short on time
        rpe_target = DELOAD_RPE if deload else BLOCK_RPE[week_in_block]
        t = start + timedelta(minutes=rng.randint(4, 9))  # changing, a warm-up on the bike
        for position, slug in enumerate(exercises):
            t = self.exercise(LIFTS[slug], workout_id, t, week, rpe_target, deload, pounds, main=position == 0,
                              secondary=0 < position <= len(day.fixed))
            t += timedelta(seconds=rng.randint(90, 240))  # set up the next station
        if rng.random() < 0.12:
            note = "Hotel gym, plates in pounds." if pounds else rng.choice(NOTES[:-1])
            self.add(t, "WorkoutNoted", {"workout_id": workout_id, "notes": note})
        end = t + timedelta(minutes=rng.randint(2, 8))
        self.add(end, "WorkoutEnded", {"workout_id": workout_id, "ended_at": _iso(end)})

    def exercise(self, lift: Lift, workout_id: str, t: datetime, week: int, rpe_target: float,
                 deload: bool, pounds: bool, *, main: bool, secondary: bool) -> datetime:
        rng = self.rng
        lo, hi = lift.reps
        # Undulating: odd blocks in the lower half of the rep range, even ones in the upper.
        block = week // BLOCK_WEEKS
        target = rng.randint(lo, (lo + hi) // 2) if block % 2 else rng.randint((lo + hi) // 2, hi)
        e1rm = e1rm_at(lift, week) * (1 + rng.gauss(0, 0.015))
        if deload:
            working_sets = 2
        elif main:
            working_sets = 4
        else:
            working_sets = rng.choice((3, 4, 4) if secondary else (3, 3, 4, 4))
        record_rpe = (main or secondary) and rng.random() < 0.45

        if lift.kind == "bodyweight":
            bw = self.bodyweight
            total = load_for(e1rm, target, rpe_target)
            if total < bw:  # not strong enough for the target with no added weight: fewer reps
                target = max(3, min(target, int(30 * (e1rm / bw - 1) - (10 - rpe_target))))
                weight = 0.0
            else:
                weight = _round_to(total - bw, lift.step)
        else:
            weight = max(lift.minimum, _round_to(load_for(e1rm, target, rpe_target), lift.step))
            if deload:
                weight = max(lift.minimum, _round_to(weight * 0.85, lift.step))

        sets: list[tuple[int, float, str, float | None, str]] = []  # reps, kg, set_type, rpe
        if main and not deload:
            for fraction, reps in ((0.0, 10), (0.5, 5), (0.7, 3), (0.85, 1)):
                load = lift.minimum if fraction == 0.0 else _round_to(weight * fraction, lift.step)
                if fraction and load <= lift.minimum + lift.step:
                    continue
                if load >= weight:
                    break
                sets.append((reps, load, "warmup", None))
        elif (secondary or main) and lift.kind != "bodyweight" and weight >= 2 * max(lift.minimum, 10) and rng.random() < 0.5:
            sets.append((8, _round_to(weight * 0.6, lift.step), "warmup", None))
        for index in range(working_sets):
            reps = target - (1 if index >= 2 and rng.random() < 0.35 else 0)
            rpe = min(10.0, rpe_target + 0.5 * index) if record_rpe else None
            sets.append((max(1, reps), weight, "working", rpe))
        if not (main or secondary) and not deload:
            roll = rng.random()
            if roll < 0.12:
                sets.append((max(6, target), _round_to(weight * 0.7, lift.step), "drop", None))
            elif roll < 0.22:
                last = sets[-1]
                sets[-1] = (last[0] + rng.randint(1, 3), last[1], "failure", 10.0 if last[3] else None)

        for reps, kg, set_type, rpe in sets:
            t += timedelta(seconds=(rng.randint(50, 90) if set_type == "warmup" else lift.rest_s + rng.randint(-20, 40)))
            self.log_set(lift, workout_id, t, reps, kg, set_type, rpe, pounds)
        return t

    def log_set(self, lift: Lift, workout_id: str, t: datetime, reps: int, kg: float, set_type: str,
                rpe: float | None, pounds: bool) -> None:
        rng = self.rng
        if pounds:
            weight, unit = round(kg / KG_PER_LB / 5) * 5, "lb"
        else:
            weight, unit = kg, "kg"
        set_id = _uuid(rng)
        payload = {
            "set_id": set_id,
            "workout_id": workout_id,
            "exercise_id": lift.slug,
            "reps": reps,
            "weight": _clean(weight),
            "unit": unit,
            "set_type": set_type,
            "completed_at": _iso(t),
        }
        if rpe is not None:
            payload["rpe"] = rpe
        self.add(t, "SetCompleted", payload)
        self.sets += 1
        roll = rng.random()
        if roll < 0.012:  # a typo fixed a few seconds later
            fix = rng.choice(("reps", "weight", "rpe"))
            change = {"reps": max(1, reps + rng.choice((-1, 1)))} if fix == "reps" else (
                {"weight": _clean(weight + (5 if pounds else lift.step))} if fix == "weight" else {"rpe": 8.5})
            self.add(t + timedelta(seconds=rng.randint(10, 60)), "SetUpdated", {"set_id": set_id, **change})
        elif roll < 0.017:  # logged twice by a double tap, the copy deleted
            copy_id = _uuid(rng)
            copy_at = t + timedelta(seconds=rng.randint(1, 4))
            self.add(copy_at, "SetCompleted", {**payload, "set_id": copy_id, "completed_at": _iso(copy_at)})
            self.add(copy_at + timedelta(seconds=rng.randint(5, 40)), "SetDeleted", {"set_id": copy_id})

    # -- the weekly weigh-in ----------------------------------------------------------

    def weigh_in(self, monday: date, week: int, pounds: bool) -> None:
        rng = self.rng
        at = datetime(monday.year, monday.month, monday.day, 7, 0, tzinfo=timezone.utc) + timedelta(minutes=rng.randint(0, 40))
        # Slow lean gain with yearly bulk/cut waves and day-to-day water noise.
        self.bodyweight = BODYWEIGHT_START + 0.017 * week + 2.2 * math.sin(2 * math.pi * week / 52) + rng.gauss(0, 0.35)
        if at.date() >= self.end:
            return
        kg = round(self.bodyweight, 1)
        payload: dict = {"measurement_id": _uuid(rng), "measured_at": _iso(at)}
        if pounds:
            payload.update(weight=round(kg / KG_PER_LB, 1), unit="lb")
        else:
            payload.update(weight=kg, unit="kg")
        if week == 0 or week % 52 == 0:
            payload.update(height_cm=180.0, sex="male")
        if week % 4 == 0:
            waist = 81.0 + 0.85 * (self.bodyweight - BODYWEIGHT_START) - 0.004 * week + rng.gauss(0, 0.4)
            payload.update(neck_cm=round(38.5 + 0.004 * week + rng.gauss(0, 0.2), 1), waist_cm=round(waist, 1))
        self.add(at, "MeasurementRecorded", payload)
        self.measurements += 1


# --- the command -----------------------------------------------------------------------


class Command(BaseCommand):
    help = "Create a demo account with years of realistic training history, written through the ingest."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="demo-lifter")
        parser.add_argument("--weeks", type=int, default=260, help="Weeks of history (default 260: five years).")
        parser.add_argument("--reset", action="store_true", help="Delete the demo user and its history first.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same seed, same history).")
        parser.add_argument("--end-date", type=date.fromisoformat, default=None,
                            help="History ends the day before this date (YYYY-MM-DD; default today).")

    def handle(self, *args, username: str, password: str, weeks: int, reset: bool, seed: int, end_date, **options):
        if weeks < 1 or weeks > 2000:
            raise CommandError("--weeks must be between 1 and 2000.")
        User = get_user_model()
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            if not reset:
                self.stdout.write(f"The demo user {username!r} already exists; use --reset to recreate it.")
                return
            self.delete_user(existing)
            self.stdout.write(f"Deleted the demo user {username!r} and its history.")

        started = time.perf_counter()
        if isinstance(end_date, str):  # call_command() passes options through unparsed
            end_date = date.fromisoformat(end_date)
        end = end_date or dj_timezone.now().date()
        history = History(weeks=weeks, end=end, seed=seed)
        raw = history.build()
        user, device = self.create_user(username, password, history, raw)
        total = self.ingest(device, history, raw)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Seeded {username!r} (password {password!r}): {history.workouts:,} workouts, {history.sets:,} sets, "
            f"{history.measurements:,} measurements, {total:,} events in {elapsed:.1f}s."
        )

    def create_user(self, username: str, password: str, history: History, raw: list[Raw]):
        from django.apps import apps

        from events.services import device_register

        User = get_user_model()
        joined = (raw[0].at if raw else dj_timezone.now()) - timedelta(days=1)
        email = demo_email(username)
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email, password=password)
            User.objects.filter(pk=user.pk).update(date_joined=joined)
            if apps.is_installed("allauth.account"):
                from allauth.account.models import EmailAddress

                EmailAddress.objects.update_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )
            registration = device_register(user=user, device_id=uuid.UUID(_uuid(history.rng)), name="Demo phone")
        return user, registration.device

    def ingest(self, device, history: History, raw: list[Raw]) -> int:
        from events.services import IncomingEvent, events_ingest

        rng = history.rng
        incoming = [
            IncomingEvent(
                event_id=uuid.UUID(_uuid(rng)),
                event_type=r.event_type,
                sequence_number=sequence,
                occurred_at=r.at,
                correlation_id=None,
                payload=r.payload,
            )
            for sequence, r in enumerate(raw, start=1)
        ]
        for start in range(0, len(incoming), BATCH):
            batch = incoming[start : start + BATCH]
            result = events_ingest(device_id=device.pk, events=batch, user=device.user)
            if result.rejections:
                first = result.rejections[0]
                raise CommandError(
                    f"The ingest rejected {result.rejected_count} demo events, e.g. {first.event.event_type} "
                    f"#{first.event.sequence_number}: {first.code}: {first.message}"
                )
            if result.accepted_count + result.duplicate_count != len(batch):
                raise CommandError("The ingest did not store every demo event.")
        return len(incoming)

    def delete_user(self, user) -> None:
        """The account-deletion service, as "Delete my account" runs it: every row goes."""
        from hypertrophy.accounts.services import account_delete

        account_delete(user=user)
