"""The coach's own state: what it was asked and answered, what the lifter asked it to remember,
and the weekly reports.

These rows are the coach's output and its notebook, not training data: nothing here is read by a
projection, so they are plain models (the workout log stays in the event store). Every row belongs
to one user (``on_delete=CASCADE``: deleting an account deletes them).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models


class CoachMessage(models.Model):
    """One question and the answer given, kept as the coach's memory of the conversation."""

    PROVIDERS = [("rules", "Rule-based"), ("llm", "LLM")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.TextField()
    answer = models.TextField()
    provider = models.CharField(max_length=8, choices=PROVIDERS, default="rules", help_text="Who wrote the answer.")
    used_llm = models.BooleanField(default=False, help_text="The LLM was asked (counts against the monthly quota).")
    note = models.CharField(max_length=200, blank=True, help_text="Why the rule-based coach answered instead.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="coachmessage_user_time")]

    def __str__(self) -> str:
        return self.question[:60]


class CoachFact(models.Model):
    """Something the lifter told the coach to keep in mind (an injury, a goal)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="coachfact_user_time")]

    def __str__(self) -> str:
        return self.text[:60]


class WeeklyReport(models.Model):
    """One report per user and finished training week (``week_start``: its first day, per the
    user's week start). Regenerating overwrites it (upsert on the unique pair)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    metrics = models.JSONField(default=dict)
    muscles = models.JSONField(default=list, help_text="[{muscle, label, sets, mev, mrv, flag}]")
    records = models.JSONField(default=list, help_text="[{exercise, weight_kg, reps}] heaviest-ever sets of the week")
    milestones = models.JSONField(default=list)
    narrative = models.TextField(blank=True)
    suggestions = models.JSONField(default=list)
    provider = models.CharField(max_length=8, choices=CoachMessage.PROVIDERS, default="rules")
    generated_at = models.DateTimeField(auto_now=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week_start"], name="weeklyreport_unique")]
        indexes = [models.Index(fields=["user", "-week_start"], name="weeklyreport_user_week")]

    def __str__(self) -> str:
        return f"Report for the week of {self.week_start}"


class CoachQuotaUser(get_user_model()):
    """The user model seen from the coach's admin: staff lift a lifter's monthly LLM quota here."""

    class Meta:
        proxy = True
        verbose_name = "coach quota"
        verbose_name_plural = "coach quotas"
