"""The account's write services are each one outermost transaction: called inside another
transaction they refuse (``durable=True``) instead of becoming part of someone else's write."""

from __future__ import annotations

import io

import pytest
from django.db import transaction

from events.models import User
from hypertrophy.accounts import services
from hypertrophy.accounts.tests.builders import account, guest_with_data

pytestmark = pytest.mark.django_db


def _calls(user, guest):
    return {
        "user_profile_update": lambda: services.user_profile_update(user=user, weight_unit="lb"),
        "user_set_unit": lambda: services.user_set_unit(user=user, unit="lb"),
        "guest_convert": lambda: services.guest_convert(user=guest),
        "guest_merge": lambda: services.guest_merge(guest_id=guest.pk, account=user),
        "account_delete": lambda: services.account_delete(user=user),
        "data_import": lambda: services.data_import(user=user, file=io.BytesIO(b'{"format":"hypertrophy-events","version":1,"user":{"id":"%s"},"events":[]}' % str(user.pk).encode())),
    }


@pytest.mark.parametrize("name", ["user_profile_update", "user_set_unit", "guest_convert", "guest_merge", "account_delete", "data_import"])
def test_each_write_service_is_the_outermost_transaction(name):
    user = account()
    _, device = guest_with_data()
    guest = User.objects.get(pk=device.user_id)
    call = _calls(user, guest)[name]
    with pytest.raises(RuntimeError, match="durable"):
        with transaction.atomic():
            call()
    call()  # on its own it runs
