from django.urls import path

from measurements import views

app_name = "measurements"

urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:measurement_id>/delete", views.delete, name="delete"),
]
