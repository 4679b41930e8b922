from django.urls import include, path

urlpatterns = [
    path("", include("workouts.progress.home_urls")),
    path("strength/", include("workouts.progress.strength_urls")),
    path("volume/", include("workouts.progress.volume_urls")),
]
