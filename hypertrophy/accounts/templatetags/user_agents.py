"""``browser_label``: a device's or session's browser as a person names it ("Chrome on Android").

Browsers register with their full User-Agent string as the device name; a 120-character
"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/…" says nothing to a lifter and pushed the
Sign out button off a phone's screen on the devices and sessions pages."""

from __future__ import annotations

import re

from django import template

register = template.Library()

# First match wins: Edge and Opera also say "Chrome", Chrome also says "Safari".
BROWSERS = (
    ("Edge", r"Edg(?:e|A|iOS)?/"),
    ("Opera", r"OPR/|Opera"),
    ("Samsung Internet", r"SamsungBrowser/"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/|Chromium/"),
    ("Safari", r"Safari/"),
)
SYSTEMS = (
    ("iPhone", r"iPhone"),
    ("iPad", r"iPad"),
    ("Android", r"Android"),
    ("Windows", r"Windows"),
    ("Chrome OS", r"CrOS"),
    ("macOS", r"Mac OS X|Macintosh"),
    ("Linux", r"Linux|X11"),
)


def describe_user_agent(agent: str) -> str:
    """"Firefox on Android" from a User-Agent string; the string itself when it is no browser's
    (an app that named its device "Pixel 7" keeps that name)."""
    if not agent.startswith("Mozilla/"):
        return agent
    browser = next((name for name, pattern in BROWSERS if re.search(pattern, agent)), "Browser")
    system = next((name for name, pattern in SYSTEMS if re.search(pattern, agent)), "")
    return f"{browser} on {system}" if system else browser


@register.filter
def browser_label(value: str | None) -> str:
    """Template filter over ``describe_user_agent``; keeps a prefix such as "Imported: "."""
    text = value or ""
    prefix, found, agent = text.partition("Mozilla/")
    return prefix + describe_user_agent(found + agent) if found else text
