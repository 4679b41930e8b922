"""Control characters in any text of the plan forms (NUL, escape, bell) are a form error or a
4xx on SQLite and PostgreSQL alike, before any query or event: PostgreSQL cannot hold NUL and
answered the template editor's NUL exercise id with a 500."""

from __future__ import annotations

import pytest

from events.models import Event
from hypertrophy.testing import logged_in, make_user
from workouts.models import TemplateFolder, WorkoutTemplate
from workouts.plans.forms import control_character_error

from .builders import program, template

pytestmark = pytest.mark.django_db

BAD = ["\x00", "\x1b[31m", "\x07", "\x7f", "\x85"]  # NUL, escape, bell, DEL, a C1 control
EDITOR = {
    "name": "Push A",
    "notes": "",
    "progression": "double",
    "folder_id": "",
    "exercise_id": ["barbell-bench-press", ""],
    "sets": ["3", ""],
    "rep_min": ["8", ""],
    "rep_max": ["10", ""],
    "rpe": ["", ""],
    "rir": ["", ""],
    "rest_s": ["", ""],
}


def _events(user) -> int:
    return Event.objects.filter(user=user).count()


def test_the_rule():
    assert control_character_error("Push A — día 1 😀") is None
    assert control_character_error("line one\nline two\ttab", multiline=True) is None
    assert control_character_error("line one\nline two") == "must not contain control characters"
    assert control_character_error("a\x00b", multiline=True) == "must not contain NUL characters"


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize(
    "field, where",
    [("name", "Name"), ("notes", "Notes"), ("exercise_id", "Row 1, Exercise"), ("folder_id", "Folder")],
)
def test_template_editor_refuses_control_characters(field, where, bad):
    user = make_user("owner")
    client = logged_in(user)
    existing = template(user)
    before = _events(user)
    value = ["barbell-bench" + bad + "-press", ""] if field == "exercise_id" else "x" + bad + "y"
    for url in ("/plan/templates/new", f"/plan/templates/{existing.template_id}/"):
        response = client.post(url, {**EDITOR, field: value})
        assert response.status_code == 400, (url, response.status_code)
        page = response.content.decode()
        assert where + ": must not contain" in page
    assert _events(user) == before
    assert WorkoutTemplate.objects.filter(user=user).count() == 1


def test_notes_keep_their_line_breaks():
    user = make_user("owner")
    notes = "Slow eccentrics.\r\nPause at the bottom."
    response = logged_in(user).post("/plan/templates/new", {**EDITOR, "notes": notes})
    assert response.status_code == 302
    assert WorkoutTemplate.objects.get(user=user).notes == notes


@pytest.mark.parametrize("bad", BAD)
def test_folder_and_custom_program_names_refuse_control_characters(bad):
    user = make_user("owner")
    client = logged_in(user)
    push = template(user)
    before = _events(user)
    response = client.post("/plan/folders", {"name": "Pu" + bad + "sh"})
    assert response.status_code == 400 and not TemplateFolder.objects.filter(user=user).exists()
    custom = {
        "name": "Mi" + bad + "ne",
        "templates": [str(push.template_id)],
        "schedule": "weekdays",
        "weekdays": ["0", "3"],
        "weeks": "4",
    }
    response = client.post("/plan/programs/custom", custom)
    assert response.status_code == 400
    assert "control characters" in response.content.decode() or "Null characters" in response.content.decode()
    assert _events(user) == before


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("field", ["week_start", "reason"])
def test_deload_answers_refuse_control_characters(field, bad):
    user = make_user("owner")
    active = program(user)
    before = _events(user)
    answer = {"week_start": active.start_date.isoformat(), "reason": "tired", field: "2026" + bad}
    for action in ("deload-accept", "deload-decline"):
        response = logged_in(user).post(f"/plan/programs/{active.program_id}/{action}", answer)
        assert response.status_code == 400
    assert _events(user) == before


@pytest.mark.parametrize("bad", ["%00", "%1B", "bench%00press"])
def test_swap_with_a_control_character_is_not_found_or_refused(bad):
    user = make_user("owner")
    push = template(user)
    client = logged_in(user)
    assert client.get(f"/plan/templates/{push.template_id}/swap/{bad}").status_code == 404
    response = client.post(f"/plan/templates/{push.template_id}/swap/barbell-bench-press", {"replacement": "x\x00"})
    assert response.status_code == 400 and "Choose one of the substitutes." in response.content.decode()


@pytest.mark.parametrize("bad", BAD)
def test_generator_choices_refuse_control_characters(bad):
    user = make_user("owner")
    form = {
        "days_per_week": "3" + bad,
        "session_minutes": "60",
        "split": "auto" + bad,
        "experience": "intermediate",
        "goal_1": "hypertrophy",
        "weight_1": "10",
        "equipment": ["barbell" + bad],
    }
    response = logged_in(user).post("/plan/programs/new", {**form, "save": "1"})
    assert response.status_code == 400
    assert _events(user) == 0
