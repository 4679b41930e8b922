from django.urls import path  # noqa: F401

app_name = "data"

# Filled by the accounts issue (#4): export, import and account deletion at /settings/data/.
urlpatterns: list = []
