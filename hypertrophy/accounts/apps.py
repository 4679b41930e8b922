from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hypertrophy.accounts"
    label = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hypertrophy.accounts import adapters  # noqa: F401  (connects the audit trail's signal receivers)
        from hypertrophy.accounts import sessions  # noqa: F401  (connects session_remember, which account deletion relies on)
