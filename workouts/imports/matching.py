"""Matching exercise names from another app to the catalog and the user's own exercises. Pure.

In order: the exact name (the user's own exercises first), a catalog alias, the name
normalised (Strong and Hevy write "Bench Press (Barbell)" for our "Barbell Bench Press":
equipment moved to the front, punctuation and word order ignored), then a close spelling
(difflib). Anything left is offered to the user to map or to create as a custom exercise.

A wrong match files sets under another exercise (a 150 kg leg press stored as a shoulder
press), so a normalised name must agree on the equipment the name gives, and a close
spelling must also agree on the movement (``movement.agrees``): better a custom exercise
than a wrong one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from workouts.imports.movement import agrees, equipment_fits, name_equipment

FUZZY_CUTOFF = 0.82

# Equipment words in the other apps' parentheses → the words our catalog names use.
EQUIPMENT_WORDS = {
    "barbell": "barbell",
    "dumbbell": "dumbbell",
    "cable": "cable",
    "machine": "machine",
    "smith machine": "smith machine",
    "kettlebell": "kettlebell",
    "band": "band",
    "resistance band": "band",
    "bodyweight": "",
    "weighted bodyweight": "weighted",
    "weighted": "weighted",
    "assisted bodyweight": "assisted",
    "assisted": "assisted",
    "ez bar": "ez bar",
    "ez-bar": "ez bar",
    "other": "",
    "reps only": "",
    "duration": "",
    "cardio": "",
    "plate": "plate",
    "plate loaded": "machine",
    "trap bar": "trap bar",
}
# Our equipment choices for a custom exercise created from a name's parentheses.
EQUIPMENT_CHOICE = {
    "barbell": "barbell", "dumbbell": "dumbbell", "cable": "cable", "machine": "machine", "smith machine": "machine",
    "kettlebell": "kettlebell", "band": "band", "resistance band": "band", "bodyweight": "bodyweight",
    "weighted bodyweight": "bodyweight", "assisted bodyweight": "bodyweight", "ez bar": "barbell", "ez-bar": "barbell",
    "trap bar": "barbell", "plate loaded": "machine",
}


@dataclass(frozen=True)
class Candidate:
    """An exercise a name can match: a catalog slug or a custom exercise's UUID."""

    exercise_id: str
    name: str
    aliases: tuple[str, ...] = ()
    custom: bool = False
    equipment: str = ""
    muscles: tuple[str, ...] = ()  # the muscles it works (catalog exercises)


@dataclass(frozen=True)
class Match:
    exercise_id: str
    name: str
    how: str  # "exact", "alias", "normalised" or "fuzzy"


