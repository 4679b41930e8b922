"""The measurements app's file for "Download my data": the progress photos as a zip, one
file per photo named by its date and pose, streamed (one photo in memory at a time)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from django.utils import timezone

from hypertrophy.accounts.downloads import Download, register_download
from measurements import selectors
from measurements.photos import EXTENSIONS, photo_storage


class _Pipe:
    """A write-only file for ``zipfile`` whose bytes are taken out as they are written."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.offset = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self.offset

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def photo_archive_name(photo) -> str:
    day = timezone.localtime(photo.measured_at).strftime("%Y-%m-%d_%H%M")
    return f"photos/{day}_{photo.pose}_{photo.photo_id}.{EXTENSIONS.get(photo.content_type, 'bin')}"


def export_photos_zip(*, user) -> Iterator[bytes]:
    """Every progress photo the user can see, in a zip (stored, not compressed: photos are)."""
    pipe = _Pipe()
    storage = photo_storage()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_STORED) as archive:
        for photo in selectors.photo_export(user=user):
            try:
                handle = storage.open(photo.file_name, "rb")
            except FileNotFoundError:
                continue
            with handle, archive.open(photo_archive_name(photo), "w") as entry:
                for chunk in iter(lambda: handle.read(64 * 1024), b""):
                    entry.write(chunk)
                    yield pipe.take()
            yield pipe.take()
    yield pipe.take()


register_download(
    Download(
        extension="zip",
        label="My progress photos (zip)",
        description="Every progress photo you kept, named by date and pose (front, side, back).",
        content_type="application/zip",
        stream=export_photos_zip,
        audit_format="photos",
    )
)
