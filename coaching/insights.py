"""Short insights for the home page (issue #6 fills this in)."""

from __future__ import annotations


def home_insights(user) -> list:
    """One to three short, data-grounded insights for ``user``'s home page."""
    return []