def simplify(text: str) -> str:
    """Lower case, punctuation to spaces, plural-insensitive words, single spaces."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


def _sorted_words(text: str) -> str:
    return " ".join(sorted(text.split()))


def _ratio(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() <= FUZZY_CUTOFF or matcher.quick_ratio() <= FUZZY_CUTOFF:
        return 0.0  # cheap upper bounds first: most pairs stop here
    return matcher.ratio()


def split_equipment(name: str) -> tuple[str, str | None]:
    """("Bench Press", "barbell") from "Bench Press (Barbell)"; the name unchanged without one."""
    found = re.fullmatch(r"\s*(.*?)\s*\(([^()]*)\)\s*", name)
    if not found:
        return name.strip(), None
    return found.group(1), found.group(2).strip().lower()


def equipment_choice(name: str) -> str | None:
    """The equipment of a custom exercise created from ``name``, when its parentheses say."""
    _, equipment = split_equipment(name)
    return EQUIPMENT_CHOICE.get(equipment or "")


class Matcher:
    """Built once per preview from the catalog and the user's exercises."""

    def __init__(self, candidates: list[Candidate]):
        # Custom exercises come first so that a user's own name wins over the catalog's.
        ordered = sorted(candidates, key=lambda c: not c.custom)
        self.exact: dict[str, Candidate] = {}
        self.alias: dict[str, Candidate] = {}
        self.simple: dict[str, Candidate] = {}
        self.words: dict[str, Candidate] = {}
        for c in ordered:
            self.exact.setdefault(c.name.strip().lower(), c)
            for key in (c.name, *c.aliases):
                simple = simplify(key)
                self.simple.setdefault(simple, c)
                self.words.setdefault(_sorted_words(simple), c)
            for alias in c.aliases:
                self.alias.setdefault(alias.strip().lower(), c)
        self._fuzzy_keys = list(self.simple)
        self._fuzzy_by_equipment: dict[str, list[str]] = {}
        for key, c in self.simple.items():
            self._fuzzy_by_equipment.setdefault(c.equipment, []).append(key)

    def match(self, name: str) -> Match | None:
        lowered = name.strip().lower()
        if lowered in self.exact:
            return self._found(self.exact[lowered], "exact")
        if lowered in self.alias:
            return self._found(self.alias[lowered], "alias")
        # An assisted lift's weight is the help the machine gives, not load: "Pull Up (Assisted)"
        # or "Assisted Dip (Machine)" is not "Pull-Up" or "Machine Seated Dip" (30 kg of
        # assistance read as a 30 kg weighted pull-up). Only an assisted exercise matches one.
        assisted = "assisted" in lowered
        equipment_given = name_equipment(name)

        def fits(c: Candidate) -> bool:
            return ("assisted" in c.name.lower()) == assisted and equipment_fits(equipment_given, c.equipment)

        variants = self._variants(name)
        for variant in variants:
            c = self.simple.get(variant) or self.words.get(_sorted_words(variant))
            if c is not None and fits(c):
                return self._found(c, "normalised")
        base, equipment = split_equipment(name)
        c = self.alias.get(base.strip().lower()) or self.simple.get(simplify(base))
        if c is not None and equipment and fits(c) and EQUIPMENT_CHOICE.get(equipment) == c.equipment:
            return self._found(c, "normalised")  # "Squat (Barbell)": the alias "squat" of a barbell exercise
        return self._close(name, variants, [] if assisted else [simplify(base)], fits)

    def _close(self, name: str, variants: list[str], bare: list[str], fits) -> Match | None:
        """A close spelling, among exercises of the named equipment when the name gives one,
        word order ignored ("Incline Bench Press (Dumbbell)" ~ "Incline Dumbbell Press"), that
        agrees on the movement: the best such, or None."""
        _, equipment = split_equipment(name)
        keys = self._fuzzy_by_equipment.get(EQUIPMENT_CHOICE.get(equipment or "", ""), self._fuzzy_keys)
        scored: list[tuple[float, str]] = []
        for variant in dict.fromkeys([*variants, *bare]):
            for key in keys:
                if not fits(self.simple[key]):
                    continue
                score = max(_ratio(variant, key), _ratio(_sorted_words(variant), _sorted_words(key)))
                if score > FUZZY_CUTOFF:
                    scored.append((score, key))
        for _, key in sorted(scored, key=lambda pair: -pair[0]):
            c = self.simple[key]
            if agrees(name, key, names=(c.name, *c.aliases), muscles=c.muscles, equipment=c.equipment):
                return self._found(c, "fuzzy")
        return None

    @staticmethod
    def _variants(name: str) -> list[str]:
        base, equipment = split_equipment(name)
        word = EQUIPMENT_WORDS.get(equipment or "", equipment or "")
        variants = []
        if word:
            variants += [simplify(f"{word} {base}"), simplify(f"{base} {word}")]
        if not word or equipment in ("bodyweight", "other", "reps only", "duration", "cardio"):
            variants.append(simplify(base))
        if equipment == "bodyweight":
            variants.insert(0, simplify(f"bodyweight {base}"))  # "Squat (Bodyweight)": Bodyweight Squat
        return [v for v in dict.fromkeys(variants) if v]

    @staticmethod
    def _found(c: Candidate, how: str) -> Match:
        return Match(exercise_id=c.exercise_id, name=c.name, how=how)
