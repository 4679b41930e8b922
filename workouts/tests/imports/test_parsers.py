"""Parsing Strong and Hevy CSV exports: layouts, values, and malformed files with their line numbers."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from workouts.imports import cells, parsers
from workouts.imports.parsers import ImportFileError, parse, parse_duration

DATA = Path(__file__).parent / "data"
UTC = timezone.utc
STRONG_COMMA_HEADER = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"


def read(name: str) -> parsers.ParsedFile:
    return parse((DATA / name).read_bytes(), tz=UTC)


@pytest.mark.parametrize(
    ("name", "layout", "has_unit", "workouts", "sets"),
    [
        ("strong_semicolon.csv", parsers.STRONG_SEMICOLON, True, 2, 6),
        ("strong_comma.csv", parsers.STRONG_COMMA, False, 2, 7),
        ("strong_numbered.csv", parsers.STRONG_NUMBERED, True, 2, 4),
        ("strong_export.csv", parsers.STRONG_EXPORT, True, 1, 3),
        ("hevy_kg.csv", parsers.HEVY, True, 2, 6),
        ("hevy_lbs.csv", parsers.HEVY, True, 2, 6),
    ],
)
def test_each_layout_is_recognised_from_its_header(name, layout, has_unit, workouts, sets):
    parsed = read(name)
    assert (parsed.layout, parsed.has_unit, len(parsed.workouts), parsed.set_count) == (layout, has_unit, workouts, sets)


def test_strong_semicolon_bom_decimal_comma_units_warmups_and_durations():
    parsed = read("strong_semicolon.csv")  # starts with a UTF-8 byte-order mark
    push, run = parsed.workouts
    assert push.name == "Push A" and push.started_at == datetime(2024, 3, 4, 18, 0, tzinfo=UTC)
    assert push.duration_s == 3900 and run.duration_s == 2700  # "1h 5m", "45m"
    warmup, first, second, ohp, zottman = push.sets
    assert (warmup.set_type, warmup.weight, warmup.unit) == ("warmup", 40.0, "kg")
    assert (first.set_type, first.rpe, second.rpe) == ("working", 8.0, 8.5)  # "8,5"
    assert (ohp.weight, ohp.unit) == (135.0, "lb")
    assert zottman.weight == 12.5
    assert parsers.workout_notes(push) == "Felt good\nBench Press (Barbell): paused"  # set notes kept in the workout's
    (running,) = run.sets
    assert (running.duration_s, running.distance_m, running.reps, running.weight) == (1800, 5200.0, None, None)


def test_strong_comma_has_no_unit_and_rest_timer_rows_are_not_sets():
    parsed = read("strong_comma.csv")
    assert parsed.skipped_rows == 2
    legs, pull = parsed.workouts
    assert [s.set_type for s in legs.sets] == ["warmup", "working", "working", "working"]
    assert {s.unit for w in parsed.workouts for s in w.sets} == {None}
    assert [s.line for s in legs.sets] == [2, 3, 5, 6]  # line 4 is a Rest Timer row
    assert legs.notes == 'Knees ok, "solid"'
    assert [s.reps for s in pull.sets] == [3, 8, 7]


def test_strong_numbered_groups_by_workout_number_in_kg_and_metres():
    full_body, cardio = read("strong_numbered.csv").workouts
    assert full_body.key == "1" and full_body.duration_s == 3600
    assert {s.unit for s in full_body.sets} == {"kg"}
    (row,) = cardio.sets
    assert (row.distance_m, row.duration_s) == (5000.0, 1320)


def test_hevy_dates_set_types_supersets_and_pounds_and_miles():
    upper, cardio = read("hevy_kg.csv").workouts
    assert upper.started_at == datetime(2025, 9, 15, 7, 48, tzinfo=UTC) and upper.duration_s == 67 * 60
    assert [s.set_type for s in upper.sets] == ["warmup", "working", "drop", "working", "failure"]
    assert upper.supersets == {"Bent Over Row (Barbell)": "0", "Lateral Raise (Dumbbell)": "0"}
    assert cardio.sets[0].distance_m == 4500.0
    upper_lb, cardio_mi = read("hevy_lbs.csv").workouts
    assert {s.unit for s in upper_lb.sets} == {"lb"}
    assert cardio_mi.sets[0].distance_m == pytest.approx(4.5 * 1609.344)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1h 5m", 3900), ("45m", 2700), ("3600", 3600), ("1h", 3600), ("30s", 30), ("1:05:00", 3900), ("2 hours 3 min", 7380), ("", None)],
)
def test_durations(text, seconds):
    assert parse_duration(text, 2) == seconds


def test_quoted_semicolon_header_is_recognised():
    text = '"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";"Weight (kg)";"Reps";"RPE";"Distance (meters)";"Seconds";"Notes";"Workout Notes"\n'
    text += '"1";"2022-05-02 06:15:00";"A";"60";"Dip";"1";"10";"5";"";"";"";"";""\n'
    assert parse(text.encode(), tz=UTC).layout == parsers.STRONG_NUMBERED


def _comma_file(*rows: str) -> bytes:
    return ("\n".join([STRONG_COMMA_HEADER, *rows]) + "\n").encode()


GOOD_ROW = "2023-01-09 17:45:12,Legs,1h,Squat (Barbell),1,100,5,0,0,,,"
ROW = "2023-01-09 17:45:12,Legs,1h,Squat (Barbell),{order},{weight},{reps},0,0,,,{rpe}"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n\n", "The file is empty."),
        (b"PK\x03\x04\x14\x00\x00\x00binary zip", "This is not a CSV text file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV text file"),
        (b"Date\tWorkout Name\tExercise Name\tSet Order\tWeight\tReps\n", "Line 1: columns are separated by tabs"),
        (b"name,weight,reps\nbench,100,5\n", "Line 1: the header is not a Strong or Hevy export"),
        (b"Date,Workout Name,Duration,Exercise Name,Set Order,Weight\n", "Line 1: the header has no 'reps' column."),
    ],
)
def test_files_that_are_not_exports_name_the_problem(content, message):
    with pytest.raises(ImportFileError) as caught:
        parse(content, tz=UTC)
    assert str(caught.value).startswith(message), str(caught.value)


BAD_ROWS = [
    ("2023-13-45 17:45:12,Legs,1h,Squat (Barbell),1,100,5,0,0,,,", "Date: '2023-13-45 17:45:12' is not a date"),
    (ROW.format(order=2, weight="heavy", reps=5, rpe=""), "Weight: 'heavy' is not a number."),
    (ROW.format(order=2, weight=100, reps="5.5", rpe=""), "Reps: '5.5' is not a whole number."),
    (ROW.format(order=2, weight=100, reps=877777, rpe=""), "Reps: '877777' is more than 10000."),
    ("2023-01-09 17:45:12,Legs,1h,Squat (Barbell),2,100,5,0,0", "9 fields, expected 12"),
    (ROW.format(order="X", weight=100, reps=5, rpe=""), "Set Order: 'X' is not a set number"),
    (ROW.format(order=2, weight=100, reps=5, rpe=11), "RPE: '11' must be between 1 and 10."),
    (ROW.format(order=2, weight=-5, reps=5, rpe=""), "Weight: '-5' must not be negative."),
    (ROW.format(order=2, weight=1500, reps=5, rpe=""), "Weight: 1500 is more than 1000 kg."),
    ("2023-01-09 17:45:12,Arms,forever,Squat (Barbell),1,100,5,0,0,,,", "Duration: 'forever' is not a duration"),
    ("2023-01-09 17:45:12,Legs,1h,,2,100,5,0,0,,,", "Exercise Name is empty."),
    ("1850-01-09 17:45:12,Legs,1h,Squat (Barbell),1,100,5,0,0,,,", "Date: '1850-01-09 17:45:12' is not between 1900"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS)
def test_a_bad_line_is_skipped_with_its_reason_and_the_rest_is_read(row, reason):
    """One typo (reps 877777) used to refuse 5,402 good rows; now the line is listed and left out."""
    parsed = parse(_comma_file(GOOD_ROW, row, GOOD_ROW.replace(",1,100,", ",3,100,")), tz=UTC)
    assert parsed.set_count == 2 and [s.line for s in parsed.workouts[0].sets] == [2, 4]
    ((line, why),) = parsed.skipped
    assert line == 3 and why.startswith(reason), why


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS)
def test_a_file_of_nothing_but_bad_lines_is_refused_with_the_first(row, reason):
    with pytest.raises(ImportFileError) as caught:
        parse(_comma_file(row, row), tz=UTC)
    assert str(caught.value).startswith(f"Line 2: {reason}"), str(caught.value)
    assert "(and 1 more line that cannot be read). Nothing in the file can be read: if a spreadsheet saved it" in str(caught.value)


def test_line_numbers_count_physical_lines_of_multi_line_notes():
    rows = ['2023-01-09 17:45:12,Legs,1h,Squat (Barbell),1,100,5,0,0,"first line\nsecond line",,', "2023-01-09 17:45:12,Legs,1h,Squat (Barbell),2,oops,5,0,0,,,"]
    assert parse(_comma_file(*rows), tz=UTC).skipped == [(4, "Weight: 'oops' is not a number.")]


def test_too_large_file_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(cells, "MAX_BYTES", 100)
    with pytest.raises(ImportFileError, match="too large"):
        parse(_comma_file(*[GOOD_ROW] * 5), tz=UTC)


def test_windows_line_endings_and_blank_lines_are_fine():
    content = _comma_file(GOOD_ROW, "", GOOD_ROW.replace(",1,100,", ",2,100,")).replace(b"\n", b"\r\n")
    parsed = parse(content, tz=UTC)
    assert parsed.set_count == 2 and [s.line for s in parsed.workouts[0].sets] == [2, 4]


def test_windows_1252_text_is_read():
    content = _comma_file("2023-01-09 17:45:12,Jambes,1h,Squat (Barbell),1,100,5,0,0,,Très bien,").decode().encode("cp1252")
    assert parse(content, tz=UTC).workouts[0].notes == "Très bien"


def test_dates_with_an_offset_keep_it():
    row = GOOD_ROW.replace("2023-01-09 17:45:12", "2023-01-09 17:45:12 +0200")
    assert parse(_comma_file(row), tz=UTC).workouts[0].started_at == datetime(2023, 1, 9, 15, 45, 12, tzinfo=UTC)


def test_naive_dates_are_read_in_the_given_time_zone():
    from zoneinfo import ZoneInfo

    workout = parse(_comma_file(GOOD_ROW), tz=ZoneInfo("Europe/Paris")).workouts[0]
    assert workout.started_at.utcoffset().total_seconds() == 3600


def test_a_bad_hevy_date_is_explained_in_hevys_own_format():
    """The hint used to show Strong's 2024-03-05 18:30:00 to a Hevy user whose file says “15 Sep 2025, 07:48”."""
    header = (
        "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,"
        "weight_kg,reps"
    )
    good = 'Upper,"15 Sep 2025, 07:48","15 Sep 2025, 08:55",,Bench Press (Barbell),,,0,normal,80,6'
    bad = 'Upper,"32 Sep 2025, 07:48","15 Sep 2025, 08:55",,Bench Press (Barbell),,,1,normal,80,6'
    assert parse(f"{header}\n{good}\n{bad}\n".encode(), tz=UTC).skipped == [
        (3, "start_time: '32 Sep 2025, 07:48' is not a date (expected e.g. 05 Mar 2024, 18:30).")
    ]


def test_an_assisted_lifts_negative_weight_is_its_assistance():
    """A file with "Pull Up (Assisted)" at −20 kg could not be imported at all ("must not be
    negative"); the assistance is kept as a positive weight, as Hevy writes it."""
    rows = [
        "2023-01-09 17:45:12,Back,1h,Pull Up (Assisted),1,-20,8,0,0,,,",
        "2023-01-09 17:45:12,Back,1h,Assisted Dip (Machine),1,-27.5,10,0,0,,,",
    ]
    sets = parse(_comma_file(GOOD_ROW, *rows), tz=UTC).workouts[-1].sets
    assert [(s.exercise, s.weight, s.reps) for s in sets] == [
        ("Pull Up (Assisted)", 20.0, 8),
        ("Assisted Dip (Machine)", 27.5, 10),
    ]
    with pytest.raises(ImportFileError, match="Line 2: Weight: '-20' must not be negative."):
        parse(_comma_file("2023-01-09 17:45:12,Back,1h,Pull Up,1,-20,8,0,0,,,"), tz=UTC)
