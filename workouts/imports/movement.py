"""Whether an exercise name and a candidate describe the same movement. Pure.

A close spelling is not enough: "Seated Leg Press" is close to "Machine Shoulder Press" and
"Triceps Kickback (Cable)" to "Cable Glute Kickback". The name and the candidate must agree
on the movement (press, curl, row …, both ways), on the angle (incline, overhead, rear …),
on the body part the name says (the candidate works it), and on the equipment the name gives
(in parentheses or as a word: "Incline Cable Fly" is no dumbbell fly). A candidate may not
add specifics the name lacks ("Close-Grip", "Hanging", "Single-Leg").
"""

from __future__ import annotations

import difflib
import re

MOVEMENTS = frozenset({
    "press", "curl", "row", "fly", "flye", "raise", "squat", "deadlift", "shrug", "kickback", "extension",
    "pulldown", "pushdown", "pullover", "crunch", "lunge", "dip", "pull", "push", "thrust", "bridge", "twist",
    "carry", "swing", "clean", "snatch", "crossover", "rollout", "plank", "situp", "chin", "step", "walk", "jump",
    "adduction", "abduction", "adductor", "abductor", "hyperextension", "morning", "crusher", "skullcrusher", "jm",
    "run", "bike", "woodchop", "chop", "hold", "hang", "windmill", "jerk", "get",
})
ANGLES = frozenset({"incline", "decline", "overhead", "upright", "front", "rear", "lateral", "reverse", "side"})
SPECIFICS = frozenset({
    "single", "one", "close", "narrow", "wide", "neutral", "high", "low", "hammer", "preacher", "sumo", "romanian",
    "stiff", "split", "bulgarian", "goblet", "hack", "hanging", "lying", "kneeling", "seated", "standing", "spider",
    "concentration", "zercher", "pendlay", "deficit", "box", "pause", "floor", "landmine", "nordic", "bayesian",
})
BODY = {
    "leg": {"quads", "hamstrings", "glutes", "calves", "adductors", "abductors"},
    "shoulder": {"front-delts", "side-delts", "rear-delts"},
    "delt": {"front-delts", "side-delts", "rear-delts"},
    "chest": {"chest"}, "pec": {"chest"},
    "tricep": {"triceps"}, "bicep": {"elbow-flexors"},
    "glute": {"glutes"}, "neck": {"neck"}, "calf": {"calves"}, "lat": {"lats"},
    "hamstring": {"hamstrings"}, "quad": {"quads"}, "hip": {"glutes", "adductors", "abductors"},
    "back": {"lats", "traps-rhomboids", "spinal-erectors"}, "ab": {"abs"}, "oblique": {"obliques"},
    "wrist": {"forearms"}, "forearm": {"forearms"}, "trap": {"traps-rhomboids"},
}
# Equipment words anywhere in a name → our equipment.
EQUIPMENT_CUES = {
    "barbell": "barbell", "bb": "barbell", "ez": "barbell", "dumbbell": "dumbbell", "db": "dumbbell",
    "cable": "cable", "rope": "cable", "pulley": "cable", "machine": "machine", "smith": "machine",
    "kettlebell": "kettlebell", "kb": "kettlebell", "band": "band", "banded": "band", "bodyweight": "bodyweight",
}
_PARENTHESES = {
    "barbell": "barbell", "dumbbell": "dumbbell", "cable": "cable", "machine": "machine", "smith machine": "machine",
    "plate loaded": "machine", "kettlebell": "kettlebell", "band": "band", "resistance band": "band",
    "bodyweight": "bodyweight", "weighted bodyweight": "bodyweight", "assisted bodyweight": "bodyweight",
    "ez bar": "barbell", "ez-bar": "barbell",
}


def _words(text: str) -> list[str]:
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]


def name_equipment(name: str) -> str | None:
    """The equipment a name gives: in its parentheses, else as a word ("Incline Cable Fly")."""
    found = re.search(r"\(([^()]*)\)\s*$", name)
    if found:
        inside = found.group(1).strip().lower()
        for text, equipment in _PARENTHESES.items():
            if inside == text or inside.startswith(f"{text} "):
                return equipment
    cues = {EQUIPMENT_CUES[w] for w in _words(name) if w in EQUIPMENT_CUES}
    return cues.pop() if len(cues) == 1 else None


def equipment_fits(given: str | None, candidate: str) -> bool:
    """Whether a candidate's equipment agrees with what the name gives (nothing given: any)."""
    return given is None or not candidate or candidate in (given, "other")


def _close(word: str, words: list[str]) -> bool:
    """The same word, misspelt ("pulldwn") or cut short ("pres") at most."""
    for other in words:
        if other == word:
            return True
        short, long = sorted((word, other), key=len)
        if len(short) >= 3 and len(long) - len(short) <= 2 and long.startswith(short):
            return True
        if len(short) >= 4 and difflib.SequenceMatcher(None, word, other).ratio() >= 0.8:
            return True
    return False


def agrees(
    name: str, key: str, *, names: tuple[str, ...] = (), muscles: tuple[str, ...] = (), equipment: str = ""
) -> bool:
    """Whether ``name`` (from the file) and a candidate known by ``key`` (the name or alias that
    is spelled closely) describe the same movement. ``names``: all the candidate's names and
    aliases (a word of the file's name may be in any of them)."""
    mine, theirs = _words(name), _words(key)
    everything = theirs + [w for text in names for w in _words(text)]
    given = name_equipment(name)
    if given is None and equipment not in ("", "bodyweight", "other"):
        return False  # "Decline Chest Press": a machine? a barbell? the name does not say
    for word in mine:
        if (word in MOVEMENTS or word in ANGLES) and not _close(word, everything):
            return False
        if word in BODY and not _close(word, everything) and not BODY[word] & set(muscles):
            return False
    for word in theirs:
        if (word in MOVEMENTS or word in ANGLES or word in SPECIFICS or word in BODY) and not _close(word, mine):
            return False
    return equipment_fits(given, equipment)
