"""Strong's layouts as real files have them: headers in the phone's language, the 2016 layout,
Note rows, "mi." units, kg and lbs mixed row by row, workouts left running for days."""

from __future__ import annotations

from datetime import timezone

import pytest

from workouts.imports import parsers
from workouts.imports.parsers import parse

UTC = timezone.utc

# Strong's comma layout in the phone's language: the Chinese header is a real export's; the
# others are written the same way (the words do not matter: the columns are recognised by
# their number and their cells).
HEADERS = {
    "zh": ("日期,锻炼名称,时长,运动名称,设置顺序,重量,次,距离,秒,备注,锻炼备注,RPE", "1小时13分钟"),
    "de": ("Datum,Trainingsname,Dauer,Übungsname,Satzreihenfolge,Gewicht,Wdh.,Distanz,Sekunden,Notizen,Trainingsnotizen,RPE", "1 Std. 13 Min."),
    "es": ("Fecha,Nombre del entrenamiento,Duración,Nombre del ejercicio,Orden de series,Peso,Repeticiones,Distancia,Segundos,Notas,Notas del entrenamiento,RPE", "1 h 13 min"),
    "fr": ("Date,Nom de la séance,Durée,Nom de l'exercice,Ordre des séries,Poids,Répétitions,Distance,Secondes,Notes,Notes de séance,RPE", "1 h 13 min"),
    "pt": ("Data,Nome do treino,Duração,Nome do exercício,Ordem da série,Peso,Repetições,Distância,Segundos,Notas,Notas do treino,RPE", "1h 13min"),
    "ru": ("Дата,Название тренировки,Длительность,Название упражнения,Порядок подходов,Вес,Повторения,Расстояние,Секунды,Заметки,Заметки к тренировке,RPE", "1 ч 13 мин"),
    "ja": ("日付,ワークアウト名,時間,エクササイズ名,セット順,重量,回数,距離,秒,メモ,ワークアウトメモ,RPE", "1時間13分"),
}


@pytest.mark.parametrize("language", sorted(HEADERS))
def test_a_header_in_the_phones_language_is_recognised_by_its_columns(language):
    header, duration = HEADERS[language]
    rows = [
        f'2024-03-04 18:00:00,"Push","{duration}","Bench Press (Barbell)",1,100.0,5,0,0,"","",8',
        f'2024-03-04 18:00:00,"Push","{duration}","Bench Press (Barbell)",2,100.0,5,0,0,"","",',
        f'2024-03-04 18:00:00,"Push","{duration}","Bench Press (Barbell)",Rest Timer,0,0,0,120,"","",',
        f'2024-03-06 18:00:00,"Legs","45m","Squat (Barbell)",W,60.0,8,0,0,"","",',
    ]
    parsed = parse(("\n".join([header, *rows]) + "\n").encode(), tz=UTC)
    assert (parsed.layout, parsed.by_shape, parsed.skipped) == (parsers.STRONG_COMMA, True, [])
    push, legs = parsed.workouts
    assert (push.duration_s, legs.duration_s) == (73 * 60, 45 * 60)
    assert [(s.exercise, s.weight, s.reps, s.rpe) for s in push.sets] == [
        ("Bench Press (Barbell)", 100.0, 5, 8.0), ("Bench Press (Barbell)", 100.0, 5, None),
    ]
    assert legs.sets[0].set_type == "warmup" and parsed.skipped_rows == 1


def test_a_localised_semicolon_header_with_units_is_recognised_too():
    header = "Datum;Trainingsname;Übungsname;Satzreihenfolge;Gewicht;Gewichtseinheit;Wdh.;RPE;Distanz;Distanzeinheit;Sekunden;Notizen;Trainingsnotizen;Trainingsdauer"
    row = "2024-03-04 18:00:00;Push;Bench Press (Barbell);1;100,5;kg;5;8,5;;;0;;;1 Std. 5 Min."
    parsed = parse(f"{header}\n{row}\n".encode(), tz=UTC)
    (workout,) = parsed.workouts
    assert (parsed.layout, parsed.has_unit, workout.duration_s) == (parsers.STRONG_SEMICOLON, True, 3900)
    assert (workout.sets[0].weight, workout.sets[0].unit, workout.sets[0].rpe) == (100.5, "kg", 8.5)


def test_a_header_nobody_can_read_is_still_refused():
    with pytest.raises(parsers.ImportFileError, match="not a Strong or Hevy export"):
        parse("a,b,c,d,e,f,g,h,i,j,k,l\n1,2,3,4,5,6,7,8,9,10,11,12\n".encode(), tz=UTC)


