from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Event log"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from events import adapters  # noqa: F401  (connects the audit trail's signal receivers)
        from events import data  # noqa: F401  (connects session_remember, which account deletion relies on)
