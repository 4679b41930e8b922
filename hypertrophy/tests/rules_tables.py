"""The rule tables (hypertrophy/tests/tables/*.json) both the Python rules and static/js/rules.js
are checked against: test_rules_tables.py runs the Python side, test_rules_browser.py the page's."""

from __future__ import annotations

import json
from pathlib import Path

TABLES = Path(__file__).resolve().parent / "tables"


def table(name: str) -> dict:
    return json.loads((TABLES / f"{name}.json").read_text())
