from django.urls import path

from workouts.imports import views

app_name = "imports"

# Strong and Hevy CSV import: upload → preview → confirm → progress → done, undo.
urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:batch_id>/", views.detail, name="detail"),
    path("<uuid:batch_id>/confirm", views.confirm, name="confirm"),
    path("<uuid:batch_id>/run", views.run, name="run"),
    path("<uuid:batch_id>/undo", views.undo, name="undo"),
]
