from django.urls import path

from workouts import views

app_name = "workouts"

urlpatterns = [
    path("", views.home, name="home"),
]
