from django import forms
from django.contrib import admin
from django.db import transaction

from hypertrophy.accounts.audit import AuditedAdminMixin
from workouts.catalog.check_catalog import FRACTIONS
from workouts.models import MUSCLES, Exercise, VolumeLandmark
from workouts.progress.metrics import weekly_metrics_refold_for_exercise

MUSCLE_SLUGS = frozenset(slug for slug, _ in MUSCLES)


class ExerciseForm(forms.ModelForm):
    """Muscle contributions as the catalog keeps them: known muscles, each a fraction of a set."""

    class Meta:
        model = Exercise
        fields = "__all__"

    def clean_muscles(self):
        muscles = self.cleaned_data.get("muscles")
        if not isinstance(muscles, dict) or not muscles:
            raise forms.ValidationError('Give the muscles as an object, e.g. {"chest": 1.0, "triceps": 0.5}.')
        unknown = sorted(m for m in muscles if m not in MUSCLE_SLUGS)
        if unknown:
            raise forms.ValidationError(f"Unknown muscle: {', '.join(map(str, unknown))}.")
        allowed = ", ".join(str(f) for f in sorted(FRACTIONS))
        for muscle, share in muscles.items():
            if isinstance(share, bool) or not isinstance(share, (int, float)) or float(share) not in FRACTIONS:
                raise forms.ValidationError(f"{muscle}: a share of a set is one of {allowed}.")
        return muscles


@admin.register(Exercise)
class ExerciseAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The catalog is staff-editable; slugs are stable keys that events refer to. Changing an
    exercise's muscles counts the weekly numbers of every lifter who logged it again."""

    form = ExerciseForm
    list_display = ("name", "slug", "equipment", "mechanics", "pattern", "primary_muscle", "set_kind")
    list_filter = ("equipment", "mechanics", "pattern", "primary_muscle", "set_kind", "unilateral")
    search_fields = ("name", "slug", "search_text")
    prepopulated_fields = {"slug": ("name",)}

    def get_readonly_fields(self, request, obj=None):
        return ("slug",) if obj else ()

    def get_prepopulated_fields(self, request, obj=None):
        # A read-only slug cannot be prepopulated: the change page would fail (KeyError).
        return {} if obj else self.prepopulated_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "muscles" in form.changed_data:
            # After the admin's transaction commits: the refold opens its own durable one.
            slug = obj.slug
            transaction.on_commit(lambda: weekly_metrics_refold_for_exercise(exercise_id=slug))


# --- volume landmarks -------------------------------------------------------------------

LANDMARK_ORDER = ("mv", "mev", "mav_low", "mav_high", "mrv")


class VolumeLandmarkForm(forms.ModelForm):
    """Landmarks must rise: MV ≤ MEV ≤ MAV low ≤ MAV high ≤ MRV, none negative."""

    class Meta:
        model = VolumeLandmark
        fields = ("muscle", *LANDMARK_ORDER, "source")

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(name, getattr(self.instance, name, None)) for name in LANDMARK_ORDER]
        if any(v is None for v in values):
            return cleaned
        if min(values) < 0:
            raise forms.ValidationError("Landmarks cannot be negative.")
        if values != sorted(values):
            raise forms.ValidationError("Landmarks must rise: MV ≤ MEV ≤ MAV low ≤ MAV high ≤ MRV.")
        return cleaned


@admin.register(VolumeLandmark)
class VolumeLandmarkAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Weekly hard-set landmarks per muscle, seeded from RP's 2017 figures (migration 0006); staff-editable."""

    form = VolumeLandmarkForm
    list_display = ("muscle", *LANDMARK_ORDER, "source")
    list_editable = LANDMARK_ORDER
    search_fields = ("muscle", "source")

    def get_readonly_fields(self, request, obj=None):
        return ("muscle",) if obj else ()
