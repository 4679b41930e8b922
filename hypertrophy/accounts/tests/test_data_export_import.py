"""Download my data (events JSON, Strong CSV) and import of the JSON into an account."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hypertrophy.accounts.data_import import ImportFileError, data_import
from hypertrophy.accounts.downloads import EXPORT_FORMAT
from events.models import DeadLetter, Device, Event
from hypertrophy.accounts.models import AuditEntry
from hypertrophy.accounts.tests.data_builders import rich_history
from hypertrophy.testing import logged_in, make_user, projection_state, register_device
from workouts.data_exports import STRONG_COLUMNS
from workouts.models import Workout

pytestmark = pytest.mark.django_db


def download(client: Client, path: str) -> tuple[bytes, int]:
    """Body of a streamed download and the queries it took (the stream included)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.streaming
        assert response["Content-Disposition"].startswith("attachment; filename=")
        body = b"".join(response.streaming_content)
    return body, len(ctx.captured_queries)


def export_json(client: Client) -> bytes:
    return download(client, "/settings/data/export.json")[0]


def import_file(client: Client, body: bytes, name: str = "export.json", **extra):
    upload = SimpleUploadedFile(name, body, content_type="application/json")
    return client.post("/settings/data/import", {"file": upload, "apply_profile": "on", **extra})


@pytest.fixture
def lifter():
    user = make_user("lifter", email="lifter@example.com", week_start=6)
    client = logged_in(user)
    rich_history(user, client=client)
    return user, client


# --- the JSON export ------------------------------------------------------------------


def test_json_export_holds_every_event_with_a_header(lifter):
    user, client = lifter
    body = export_json(client)
    document = json.loads(body)
    assert document["format"] == EXPORT_FORMAT and document["version"] == 1
    assert document["user"]["id"] == str(user.pk)
    assert document["user"]["weight_unit"] == "kg" and document["user"]["week_start"] == 6
    stored = Event.objects.filter(user=user)
    assert document["event_count"] == stored.count() == len(document["events"])
    assert {d["name"] for d in document["devices"]} >= {"phone", "laptop"}
    first = document["events"][0]
    assert set(first) == {
        "event_id", "event_type", "occurred_at", "sequence_number", "device_id", "correlation_id", "payload",
    }
    by_id = {str(e.event_id): e for e in stored}
    for event in document["events"]:
        original = by_id[event["event_id"]]
        assert event["payload"] == original.payload
        assert event["sequence_number"] == original.sequence_number
        assert event["device_id"] == str(original.device_id)
    # One event per line: the layout the importer reads line by line.
    lines = body.decode().splitlines()
    assert lines[0].endswith('"events":[') and lines[-1] == f'],"event_count":{stored.count()}}}'
    assert len(lines) == len(document["events"]) + 2


def test_json_export_is_audited(lifter):
    user, client = lifter
    export_json(client)
    entry = AuditEntry.objects.get(kind="data.exported")
    assert entry.user == user and entry.data == {"format": "json"}


def test_export_query_count_does_not_grow_with_history(db):
    counts = {}
    for weeks in (1, 6):
        user = make_user(f"lifter{weeks}")
        client = logged_in(user)
        rich_history(user, client=client, weeks=weeks)
        counts[weeks] = tuple(download(client, f"/settings/data/export.{ext}")[1] for ext in ("json", "csv"))
    assert counts[1] == counts[6]
    assert counts[6][0] <= 6 and counts[6][1] <= 8


def test_export_streams_in_chunks_across_batches(lifter, monkeypatch):
    """More events than one database chunk still come out whole and in order."""
    from hypertrophy.accounts import downloads

    user, client = lifter
    monkeypatch.setattr(downloads, "EXPORT_CHUNK", 3)
    document = json.loads(export_json(client))
    keys = [(e["device_id"], e["sequence_number"]) for e in document["events"]]
    assert keys == sorted(keys) and len(keys) == Event.objects.filter(user=user).count()


# --- the Strong CSV -------------------------------------------------------------------


