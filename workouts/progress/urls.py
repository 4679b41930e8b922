from django.urls import include, path

from workouts.progress import views_exercise

urlpatterns = [
    path("", include("workouts.progress.home_urls")),
    path("strength/", include("workouts.progress.strength_urls")),
    path("volume/", include("workouts.progress.volume_urls")),
    path("exercise/<str:exercise_id>/", views_exercise.exercise, name="exercise"),
]
