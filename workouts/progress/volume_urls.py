from django.urls import path

from workouts.progress import views_volume

urlpatterns = [
    path("", views_volume.volume, name="volume"),
]
