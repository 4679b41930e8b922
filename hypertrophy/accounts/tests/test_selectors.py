"""Reads for the account pages (hypertrophy/accounts/selectors.py)."""

from __future__ import annotations

import pytest

from events.models import User
from events.registry import registry
from hypertrophy.accounts.selectors import describe_summary, guest_has_data, guest_summary
from hypertrophy.accounts.tests.builders import account, guest_with_data

pytestmark = pytest.mark.django_db


def test_guest_summary_counts_what_the_apps_registered():
    _, device = guest_with_data(workouts=2, measurements=1)
    guest = User.objects.get(pk=device.user_id)
    summary = guest_summary(user=guest)
    assert summary == {key: holding.count(guest.pk) for key, holding in registry.holdings.items()}
    assert summary["workouts"] == 2 and summary["measurements"] == 1
    assert describe_summary(summary) == "2 workouts and 1 measurement"
    assert guest_has_data(user=guest)


def test_an_account_is_not_summarised_as_a_guest():
    user = account()
    assert set(guest_summary(user=user).values()) == {0}
    assert describe_summary(guest_summary(user=user)) == ""
    assert not guest_has_data(user=user)
