#!/usr/bin/env python3
"""Validate workouts/catalog/exercises.json.

Standalone, stdlib only. Run from the repo root:

    python workouts/catalog/check_catalog.py [path/to/exercises.json]

Prints a summary (counts by equipment / pattern / primary muscle) and exits
with status 1 if any check fails.
"""
import json
import re
import sys
from collections import Counter
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent / "exercises.json"

MIN_ENTRIES = 150
MIN_PER_EQUIPMENT = 10

KEYS = (
    "slug", "name", "aliases", "equipment", "mechanics", "pattern",
    "unilateral", "set_kind", "how_to", "muscles", "primary_muscle",
    "met", "default_rest_s",
)
EQUIPMENT = {
    "barbell", "dumbbell", "cable", "machine", "bodyweight", "kettlebell",
    "band", "other",
}
EQUIPMENT_NEEDING_MIN = (
    "barbell", "dumbbell", "cable", "machine", "bodyweight", "kettlebell", "band",
)
MECHANICS = {"compound", "isolation"}
PATTERNS = (
    "squat", "hinge", "lunge", "horizontal_push", "vertical_push",
    "horizontal_pull", "vertical_pull", "carry", "core", "isolation", "cardio",
)
SET_KINDS = {"weight_reps", "bodyweight_reps", "time", "distance_time"}
MUSCLES = {
    "chest", "lats", "traps-rhomboids", "front-delts", "side-delts",
    "rear-delts", "triceps", "elbow-flexors", "forearms", "spinal-erectors",
    "abs", "obliques", "glutes", "quads", "hamstrings", "adductors", "calves",
    "abductors", "neck",
}
FRACTIONS = {0.25, 0.5, 0.75, 1.0}
REQUIRED_SLUGS = (
    "barbell-bench-press", "barbell-back-squat", "conventional-deadlift",
    "romanian-deadlift", "barbell-overhead-press", "barbell-row", "pull-up",
    "chin-up", "lat-pulldown", "dumbbell-bench-press", "incline-dumbbell-press",
    "dumbbell-lateral-raise", "cable-triceps-pushdown", "barbell-curl",
    "leg-press", "leg-extension", "lying-leg-curl", "standing-calf-raise",
    "hip-thrust", "plank",
)
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_entry(idx, ex, errors):
    label = f"#{idx} {ex.get('slug', '?')!r}" if isinstance(ex, dict) else f"#{idx}"

    def err(msg):
        errors.append(f"{label}: {msg}")

    if not isinstance(ex, dict):
        err("entry is not an object")
        return
    keys = set(ex)
    missing = [k for k in KEYS if k not in keys]
    extra = sorted(keys - set(KEYS))
    if missing:
        err(f"missing keys {missing}")
    if extra:
        err(f"unexpected keys {extra}")
    if missing:
        return

    slug = ex["slug"]
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        err(f"bad slug format {slug!r}")
    if not isinstance(ex["name"], str) or not ex["name"].strip():
        err("name must be a non-empty string")

    aliases = ex["aliases"]
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        err("aliases must be a list of non-empty strings")
    else:
        lowered = [a.lower() for a in aliases]
        if any(a != a.strip() or a != a.lower() for a in aliases):
            err(f"aliases must be lowercase and trimmed: {aliases}")
        if len(set(lowered)) != len(lowered):
            err(f"duplicate aliases: {aliases}")

    if ex["equipment"] not in EQUIPMENT:
        err(f"bad equipment {ex['equipment']!r}")
    if ex["mechanics"] not in MECHANICS:
        err(f"bad mechanics {ex['mechanics']!r}")
    if ex["pattern"] not in PATTERNS:
        err(f"bad pattern {ex['pattern']!r}")
    if not isinstance(ex["unilateral"], bool):
        err("unilateral must be a boolean")
    if ex["set_kind"] not in SET_KINDS:
        err(f"bad set_kind {ex['set_kind']!r}")
    if not isinstance(ex["how_to"], str) or not ex["how_to"].strip():
        err("how_to must be a non-empty string")

    muscles = ex["muscles"]
    if not isinstance(muscles, dict) or not muscles:
        err("muscles must be a non-empty object")
    else:
        for m, frac in muscles.items():
            if m not in MUSCLES:
                err(f"unknown muscle {m!r}")
            if not is_number(frac) or float(frac) not in FRACTIONS:
                err(f"bad fraction {m}={frac!r} (allowed {sorted(FRACTIONS)})")
        numeric = [float(v) for v in muscles.values() if is_number(v)]
        if numeric:
            top = max(numeric)
            primary = ex["primary_muscle"]
            if primary not in muscles:
                err(f"primary_muscle {primary!r} not in muscles")
            elif float(muscles[primary]) != top:
                err(f"primary_muscle {primary!r} ({muscles[primary]}) is not a max-fraction muscle ({top})")
            if ex["pattern"] != "cardio" and top != 1.0:
                err("non-cardio exercise must have a primary muscle at 1.0")
            if numeric.count(1.0) > 1:
                err("more than one muscle at 1.0")

    met = ex["met"]
    if not is_number(met) or not (1.0 <= met <= 20.0):
        err(f"met out of range: {met!r}")
    rest = ex["default_rest_s"]
    if not isinstance(rest, int) or isinstance(rest, bool) or not (0 <= rest <= 600):
        err(f"default_rest_s must be an int 0..600: {rest!r}")


