"""Builders for the import tests: the sample files under ``data/`` as uploads, and the mapping
form's answer for a batch."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from workouts.models import ImportBatch

DATA = Path(__file__).parent / "data"


def csv_file(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else (DATA / name).read_bytes(), content_type="text/csv")


def mapping_post(batch: ImportBatch, **overrides) -> dict:
    data = {f"map-{i}": m["exercise_name"] for i, m in enumerate(batch.matches)}
    data.update({"unit": batch.unit, "skip_existing": "on"})
    data.update(overrides)
    return data
