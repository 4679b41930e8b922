"""Holdings: what a user holds of each app's data, counted by the counters the apps register
(the events app names none of them)."""

from __future__ import annotations

import uuid

import pytest

from events.registry import Registry, registry


def test_a_holding_is_registered_once_and_counted_by_its_counter():
    fresh = Registry()
    seen = []
    fresh.register_holding("things", singular="thing", count=lambda user_id: seen.append(user_id) or 7)
    user_id = uuid.uuid4()
    assert fresh.holdings["things"].count(user_id) == 7 and seen == [user_id]
    with pytest.raises(ValueError, match="already registered"):
        fresh.register_holding("things", singular="thing", count=lambda user_id: 0)


def test_the_apps_register_their_holdings_in_app_order():
    assert list(registry.holdings)[:2] == ["workouts", "measurements"]
    assert registry.holdings["workouts"].singular == "workout"
