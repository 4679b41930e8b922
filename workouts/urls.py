from django.urls import path

from workouts import views

app_name = "workouts"

urlpatterns = [
    path("", views.home, name="home"),
    path("catalog.json", views.catalog_json, name="catalog"),
    path("settings/unit", views.unit_set, name="unit"),
    path("workouts/", views.history, name="history"),
    path("workouts/start", views.workout_start, name="start"),
    path("workouts/shell/", views.workout_shell, name="shell"),
    path("workouts/<uuid:workout_id>/", views.workout_detail, name="detail"),
    path("workouts/<uuid:workout_id>/sets", views.workout_log_set, name="log-set"),
    path("workouts/<uuid:workout_id>/exercises", views.workout_exercise_add, name="exercise-add"),
    path("workouts/<uuid:workout_id>/cards/<str:exercise_id>", views.workout_card, name="card"),
    path("workouts/<uuid:workout_id>/exercises/change", views.workout_exercise_change, name="exercise-change"),
    path("workouts/<uuid:workout_id>/swap/<str:exercise_id>", views.workout_swap, name="swap"),
    path("workouts/<uuid:workout_id>/add-exercise", views.exercise_picker, name="picker"),
    path("workouts/<uuid:workout_id>/notes", views.workout_notes, name="notes"),
    path("workouts/<uuid:workout_id>/finish", views.workout_finish, name="finish"),
    path("workouts/<uuid:workout_id>/delete", views.workout_delete, name="delete"),
    path("workouts/<uuid:workout_id>/summary", views.workout_summary, name="summary"),
    path("sets/<uuid:set_id>/edit", views.set_edit, name="set-edit"),
    path("sets/<uuid:set_id>/delete", views.set_delete, name="set-delete"),
    path("exercises/<str:exercise_id>/", views.exercise_detail, name="exercise"),
]
