"""The coach's pages: chat (streamed answers, a no-JS fallback), memory, weekly reports.

Every read is scoped to ``request.user``; another lifter's fact, message or report is a 404.
Visitors without an account see the pages empty and are sent to log in to ask.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching.forms import AskForm, FactForm
from coaching.insights import home_insights, in_deload_week
from coaching.llm import llm_configured
from coaching.models import CoachFact, CoachMessage, WeeklyReport
from coaching.services import (
    coach_ask,
    fact_forget,
    fact_remember,
    llm_questions_this_month,
    message_forget,
    monthly_quota,
)

SUGGESTIONS = (
    "How is my bench press progressing?",
    "Which muscles am I under-training this week?",
    "Should I deload?",
    "How has my body fat changed this month?",
)
CONVERSATION = 10  # exchanges shown on the chat page
REPORTS_PAGE = 52


def _chat_context(request: HttpRequest, *, form: AskForm | None = None) -> dict:
    user = request.user
    context = {"form": form or AskForm(), "suggestions": SUGGESTIONS, "messages_list": [], "llm": llm_configured()}
    if user.is_authenticated:
        recent = list(CoachMessage.objects.filter(user=user).order_by("-created_at", "-id")[:CONVERSATION])
        context["messages_list"] = list(reversed(recent))
        if context["llm"]:
            context["quota"] = monthly_quota(user)
            context["used"] = llm_questions_this_month(user=user)
    return context


@require_GET
def chat(request: HttpRequest) -> HttpResponse:
    return render(request, "coaching/chat.html", _chat_context(request))


@require_POST
def ask(request: HttpRequest) -> HttpResponse:
    """Answer a question. With ``X-Coach-Stream: 1`` (the page script) the answer streams as
    plain text; otherwise (no JavaScript) the whole answer is written, then the chat page shows
    it (post/redirect/get: reloading does not ask again)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("coaching:chat"))
    form = AskForm(request.POST)
    if not form.is_valid():
        return render(request, "coaching/chat.html", _chat_context(request, form=form), status=400)
    pieces = coach_ask(user=request.user, question=form.asked())
    if request.headers.get("X-Coach-Stream") == "1":
        response = StreamingHttpResponse(pieces, content_type="text/plain; charset=utf-8")
        response["Cache-Control"] = "no-store"
        response["X-Accel-Buffering"] = "no"  # nginx: pass the first words on at once
        return response
    for _ in pieces:  # run the generator to the end: it stores the exchange
        pass
    response = redirect(reverse("coaching:chat") + "#latest")
    response.status_code = 303  # see the answer with a GET
    return response


@require_http_methods(["GET", "POST"])
def memory(request: HttpRequest) -> HttpResponse:
    """What the coach remembers (facts and past questions), a form to add a fact."""
    user = request.user
    form = FactForm()
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = FactForm(request.POST)
        if form.is_valid():
            fact_remember(user=user, text=form.cleaned_data["text"])
            return redirect("coaching:memory")
    facts, messages = [], []
    if user.is_authenticated:
        facts = list(CoachFact.objects.filter(user=user).order_by("-created_at", "-id")[:100])
        messages = list(CoachMessage.objects.filter(user=user).order_by("-created_at", "-id")[:100])
    status = 400 if form.errors else 200
    return render(
        request, "coaching/memory.html", {"form": form, "facts": facts, "messages_list": messages}, status=status
    )


def _deleted(request: HttpRequest, forget, pk: int) -> HttpResponse:
    if not request.user.is_authenticated or not forget(request.user, pk):
        raise Http404
    if request.htmx:
        return HttpResponse("")  # the row is swapped out
    return redirect("coaching:memory")


@require_POST
def fact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _deleted(request, lambda user, pk: fact_forget(user=user, fact_id=pk), pk)


@require_POST
def message_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _deleted(request, lambda user, pk: message_forget(user=user, message_id=pk), pk)


@require_GET
def insights(request: HttpRequest) -> HttpResponse:
    """The home page's insights card, refetched by htmx after each sync (empty when there are none)."""
    user = request.user
    found = home_insights(user, deload=in_deload_week(user)) if user.is_authenticated else []
    if not found:
        return HttpResponse("")
    return render(request, "coaching/_insights.html", {"insights": found})


@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    rows = []
    if request.user.is_authenticated:
        rows = list(
            WeeklyReport.objects.filter(user=request.user)
            .order_by("-week_start")
            .only("week_start", "metrics", "provider", "generated_at")[:REPORTS_PAGE]
        )
    return render(request, "coaching/reports.html", {"reports": rows})


@require_GET
def report_detail(request: HttpRequest, week: date) -> HttpResponse:
    report = None
    if request.user.is_authenticated:
        report = WeeklyReport.objects.filter(user=request.user, week_start=week).first()
    if report is None:
        raise Http404("No report for that week.")
    return render(request, "coaching/report_detail.html", {"report": report, "unit": request.user.weight_unit})
