from django.urls import path

from workouts.progress import views_home

urlpatterns = [
    path("", views_home.home, name="home"),
    path("goals", views_home.goal_set, name="goal-set"),
    path("goals/<uuid:goal_id>/delete", views_home.goal_delete, name="goal-delete"),
]
