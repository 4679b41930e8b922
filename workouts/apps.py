from django.apps import AppConfig


class WorkoutsConfig(AppConfig):
    name = "workouts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from events.registry import registry
        from workouts import payloads
        from workouts.projections import ExerciseProjection, SetProjection, WorkoutProjection

        registry.register_projection(WorkoutProjection())
        registry.register_projection(SetProjection())
        registry.register_projection(ExerciseProjection())
        for name, schema, aggregate, key in payloads.EVENT_TYPES:
            registry.register_event(name, schema, aggregate=aggregate, key=key)