def csv_rows(client: Client) -> list[dict]:
    body, _ = download(client, "/settings/data/export.csv")
    text = body.decode()
    assert text.splitlines()[0] == ",".join(STRONG_COLUMNS)
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_strongs_columns_and_every_live_set(lifter):
    _, client = lifter
    rows = csv_rows(client)
    # Workout 2 and its set were deleted; workout 1 has five sets.
    assert len(rows) == 5
    assert {r["Workout Name"] for r in rows} == {'Push, "heavy"'}
    assert {r["Duration"] for r in rows} == {"1h 5m"}
    assert {r["Date"] for r in rows} == {"2026-11-02 17:00:00"}
    assert {r["Workout Notes"] for r in rows} == {"felt strong,\nnew line"}
    bench = [r for r in rows if r["Exercise Name"] == "Barbell Bench Press"]
    # Warm-up as W, working sets numbered; 225 lb shown in the user's kg.
    assert [(r["Set Order"], r["Weight"], r["Weight Unit"], r["Reps"], r["RPE"]) for r in bench] == [
        ("W", "20", "kg", "10", ""),
        ("1", "102.06", "kg", "5", "8.5"),
        ("2", "100", "kg", "7", ""),
    ]
    landmine = [r for r in rows if r["Exercise Name"] == "Landmine Press"]
    assert [(r["Set Order"], r["Weight"], r["Reps"]) for r in landmine] == [("D", "30", "12")]
    plank = [r for r in rows if r["Exercise Name"] == "Plank"]
    assert [(r["Seconds"], r["Weight"], r["Reps"]) for r in plank] == [("90", "", "")]


def test_csv_weights_in_a_pound_users_unit(db):
    user = make_user("pounds", weight_unit="lb")
    client = logged_in(user)
    rich_history(user, client=client)
    rows = [r for r in csv_rows(client) if r["Exercise Name"] == "Barbell Bench Press"]
    assert [(r["Weight"], r["Weight Unit"]) for r in rows] == [("44.09", "lb"), ("225", "lb"), ("220.46", "lb")]


def test_csv_export_is_audited(lifter):
    user, client = lifter
    csv_rows(client)
    assert AuditEntry.objects.get(kind="data.exported").data == {"format": "strong_csv"}


# --- import ---------------------------------------------------------------------------


def test_export_then_import_into_a_fresh_account_gives_identical_projections(lifter):
    user, client = lifter
    body = export_json(client)
    fresh = make_user("fresh")
    fresh_client = logged_in(fresh)
    response = import_file(fresh_client, body)
    assert response.status_code == 302, response.content
    imported = Event.objects.filter(user=fresh).count()
    assert response["Location"] == f"/settings/data/?imported={imported}&duplicates=0"
    assert imported == Event.objects.filter(user=user).count()
    fresh.refresh_from_db()
    assert fresh.week_start == 6  # the profile came along: weekly metrics bucket alike
    ours = projection_state(user_id=user.pk, with_user=False)
    theirs = projection_state(user_id=fresh.pk, with_user=False)
    assert all(ours.values()), "the history must fill every projection (extend rich_history for a new one)"
    assert theirs == ours
    # New ids (event ids are unique server-wide), one import device per original device, same sequences.
    assert not set(Event.objects.filter(user=fresh).values_list("event_id", flat=True)) & set(
        Event.objects.filter(user=user).values_list("event_id", flat=True)
    )
    assert Device.objects.filter(user=fresh).count() == Device.objects.filter(user=user).count()
    assert sorted(Event.objects.filter(user=fresh).values_list("sequence_number", flat=True)) == sorted(
        Event.objects.filter(user=user).values_list("sequence_number", flat=True)
    )
    entry = AuditEntry.objects.get(kind="data.imported")
    assert entry.user == fresh and entry.data["accepted"] == imported
    # The page says what happened.
    page = fresh_client.get(response["Location"])
    assert f"Imported {imported} events" in page.content.decode()


def test_importing_twice_adds_nothing(lifter):
    _, client = lifter
    body = export_json(client)
    fresh = make_user("fresh")
    fresh_client = logged_in(fresh)
    assert import_file(fresh_client, body).status_code == 302
    before = (Event.objects.count(), Device.objects.count(), projection_state())
    response = import_file(fresh_client, body)
    assert response.status_code == 302
    assert "imported=0&" in response["Location"]
    assert (Event.objects.count(), Device.objects.count(), projection_state()) == before


