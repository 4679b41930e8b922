"""A fixed-window rate limit on Django's cache (a database cache: shared by every worker)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from hypertrophy.errors import RateLimited

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"30/h"`` → (30, 3600)."""
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[:1]]


def client_address(request: HttpRequest) -> str:
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def rate_limit_hit(*, scope: str, key: str, rate: str, message: str = "Too many new guest sessions from this address; try again later.") -> None:
    """Count one hit; raise ``RateLimited`` once the window's allowance is spent."""
    limit, period = parse_rate(rate)
    window = int(time.time() // period)
    cache_key = f"rl:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=period + 5)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period + 5)
        hits = 1
    if hits > limit:
        raise RateLimited(message, details={"retry_after_seconds": period - int(time.time()) % period})
