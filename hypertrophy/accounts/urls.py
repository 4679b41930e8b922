from django.urls import path

from hypertrophy.accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile", views.profile, name="profile"),
    path("devices", views.devices, name="devices"),
    path("devices/<uuid:device_id>/sign-out", views.device_sign_out, name="device-sign-out"),
    path("invite/dismiss", views.invite_dismiss, name="invite-dismiss"),
]
