"""Which lift a question names: typo-tolerant, with the abbreviations lifters use, and plural
families ("curls", "rows", "presses") resolved by the muscles the word implies, then by what
this lifter trains most. Pure: the lifter's exercises and the catalog come in as rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import lru_cache

# What lifters type → the words of the catalog's names.
ABBREVIATIONS = {
    "ohp": "overhead press",
    "rdl": "romanian deadlift",
    "rdls": "romanian deadlift",
    "sldl": "stiff leg deadlift",
    "sldls": "stiff leg deadlift",
    "db": "dumbbell",
    "dbs": "dumbbell",
    "bb": "barbell",
    "kb": "kettlebell",
    "ez": "ez bar",
    "bp": "bench press",
    "dl": "deadlift",
    "dls": "deadlift",
    "deads": "deadlift",
    "deadlifts": "deadlift",
    "deadlifting": "deadlift",
    "deadlifted": "deadlift",
    "benching": "bench",
    "benched": "bench",
    "squatting": "squat",
    "squatted": "squat",
    "pullups": "pull up",
    "pull ups": "pull up",
    "chin ups": "chin up",
    "push ups": "push up",
    "step ups": "step up",
    "sit ups": "sit up",
    "pullup": "pull up",
    "chinups": "chin up",
    "chinup": "chin up",
    "pushups": "push up",
    "pushup": "push up",
    "lat pulldowns": "lat pulldown",
    "military": "overhead press",
    "skullcrushers": "skull crusher",
    "pulldowns": "pulldown",
    "tris": "triceps",
    "bis": "biceps",
}
# A plural family → the muscles it implies (the primary muscle of the exercise meant).
FAMILIES: dict[str, tuple[str, ...]] = {
    "curl": ("elbow-flexors",),
    "row": ("traps-rhomboids", "lats"),
    "press": ("chest", "front-delts"),
    "raise": ("side-delts",),
    "extension": ("triceps",),
    "squat": ("quads",),
    "deadlift": ("glutes", "hamstrings"),
    "fly": ("chest",),
    "pulldown": ("lats",),
    "lunge": ("quads",),
    "pushdown": ("triceps",),
    "shrug": ("traps-rhomboids",),
}
# Words that name no lift (they never make a match on their own).
STOP = {
    "my", "the", "a", "an", "i", "is", "are", "am", "how", "what", "whats", "was", "did", "do", "does", "me", "in",
    "on", "of", "for", "to", "and", "or", "vs", "versus", "with", "at", "it", "its", "this", "that", "last", "week",
    "month", "year", "ever", "best", "max", "heaviest", "e1rm", "1rm", "progress", "progressing", "going", "since",
    "compared", "than", "now", "then", "ago", "pound", "pounds", "lb", "lbs", "kg", "kilo", "kilos", "set", "sets",
    "rep", "reps", "many", "much", "volume", "total", "time", "times", "often", "should", "next", "weight", "use",
    "lift", "lifts", "lifting", "lifted", "trend", "strength", "stronger", "record", "records", "pr", "prs", "all",
    "top", "one", "up", "down", "been", "have", "has", "had", "can", "could", "tell", "show", "about", "doing",
    "improving", "improve", "improved", "gone", "change", "changed", "over", "past", "today", "day", "days", "weeks",
    "months", "years", "summer", "winter", "spring", "autumn", "fall", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december", "estimated", "stack", "compare",
    "better", "stronger", "which", "morning", "session", "sessions", "workout", "workouts", "did", "get", "got",
    "frequency", "train", "trained", "training", "work", "worked", "per", "from", "when", "where", "much", "most",
    "still", "going", "good", "well", "fine", "worse", "getting", "enough", "again", "right", "hello", "thanks",
    "please", "there", "their", "these", "those", "some", "any", "you", "your", "yours", "mine", "will", "would",
    "like", "want", "need", "know", "think", "look", "looking", "heavy", "light", "hard", "easy", "new", "old",
}
EQUIPMENT = {"barbell", "dumbbell", "machine", "cable", "kettlebell", "band", "smith", "bar", "ez", "bodyweight"}


def singular(word: str) -> str:
    if word in STOP or word.endswith(("is", "us", "ss")):
        return word
    if word in ("abs", "biceps", "triceps", "glutes", "calves", "lats", "quads", "traps", "delts"):
        return word
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2].endswith(("sh", "ch", "x")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


_SHORT = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True)) + r")\b"
)


@lru_cache(maxsize=4096)
def normal(text: str) -> str:
    """Lower case, punctuation to spaces, abbreviations spelled out."""
    cleaned = " ".join("".join(ch if ch.isalnum() else " " for ch in text.lower().replace("'", "")).split())
    return _SHORT.sub(lambda m: ABBREVIATIONS[m.group(1)], cleaned)


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    return tuple(singular(w) for w in normal(text).split())


@dataclass(frozen=True)
class Candidate:
    exercise_id: str
    name: str
    aliases: tuple[str, ...] = ()
    muscles: dict = field(default_factory=dict)
    sets: int = 0  # how much this lifter trains it (0: a catalog exercise they never logged)
    bodyweight: bool = False


@dataclass(frozen=True)
class Resolved:
    candidate: Candidate
    said: str  # the words of the question that named it
    note: str = ""  # "Taking 'curls' as Barbell Curl": said when the choice was a guess
    logged: bool = True


def _vocabulary(candidates: list[Candidate]) -> set[str]:
    vocab = set()
    for c in candidates:
        vocab.update(words(c.name))
        for alias in c.aliases:
            vocab.update(words(alias))
    return {w for w in vocab if len(w) > 2} - STOP


def corrected(tokens: list[str], vocab: set[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Tokens with one-letter typos fixed against the lift vocabulary ("benhc" → "bench")."""
    out, fixes = [], []
    for t in tokens:
        if len(t) >= 5 and t not in vocab and t not in STOP and not t.isdigit():
            near = [v for v in vocab if v[0] == t[0] and abs(len(v) - len(t)) <= 1]
            close = get_close_matches(t, near, n=1, cutoff=0.8)
            if close:
                out.append(close[0])
                fixes.append((t, close[0]))
                continue
        out.append(t)
    return out, fixes


