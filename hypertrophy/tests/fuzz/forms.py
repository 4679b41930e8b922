"""The form fuzzer's machinery: find every page of the URL conf, read the forms on it, post bad
values to each, and look for stored garbage. No test here (test_forms.py holds them)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

# Left to other tests: the admin, the API (schemathesis), the service worker and its files.
SKIP_PREFIXES = ("admin/", "api/", "sw.js", "manifest.webmanifest", "health", "offline", "catalog.json")
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")

HUGE = "x" * 100_000
BAD_VALUES: dict[str, str] = {
    "empty": "",
    "text": "abc",
    "negative": "-1",
    "nan": "NaN",
    "overflow": "1e309",
    "superscript": "²",
    "digits": "9" * 5000,
    "huge": HUGE,
    "nul": "a\x00b",
    "unicode": "😀\u202eü",
}
GARBAGE_LENGTH = 10_000  # no stored user string this long comes from a form


@dataclass
class Form:
    page: str  # where it was found
    action: str  # path it posts to
    fields: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    @property
    def url_name(self) -> str:
        return url_name(self.action)

    @property
    def key(self) -> tuple:
        return (self.url_name, tuple(sorted(self.fields)), tuple(self.files))


def url_name(path: str) -> str:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return f"unresolved:{path}"
    return match.view_name or match.route


class FormParser(HTMLParser):
    """The POST forms of a page (``method=post`` or ``hx-post``) with their default values."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            action = a.get("hx-post") or (a.get("action") if a.get("method", "get").lower() == "post" else None)
            if action is None and a.get("method", "get").lower() == "post":
                action = self.page
            self._form = Form(page=self.page, action=action or self.page) if action is not None else None
            return
        form = self._form
        if form is not None and tag == "option" and self._select:
            if "selected" in a or not form.fields.get(self._select):
                form.fields[self._select] = a.get("value", "")
            return
        if form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                form.files.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a or name not in form.fields:
                    form.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "image", "reset", "button"):
                form.fields[name] = a.get("value", "")
        elif tag == "button" and a.get("type", "submit") == "submit":
            form.fields.setdefault(name, a.get("value", ""))
        elif tag == "select":
            self._select = name
            form.fields.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            form.fields[name] = ""

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(page: str, html: str) -> list[Form]:
    parser = FormParser(page)
    parser.feed(html)
    return parser.forms


def routes() -> list[str]:
    """Every route of the URL conf (prefixes joined), regex routes and skipped areas left out."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    found = []
    for route in walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or "(?P" in route or route.startswith("^"):
            continue
        if route not in found:
            found.append(route)
    return found


def fill(route: str, values: dict[str, str]) -> str | None:
    """The route with its parameters filled from ``values`` (by parameter name); None when
    one is unknown."""
    missing = []

    def one(match):
        name = match.group("name")
        if name not in values:
            missing.append(name)
            return ""
        return str(values[name])

    path = "/" + CONVERTER.sub(one, route)
    return None if missing else path


# --- stored garbage -----------------------------------------------------------------------------


def garbage_in(value, where: str = "") -> list[str]:
    """What in ``value`` (a stored field, JSON included) no form should have let through: NUL
    characters, strings over GARBAGE_LENGTH, NaN or infinite numbers."""
    found = []
    if isinstance(value, str):
        if "\x00" in value:
            found.append(f"{where}: NUL")
        if len(value) > GARBAGE_LENGTH:
            found.append(f"{where}: {len(value):,} characters")
        if ":json" not in where and value.startswith(("{", "[")):
            try:
                found += garbage_in(json.loads(value), where + ":json")
            except ValueError:
                pass
    elif isinstance(value, float):
        if not math.isfinite(value):
            found.append(f"{where}: {value}")
    elif isinstance(value, dict):
        for key, item in value.items():
            found += garbage_in(key, f"{where}.key") + garbage_in(item, f"{where}.{key}")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found += garbage_in(item, f"{where}[{index}]")
    return found


def stored_garbage(user, *, skip: tuple[str, ...] = ()) -> list[str]:
    """Garbage in any row of ``user``: the user row and every row of every model with a
    ``user`` foreign key (models found, not listed). ``skip``: model labels left out."""
    from django.apps import apps

    found = []
    for name in (f.attname for f in user._meta.concrete_fields):
        found += garbage_in(getattr(user, name), f"{user._meta.label}.{name}")
    for model in apps.get_models():
        label = model._meta.label
        if label in skip:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        if "user_id" not in names:
            continue
        for row in model.objects.filter(user_id=user.pk).values_list(*names):
            for name, value in zip(names, row):
                found += garbage_in(value, f"{label}.{name}")
    return found
