from django.urls import path

from workouts.plans import views, views_programs

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("folders", views.folder_save, name="folder-save"),
    path("folders/<uuid:folder_id>/delete", views.folder_delete, name="folder-delete"),
    path("templates/new", views.template_new, name="template-new"),
    path("templates/<uuid:template_id>/", views.template_edit, name="template"),
    path("templates/<uuid:template_id>/delete", views.template_delete, name="template-delete"),
    path("templates/<uuid:template_id>/start", views.template_start, name="template-start"),
    path("templates/<uuid:template_id>/swap/<str:exercise_id>", views.template_swap, name="template-swap"),
    path("templates/from-workout/<uuid:workout_id>", views.template_from_workout, name="template-from-workout"),
    path("programs/new", views_programs.program_generate, name="program-generate"),
    path("programs/custom", views_programs.program_custom, name="program-custom"),
    path("programs/<uuid:program_id>/", views_programs.program_detail, name="program"),
    path("programs/<uuid:program_id>/start", views_programs.program_start, name="program-start"),
    path("programs/<uuid:program_id>/stop", views_programs.program_stop, name="program-stop"),
    path("programs/<uuid:program_id>/delete", views_programs.program_delete, name="program-delete"),
    path(
        "programs/<uuid:program_id>/deload-accept",
        views_programs.program_deload_accept,
        name="program-deload-accept",
    ),
    path(
        "programs/<uuid:program_id>/deload-decline",
        views_programs.program_deload_decline,
        name="program-deload-decline",
    ),
    path("programs/<uuid:program_id>/start-today", views_programs.program_start_today, name="program-start-today"),
]
