import uuid

from hypertrophy.testing import set_completed, workout_started


def test_health(client, db):
    assert client.get("/health").json() == {"status": "ok", "database": "ok"}


def test_round_trip(device):
    w, s = str(uuid.uuid4()), str(uuid.uuid4())
    r = device.sync([device.event(*workout_started(w)), device.event(*set_completed(s, w))])
    assert r.status_code == 200, r.content
    assert r.json()["accepted_count"] == 2
    detail = device.get(f"/api/v1/workouts/{w}").json()
    assert [x["set_id"] for x in detail["sets"]] == [s]
