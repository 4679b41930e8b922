"""Devices: registration (the sync API's ``POST /devices``), the guest a first registration
creates, the server's own device for form posts, and signing a device out."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Device
from events.tokens import issue_token
from hypertrophy.errors import Conflict

# The session key the device registration stores (events.api); read at log-out, which signs
# the browser's device out.
SESSION_DEVICE_KEY = "hypertrophy_device_id"

SERVER_DEVICE_NAMESPACE = uuid.UUID("6f1d3f5e-8a47-4c0e-9a39-2d5c1f6b8e10")

_TAKEN = "This device id is already registered to another account. Use a new device id."


@dataclass
class DeviceRegistration:
    device: Device
    token: str
    created: bool


def device_register(*, user, device_id: uuid.UUID, name: str = "") -> DeviceRegistration:
    """Bind a device to ``user`` (201), or re-issue its token if it is already theirs (200).

    A device bound to another user is never moved: ``Conflict``.
    """
    name = name.replace("\x00", "")  # PostgreSQL text cannot hold NUL
    try:
        return _device_bind(user=user, device_id=device_id, name=name)
    except IntegrityError:
        # A concurrent request created this device id between our look-up and our
        # insert. Decide again with its row in view: same user → fresh token, else Conflict.
        return _device_bind(user=user, device_id=device_id, name=name)


def _device_bind(*, user, device_id: uuid.UUID, name: str) -> DeviceRegistration:
    with transaction.atomic():
        device = Device.objects.select_for_update().filter(pk=device_id).first()
        if device is not None and device.user_id != user.pk:
            raise Conflict(_TAKEN)
        created = device is None
        if created:
            device = Device(id=device_id, user=user, name=name)
        elif name:
            device.name = name
        token = issue_token(device)
        device.last_seen_at = timezone.now()
        # force_insert: a plain save() of a new row with a client-chosen pk tries an UPDATE
        # first, which would take over a row another request committed a moment ago.
        device.save(force_insert=created)
    return DeviceRegistration(device=device, token=token, created=created)


def guest_device_register(*, device_id: uuid.UUID, name: str = "") -> tuple[Any, DeviceRegistration]:
    """Create a guest user and bind the device to it, in one transaction."""
    with transaction.atomic():
        if Device.objects.filter(pk=device_id).exists():
            # Never reveal or move a device bound to someone else.
            raise Conflict(_TAKEN)
        user = guest_create()
        return user, device_register(user=user, device_id=device_id, name=name)


def guest_create():
    """A user with no email and no password: the owner of a browser's first writes (from the
    sync API's first device registration, or a page's first form post)."""
    User = get_user_model()
    user = User(username=f"guest-{uuid.uuid4().hex}", is_guest=True)
    user.set_unusable_password()
    user.save()
    return user


def server_device_for(user) -> Device:
    """The user's device for events the server builds from plain form posts."""
    device_id = uuid.uuid5(SERVER_DEVICE_NAMESPACE, str(user.pk))
    device, _ = Device.objects.get_or_create(pk=device_id, defaults={"user": user, "name": "Web forms (no JavaScript)"})
    return device


def device_revoke(*, user, device_id: uuid.UUID) -> bool:
    """Sign a device out: its bearer token stops working at once (the hash is cleared). Its
    events stay. False when the device is not the user's (nothing is revealed or changed)."""
    return Device.objects.filter(pk=device_id, user_id=user.pk).update(token_hash="") == 1


def devices_ensure(*, user, names: dict[uuid.UUID, str]) -> bool:
    """Make sure a device of each id in ``names`` exists, creating the missing ones for ``user``
    with their name (a data import's devices). False when one of them belongs to another user.
    Safe under concurrency: the same ids created by two requests at once exist once."""
    Device.objects.bulk_create(
        [Device(id=device_id, user_id=user.pk, name=name[:120]) for device_id, name in names.items()],
        ignore_conflicts=True,
    )
    owners = set(Device.objects.filter(pk__in=list(names)).values_list("user_id", flat=True))
    return not owners - {user.pk}
