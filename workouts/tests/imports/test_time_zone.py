"""An import reads a file's wall-clock times in the lifter's time zone (``User.time_zone``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from hypertrophy.testing import logged_in, make_user
from workouts.imports.parsers import parse
from workouts.models import ImportBatch, Workout
from workouts.tests.imports.builders import DATA, csv_file, mapping_post

pytestmark = pytest.mark.django_db

NAME = "strong_semicolon.csv"


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Los_Angeles"])
def test_the_files_times_are_the_lifters_wall_clock(zone):
    user = make_user("abroad", time_zone=zone)
    client = logged_in(user)
    assert client.post("/import/", {"file": csv_file(NAME)}).status_code == 302
    batch = ImportBatch.objects.get(user=user)
    assert client.post(f"/import/{batch.pk}/confirm", mapping_post(batch)).status_code == 302
    assert client.post(f"/import/{batch.pk}/run", headers={"HX-Request": "true"}).status_code == 200

    content = (DATA / NAME).read_bytes()
    in_zone = sorted(w.started_at for w in parse(content, tz=ZoneInfo(zone)).workouts)
    in_utc = sorted(w.started_at for w in parse(content, tz=ZoneInfo("UTC")).workouts)
    assert in_zone != in_utc  # the zone matters for this file
    stored = sorted(Workout.objects.filter(user=user).values_list("started_at", flat=True))
    assert stored == in_zone
    # Read back on a page in the lifter's zone, the clock shows what the file said.
    assert [t.astimezone(ZoneInfo(zone)).replace(tzinfo=None) for t in stored] == [
        t.replace(tzinfo=None) for t in in_utc
    ]
