"""One muscle verdict: the chat, the home insights and the weekly report judge the same week alike."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from coaching.insights import home_verdicts
from coaching.reports import report_content
from coaching.rules import RuleCoach
from coaching.rules.volume import volume_answer
from coaching.tests.helpers import Lift, builder
from workouts.progress.metrics import weeks_for

pytestmark = pytest.mark.django_db

# A Sunday evening: the end of a Monday-start training week (pinned, not today).
NOW = datetime(2026, 10, 25, 20, 0, tzinfo=timezone.utc)


def _lifter(aggressiveness: str):
    b = builder(f"verdicts-{aggressiveness}", coach_aggressiveness=aggressiveness, coach_tone="neutral")
    week = weeks_for(0, "").of(NOW)
    for k in range(4, -1, -1):  # four earlier weeks and this one
        monday = weeks_for(0, "").start(week) - timedelta(weeks=k)
        # Chest far over its MRV, quads within, back under, biceps a little, calves only earlier.
        bench, squat = Lift("barbell-bench-press", 80, 8, sets=14), Lift("barbell-back-squat", 100, 5, sets=5)
        b.session(monday + timedelta(hours=17), [bench, squat])
        b.session(monday + timedelta(days=2, hours=17), [bench, Lift("barbell-row", 70, 8, sets=2)])
        b.session(monday + timedelta(days=4, hours=17), [Lift("barbell-curl", 30, 10, sets=2), squat])
        if k:
            b.session(monday + timedelta(days=5, hours=10), [Lift("standing-calf-raise", 60, 12, sets=4)])
    return b.save(), week


@pytest.mark.parametrize("aggressiveness", ["conservative", "standard", "aggressive"])
def test_chat_home_and_report_give_the_same_verdicts(aggressiveness):
    user, week = _lifter(aggressiveness)
    coach = RuleCoach(user=user, now=NOW)
    volume_answer(coach, "which muscles am i under-training this week")
    chat = {muscle: verdict for muscle, (verdict, _) in coach.verdicts.items()}
    home = {muscle: verdict for muscle, (verdict, *_) in home_verdicts(user, now=NOW, deload=False).items()}
    report = {m["muscle"]: m["verdict"] for m in report_content(user=user, week=week, now=NOW)["muscles"]}
    assert chat == home == report
    # The week is varied enough for the comparison to mean something.
    assert {"over", "under"} <= set(chat.values()) and len(set(chat.values())) >= 3