def _score(tokens: list[str], phrase: str, c: Candidate) -> float:
    name_words = set(words(c.name))
    score = 0.0
    for t in set(tokens) - STOP:
        if t in name_words:
            score += 0.5 if t in EQUIPMENT else 1.0
    for alias in c.aliases:
        said = " ".join(words(alias))
        if said and f" {said} " in f" {phrase} ":
            score = max(score, len(said.split()) + 0.5)
    return score


def _family(tokens: list[str], raw: list[str], mine: list[Candidate]) -> Resolved | None:
    """A plural family word alone ("my curls", "rows"): the lifter's exercise of that family
    whose main muscle is the one the word implies, the most trained first."""
    for t, r in zip(tokens, raw, strict=False):
        if t in FAMILIES and r != t and r.endswith("s"):
            others = set(tokens) - STOP - {t} - EQUIPMENT
            if others:
                return None  # "leg curls", "cable rows": a named exercise, not a family
            family = [c for c in mine if t in words(c.name)]
            implied = [c for c in family if any(c.muscles.get(m, 0) >= 1 for m in FAMILIES[t])]
            pool = sorted(implied or family, key=lambda c: -c.sets)
            if pool:
                chosen = pool[0]
                if len(family) == 1:
                    return Resolved(chosen, r)
                why = " (your most-trained one)" if len(pool) > 1 else ""
                return Resolved(chosen, r, f"Taking '{r}' as {chosen.name}{why}.")
    return None


def resolve(text: str, *, mine: list[Candidate], catalog: list[Candidate]) -> Resolved | None:
    """The lift ``text`` names: the lifter's own first; a catalog exercise only when it fits
    clearly better (a front squat asked about by a back-squatter); None when none fits."""
    raw = normal(text).split()
    tokens = [singular(w) for w in raw]
    tokens, fixes = corrected(tokens, _vocabulary(mine + catalog))
    phrase = " ".join(tokens)
    family = _family(tokens, raw, mine)
    if family:
        return family
    best, best_score = None, 0.0
    for c in mine:
        score = _score(tokens, phrase, c)
        if score > best_score + 1e-9:
            best, best_score = c, score
    other, other_score = None, 0.0
    for c in catalog:
        score = _score(tokens, phrase, c)
        if score > other_score + 1e-9:
            other, other_score = c, score
    if other is not None and other_score >= best_score + 1 and (best is None or other.exercise_id != best.exercise_id):
        return Resolved(other, phrase, logged=False)
    if best is None or best_score < 1:
        return None
    note = ""
    if fixes:
        note = "Taking " + ", ".join(f"'{a}'" for a, _ in fixes) + f" as {best.name}."
    return Resolved(best, phrase, note)


SPLIT = re.compile(r"\b(?:vs\.?|versus|compared (?:to|with)|against|or|and|than)\b|,")


def resolve_all(text: str, *, mine: list[Candidate], catalog: list[Candidate]) -> list[Resolved]:
    """One or two lifts: "bench vs squat", "is my ohp or my bench stronger"."""
    parts = [p for p in SPLIT.split(normal(text)) if p.strip()]
    if len(parts) >= 2:
        found = [resolve(p, mine=mine, catalog=catalog) for p in parts]
        found = [f for f in found if f is not None]
        distinct = list({f.candidate.exercise_id: f for f in found}.values())
        if len(distinct) >= 2:
            return distinct[:2]
    one = resolve(text, mine=mine, catalog=catalog)
    return [one] if one else []