def main(argv):
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_PATH
    errors = []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"FAIL: cannot load {path}: {exc}")
        return 1
    if not isinstance(data, list):
        print("FAIL: top level must be a JSON array")
        return 1

    if len(data) < MIN_ENTRIES:
        errors.append(f"only {len(data)} entries, need >= {MIN_ENTRIES}")

    for idx, ex in enumerate(data):
        check_entry(idx, ex, errors)

    entries = [e for e in data if isinstance(e, dict)]
    slugs = [e.get("slug") for e in entries]
    names = [str(e.get("name", "")).lower() for e in entries]
    for slug, n in Counter(slugs).items():
        if n > 1:
            errors.append(f"duplicate slug {slug!r} x{n}")
    for name, n in Counter(names).items():
        if n > 1:
            errors.append(f"duplicate name {name!r} x{n}")
    if slugs != sorted(slugs, key=str):
        errors.append("entries are not sorted by slug")
    for req in REQUIRED_SLUGS:
        if req not in slugs:
            errors.append(f"required slug missing: {req!r}")

    # Aliases must resolve unambiguously in search.
    alias_owner = {}
    name_owner = {str(e.get("name", "")).lower(): e.get("slug") for e in entries}
    for e in entries:
        for a in e.get("aliases") or []:
            if not isinstance(a, str):
                continue
            key = a.lower()
            if key in alias_owner and alias_owner[key] != e.get("slug"):
                errors.append(f"alias {a!r} used by both {alias_owner[key]!r} and {e.get('slug')!r}")
            alias_owner.setdefault(key, e.get("slug"))
            owner = name_owner.get(key)
            if owner is not None and owner != e.get("slug"):
                errors.append(f"alias {a!r} of {e.get('slug')!r} equals the name of {owner!r}")

    by_equipment = Counter(e.get("equipment") for e in entries)
    by_pattern = Counter(e.get("pattern") for e in entries)
    by_primary = Counter(e.get("primary_muscle") for e in entries)
    for eq in EQUIPMENT_NEEDING_MIN:
        if by_equipment[eq] < MIN_PER_EQUIPMENT:
            errors.append(f"equipment {eq!r} has {by_equipment[eq]} exercises, need >= {MIN_PER_EQUIPMENT}")
    for pattern in PATTERNS:
        if by_pattern[pattern] == 0:
            errors.append(f"pattern {pattern!r} is never used")

    print(f"{path}: {len(data)} exercises")
    print("by equipment: " + ", ".join(f"{k}={v}" for k, v in sorted(by_equipment.items(), key=str)))
    print("by pattern:   " + ", ".join(f"{k}={v}" for k, v in sorted(by_pattern.items(), key=str)))
    print("by primary:   " + ", ".join(f"{k}={v}" for k, v in sorted(by_primary.items(), key=str)))
    print("by set_kind:  " + ", ".join(
        f"{k}={v}" for k, v in sorted(Counter(e.get("set_kind") for e in entries).items(), key=str)))

    if errors:
        print(f"\nFAIL: {len(errors)} problem(s)")
        for msg in errors:
            print(f"  - {msg}")
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