def test_importing_an_accounts_own_export_adds_nothing(lifter):
    user, client = lifter
    body = export_json(client)
    before = (Event.objects.count(), Device.objects.count(), projection_state())
    assert import_file(client, body).status_code == 302
    assert (Event.objects.count(), Device.objects.count(), projection_state()) == before


def test_a_reformatted_export_imports_too(lifter):
    user, client = lifter
    pretty = json.dumps(json.loads(export_json(client)), indent=2).encode()
    fresh = make_user("fresh")
    assert import_file(logged_in(fresh), pretty).status_code == 302
    assert projection_state(user_id=fresh.pk, with_user=False) == projection_state(
        user_id=user.pk, with_user=False
    )


def test_import_into_a_guest_account(lifter):
    _, client = lifter
    body = export_json(client)
    from events.devices import guest_create

    guest_user = guest_create()
    guest = logged_in(guest_user)
    assert import_file(guest, body).status_code == 302
    assert Event.objects.filter(user=guest_user).count() == json.loads(body)["event_count"]


def _lines(body: bytes) -> list[str]:
    return body.decode().splitlines()


def _occurred(line: str, value: str) -> str:
    return re.sub(r'"occurred_at":"[^"]*"', f'"occurred_at":"{value}"', line)


def _broken(body: bytes, line_number: int, change) -> bytes:
    lines = _lines(body)
    lines[line_number - 1] = change(lines[line_number - 1])
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda line: line[:-5], "line 4, column"),  # cut JSON
        (lambda line: line.replace('"payload":', '"colour":"red","payload":'), "line 4: colour: unknown field"),
        (lambda line: line.replace('"event_type":"', '"event_type":"X'), "line 4: event_type: unknown event type"),
        (
            lambda line: line.replace('"sequence_number":', '"sequence_number":-'),
            "line 4: sequence_number: must be a whole number",
        ),
        (  # 2^63: past the 64-bit column (the import once answered 500 here)
            lambda line: re.sub(r'"sequence_number":\d+', f'"sequence_number":{2**63}', line),
            f"line 4: sequence_number: must be at most {2**63 - 1}",
        ),
        (
            lambda line: re.sub(r'"sequence_number":\d+', '"sequence_number":' + "9" * 30, line),
            f"line 4: sequence_number: must be at most {2**63 - 1}",
        ),
        (  # more digits than Python converts: refused while reading, not a 500
            lambda line: re.sub(r'"sequence_number":\d+', '"sequence_number":' + "9" * 5000, line),
            "line 4: a number has too many digits",
        ),
        (lambda line: line.replace('"event_id":"', '"event_id":"zz'), "line 4: event_id: not a valid UUID"),
        (lambda line: _occurred(line, "2026-13-02T17:00:00+00:00"), "line 4: occurred_at: must be"),
        (lambda line: _occurred(line, "1066-10-14T09:00:00+00:00"), "line 4: occurred_at: must be between"),
    ],
)
def test_a_malformed_line_is_named_and_nothing_is_imported(lifter, change, message):
    _, client = lifter
    body = _broken(export_json(client), 4, change)
    fresh = make_user("fresh")
    response = import_file(logged_in(fresh), body)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Event.objects.filter(user=fresh).exists() and not Device.objects.filter(user=fresh).exists()
    assert AuditEntry.objects.filter(kind="data.import_failed", user=fresh).exists()


