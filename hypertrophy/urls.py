from django.contrib import admin
from django.urls import include, path

from hypertrophy import pwa, views
from hypertrophy.accounts import views as accounts_views
from hypertrophy.api import api

urlpatterns = [
    path("health", views.health, name="health"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline", pwa.offline, name="offline"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # Our sessions page (sign out one session) before allauth's own under the same name.
    path("accounts/sessions/", accounts_views.sessions, name="usersessions_list"),
    path("accounts/", include("allauth.urls")),
    path("progress/", include(("workouts.progress.urls", "progress"))),
    path("measurements/", include("measurements.urls")),
    path("settings/data/", include("hypertrophy.accounts.urls_data")),
    path("settings/", include("hypertrophy.accounts.urls")),
    path("coach/", include("coaching.urls")),
    path("import/", include("workouts.imports.urls")),
    path("plan/", include("workouts.plans.urls")),
    path("", include("workouts.urls")),
]

handler400 = "hypertrophy.views.handler400"
handler403 = "hypertrophy.views.handler403"
handler404 = "hypertrophy.views.handler404"
handler500 = "hypertrophy.views.handler500"
