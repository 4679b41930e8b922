"""Import pages: upload → preview → confirm → progress → done → undo; who may see what; CSRF;
form errors instead of 500s; bounded queries."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from events.models import Event
from hypertrophy.testing import assert_strict, logged_in, make_user, page_queries
from workouts.imports import samples, services
from workouts.models import ImportBatch
from workouts.models import SetEntry, UserExercise, Workout
from workouts.tests.imports.builders import DATA, csv_file, mapping_post

pytestmark = pytest.mark.django_db

def test_the_whole_flow_through_the_pages():
    user = make_user("flow")
    client = logged_in(user)
    page = client.get("/import/")
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content and b"No imports yet." in page.content

    response = client.post("/import/", {"file": csv_file("strong_semicolon.csv")})
    batch = ImportBatch.objects.get(user=user)
    assert response.status_code == 302 and response.url == f"/import/{batch.pk}/"
    assert not Event.objects.filter(user=user).exists()  # nothing written before the confirmation

    assert_strict(client.get(response.url), "preview")
    preview = client.get(response.url).content.decode()
    assert "Preview: strong_semicolon.csv" in preview
    assert re.search(r"<dt>Workouts</dt><dd>2</dd>.*<dt>Sets</dt><dd>6</dd>", preview, re.S)
    assert "4 Mar 2024" in preview and "6 Mar 2024" in preview
    assert "<dt>Weights in</dt><dd>kg and lb</dd>" in preview  # the file mixes both
    assert 'value="Barbell Bench Press"' in preview  # "Bench Press (Barbell)" matched
    assert "1 name did not match" in preview and "Zottman Curl" in preview
    assert preview.index("Zottman Curl") < preview.index("Bench Press (Barbell)")  # what needs a look comes first
    assert '<datalist id="exercise-names">' in preview

    response = client.post(f"/import/{batch.pk}/confirm", mapping_post(batch))
    assert response.status_code == 302
    assert_strict(client.get(f"/import/{batch.pk}/"), "progress")
    progress = client.get(f"/import/{batch.pk}/").content.decode()
    assert f'hx-post="/import/{batch.pk}/run"' in progress and "<progress" in progress

    assert "the 1 custom exercise it created stays in your list" in progress
    step = client.post(f"/import/{batch.pk}/run", headers={"HX-Request": "true"})
    assert step.status_code == 200 and b"Imported." in step.content and b"<html" not in step.content
    assert Workout.objects.filter(user=user).count() == 2 and SetEntry.objects.filter(user=user).count() == 6
    assert UserExercise.objects.get(user=user).name == "Zottman Curl"

    assert_strict(client.get("/import/"), "index")
    assert_strict(client.get(f"/import/{batch.pk}/"), "done")
    listing = client.get("/import/").content.decode()
    assert "strong_semicolon.csv" in listing and "Imported" in listing and f'action="/import/{batch.pk}/undo"' in listing

    assert client.post(f"/import/{batch.pk}/undo").status_code == 302
    assert not Workout.objects.filter(user=user).exists()
    assert b"Undone." in client.get(f"/import/{batch.pk}/").content


def test_past_imports_name_one_month_once():
    """An import of one month read “Mar 2024–Mar 2024”."""
    user = make_user("months")
    client = logged_in(user)
    client.post("/import/", {"file": csv_file("strong_semicolon.csv")})  # 4–6 Mar 2024
    later = (DATA / "strong_semicolon.csv").read_bytes().replace(b"2024-03-06", b"2024-05-06")
    client.post("/import/", {"file": csv_file("later.csv", later)})
    listing = client.get("/import/").content.decode()
    assert "sets · Mar 2024</span>" in listing and "Mar 2024–Mar 2024" not in listing
    assert "Mar 2024–May 2024" in listing


def confirmed(client: Client, user, name: str) -> ImportBatch:
    """Upload ``name`` through the page and confirm the suggested mapping."""
    client.post("/import/", {"file": csv_file(name)})
    batch = ImportBatch.objects.get(user=user)
    client.post(f"/import/{batch.pk}/confirm", mapping_post(batch))
    return batch


def test_without_javascript_the_run_form_imports_everything():
    user = make_user("nojs")
    client = logged_in(user)
    batch = confirmed(client, user, "hevy_kg.csv")
    assert b"<noscript>" in client.get(f"/import/{batch.pk}/").content
    response = client.post(f"/import/{batch.pk}/run")
    assert response.status_code == 302 and response.url == f"/import/{batch.pk}/"
    assert ImportBatch.objects.get(pk=batch.pk).status == "done"
    assert Workout.objects.filter(user=user).count() == 2


def test_uploading_the_same_file_again_shows_the_existing_import():
    user = make_user("again")
    client = logged_in(user)
    batch = confirmed(client, user, "hevy_kg.csv")
    client.post(f"/import/{batch.pk}/run")
    events = Event.objects.filter(user=user).count()
    response = client.post("/import/", {"file": csv_file("hevy_kg.csv")})
    assert response.url == f"/import/{batch.pk}/?again=1"
    assert b"already imported" in client.get(response.url).content
    assert ImportBatch.objects.filter(user=user).count() == 1 and Event.objects.filter(user=user).count() == events


def test_a_file_without_units_asks_for_one_with_no_default():
    """Even a lifter whose setting is pounds chooses: nothing is pre-selected."""
    user = make_user("unitless", weight_unit="lb")
    client = logged_in(user)
    client.post("/import/", {"file": csv_file("strong_comma.csv")})
    batch = ImportBatch.objects.get(user=user)
    assert batch.unit == ""
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert page.count('type="radio" name="unit"') == 2 and " checked>" not in page.split('name="unit"', 1)[1][:400]
    assert "<dt>Weights in</dt><dd>choose below</dd>" in page
    client.post(f"/import/{batch.pk}/confirm", mapping_post(batch, unit="kg"))
    client.post(f"/import/{batch.pk}/run")
    assert set(SetEntry.objects.filter(user=user).values_list("unit", flat=True)) == {"kg"}


def test_a_guest_cannot_import_a_file_without_units_without_choosing():
    client = Client()
    content = samples.strong_comma_pounds()
    client.post("/import/", {"file": csv_file("pounds.csv", content)})
    batch = ImportBatch.objects.get()
    page = client.get(f"/import/{batch.pk}/").content.decode()
    # The evidence is shown: 135, 225 and 315 on a bar are plates of 45 lb.
    assert "Barbell loads like 135" in page and "This looks like pounds." in page
    post = mapping_post(batch)
    post.pop("unit", None)
    response = client.post(f"/import/{batch.pk}/confirm", post)
    assert response.status_code == 400
    assert "Choose whether this file&#x27;s weights are in kg or lb." in response.content.decode()
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PREVIEW
    assert not Event.objects.filter(user=batch.user).exists() and not SetEntry.objects.exists()
    client.post(f"/import/{batch.pk}/confirm", mapping_post(batch, unit="lb"))
    client.post(f"/import/{batch.pk}/run")
    bench = SetEntry.objects.filter(exercise_id="barbell-bench-press").order_by("-weight").first()
    assert (bench.weight, bench.unit) == (225.0, "lb")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n", "The file is empty."),
        (b"PK\x03\x04\x00\x00binary", "This is not a CSV text file"),
        (b"Date;Workout Name\n2024-01-01;A\n", "Line 1: the header is not a Strong or Hevy export"),
        (b"Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
         b"2023-01-12 18:00,Pull,50m,Pull Up,1,abc,8,0,0,,,\n", "Line 2: Weight: &#x27;abc&#x27; is not a number."),
    ],
)
def test_malformed_uploads_are_form_errors_with_the_line(content, message):
    user = make_user("errors")
    response = logged_in(user).post("/import/", {"file": csv_file("bad.csv", content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists() and not Event.objects.exists()


def test_a_file_over_the_limit_is_a_form_error(monkeypatch):
    from workouts.imports import forms

    monkeypatch.setattr(forms, "MAX_BYTES", 10 * 1024)
    response = logged_in(make_user("big")).post("/import/", {"file": csv_file("big.csv", samples.strong_history(workouts=20))})
    assert response.status_code == 400 and b"the limit is 10.0\xc2\xa0KB." in response.content
    assert not ImportBatch.objects.exists()


def test_an_upload_without_a_file_is_a_form_error():
    response = logged_in(make_user("nofile")).post("/import/", {})
    assert response.status_code == 400 and b"This field is required." in response.content


def test_a_mapping_to_an_unknown_exercise_is_a_form_error():
    user = make_user("typo")
    client = logged_in(user)
    client.post("/import/", {"file": csv_file("strong_semicolon.csv")})
    batch = ImportBatch.objects.get(user=user)
    response = client.post(f"/import/{batch.pk}/confirm", mapping_post(batch, **{"map-0": "Bench Pressss"}))
    assert response.status_code == 400 and b"No exercise is called" in response.content
    assert ImportBatch.objects.get(pk=batch.pk).status == "preview" and not Event.objects.filter(user=user).exists()


def test_anonymous_visitors_see_the_form_and_no_batch():
    owner = make_user("owner")
    batch, _ = services.import_upload(user=owner, filename="x.csv", content=(DATA / "hevy_kg.csv").read_bytes())
    anonymous = Client()
    page = anonymous.get("/import/")
    assert page.status_code == 200 and b"x.csv" not in page.content
    assert anonymous.get(f"/import/{batch.pk}/").status_code == 404
    for action in ("confirm", "run", "undo"):
        assert anonymous.post(f"/import/{batch.pk}/{action}").status_code == 404
    assert ImportBatch.objects.get(pk=batch.pk).status == "preview"


def test_a_visitor_upload_creates_their_guest_account_like_every_first_write():
    client = Client()
    response = client.post("/import/", {"file": csv_file("hevy_kg.csv")})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.user.is_guest
    assert client.get(response.url).status_code == 200


def test_another_users_import_is_404_and_untouched():
    owner, other = make_user("owner"), make_user("other")
    batch, _ = services.import_upload(user=owner, filename="mine.csv", content=(DATA / "hevy_kg.csv").read_bytes())
    client = logged_in(other)
    assert client.get(f"/import/{batch.pk}/").status_code == 404
    assert client.post(f"/import/{batch.pk}/confirm", mapping_post(batch)).status_code == 404
    assert client.post(f"/import/{batch.pk}/run", headers={"HX-Request": "true"}).status_code == 404
    assert client.post(f"/import/{batch.pk}/undo").status_code == 404
    assert b"mine.csv" not in client.get("/import/").content
    assert ImportBatch.objects.get(pk=batch.pk).status == "preview" and not Event.objects.exists()
    # Done, then undone by someone else: still 404 and still imported.
    mapping = {m["name"]: m["exercise_id"] for m in batch.matches}
    services.import_run(batch=services.import_confirm(batch=batch, mapping=mapping), user=owner, seconds=None)
    assert client.post(f"/import/{batch.pk}/undo").status_code == 404
    assert Workout.objects.filter(user=owner).count() == 2


def test_posts_need_the_csrf_token():
    user = make_user("csrf")
    batch, _ = services.import_upload(user=user, filename="x.csv", content=(DATA / "hevy_kg.csv").read_bytes())
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/import/", {"file": csv_file("strong_export.csv")}).status_code == 403
    for action in ("confirm", "run", "undo"):
        assert client.post(f"/import/{batch.pk}/{action}", mapping_post(batch)).status_code == 403
    assert ImportBatch.objects.filter(user=user).count() == 1 and ImportBatch.objects.get(pk=batch.pk).status == "preview"
    # With the token (as the page's forms and HTMX send it) the same post works.
    page = client.get("/import/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()
    assert client.post(f"/import/{batch.pk}/undo", {"csrfmiddlewaretoken": token}).status_code == 302


def test_get_only_and_post_only():
    user = make_user("methods")
    batch, _ = services.import_upload(user=user, filename="x.csv", content=(DATA / "hevy_kg.csv").read_bytes())
    client = logged_in(user)
    assert client.get(f"/import/{batch.pk}/run").status_code == 405
    assert client.post(f"/import/{batch.pk}/").status_code == 405


def _imported(user, content: bytes, name: str) -> ImportBatch:
    batch, _ = services.import_upload(user=user, filename=name, content=content)
    services.import_confirm(batch=batch, mapping={m["name"]: m["exercise_id"] for m in batch.matches})
    return services.import_run(batch=batch, user=user, seconds=None)


def test_page_queries_do_not_grow_with_the_file_or_the_number_of_imports():
    small, large = make_user("small"), make_user("large")
    small_batch = _imported(small, (DATA / "hevy_kg.csv").read_bytes(), "small.csv")
    large_batch = _imported(large, samples.strong_history(workouts=200, sets_per_workout=25), "large.csv")
    for n in range(25):
        services.import_upload(user=large, filename=f"more-{n}.csv", content=samples.strong_history(workouts=2, seed=n + 100))
    small_preview, _ = services.import_upload(user=small, filename="p.csv", content=(DATA / "strong_export.csv").read_bytes())
    large_preview = ImportBatch.objects.filter(user=large, status="preview").first()
    small_client, large_client = logged_in(small), logged_in(large)
    for path_small, path_large in [
        ("/import/", "/import/"),
        (f"/import/{small_batch.pk}/", f"/import/{large_batch.pk}/"),
        (f"/import/{small_preview.pk}/", f"/import/{large_preview.pk}/"),
    ]:
        counts = (page_queries(small_client, path_small), page_queries(large_client, path_large))
        assert counts[0] == counts[1] <= 6, (path_small, counts)


def test_one_workout_is_not_called_workouts():
    user = make_user("singular")
    client = logged_in(user)
    one = (
        "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,"
        "weight_kg,reps\n"
        'Push,"3 Oct 2025, 06:00","3 Oct 2025, 07:00",,Bench Press (Barbell),,,0,normal,60,10\n'
    ).encode()
    client.post("/import/", {"file": csv_file("one.csv", one)})
    batch = ImportBatch.objects.get(user=user)
    assert b"Import 1 workout</button>" in client.get(f"/import/{batch.pk}/").content
    client.post(f"/import/{batch.pk}/confirm", mapping_post(batch))
    client.post(f"/import/{batch.pk}/run")
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert "1 workout and 1 set from 3 Oct 2025" in page and "1 workouts" not in page
    assert "1 workout · 1 set" in client.get("/import/").content.decode()
    client.post(f"/import/{batch.pk}/undo")
    assert "The 1 workout of this import was deleted." in client.get(f"/import/{batch.pk}/").content.decode()


def test_a_newer_export_says_which_workouts_were_imported_before():
    """A newer export of the same app (one workout more) has the same workouts: only the new one
    is written, and the summary used to say “Imported. 2 workouts and 10 sets” while it wrote nothing."""
    user = make_user("overlap")
    client = logged_in(user)
    first = confirmed(client, user, "hevy_kg.csv")
    client.post(f"/import/{first.pk}/run")
    sets = SetEntry.objects.filter(user=user).count()
    newer = (DATA / "hevy_kg.csv").read_bytes().rstrip(b"\r\n") + b"\n" + (
        b'Push,"3 Oct 2025, 06:00","3 Oct 2025, 07:00",,Bench Press (Barbell),,,0,normal,60,10,,,\n'
    )
    client.post("/import/", {"file": csv_file("newer.csv", newer)})
    batch = ImportBatch.objects.filter(user=user).exclude(pk=first.pk).get()
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert "2 workouts of this file were imported before" in page and "nothing in them is new" in page
    assert "Skip the" not in page  # they are not "workouts you already have" to skip: they are these
    assert "Import what is new</button>" in page
    client.post(f"/import/{batch.pk}/confirm", mapping_post(batch))
    client.post(f"/import/{batch.pk}/run")
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert "Imported.</strong> 1 workout and 1 set from" in page, page
    assert "2 workouts of the file were imported before: only what is new in them was added." in page
    assert SetEntry.objects.filter(user=user).count() == sets + 1


def test_the_preview_lists_the_lines_left_out_and_the_workouts_left_running():
    header = (DATA / "strong_comma.csv").read_bytes().split(b"\n", 1)[0].decode()
    rows = [
        "2024-03-04 18:00:00,Push,71h 45m,Bench Press (Barbell),1,100,5,0,0,,,",
        "2024-03-04 18:00:00,Push,71h 45m,Bench Press (Barbell),2,100,877777,0,0,,,",
        "2024-03-06 18:00:00,Legs,1h,Squat (Barbell),1,140,5,0,0,,,",
    ]
    client = logged_in(make_user("messy"))
    response = client.post("/import/", {"file": csv_file("messy.csv", ("\n".join([header, *rows]) + "\n").encode())})
    page = client.get(response.url).content.decode()
    assert "1 line cannot be read and is left out" in page
    assert "<li>Line 3: Reps: &#x27;877777&#x27; is more than 10000.</li>" in page
    assert "1 workout lasted over a day (left running?)" in page and "<li>Line 2: 71h 45m</li>" in page
    assert "its duration is left out of your time figures" in page


def test_a_localised_header_says_how_it_was_recognised():
    header = "日期,锻炼名称,时长,运动名称,设置顺序,重量,次,距离,秒,备注,锻炼备注,RPE"
    row = '2024-03-04 18:00:00,"推","1小时13分钟","Bench Press (Barbell)",1,100.0,5,0,0,"","",'
    client = logged_in(make_user("chinese"))
    response = client.post("/import/", {"file": csv_file("strong.csv", f"{header}\n{row}\n".encode())})
    page = client.get(response.url).content.decode()
    assert "its header is in another language: the columns were recognised by their contents" in page