def test_an_invalid_payload_names_the_field(lifter):
    _, client = lifter
    body = export_json(client)
    lines = _lines(body)
    number = next(
        i for i, line in enumerate(lines, start=1) if '"event_type":"SetCompleted"' in line and '"reps":10' in line
    )
    lines[number - 1] = lines[number - 1].replace('"reps":10', '"reps":"ten"')
    fresh = make_user("fresh")
    response = import_file(logged_in(fresh), ("\n".join(lines) + "\n").encode())
    assert response.status_code == 400
    assert f"line {number}: payload.reps" in response.content.decode()
    assert not Event.objects.filter(user=fresh).exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "The submitted file is empty"),
        (b" ", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[1, 2]", "one JSON object"),
        (b'{"format": "strong", "events": []}', "not a Hypertrophy data export"),
        (b'{"format": "hypertrophy-events", "version": 99, "user": {"id": "x"}, "events": []}', "version: 99 is not"),
        (b'{"format": "hypertrophy-events", "version": 1, "user": {"id": "x"}, "events": []}', "user.id: not a valid"),
        (
            b'{"format": "hypertrophy-events", "version": 1,\n"user": {"id": "7d1e0c1e-2a55-4f7a-9d0e-6a1c8e5b4d21"}}',
            "events: required",
        ),
        (b'{\n  "format": "hypertrophy-events",\n  "version": 1,,\n}', "line 3, column"),
    ],
)
def test_a_file_that_is_no_export_is_refused_with_a_reason(db, body, message):
    user = make_user("someone")
    response = import_file(logged_in(user), body)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Event.objects.filter(user=user).exists()


DEEP = 100_000  # far past the JSON decoder's recursion limit


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("document", "the file is nested too deeply"),
        ("line", "line 2: nested too deeply"),
        ("closing", "expected the closing"),
    ],
)
def test_a_deeply_nested_file_is_refused_with_a_reason_not_a_500(lifter, where, message):
    """json.loads raises RecursionError (not a JSONDecodeError) on ``[[[[…``; it was a 500."""
    _, client = lifter
    lines = _lines(export_json(client))
    nested = "[" * DEEP + "]" * DEEP
    if where == "document":
        body = nested.encode()
    elif where == "line":
        body = ("\n".join([lines[0], nested, *lines[1:]]) + "\n").encode()
    else:
        body = ("\n".join([*lines[:-1], '],"x":' + nested + "}"]) + "\n").encode()
    fresh = make_user("fresh")
    response = import_file(logged_in(fresh), body)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Event.objects.filter(user=fresh).exists()


def test_a_cut_off_download_is_refused(lifter):
    _, client = lifter
    lines = _lines(export_json(client))
    cut = ("\n".join(lines[:5]) + "\n").encode()
    fresh = make_user("fresh")
    response = import_file(logged_in(fresh), cut)
    assert response.status_code == 400 and "closing ]}" in response.content.decode()
    # Events missing between the first line and the closing count are noticed too.
    lines[1:3] = []
    response = import_file(logged_in(fresh), ("\n".join(lines) + "\n").encode())
    assert response.status_code == 400 and "says it has" in response.content.decode()
    assert not Event.objects.filter(user=fresh).exists()


def test_a_bad_closing_line_is_named(lifter):
    _, client = lifter
    lines = _lines(export_json(client))
    lines[-1] = '],"event_count":"many"}'
    response = import_file(logged_in(make_user("fresh")), ("\n".join(lines) + "\n").encode())
    assert response.status_code == 400
    assert f"line {len(lines)}: event_count: must be a whole number" in response.content.decode()
    lines[-1] = "]]"
    response = import_file(logged_in(make_user("fresh2")), ("\n".join(lines) + "\n").encode())
    assert response.status_code == 400 and f"line {len(lines)}: expected the closing" in response.content.decode()


def test_an_export_taken_while_the_user_syncs_still_imports(lifter):
    """The count is written after the events, so events synced mid-download cannot make it lie."""
    from hypertrophy.accounts.downloads import export_events_json
    from hypertrophy.testing import DeviceClient, measurement_recorded, new_id

    user, client = lifter
    stream = export_events_json(user=user)
    parts = [next(stream)]
    phone = register_device(client, name="late phone")
    assert isinstance(phone, DeviceClient)
    response = phone.sync([phone.event(*measurement_recorded(new_id(), weight=80, unit="kg"))])
    assert response.status_code == 200
    parts.extend(stream)
    body = "".join(parts).encode()
    fresh = make_user("fresh")
    assert import_file(logged_in(fresh), body).status_code == 302
    assert Event.objects.filter(user=fresh).count() == json.loads(body)["event_count"]


