from django.urls import path

from measurements import photo_views, views

app_name = "measurements"

urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:measurement_id>/delete", views.delete, name="delete"),
    path("photos/<uuid:photo_id>", photo_views.photo, name="photo"),
]
