from django.apps import AppConfig


class MeasurementsConfig(AppConfig):
    name = "measurements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from events.registry import registry
        from hypertrophy.accounts.deletion import register_deletion
        from measurements import payloads
        from measurements.projections import MeasurementProjection
        from measurements.services import photos_discard_files

        registry.register_projection(MeasurementProjection())
        for name, schema, aggregate, key in payloads.EVENT_TYPES:
            registry.register_event(name, schema, aggregate=aggregate, key=key)
        registry.register_holding(
            "measurements", singular="measurement",
            count=lambda user_id: MeasurementProjection.model.objects.filter(user_id=user_id).count(),
        )
        register_deletion(photos_discard_files)  # the photos' files; their rows go with the user
