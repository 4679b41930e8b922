"""Hevy's layout as real files have it: US English dates, notes with a literal \\n, the same
exercise twice in a workout with two notes."""

from __future__ import annotations

from datetime import datetime, timezone

from workouts.imports import parsers
from workouts.imports.parsers import parse

UTC = timezone.utc
HEADER = (
    "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,"
    "weight_lbs,reps,distance_miles,duration_seconds,rpe"
)


def test_us_english_dates():
    rows = [
        'Upper,"Jun 11, 2026, 1:01 PM","Jun 11, 2026, 2:16 PM",,Bench Press (Barbell),,,0,normal,135,8,,,',
        'Upper,"Jun 11, 2026, 1:01 PM","Jun 11, 2026, 2:16 PM",,Bench Press (Barbell),,,1,normal,185,5,,,',
        'Late,"Dec 1, 2025, 11:30 PM","Dec 2, 2025, 12:10 AM",,Pull Up,,,0,normal,,8,,,',
    ]
    upper, late = parse("\n".join([HEADER, *rows]).encode(), tz=UTC).workouts
    assert upper.started_at == datetime(2026, 6, 11, 13, 1, tzinfo=UTC) and upper.duration_s == 75 * 60
    assert late.started_at == datetime(2025, 12, 1, 23, 30, tzinfo=UTC) and late.duration_s == 40 * 60
    assert {s.unit for s in upper.sets} == {"lb"}


def test_the_same_exercise_twice_keeps_both_notes_and_a_literal_backslash_n_is_a_line_break():
    rows = [
        'Back,"19 Mar 2026, 20:34","19 Mar 2026, 21:40","ok\\ngood",Bicep Curl (Dumbbell),,"fiz sentado no banco",0,normal,20,12,,,',
        'Back,"19 Mar 2026, 20:34","19 Mar 2026, 21:40","ok\\ngood",Pull Up,,"closed grip\\n\\nfelt it",0,normal,,8,,,',
        'Back,"19 Mar 2026, 20:34","19 Mar 2026, 21:40","ok\\ngood",Bicep Curl (Dumbbell),,"agr fiz em pe",0,normal,20,10,,,',
        'Back,"19 Mar 2026, 20:34","19 Mar 2026, 21:40","ok\\ngood",Bicep Curl (Dumbbell),,"agr fiz em pe",1,normal,20,9,,,',
    ]
    (workout,) = parse("\n".join([HEADER, *rows]).encode(), tz=UTC).workouts
    assert workout.notes == "ok\ngood"
    assert workout.exercise_notes == [
        ("Bicep Curl (Dumbbell)", "fiz sentado no banco"),
        ("Pull Up", "closed grip\n\nfelt it"),
        ("Bicep Curl (Dumbbell)", "agr fiz em pe"),
    ]
    assert parsers.workout_notes(workout) == (
        "ok\ngood\nBicep Curl (Dumbbell): fiz sentado no banco\nPull Up: closed grip\n\nfelt it\n"
        "Bicep Curl (Dumbbell): agr fiz em pe"
    )


def test_a_row_a_spreadsheet_broke_is_named_and_the_rest_is_read():
    """Re-saved by a spreadsheet: semicolons, no superset_id, a multi-line note broken into rows."""
    header = "title;start_time;end_time;description;exercise_title;exercise_notes;set_index;set_type;weight_kg;reps;distance_km;duration_seconds;rpe"
    rows = [
        "Espalda;3 Oct 2023, 11:05;3 Oct 2023, 12:05;;Chin Up;;0;normal;;6;;;",
        'Espalda;3 Oct 2023, 11:05;3 Oct 2023, 12:05;;Inverted Row;"3/10 al fallo = 20\n+40% = 28 en total";;;;;;;',
        "+40% = 28 en total;;;;;;;;;;;;",
        "Espalda;3 Oct 2023, 11:05;3 Oct 2023, 12:05;;Lat Pulldown (Cable);;0;normal;50;12;;;",
    ]
    parsed = parse("\n".join([header, *rows]).encode(), tz=UTC)
    assert [s.exercise for s in parsed.workouts[0].sets] == ["Chin Up", "Lat Pulldown (Cable)"]
    assert parsed.skipped == [
        (3, "set_index is empty (a row broken by a spreadsheet?)."),
        (5, "exercise_title is empty (a row broken by a spreadsheet?)."),
    ]
