from django.apps import AppConfig


class WorkoutsConfig(AppConfig):
    name = "workouts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from events.registry import registry
        from workouts import payloads
        from workouts.plans import payloads as plan_payloads
        from workouts.plans.projections import FolderProjection, ProgramProjection, TemplateProjection
        from workouts.progress.metrics import WeeklyMetricsProjection
        from workouts.projections import ExerciseProjection, GoalProjection, SetProjection, WorkoutProjection

        registry.register_projection(WorkoutProjection())
        registry.register_projection(SetProjection())
        registry.register_projection(ExerciseProjection())
        registry.register_projection(GoalProjection())
        registry.register_projection(FolderProjection())
        registry.register_projection(TemplateProjection())
        registry.register_projection(ProgramProjection())
        for name, schema, aggregate, key in payloads.EVENT_TYPES + plan_payloads.EVENT_TYPES:
            registry.register_event(name, schema, aggregate=aggregate, key=key)
        # Weekly metrics follow workouts, sets, custom exercises and measurements (registered by
        # the measurements app, after this one: sources are only looked up when events land).
        registry.register_derived(WeeklyMetricsProjection())
        registry.register_holding(
            "workouts", singular="workout",
            count=lambda user_id: WorkoutProjection.model.objects.filter(user_id=user_id).count(),
        )
