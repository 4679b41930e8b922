from django.urls import path

from workouts.progress import views_strength

urlpatterns = [
    path("", views_strength.strength, name="strength"),
]
