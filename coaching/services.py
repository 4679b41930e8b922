"""Asking the coach: which provider answers, the limits, the memory, the fallback.

``coach_ask`` is a generator of text pieces so a page can stream the first words at once; the
question and the whole answer are stored when it finishes. The rule-based coach is unlimited and
always there; the LLM is asked only when configured, under the lifter's monthly quota and the
per-minute rate limit, and any failure of it turns into the rule-based answer with a short note.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date, datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from coaching.llm import CoachUnavailable, LLMCoach, llm_configured
from coaching.models import CoachFact, CoachMessage, WeeklyReport
from coaching.rules import RuleCoach
from events.ratelimit import rate_limit_hit
from hypertrophy.errors import RateLimited

log = logging.getLogger(__name__)
MAX_QUESTION = 1000
MAX_FACTS = 30  # facts passed to a coach (newest first)
HISTORY = 3  # past exchanges passed to the LLM
REMEMBER = re.compile(r"^\s*(please\s+)?remember(\s+that)?\s*[:,-]?\s*(?P<fact>.+)$", re.IGNORECASE | re.DOTALL)


# --- memory ------------------------------------------------------------------------------------


def fact_remember(*, user, text: str) -> CoachFact:
    """Keep a fact the lifter told the coach (“remember: …” or the Memory page's form)."""
    with transaction.atomic(durable=True):
        return CoachFact.objects.create(user=user, text=text.strip()[: CoachFact._meta.get_field("text").max_length])


def fact_forget(*, user, fact_id: int) -> bool:
    """Delete one of ``user``'s facts; False when they have no such fact."""
    with transaction.atomic(durable=True):
        deleted, _ = CoachFact.objects.filter(user=user, pk=fact_id).delete()
    return bool(deleted)


def message_forget(*, user, message_id: int) -> bool:
    """Delete one of ``user``'s past exchanges; False when they have no such message. An LLM
    question deleted this way no longer counts against the month's quota."""
    with transaction.atomic(durable=True):
        deleted, _ = CoachMessage.objects.filter(user=user, pk=message_id).delete()
    return bool(deleted)


def message_store(*, user, question: str, answer: str, provider: str, used_llm: bool, note: str) -> CoachMessage:
    """Store an exchange; ``used_llm`` counts it against the lifter's monthly LLM quota."""
    with transaction.atomic(durable=True):
        return CoachMessage.objects.create(
            user=user, question=question, answer=answer, provider=provider, used_llm=used_llm, note=note[:200]
        )


def facts_of(*, user) -> list[str]:
    return list(
        CoachFact.objects.filter(user=user).order_by("-created_at", "-id").values_list("text", flat=True)[:MAX_FACTS]
    )


def history_of(*, user) -> list[tuple[str, str]]:
    rows = (
        CoachMessage.objects.filter(user=user)
        .order_by("-created_at", "-id")
        .values_list("question", "answer")[:HISTORY]
    )
    return list(reversed(rows))


# --- weekly reports ----------------------------------------------------------------------------


def report_write(*, user, week: date, content: dict) -> tuple[WeeklyReport, str]:
    """Write (or rewrite) ``user``'s report for ``week``; with "written" (new) or "updated"."""
    with transaction.atomic(durable=True):
        # update_or_create locks the row, and retries the read if another run inserts it first.
        report, created = WeeklyReport.objects.update_or_create(user=user, week_start=week, defaults=content)
    return report, "written" if created else "updated"


def report_email_once(*, user, report: WeeklyReport, now: datetime) -> None:
    """Email a report unless it was already sent: claimed with a conditional UPDATE so two
    workers cannot both send it, released when sending fails (the next run tries again)."""
    if not WeeklyReport.objects.filter(pk=report.pk, emailed_at=None).update(emailed_at=now):
        return  # already sent
    body = render_to_string("coaching/_report_body.txt", {"report": report})
    try:
        send_mail(
            subject=f"Your training week of {report.week_start:%-d %b %Y}",
            message=body,
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:
        WeeklyReport.objects.filter(pk=report.pk).update(emailed_at=None)  # try again next run
        log.exception("Weekly report email to user %s failed", user.pk)
        return
    report.emailed_at = now


# --- limits --------------------------------------------------------------------------------------


def monthly_quota(user) -> int:
    return user.coach_monthly_quota if user.coach_monthly_quota is not None else settings.COACH_MONTHLY_QUOTA


def month_start(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def llm_questions_this_month(*, user, now: datetime | None = None) -> int:
    return CoachMessage.objects.filter(
        user=user, used_llm=True, created_at__gte=month_start(now or timezone.now())
    ).count()


def llm_refusal(*, user, now: datetime) -> str | None:
    """Why the LLM may not answer this question (None: it may). Counts one rate-limit hit."""
    if not llm_configured():
        return ""  # the rule-based coach is the coach: nothing to explain
    quota = monthly_quota(user)
    if quota <= 0:  # staff set this lifter's quota to 0: not "you've used all 0 questions"
        return "The AI coach is switched off for your account, so the rule-based coach is answering."
    if llm_questions_this_month(user=user, now=now) >= quota:
        questions = f"{quota} AI coach question{'s' if quota != 1 else ''}"
        return f"You've used all of this month's {questions}, so the rule-based coach is answering."
    try:
        rate_limit_hit(scope="coach", key=str(user.pk), rate=settings.COACH_RATE_LIMIT)
    except RateLimited:
        return "That's a lot of questions in a minute: the rule-based coach is answering this one."
    return None


# --- asking ------------------------------------------------------------------------------------


def coach_ask(*, user, question: str, now: datetime | None = None, client=None) -> Iterator[str]:
    """Answer ``question`` for ``user`` piece by piece, then store the exchange."""
    now = now or timezone.now()
    question = question.strip()[:MAX_QUESTION]
    pieces: list[str] = []
    provider, used_llm, note = "rules", False, ""

    def emit(text: str) -> str:
        pieces.append(text)
        return text

    try:
        remembered = REMEMBER.match(question)
        said = remembered.group("fact").strip(" :,-.") if remembered else ""
        if remembered and (not re.search(r"\w", said) or said.lower() in ("that", "this", "it")):
            # "remember:" or "remember that" alone: not a fact ":" or "that" to keep forever.
            yield emit("What should I remember? Say it like “remember: my left shoulder hurts”.")
            return
        if remembered:
            fact = fact_remember(user=user, text=remembered.group("fact"))
            yield emit(f"Noted: “{fact.text}”. I'll keep it in mind; you can see and delete it under Memory.")
            return
        facts = facts_of(user=user)
        history = history_of(user=user)
        refusal = llm_refusal(user=user, now=now)
        if refusal is None:
            used_llm = True
            coach = LLMCoach(user=user, facts=facts, history=history, now=now, client=client)
            try:
                for piece in coach.stream(question):
                    yield emit(piece)
                provider = "llm"
            except CoachUnavailable as exc:
                note = exc.note
                used_llm = exc.spent
        else:
            note = refusal
        if provider == "rules":
            answer = RuleCoach(user=user, facts=facts, history=[q for q, _ in history], now=now).answer(question).text
            if note:
                yield emit(("\n\n" if pieces else "") + f"({note} Here is the rule-based answer.)\n\n")
            yield emit(answer)
    finally:
        # Also when the reader went away mid-answer: what was said is remembered, and an LLM
        # question the model worked on counts against the quota (one its server refused or
        # never received does not).
        if pieces or used_llm:
            message_store(
                user=user, question=question, answer="".join(pieces), provider=provider, used_llm=used_llm, note=note
            )
