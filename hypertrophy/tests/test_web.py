"""Request helpers of hypertrophy/web.py: ``safe_next`` and ``whole_number``."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from hypertrophy.web import safe_next, whole_number


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/plan/", "/plan/"),
        ("/x?y=1#z", "/x?y=1#z"),
        ("abc", "abc"),  # a relative URL of this site, not a URL name
        ("", "/home"),
        ("https://evil.example/", "/home"),
        ("//evil.example/", "/home"),
        ("/\\evil.example", "/home"),
        ("http://testserver/plan/", "http://testserver/plan/"),  # this host
        ("http://evil.example/plan/", "/home"),
        ("javascript:alert(1)", "/home"),
    ],
)
def test_safe_next(target, expected):
    assert safe_next(RequestFactory().post("/", {"next": target}), "/home") == expected
    assert safe_next(RequestFactory().get("/", {"next": target}), "/home") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", 0), ("42", 42), ("9" * 18, int("9" * 18)), ("9" * 19, None), ("²", None), ("١", None), ("-1", None),
     ("+1", None), (" 1", None), ("1_000", None), ("", None), (None, None)],
)
def test_whole_number(value, expected):
    assert whole_number(value) == expected
