from django.urls import path  # noqa: F401

app_name = "imports"

# Filled by the programs issue (#7): Strong and Hevy CSV import at /import/.
urlpatterns: list = []