def test_an_oversized_upload_is_refused_before_reading(lifter, settings):
    _, client = lifter
    body = export_json(client)
    settings.DATA_IMPORT_MAX_BYTES = len(body) - 1
    fresh = make_user("fresh")
    response = import_file(logged_in(fresh), body)
    assert response.status_code == 400 and "larger than" in response.content.decode()
    assert not Event.objects.filter(user=fresh).exists()


def test_import_needs_a_file(db):
    response = logged_in(make_user("someone")).post("/settings/data/import", {})
    assert response.status_code == 400 and "This field is required" in response.content.decode()


def test_data_import_service_refuses_events_the_ingest_would_reject_and_rolls_back(lifter):
    """Two events of one device with the same sequence number: the ingest's rule, all rolled back."""
    user, client = lifter
    document = json.loads(export_json(client))
    clash = dict(document["events"][1], event_id="5d1e0c1e-2a55-4f7a-9d0e-6a1c8e5b4d21")
    document["events"].append(clash)
    document["event_count"] += 1
    fresh = make_user("fresh")
    with pytest.raises(ImportFileError) as excinfo:
        data_import(user=fresh, file=io.BytesIO(json.dumps(document).encode()))
    assert "sequence_conflict" in str(excinfo.value)
    assert not Event.objects.filter(user=fresh).exists() and not DeadLetter.objects.filter(user=fresh).exists()
    assert not Device.objects.filter(user=fresh).exists()


# --- who may do what ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/settings/data/", "/settings/data/export.json", "/settings/data/export.csv", "/settings/data/delete"]
)
def test_anonymous_is_sent_to_log_in(db, path):
    response = Client().get(path)
    assert response.status_code == 302 and "login" in response["Location"]


def test_anonymous_cannot_import(lifter):
    _, client = lifter
    body = export_json(client)
    count = Event.objects.count()
    response = import_file(Client(), body)
    assert response.status_code == 302 and "login" in response["Location"]
    assert Event.objects.count() == count


def test_another_user_downloads_only_their_own_data(lifter):
    user, _ = lifter
    other = make_user("other")
    other_client = logged_in(other)
    document = json.loads(export_json(other_client))
    assert document["user"]["id"] == str(other.pk)
    assert document["events"] == [] and document["event_count"] == 0
    assert csv_rows(other_client) == []
    # Query strings cannot point it at someone else.
    body, _ = download(other_client, f"/settings/data/export.json?user={user.pk}&user_id={user.pk}")
    assert json.loads(body)["events"] == []


def test_import_post_needs_csrf(lifter):
    user, client = lifter
    body = export_json(client)
    fresh = make_user("fresh")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(fresh)
    assert import_file(strict, body).status_code == 403
    assert not Event.objects.filter(user=fresh).exists()


def test_the_page_links_downloads_import_and_delete(lifter):
    user, client = lifter
    page = client.get("/settings/data/").content.decode()
    for fragment in (
        'href="/settings/data/export.json"', 'href="/settings/data/export.csv"',
        'action="/settings/data/import"', 'href="/settings/data/delete"',
    ):
        assert fragment in page
    assert f"{Event.objects.filter(user=user).count()} events" in page


def test_the_page_query_count_is_bounded(db):
    from hypertrophy.testing import page_queries

    counts = []
    for weeks in (1, 4):
        user = make_user(f"lifter{weeks}")
        client = logged_in(user)
        rich_history(user, client=client, weeks=weeks)
        counts.append(page_queries(client, "/settings/data/"))
    assert counts[0] == counts[1] <= 6


def test_only_get_for_downloads(lifter):
    _, client = lifter
    assert client.post("/settings/data/export.json").status_code == 405


def _sets_by_name(user) -> list[tuple]:
    from workouts.models import SetEntry
    from workouts.selectors import exercise_names

    live = Workout.objects.filter(user=user).values("workout_id")
    rows = list(SetEntry.objects.filter(user=user, workout_id__in=live))
    names = exercise_names(user=user, exercise_ids={s.exercise_id for s in rows})
    return sorted(
        (
            names[s.exercise_id], s.set_type, s.reps, None if s.weight_kg is None else round(s.weight_kg, 2), s.rpe,
            s.duration_s or 0,
        )
        for s in rows
    )


