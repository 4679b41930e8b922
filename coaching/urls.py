from django.urls import path  # noqa: F401

app_name = "coaching"

# Filled by the coach issue (#6): chat at /coach/, reports at /coach/reports/.
urlpatterns: list = []
