"""What a question asks for: the measure ("what"), the unit, and whether it is in scope. Pure."""

from __future__ import annotations

import re

OUT_OF_SCOPE = (
    r"\b(food|eat|eating|ate|diet|calorie|calories|kcal|protein|carbs?|macros?|meals?|nutrition|sleep|slept|sleeping"
    r"|nap|water|hydrat\w*|steps|step count|heart rate|hrv|supplements?|creatine|alcohol|beer|weather|stress|mood"
    r"|vo2|blood pressure|cardio zones?)\b"
)
# (what, pattern) in order of precedence over the lower-cased question.
WHATS: tuple[tuple[str, str], ...] = (
    ("injury", r"\b(hurts?|hurting|pain(ful)?|injur\w*|sore|strain(ed)?|tweak(ed)?|aches?|aching)\b"),
    ("deload", r"\bdeload|\bfatigue|\btired|\brest week|\brecover|\bburn(ed|t)? ?out|\boverreach|\bback off week"),
    (
        "next_target",
        r"\bwhat weight should|\bhow (much|heavy) should i\b|\bnext (time|session|workout)\b|\bwhat should i "
        r"(lift|bench|squat|press|pull|use|load)\b|\bweight (for|to use) next|\bhow much to (lift|put)\b",
    ),
    (
        "program_day",
        r"\bwhat should i (do|train|hit|work on) today|\btoday'?s (workout|session|plan)|\bwhat'?s (on )?(for )?today"
        r"|\bwhat (do i|should i) train\b|\bwhich (day|workout) (is|should)|\bprogram\b|\broutine\b|\bmy plan\b"
        r"|\bwhat'?s next\b|\bwhat workout\b",
    ),
    ("neglect", r"\bneglect\w*|\bhaven'?t (trained|hit|worked)|\bnot trained\b|\bskipp\w*|\bignor\w*|\bforg[eo]t\w*"),
    ("lean_mass", r"\blean (body )?mass\b|\blbm\b|\bfat[- ]free mass\b|\bmuscle mass\b"),
    ("body_fat", r"\bbody ?-?fat\b|\bbf\b|\bbf%|\bfat (percent|%)|\bbody composition\b|\bfat loss\b"),
    (
        "bodyweight",
        r"\bbody ?-?weight\b(?! (lift|exercise|squat))|\bmy weight\b|\bweigh(ed|t-?in|ing)?\b(?! (should|to use|for))"
        r"|\bscale\b|\b(lose|gain|losing|gaining|lost|gained) (any )?weight\b|\bhow heavy am i\b",
    ),
    ("records", r"\brecords?\b|\bprs?\b|\bpbs?\b|\bpersonal (best|record)s?\b"),
    ("reps_at", r"\bhow many reps\b.*\b\d+(\.\d+)?\s*(kg|kilos?|lbs?|pounds?)?\b|\breps (at|with) \d|\bmax reps\b"),
    ("heaviest", r"\bhow heavy (did|have|do) i\b|\bheaviest\b|\bmost weight\b|\bmax(imum)? weight\b|\btop weight\b|\bbiggest weight\b|\bheavier\b"),
    ("best_set", r"\bbest set\b|\btop set\b|\bbest single set\b"),
    (
        "sessions",
        r"\bhow many (workouts|sessions|gym sessions|days)\b|\bnumber of (workouts|sessions)\b|\bworkouts? (did|have) i"
        r"|\bsessions? (did|have) i|\bhow many times did i (train|go|work ?out|lift)\b|\bworkout count\b",
    ),
    (
        "frequency",
        r"\bhow often\b|\bhow many times\b|\bfrequency\b|\btimes (a|per) week\b|\bhow frequently\b|\bdays a week\b",
    ),
    (
        "duration",
        r"\bhow long\b|\bhow much time\b|\bhours?\b|\bminutes\b|\bduration\b|\btime (in the gym|training|spent)\b"
        r"|\b(workout|session) length\b|\blength of my (workouts|sessions)\b",
    ),
    ("muscle_sets", r"\bsets (per|for|of|on) \w+|\bhow many sets\b|\bsets per muscle\b|\bweekly sets\b"),
    (
        "volume",
        r"\bvolume\b|\btonnage\b|\btotal (weight|load)\b|\bhow much (weight )?(did|have) i (lift|move)\w*"
        r"|\b(kg|kilos|lbs?|pounds) (lifted|moved)\b|\bworkload\b"
        r"|\btotal reps\b|\bhow many reps (did|have) i\b",
    ),
    (
        "verdict",
        r"\bunder-? ?train|\bover-? ?train|\bmuscles?\b|\blandmark|\b(enough|too much|too little)\b",
    ),
    ("goals", r"\bgoals?\b"),
    (
        "workouts",
        r"\blast workout|\brecent workouts?|\bhow did i do\b|\blatest (workout|session)\b|\bhow much did i train\b"
        r"|\bhow (was|did) (my|last|this) (week|month)|\bwhat did i do\b|\bsummar",
    ),
    (
        "e1rm",
        r"\be?1 ?rm\b|\bone rep max\b|\bmax\b|\bstrength\b|\bstrong(er|est)?\b|\bweaker\b|\bprogress\w*|\bgoing\b"
        r"|\bimprov\w*|\btrend\b|\bstall\w*|\bhow (is|are|was|were|has|have) my\b|\bcompare\b|\bvs\b|\bversus\b",
    ),
)


def what_of(question: str) -> str | None:
    q = " ".join(question.lower().replace("’", "'").split())
    if re.search(OUT_OF_SCOPE, q) and not re.search(r"\b(body ?fat|bodyweight|lean mass)\b", q):
        return "out_of_scope"
    for what, pattern in WHATS:
        if re.search(pattern, q):
            return what
    return None


def unit_of_question(question: str) -> str | None:
    q = question.lower()
    if re.search(r"\bin (pounds|lbs?|lb)\b|\bpounds\b", q):
        return "lb"
    if re.search(r"\bin (kilos|kgs?|kilograms)\b", q):
        return "kg"
    return None


def weight_of_question(question: str) -> tuple[float, str | None] | None:
    """The load a "how many reps at 100 kg" question names, with its unit if said."""
    m = re.search(r"\b(?:at|with|of|using)\s+(\d+(?:\.\d+)?)\s*(kg|kgs|kilos?|lbs?|pounds?)?\b", question.lower())
    if not m:
        return None
    unit = m.group(2)
    return float(m.group(1)), (None if unit is None else ("kg" if unit.startswith("k") else "lb"))
