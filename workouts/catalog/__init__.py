"""The exercise catalog data (``exercises.json``) and its loader."""

from __future__ import annotations

import json
from pathlib import Path

CATALOG_PATH = Path(__file__).with_name("exercises.json")
FIELDS = ("name", "aliases", "equipment", "mechanics", "pattern", "unilateral", "set_kind", "how_to", "muscles", "primary_muscle", "met", "default_rest_s")


def catalog_entries() -> list[dict]:
    return json.loads(CATALOG_PATH.read_text(encoding="utf-8"))


def catalog_load(exercise_model) -> tuple[int, int]:
    """Upsert every catalog entry by slug into ``exercise_model``. Returns (created, updated).

    Takes the model class so a data migration can pass its historical model.
    """
    from workouts.models import build_search_text

    existing = {e.slug: e for e in exercise_model.objects.all()}
    created, updated = [], []
    for entry in catalog_entries():
        values = {name: entry[name] for name in FIELDS}
        values["search_text"] = build_search_text(entry["name"], entry["aliases"])
        obj = existing.get(entry["slug"])
        if obj is None:
            created.append(exercise_model(slug=entry["slug"], **values))
            continue
        if any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            updated.append(obj)
    exercise_model.objects.bulk_create(created)
    if updated:
        exercise_model.objects.bulk_update(updated, [*FIELDS, "search_text"])
    return len(created), len(updated)
