from django.contrib import admin

from workouts.models import Exercise


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    """The catalog is staff-editable; slugs are stable keys that events refer to."""

    list_display = ("name", "slug", "equipment", "mechanics", "pattern", "primary_muscle", "set_kind")
    list_filter = ("equipment", "mechanics", "pattern", "primary_muscle", "set_kind", "unilateral")
    search_fields = ("name", "slug", "search_text")
    prepopulated_fields = {"slug": ("name",)}

    def get_readonly_fields(self, request, obj=None):
        return ("slug",) if obj else ()
