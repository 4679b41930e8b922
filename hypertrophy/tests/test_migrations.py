"""Data migrations run frozen code and still do what the live code does today."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from workouts.catalog import catalog_entries, catalog_load
from workouts.models import Exercise

pytestmark = pytest.mark.django_db


def state_apps(app: str, migration: str):
    """The historical models right after ``app``'s ``migration``."""
    executor = MigrationExecutor(connection)
    return executor.loader.project_state((app, migration)).apps


def test_the_frozen_catalog_migration_loads_what_the_live_loader_would():
    migration = importlib.import_module("workouts.migrations.0002_load_catalog")
    Exercise.objects.all().delete()

    migration.load(state_apps("workouts", "0002_load_catalog"), None)

    entries = catalog_entries()
    assert Exercise.objects.count() == len(entries)
    assert catalog_load(Exercise) == (0, 0)  # nothing left for the live loader to create or change


def test_the_frozen_catalog_migration_repairs_changed_rows_and_runs_twice():
    migration = importlib.import_module("workouts.migrations.0002_load_catalog")
    historical = state_apps("workouts", "0002_load_catalog")
    migration.load(historical, None)
    first = catalog_entries()[0]
    Exercise.objects.filter(slug=first["slug"]).update(how_to="changed by hand", met=99)

    migration.load(historical, None)
    migration.load(historical, None)

    row = Exercise.objects.get(slug=first["slug"])
    assert (row.how_to, row.met) == (first["how_to"], first["met"])
    assert Exercise.objects.count() == len(catalog_entries())
