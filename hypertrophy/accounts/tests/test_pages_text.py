"""What the account pages show as text: no template source leaks into a page.

Django's ``{# ... #}`` comment is single-line only; one spread over two lines is printed
verbatim on every page that extends the template (the header once showed
"{# Filled by static/js/app.js ... #}" above every page)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from hypertrophy.testing import logged_in, make_user

OPEN_COMMENT = re.compile(r"\{#(?!.*#\})")


def _template_files() -> list[Path]:
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [p for p in Path(settings.BASE_DIR).glob("*/templates") if ".venv" not in p.parts]
    return sorted({f for root in roots for f in root.rglob("*") if f.suffix in (".html", ".txt", ".js", ".xml")})


def test_no_template_has_a_comment_spread_over_lines():
    offenders = [
        f"{path}:{number}"
        for path in _template_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OPEN_COMMENT.search(line)
    ]
    assert _template_files(), "no templates found"
    assert offenders == [], "use {% comment %} for comments over several lines"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/settings/profile", "/settings/devices", "/accounts/sessions/", "/settings/data/"])
def test_account_pages_show_no_template_source(path):
    response = logged_in(make_user("reader")).get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "{#" not in body and "#}" not in body and "{%" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/settings/profile"])
def test_anonymous_pages_show_no_template_source(path):
    body = Client().get(path).content.decode()
    assert "{#" not in body and "#}" not in body
