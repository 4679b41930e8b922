"""``{% load formatting %}`` for every template: the library lives in the project package
(``hypertrophy/templatetags/formatting.py``); an installed app makes it loadable."""

from hypertrophy.templatetags.formatting import register  # noqa: F401
