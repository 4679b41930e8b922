"""Device bearer tokens ``<device_id>.<secret>``: issued here, only their hash is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from events.models import Device


def _hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(device: Device) -> str:
    """A fresh bearer token ``<device_id>.<secret>``; only its hash is stored (on ``device``,
    which the caller saves)."""
    secret = secrets.token_urlsafe(32)
    device.token_hash = _hash_token(secret)
    return f"{device.id}.{secret}"


@dataclass(frozen=True)
class BearerClaim:
    """A well-formed bearer token, not yet checked against the database."""

    device_id: uuid.UUID
    token_hash: str


def token_claim(token: str) -> BearerClaim | None:
    """Parse ``<device_id>.<secret>``; None when the token cannot be one of ours."""
    device_part, _, secret = token.partition(".")
    try:
        device_id = uuid.UUID(device_part)
    except ValueError:
        return None
    if not secret:
        return None
    return BearerClaim(device_id=device_id, token_hash=_hash_token(secret))


def hash_matches(stored_hash: str, claim: BearerClaim) -> bool:
    """Constant-time comparison; an empty (revoked) hash never matches."""
    return bool(stored_hash) and hmac.compare_digest(stored_hash, claim.token_hash)


def _claim_holds(device: Device | None, claim: BearerClaim) -> bool:
    """Constant-time check of a claim against its device row (with the user loaded)."""
    return (
        device is not None
        and device.pk == claim.device_id
        and hash_matches(device.token_hash, claim)
        and device.user.is_active
    )


def device_for_token(token: str) -> Device | None:
    """The device a bearer token belongs to, compared in constant time, or None."""
    claim = token_claim(token)
    return device_for_token_claim(claim) if claim is not None else None


def device_for_token_claim(claim: BearerClaim) -> Device | None:
    device = Device.objects.select_related("user").filter(pk=claim.device_id).first()
    return device if _claim_holds(device, claim) else None
