from django.urls import path

from workouts.plans import views

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
    path("programs/new", views.program_generate, name="program-generate"),
    path("programs/custom", views.program_custom, name="program-custom"),
    path("programs/<uuid:program_id>/", views.program_detail, name="program"),
    path("programs/<uuid:program_id>/<str:action>", views.program_action, name="program-action"),
]
