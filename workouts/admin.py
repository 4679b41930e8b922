from django.contrib import admin

from hypertrophy.accounts.audit import AuditedAdminMixin
from workouts.models import Exercise


@admin.register(Exercise)
class ExerciseAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The catalog is staff-editable; slugs are stable keys that events refer to."""

    list_display = ("name", "slug", "equipment", "mechanics", "pattern", "primary_muscle", "set_kind")
    list_filter = ("equipment", "mechanics", "pattern", "primary_muscle", "set_kind", "unilateral")
    search_fields = ("name", "slug", "search_text")
    prepopulated_fields = {"slug": ("name",)}

    def get_readonly_fields(self, request, obj=None):
        return ("slug",) if obj else ()

    def get_prepopulated_fields(self, request, obj=None):
        # A read-only slug cannot be prepopulated: the change page would fail (KeyError).
        return {} if obj else self.prepopulated_fields


# --- volume landmarks -------------------------------------------------------------------

from django import forms  # noqa: E402

from workouts.models import VolumeLandmark  # noqa: E402

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
