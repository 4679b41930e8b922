"""Progress photos (measurements/photos.py, services.photo_attach, the upload endpoint in
api.py, photo_views.py, data_exports.py): upload, idempotency, validation, who sees a photo,
the side-by-side view, the download, and the files going with the account."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hypertrophy.accounts.services import account_delete
from hypertrophy.testing import assert_error, logged_in, make_user, measurement_recorded, new_id, synced
from measurements import services
from measurements.models import ProgressPhoto
from measurements.photos import MAX_PHOTO_BYTES, image_type, photo_storage
from measurements.tests.photo_files import png

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(40)


@pytest.fixture(autouse=True)
def photo_dir(settings, tmp_path):
    """Photos of these tests go to a folder of their own."""
    location = tmp_path / "photos"
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}},
    }
    return location


def stored_files(location) -> list:
    return sorted(p for p in location.rglob("*") if p.is_file()) if location.exists() else []


def upload(client: Client, measurement_id, *, photo_id=None, pose="front", body: bytes | None = None, headers=None):
    data = {"photo_id": str(photo_id or uuid.uuid4()), "pose": pose}
    if body is not False:
        data["file"] = SimpleUploadedFile("p.png", png() if body is None else body, content_type="image/png")
    return client.post(f"/api/v1/measurements/{measurement_id}/photos", data, headers=headers or {})


def device_user(device):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=device.user_id)


def measured(device, **values) -> str:
    measurement_id = new_id()
    values = values or {"weight": 80.0, "unit": "kg"}
    synced(device.sync([device.event(*measurement_recorded(measurement_id, **values))]))
    return measurement_id


# --- what an image is ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "head, expected",
    [(png(), "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp"), (b"GIF89a" + bytes(10), None),
     (b"<svg xmlns=", None), (b"RIFF\x00\x00\x00\x00WAVE", None), (b"", None)],
)
def test_the_type_comes_from_the_bytes(head, expected):
    assert image_type(head[:12]) == expected


# --- upload ------------------------------------------------------------------------------------


def test_a_device_uploads_a_photo_and_its_owner_sees_it(device, photo_dir):
    measurement_id = measured(device)
    photo_id = uuid.uuid4()
    response = upload(device.client, measurement_id, photo_id=photo_id, headers=device.auth)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {
        "photo_id": str(photo_id), "measurement_id": measurement_id, "pose": "front", "content_type": "image/png",
        "size": len(png()), "url": f"/measurements/photos/{photo_id}", "duplicate": False,
    }
    [path] = stored_files(photo_dir)
    assert path.read_bytes() == png()
    served = logged_in(device_user(device)).get(body["url"])
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == png()
    assert served["Content-Type"] == "image/png"
    assert served["Cache-Control"] == "private, no-store"


def test_the_same_photo_twice_is_stored_once(device, photo_dir):
    measurement_id = measured(device)
    photo_id = uuid.uuid4()
    assert upload(device.client, measurement_id, photo_id=photo_id, headers=device.auth).status_code == 201
    again = upload(device.client, measurement_id, photo_id=photo_id, headers=device.auth)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert ProgressPhoto.objects.count() == 1 and len(stored_files(photo_dir)) == 1
    # The same id for another measurement is a conflict, not a second photo.
    assert_error(upload(device.client, measured(device), photo_id=photo_id, headers=device.auth), 409, "conflict")


def test_a_session_uploads_with_csrf_only(device):
    measurement_id = measured(device)
    user = device_user(device)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert_error(upload(strict, measurement_id), 403, "forbidden")
    strict.get("/measurements/")  # sets the CSRF cookie
    token = strict.cookies["csrftoken"].value
    assert upload(strict, measurement_id, headers={"X-CSRFToken": token}).status_code == 201


@pytest.mark.parametrize(
    "kind, status, code",
    [
        ("text", 415, "unsupported_media_type"),
        ("svg", 415, "unsupported_media_type"),
        ("large", 413, "payload_too_large"),
        ("pose", 422, "validation_error"),
        ("nofile", 422, "validation_error"),
        ("unknown", 404, "not_found"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(device, photo_dir, kind, status, code):
    measurement_id = measured(device)
    body = {
        "text": b"this is not a photo, whatever its name says",
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        "large": b"\xff\xd8\xff" + bytes(MAX_PHOTO_BYTES),
    }.get(kind)
    response = upload(
        device.client,
        new_id() if kind == "unknown" else measurement_id,
        pose="top" if kind == "pose" else "front",
        body=False if kind == "nofile" else body,
        headers=device.auth,
    )
    assert_error(response, status, code)
    assert ProgressPhoto.objects.count() == 0 and stored_files(photo_dir) == []


def test_nobody_uploads_to_another_users_measurement(device, other_device, photo_dir):
    theirs = measured(other_device)
    assert_error(upload(device.client, theirs, headers=device.auth), 404, "not_found")
    assert_error(upload(Client(), theirs), 401, "not_authenticated")
    assert ProgressPhoto.objects.count() == 0 and stored_files(photo_dir) == []


# --- who sees a photo --------------------------------------------------------------------------


def test_only_the_owner_gets_a_photo_page_image_or_comparison(device, other_device):
    measurement_id = measured(device)
    url = upload(device.client, measurement_id, headers=device.auth).json()["url"]
    owner, other = logged_in(device_user(device)), logged_in(device_user(other_device))
    assert owner.get(url).status_code == 200
    assert url in owner.get("/measurements/").content.decode()
    for client in (other, Client()):
        assert client.get(url).status_code == 404
        page = client.get(f"/measurements/?before={measurement_id}&after={measurement_id}").content.decode()
        assert url not in page and "Progress photos</h2>" not in page
    assert other.get(url.replace(url.rsplit("/", 1)[1], str(uuid.uuid4()))).status_code == 404


def test_a_deleted_measurements_photos_are_no_longer_shown(device):
    from hypertrophy.testing import measurement_deleted

    measurement_id = measured(device)
    url = upload(device.client, measurement_id, headers=device.auth).json()["url"]
    synced(device.sync([device.event(*measurement_deleted(measurement_id))]))
    owner = logged_in(device_user(device))
    assert owner.get(url).status_code == 404
    assert url not in owner.get("/measurements/").content.decode()
    assert zip_names(owner) == []


def test_two_dates_side_by_side(device):
    from datetime import timedelta

    from hypertrophy.testing import BASE_TIME

    first, later = new_id(), new_id()
    synced(device.sync([
        device.event(*measurement_recorded(first, at=BASE_TIME, weight=84.0, unit="kg")),
        device.event(*measurement_recorded(later, at=BASE_TIME + timedelta(days=60), weight=80.0, unit="kg")),
    ]))
    urls = {}
    for measurement_id in (first, later):
        for pose in ("front", "back"):
            answer = upload(device.client, measurement_id, pose=pose, headers=device.auth)
            urls[measurement_id, pose] = answer.json()["url"]
    page = logged_in(device_user(device)).get("/measurements/").content.decode()
    compare = page[page.index('id="photos"'):page.index("</table>", page.index('id="photos"'))]
    # By default the first date on the left, the latest on the right, the same pose on one row.
    for pose in ("front", "back"):
        assert compare.index(urls[first, pose]) < compare.index(urls[later, pose])
    assert compare.index(urls[first, "front"]) < compare.index(urls[first, "back"])
    assert "Side" not in compare
    # Picking the same date twice shows it alone.
    same = logged_in(device_user(device)).get(f"/measurements/?before={later}&after={later}").content.decode()
    assert urls[first, "front"] not in same[same.index('id="photos"'):same.index('id="list-title"')]


# --- the form without JavaScript ---------------------------------------------------------------


def test_the_form_post_keeps_its_photos():
    owner = make_user("lifter")
    client = logged_in(owner)
    photo = SimpleUploadedFile("front.png", png(), content_type="image/png")
    assert client.post("/measurements/", {"weight": "80", "photo_front": photo}).status_code == 302
    [kept] = ProgressPhoto.objects.filter(user=owner)
    assert kept.pose == "front" and client.get(f"/measurements/photos/{kept.photo_id}").status_code == 200
    bad = SimpleUploadedFile("side.png", b"not an image", content_type="image/png")
    response = client.post("/measurements/", {"weight": "81", "photo_side": bad})
    assert response.status_code == 400
    assert "Side photo: Only JPEG, PNG and WebP photos can be kept." in response.content.decode()
    assert ProgressPhoto.objects.filter(user=owner).count() == 1


# --- the download and the account's deletion ---------------------------------------------------


def zip_names(client: Client) -> list[str]:
    response = client.get("/settings/data/export.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    return archive.namelist()


def test_the_download_holds_every_photo(device):
    measurement_id = measured(device)
    ids = {pose: upload(device.client, measurement_id, pose=pose, headers=device.auth, body=body).json()["photo_id"]
           for pose, body in (("front", png()), ("side", JPEG))}
    client = logged_in(device_user(device))
    assert 'href="/settings/data/export.zip"' in client.get("/settings/data/").content.decode()
    response = client.get("/settings/data/export.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert len(names) == 2
    [front] = [n for n in names if ids["front"] in n]
    [side] = [n for n in names if ids["side"] in n]
    assert front.endswith(f"_front_{ids['front']}.png") and side.endswith(f"_side_{ids['side']}.jpg")
    assert archive.read(front) == png() and archive.read(side) == JPEG
    assert zip_names(logged_in(device_user(device))) == names  # the same photos each time


def test_the_account_goes_with_its_photos_and_files(
    device, other_device, photo_dir, django_capture_on_commit_callbacks
):
    mine, theirs = measured(device), measured(other_device)
    upload(device.client, mine, headers=device.auth)
    upload(device.client, mine, pose="back", headers=device.auth)
    kept = upload(other_device.client, theirs, headers=other_device.auth).json()["url"]
    assert len(stored_files(photo_dir)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=device_user(device))
    assert {str(u) for u in ProgressPhoto.objects.values_list("user_id", flat=True)} == {str(other_device.user_id)}
    [left] = stored_files(photo_dir)
    assert left.parent.name == str(other_device.user_id)
    assert logged_in(device_user(other_device)).get(kept).status_code == 200


def test_a_failed_row_leaves_no_file(device, photo_dir, monkeypatch):
    measurement_id = measured(device)

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(ProgressPhoto.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.photo_attach(
            user=device_user(device), measurement_id=uuid.UUID(measurement_id), photo_id=uuid.uuid4(), pose="front",
            file=SimpleUploadedFile("p.png", png()),
        )
    assert stored_files(photo_dir) == []
    assert photo_storage().location == str(photo_dir)


def test_a_guests_photos_follow_into_the_account_they_log_in_to(device, photo_dir):
    from hypertrophy.accounts.services import guest_merge

    measurement_id = measured(device)
    url = upload(device.client, measurement_id, headers=device.auth).json()["url"]
    owner = make_user("owner")
    assert guest_merge(guest_id=device.user_id, account=owner).merged
    client = logged_in(owner)
    served = client.get(url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == png()
    assert url in client.get("/measurements/").content.decode()


def test_uploads_are_rate_limited_per_user(device, other_device, settings):
    settings.PHOTO_UPLOAD_RATE = "2/h"
    measurement_id = measured(device)
    for _ in range(2):
        assert upload(device.client, measurement_id, headers=device.auth).status_code == 201
    assert_error(upload(device.client, measurement_id, headers=device.auth), 429, "rate_limited")
    assert upload(other_device.client, measured(other_device), headers=other_device.auth).status_code == 201


def test_the_photos_of_deleted_measurements_can_be_purged(device, photo_dir, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from hypertrophy.testing import measurement_deleted

    gone, kept = measured(device), measured(device)
    for measurement_id in (gone, kept):
        upload(device.client, measurement_id, headers=device.auth)
    synced(device.sync([device.event(*measurement_deleted(gone))]))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_hidden_photos", stdout=out)
    assert out.getvalue().strip() == "Removed 1 photo of deleted measurements."
    [left] = ProgressPhoto.objects.all()
    assert str(left.measurement_id) == kept
    assert [p.name for p in stored_files(photo_dir)] == [left.file_name.rsplit("/", 1)[1]]
