"""Import housekeeping: previews never confirmed are forgotten after seven days, on the user's
visit to /import/ and for everyone with ``manage.py purge_import_previews``; imported and
undone batches, recent previews and other users' previews stay."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from events.models import Event
from hypertrophy.testing import logged_in, make_user
from workouts.imports import samples, services
from workouts.models import ImportBatch

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def _preview(user, *, days_old: float, seed: int) -> ImportBatch:
    batch, _ = services.import_upload(user=user, filename=f"f{seed}.csv", content=samples.strong_history(workouts=2, seed=seed))
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return batch


def _imported(user, *, days_old: float) -> ImportBatch:
    batch, _ = services.import_upload(user=user, filename="hevy.csv", content=(DATA / "hevy_kg.csv").read_bytes())
    services.import_confirm(batch=batch, mapping={m["name"]: m["exercise_id"] for m in batch.matches})
    batch = services.import_run(batch=batch, user=user, seconds=None)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return batch


def _ids(user) -> set:
    return set(ImportBatch.objects.filter(user=user).values_list("pk", flat=True))


def test_a_visit_to_import_forgets_only_that_users_stale_previews():
    owner, other = make_user("owner"), make_user("other")
    stale = _preview(owner, days_old=8, seed=1)
    fresh = _preview(owner, days_old=6.9, seed=2)
    done = _imported(owner, days_old=30)
    others = _preview(other, days_old=30, seed=3)
    events = Event.objects.count()
    Client().get("/import/")  # an anonymous visit purges nobody's
    assert ImportBatch.objects.filter(pk=stale.pk).exists()
    page = logged_in(owner).get("/import/")
    assert page.status_code == 200
    assert _ids(owner) == {fresh.pk, done.pk}
    assert _ids(other) == {others.pk}
    assert Event.objects.count() == events  # a preview never wrote an event
    assert logged_in(owner).get(f"/import/{stale.pk}/").status_code == 404


def test_the_command_purges_every_users_stale_previews():
    a, b = make_user("a"), make_user("b")
    _preview(a, days_old=10, seed=1)
    keep = _preview(a, days_old=1, seed=2)
    _preview(b, days_old=7.5, seed=3)
    done = _imported(b, days_old=100)
    out = StringIO()
    call_command("purge_import_previews", stdout=out)
    assert "2 older than 7 days deleted" in out.getvalue()
    assert _ids(a) == {keep.pk} and _ids(b) == {done.pk}
    call_command("purge_import_previews", "--days", "1", stdout=StringIO())
    assert _ids(a) == set()


def test_the_command_refuses_a_bad_age():
    with pytest.raises(CommandError):
        call_command("purge_import_previews", "--days", "0")