def test_the_2016_layout_with_crlf_and_set_order_from_zero():
    text = (
        "Date,Workout Name,Exercise Name,Set Order,kg,Reps,km,Seconds,Notes\r\n"
        '2016-10-03 19:30:55,"W1D1","Squat",0,70.0,5,0.0,0,""\r\n'
        '2016-10-03 19:30:55,"W1D1","Squat",1,72.5,5,0.0,0,"deep"\r\n'
        '2016-10-05 19:00:00,"Run","Running",0,0.0,0,5.2,1800,""\r\n'
    )
    parsed = parse(text.encode(), tz=UTC)
    assert (parsed.layout, parsed.has_unit) == (parsers.STRONG_2016, True)
    squat, run = parsed.workouts
    assert [(s.weight, s.unit, s.reps, s.notes) for s in squat.sets] == [(70.0, "kg", 5, ""), (72.5, "kg", 5, "deep")]
    assert (run.sets[0].distance_m, run.sets[0].duration_s) == (5200.0, 1800)
    assert parsers.LAYOUT_NAMES[parsed.layout] == "Strong (2016, unit in the header)"


def test_the_2016_layout_in_pounds_and_miles():
    text = "Date,Workout Name,Exercise Name,Set Order,lbs,Reps,mi,Seconds,Notes\n2016-10-03 19:30:55,A,Running,0,0,0,3,1500,\n2016-10-03 19:30:55,A,Squat,1,225,5,0,0,\n"
    run, squat = parse(text.encode(), tz=UTC).workouts[0].sets
    assert run.distance_m == pytest.approx(3 * 1609.344) and (squat.weight, squat.unit) == (225.0, "lb")


SEMICOLON = "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes"


def test_a_real_semicolon_file_without_duration_is_not_called_our_export():
    row = "2018-12-10 10:33:55;Chest A;Incline Bench Press (Barbell);1;90;lbs;15;;;;0;;"
    parsed = parse(f"{SEMICOLON}\n{row}\n".encode(), tz=UTC)
    assert parsed.layout == parsers.STRONG_SEMICOLON
    assert parsers.LAYOUT_NAMES[parsed.layout] != "Strong layout (Hypertrophy export)"


def test_mi_with_its_dot_and_kg_and_lbs_mixed_row_by_row():
    rows = [
        "2020-01-01 10:00:00;A;Bench Press (Barbell);1;100;kg;5;;;mi.;0;;",
        "2020-01-01 10:00:00;A;Bench Press (Barbell);2;225;lbs;5;;;mi.;0;;",
        "2020-01-01 10:00:00;A;Running;1;;;;;2;mi.;900;;",
    ]
    kilos, pounds, run = parse("\n".join([SEMICOLON, *rows]).encode(), tz=UTC).workouts[0].sets
    assert [(kilos.weight, kilos.unit), (pounds.weight, pounds.unit)] == [(100.0, "kg"), (225.0, "lb")]
    assert run.distance_m == pytest.approx(2 * 1609.344)


def test_note_rows_keep_the_exercise_note():
    header = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"
    rows = [
        '2024-03-04 18:00:00,Push,1h,"Bench Press (Barbell)",Note,,,,,"Elbows in, pause at the chest",,',
        '2024-03-04 18:00:00,Push,1h,"Bench Press (Barbell)",1,100,5,0,0,,,',
        '2024-03-04 18:00:00,Push,1h,"Bench Press (Barbell)",Rest Timer,0,0,0,90,,,',
    ]
    parsed = parse("\n".join([header, *rows]).encode(), tz=UTC)
    (workout,) = parsed.workouts
    assert workout.exercise_notes == [("Bench Press (Barbell)", "Elbows in, pause at the chest")]
    assert parsers.workout_notes(workout) == "Bench Press (Barbell): Elbows in, pause at the chest"
    assert parsed.set_count == 1 and parsed.skipped_rows == 2


def test_a_workout_left_running_for_days_is_imported_without_its_duration():
    """Strong writes "71h 45m" for a workout left running; it used to refuse the whole file
    ("longer than a day", naming only the first of 117)."""
    header = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"
    rows = [
        "2024-03-04 18:00:00,Push,71h 45m,Bench Press (Barbell),1,100,5,0,0,,,",
        "2024-03-06 18:00:00,Pull,601h 39m,Deadlift (Barbell),1,180,3,0,0,,,",
        "2024-03-08 18:00:00,Legs,1h 2m,Squat (Barbell),1,140,5,0,0,,,",
    ]
    parsed = parse("\n".join([header, *rows]).encode(), tz=UTC)
    assert parsed.set_count == 3 and parsed.skipped == []
    assert [(w.duration_s, w.duration_text) for w in parsed.workouts] == [(None, "71h 45m"), (None, "601h 39m"), (3720, "")]
    assert [w.name for w in parsed.overlong] == ["Push", "Pull"]
