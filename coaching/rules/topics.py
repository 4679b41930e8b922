"""Which topic a question is about: keyword patterns over the lower-cased question, in order."""

from __future__ import annotations

import re

# A question with no exercise in it is about the one asked about before only if it refers back
# (“is it still going up?”); “hello” or “am I eating enough?” is not about the last lift.
FOLLOW_UP = r"\b(it|its|it's|that|this one|that one|them|still|same|and now|now)\b"
# "How is my bench?" from a lifter with an empty log: say why there is no answer yet.
PROGRESS_WORDS = r"\b(progress\w*|going|improv\w*|stronger|weaker|e?1rm|stall\w*|how (is|are) my)\b"

# What lifters call a muscle group, and the muscles (volume landmarks) it means: "am I doing
# enough for back?" is about lats and upper back, not the back squat.
MUSCLE_GROUPS: dict[str, tuple[str, ...]] = {
    "back": ("lats", "traps-rhomboids"),
    "upper back": ("traps-rhomboids", "rear-delts"),
    "lats": ("lats",),
    "traps": ("traps-rhomboids",),
    "chest": ("chest",),
    "pecs": ("chest",),
    "shoulders": ("front-delts", "side-delts", "rear-delts"),
    "delts": ("front-delts", "side-delts", "rear-delts"),
    "arms": ("elbow-flexors", "triceps"),
    "biceps": ("elbow-flexors",),
    "triceps": ("triceps",),
    "legs": ("quads", "hamstrings", "glutes", "calves"),
    "quads": ("quads",),
    "hamstrings": ("hamstrings",),
    "glutes": ("glutes",),
    "calves": ("calves",),
    "abs": ("abs",),
    "core": ("abs",),
}
GROUP = (
    r"\b(?:" + "|".join(re.escape(g) for g in sorted(MUSCLE_GROUPS, key=len, reverse=True)) + r")\b"
    # ... and not the start of an exercise's name ("back squats", "chest press", "triceps pushdown").
    r"(?!\s*(?:squats?|extensions?|raises?|press|rows?|curls?|fl(?:y|ies)|pulldowns?|dips?|thrusts?|pushdowns?))"
)
# Topics in order of precedence, each a regular expression over the lower-cased question.
TOPICS: tuple[tuple[str, str], ...] = (
    ("deload", r"\bdeload|\bfatigue|\btired|\brest week|\brecover|\bburn(ed|t)? ?out|\boverreach"),
    # "I have a sore shoulder" is news about the lifter, not a question about shoulder presses.
    ("injury", r"\b(hurts?|hurting|pain(ful)?|injur\w*|sore|strain(ed)?|tweak(ed)?|aches?|aching)\b"),
    (
        "body",
        r"\bbody ?-?fat|\bmy weight\b|\bbody ?weight|\blean mass|\bmeasurement|\bwaist|\bfat loss"
        r"|\b(lose|gain|losing|gaining) weight",
    ),
    (
        "volume",
        r"\bunder-? ?train|\bover-? ?train|\bmuscles?\b|\bvolume\b|\bsets per\b|\blandmark|\bneglect"
        rf"|\b(enough|too much|too little|more|less)\b.*{GROUP}|{GROUP}.*\b(enough|too much|too little)\b"
        rf"|\bhow many sets\b.*{GROUP}|\b(train|trained|training|hit|work|worked)\b.*{GROUP}",
    ),
    ("records", r"\brecords?\b|\bprs?\b|\bpersonal best|\bstrongest\b|\bheaviest\b"),
    ("goals", r"\bgoals?\b|\btarget\b"),
    ("program", r"\bprogram|\broutine\b|\btoday'?s workout|\bwhat should i (do|train) today|\bmy plan\b"),
    (
        "workouts",
        r"\blast workout|\brecent workouts?|\bthis week\b|\blast week\b|\bhow many\b|\bsessions?\b|\bworkouts\b"
        r"|\bhow did i do\b|\bhow much (did|have) i (train|lift)",
    ),
)




def topic_of(question: str) -> str:
    q = question.lower()
    for topic, pattern in TOPICS:
        if re.search(pattern, q):
            return topic
    return "exercise"