def test_the_csv_round_trips_through_the_strong_importer(lifter):
    """Our Strong CSV read back by the Strong/Hevy importer (workouts/imports) into a fresh
    account gives the same workouts and sets (set times are not in Strong's layout)."""
    from workouts.imports import parsers
    from workouts.imports.services import import_confirm, import_run, import_upload

    user, client = lifter
    body, _ = download(client, "/settings/data/export.csv")
    fresh = make_user("fresh")
    batch, created = import_upload(user=fresh, filename="export.csv", content=body)
    assert created and batch.layout == parsers.STRONG_EXPORT
    mapping = {m["name"]: m["exercise_id"] for m in batch.matches}
    assert mapping["Barbell Bench Press"] == "barbell-bench-press" and mapping["Plank"] == "plank"
    batch = import_run(batch=import_confirm(batch=batch, mapping=mapping), user=fresh, seconds=None)
    assert batch.rejected_count == 0
    assert _sets_by_name(fresh) == _sets_by_name(user)
    ours = Workout.objects.get(user=user)
    theirs = Workout.objects.get(user=fresh)
    fields = ("name", "notes", "started_at", "ended_at")
    assert [getattr(theirs, f) for f in fields] == [getattr(ours, f) for f in fields]


def test_an_unknown_download_is_a_404(lifter):
    _, client = lifter
    assert client.get("/settings/data/export.xml").status_code == 404
    assert not AuditEntry.objects.filter(kind="data.exported").exists()


def test_downloads_are_registered_once_per_extension():
    from hypertrophy.accounts.downloads import Download, downloads, register_download

    registered = downloads()
    assert list(registered)[:1] == ["json"] and "csv" in registered
    register_download(registered["csv"])  # the same one again (a module imported twice): fine
    with pytest.raises(ValueError, match="already registered"):
        register_download(Download("csv", "Other", "", "text/csv", registered["json"].stream, "other"))


def test_a_file_naming_another_accounts_devices_as_its_own_is_refused(lifter):
    """A crafted file claiming to be the target's own export cannot write to someone else's device."""
    user, client = lifter
    document = json.loads(export_json(client))
    attacker = make_user("attacker")
    document["user"]["id"] = str(attacker.pk)  # "my own export": ids would be kept
    count = Event.objects.count()
    with pytest.raises(ImportFileError, match="belongs to another account"):
        data_import(user=attacker, file=io.BytesIO(json.dumps(document).encode()))
    assert Event.objects.count() == count and not Device.objects.filter(user=attacker).exists()
    assert Event.objects.filter(user=user).count() == document["event_count"]


def test_the_csv_merge_passes_over_sets_of_a_workout_it_does_not_list():
    """Workouts and sets are two reads; a workout synced between them must not stall the rest."""
    import uuid as uuid_module

    from hypertrophy.testing import BASE_TIME, minutes
    from workouts.data_exports import merge_by_workout

    a, late, b = (uuid_module.UUID(int=n) for n in (1, 2, 3))
    t1, t2, t3 = BASE_TIME, BASE_TIME + minutes(60), BASE_TIME + minutes(120)
    workouts = [(a, "A", t1, None, ""), (b, "B", t3, None, "")]
    sets = [(t1, a, "a1"), (t1, a, "a2"), (t2, late, "orphan"), (t3, b, "b1")]
    assert [(w[1], own) for w, own in merge_by_workout(workouts, sets)] == [("A", [("a1",), ("a2",)]), ("B", [("b1",)])]
    # Same start: the workout id decides, in both streams.
    workouts = [(a, "A", t1, None, ""), (b, "B", t1, None, "")]
    sets = [(t1, a, "a1"), (t1, late, "orphan"), (t1, b, "b1")]
    assert [w[1] for w, _ in merge_by_workout(workouts, sets)] == ["A", "B"]


def test_large_counts_read_with_a_thousands_separator(lifter):
    """'Imported 2035 events', '2035 events from 1 device': the rest of the app writes 2,035."""
    _, client = lifter
    page = client.get("/settings/data/?imported=27015&duplicates=1200").content.decode()
    assert "Imported 27,015 events; 1,200 were already here." in page
