"""Pages of the workouts app. Views call selectors; writes go through the events ingest."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from workouts import selectors


def home(request: HttpRequest) -> HttpResponse:
    workouts = []
    if request.user.is_authenticated:
        workouts = list(selectors.workout_list(user=request.user)[:5])
    return render(request, "workouts/home.html", {"workouts": workouts})
