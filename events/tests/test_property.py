"""Property: the projections are a function of the *set* of stored events.

A two-device history (with occurred_at collisions between the devices) delivered in
any permutation, in any batching, with some batches sent again, ends in the same
projection as in-order delivery, and that equals `rebuild_projections`.

Each example uses fresh users and devices (event ids and device ids are global), so
examples need no rollback between them. The reference user's two devices have ids in
the same relative order as the tested user's, so the canonical tie-break by device id
is the same for both.
"""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.models import Device, Event
from hypertrophy.testing import (
    BASE_TIME,
    minutes,
    projection_state,
    rebuild_projections,
    register_device,
    set_completed,
    set_deleted,
    set_updated,
    synced,
    workout_deleted,
    workout_ended,
    workout_noted,
    workout_started,
)

# Aggregate ids live in each user's space, so every example may reuse them.
W = "7a1c0d2e-0000-4000-8000-000000000001"
S = ["7a1c0d2e-0000-4000-8000-0000000000a%d" % i for i in range(4)]

minute = st.integers(min_value=0, max_value=4)  # few distinct instants: many collisions


@st.composite
def histories(draw) -> list[tuple[str, str, dict, int]]:
    """(device "A"/"B", event_type, payload, occurred_at minute), in each device's own order."""
    h: list[tuple[str, str, dict, int]] = [("A", *workout_started(W), draw(minute))]
    for i, s in enumerate(S[:3]):
        dev = draw(st.sampled_from("AB"))
        unit = draw(st.sampled_from(["kg", "lb"]))
        h.append((dev, *set_completed(s, W, reps=5 + i, weight=60 + 10 * i, unit=unit), draw(minute)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        dev = draw(st.sampled_from("AB"))
        s = draw(st.sampled_from(S[:3]))
        change = draw(
            st.sampled_from([{"reps": 3}, {"reps": 12}, {"weight": 100, "unit": "lb"}, {"rpe": 9.5}, {"set_type": "failure"}])
        )
        h.append((dev, *set_updated(s, **change), draw(minute)))
    h.append((draw(st.sampled_from("AB")), *set_deleted(draw(st.sampled_from(S[:3]))), draw(minute)))
    # An edit of the set the other device may have deleted, and of a set never completed.
    h.append((draw(st.sampled_from("AB")), *set_updated(S[0], reps=30), draw(minute)))
    h.append((draw(st.sampled_from("AB")), *set_updated(S[3], reps=1), draw(minute)))
    h.append(("A", *workout_noted(W, "from A"), draw(minute)))
    h.append(("B", *workout_noted(W, "from B"), draw(minute)))
    h.append((draw(st.sampled_from("AB")), *workout_ended(W, at=BASE_TIME + minutes(60)), draw(minute)))
    if draw(st.booleans()):
        h.append((draw(st.sampled_from("AB")), *workout_deleted(W), draw(minute)))
    return h


def _user_with_devices(a_id: uuid.UUID, b_id: uuid.UUID):
    a = register_device(device_id=str(a_id))
    b = register_device(headers=a.auth, device_id=str(b_id))
    return {"A": a, "B": b}


def _envelopes(devices, history) -> list[tuple[str, dict]]:
    """Each event with its device's next sequence number and a fresh event id."""
    return [
        (dev, devices[dev].event(event_type, payload, at=BASE_TIME + minutes(at)))
        for dev, event_type, payload, at in history
    ]


def _send(devices, batch: list[tuple[str, dict]]) -> None:
    for dev in ("A", "B"):
        events = [e for d, e in batch if d == dev]
        if events:
            synced(devices[dev].sync(events))


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories(), data=st.data())
def test_any_permutation_and_batching_gives_the_in_order_projection(history, data):
    ids = sorted((uuid.uuid4() for _ in range(4)), key=lambda u: u.int)
    reference = _user_with_devices(ids[0], ids[2])
    tested = _user_with_devices(ids[1], ids[3])

    # In order, one batch per device.
    _send(reference, _envelopes(reference, history))
    expected = projection_state(user_id=reference["A"].user_id, with_user=False)

    envelopes = _envelopes(tested, history)
    order = data.draw(st.permutations(range(len(envelopes))), label="order")
    shuffled = [envelopes[i] for i in order]
    cuts = sorted(data.draw(st.sets(st.integers(1, len(shuffled) - 1), max_size=6), label="cuts"))
    bounds = [0, *cuts, len(shuffled)]
    batches = [shuffled[lo:hi] for lo, hi in zip(bounds, bounds[1:])]
    resend = data.draw(st.sets(st.integers(0, len(batches) - 1), max_size=3), label="resend")
    for index, batch in enumerate(batches):
        _send(tested, batch)
        if index in resend:
            _send(tested, batch)  # the client did not see the answer and sends it again
    if resend:
        _send(tested, batches[min(resend)])  # and once more, late

    got = projection_state(user_id=tested["A"].user_id, with_user=False)
    assert got == expected

    for dev in ("A", "B"):
        sent = sum(1 for d, _e in envelopes if d == dev)
        assert Device.objects.get(pk=tested[dev].device_id).last_acked_sequence == sent
    assert Event.objects.filter(user_id=tested["A"].user_id).count() == len(envelopes)

    rebuild_projections()
    assert projection_state(user_id=tested["A"].user_id, with_user=False) == expected
    assert projection_state(user_id=reference["A"].user_id, with_user=False) == expected
