from django.urls import path

from hypertrophy.accounts import views_data

app_name = "data"

# /settings/data/: download, import and delete ("Your data").
urlpatterns = [
    path("", views_data.index, name="index"),
    path("export.<slug:extension>", views_data.export, name="export"),
    path("import", views_data.import_json, name="import"),
    path("delete", views_data.delete_account, name="delete"),
    path("deleted", views_data.deleted, name="deleted"),
]
