"""Where progress photos are stored, and what an upload must be to be one.

Files go through Django's storage API: the ``"photos"`` entry of ``settings.STORAGES`` when
there is one (any backend in production, e.g. S3), else a ``FileSystemStorage`` under
``settings.PHOTOS_ROOT`` (default ``BASE_DIR / "private-media"``), a folder nothing serves:
a photo is only ever answered by ``measurements.views.photo``, to its owner.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages

MAX_PHOTO_BYTES = 10 * 1024 * 1024  # a phone's full-size JPEG fits; the page scales it down anyway
POSES = ("front", "side", "back")

# The type of an image is read from its first bytes, never from what the client claims.
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def photo_storage() -> Storage:
    """The storage of progress photos (looked up on each use, so settings overrides apply)."""
    if "photos" in settings.STORAGES:
        return storages["photos"]
    return FileSystemStorage(location=getattr(settings, "PHOTOS_ROOT", settings.BASE_DIR / "private-media"))


def image_type(head: bytes) -> str | None:
    """The content type of an image that starts with ``head`` (its first 12 bytes or more):
    JPEG, PNG or WebP; ``None`` for anything else."""
    for magic, content_type, _ in _SIGNATURES:
        if head.startswith(magic):
            return content_type
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


class PhotoRejected(Exception):
    """The upload is not a photo this app keeps; ``status`` is the HTTP answer (413, 415, 422)."""

    def __init__(self, message: str, *, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


def photo_content_type(*, pose: str, file) -> str:
    """The content type of an acceptable photo upload (read from its bytes), or ``PhotoRejected``."""
    if pose not in POSES:
        raise PhotoRejected(f"pose: one of {', '.join(POSES)}.")
    if file.size > MAX_PHOTO_BYTES:
        raise PhotoRejected(f"A photo can be at most {MAX_PHOTO_BYTES // (1024 * 1024)} MB.", status=413)
    file.seek(0)
    content_type = image_type(file.read(12))
    file.seek(0)
    if content_type is None:
        raise PhotoRejected("Only JPEG, PNG and WebP photos can be kept.", status=415)
    return content_type
