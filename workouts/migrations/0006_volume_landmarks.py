"""Seed the weekly volume landmarks (MV / MEV / MAV / MRV, in hard sets per week) for every muscle.

Source: Renaissance Periodization's 2017 "Training Volume Landmarks for Muscle Growth" series,
Dr. Mike Israetel: the introductory article (renaissanceperiodization.com, 4 Jan 2017) and the
per-muscle "... Training Tips for Hypertrophy" articles that followed it in 2017. The figures
below are the per-muscle summary of that series as RP's tables give it, for an intermediate
lifter training each muscle about twice a week. They are starting points, not limits: staff can
edit every row in the admin, and a row's ``source`` says where its numbers came from.

From RP (MV / MEV / MAV low–high / MRV):

    chest            8 / 10 / 12–20 / 22   see note 1
    lats             8 / 10 / 14–22 / 25   RP's "back" figures
    traps-rhomboids  8 / 10 / 14–22 / 25   RP's "back" figures (rows train the mid traps and rhomboids)
    front-delts      0 /  0 /  6–8  / 12
    side-delts       6 /  8 / 16–22 / 26   MV uncertain: some reproductions of the table give 0
    rear-delts       0 /  8 / 16–22 / 26   MEV uncertain: some reproductions give 6
    triceps          4 /  6 / 10–14 / 18
    elbow-flexors    5 /  8 / 14–20 / 26   RP's "biceps" figures
    abs              0 /  0 / 16–20 / 25
    obliques         0 /  0 / 16–20 / 25   RP's "abs" figures (RP's abs article covers the obliques)
    glutes           0 /  0 /  4–12 / 16
    quads            6 /  8 / 12–18 / 20
    hamstrings       3 /  4 / 10–16 / 20
    calves           6 /  8 / 12–16 / 20

Not from RP — the default band (MEV 10 / MRV 20; MV 0 and MAV 10–20 are placeholders, not
claims): forearms, spinal-erectors, adductors, abductors, neck. RP published no figures for
these muscles in the 2017 series that we can cite with confidence (a forearm article exists; we
do not trust our reading of its numbers, so forearms take the default until staff set them).

RP's separate traps article (upper traps, trained by shrugs: 0 / 0 / 12–20 / 26) is not used:
this catalog has one "traps-rhomboids" muscle, trained mostly by rows, so it takes the back figures.

Note 1: the text of the chest article itself (30 Jan 2017) is looser than the summary table:
"perhaps around 4 sets" to maintain, "at least 6" to grow for most intermediate-advanced lifters,
and an MRV from about 20 sets (2 sessions a week) to 35 (5–6 sessions). The table's 8 / 10 / 22
are seeded; staff may prefer the article's figures.

Re-running the seed never overwrites a row staff have edited: existing muscles are left alone.
"""

from django.db import migrations

RP = "Renaissance Periodization 2017, Training Volume Landmarks series (Israetel)"
DEFAULT = "default band (MEV 10 / MRV 20): RP published no figures for this muscle"

# muscle: (mv, mev, mav_low, mav_high, mrv, source)
LANDMARKS = {
    "chest": (8, 10, 12, 20, 22, f"{RP}: chest"),
    "lats": (8, 10, 14, 22, 25, f"{RP}: back"),
    "traps-rhomboids": (8, 10, 14, 22, 25, f"{RP}: back"),
    "front-delts": (0, 0, 6, 8, 12, f"{RP}: front delts"),
    "side-delts": (6, 8, 16, 22, 26, f"{RP}: side delts (MV uncertain)"),
    "rear-delts": (0, 8, 16, 22, 26, f"{RP}: rear delts (MEV uncertain)"),
    "triceps": (4, 6, 10, 14, 18, f"{RP}: triceps"),
    "elbow-flexors": (5, 8, 14, 20, 26, f"{RP}: biceps"),
    "forearms": (0, 10, 10, 20, 20, DEFAULT),
    "spinal-erectors": (0, 10, 10, 20, 20, DEFAULT),
    "abs": (0, 0, 16, 20, 25, f"{RP}: abs"),
    "obliques": (0, 0, 16, 20, 25, f"{RP}: abs"),
    "glutes": (0, 0, 4, 12, 16, f"{RP}: glutes"),
    "quads": (6, 8, 12, 18, 20, f"{RP}: quads"),
    "hamstrings": (3, 4, 10, 16, 20, f"{RP}: hamstrings"),
    "adductors": (0, 10, 10, 20, 20, DEFAULT),
    "calves": (6, 8, 12, 16, 20, f"{RP}: calves"),
    "abductors": (0, 10, 10, 20, 20, DEFAULT),
    "neck": (0, 10, 10, 20, 20, DEFAULT),
}


def seed(apps, schema_editor):
    VolumeLandmark = apps.get_model("workouts", "VolumeLandmark")
    existing = set(VolumeLandmark.objects.values_list("muscle", flat=True))
    VolumeLandmark.objects.bulk_create(
        VolumeLandmark(muscle=muscle, mv=mv, mev=mev, mav_low=low, mav_high=high, mrv=mrv, source=source)
        for muscle, (mv, mev, low, high, mrv, source) in LANDMARKS.items()
        if muscle not in existing
    )


def unseed(apps, schema_editor):
    apps.get_model("workouts", "VolumeLandmark").objects.filter(muscle__in=LANDMARKS).delete()


class Migration(migrations.Migration):
    dependencies = [("workouts", "0005_progress_models")]
    operations = [migrations.RunPython(seed, unseed)]
