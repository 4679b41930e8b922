"""The coach, mounted at /coach/: chat, memory, weekly reports."""

from django.urls import path, register_converter

from coaching import views


class DateConverter:
    """``2026-11-02``: a report's week, by its first day."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str):
        from datetime import date

        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(value) from exc

    def to_url(self, value) -> str:
        return value.isoformat()


register_converter(DateConverter, "coachdate")

app_name = "coaching"

urlpatterns = [
    path("", views.chat, name="chat"),
    path("ask", views.ask, name="ask"),
    path("memory/", views.memory, name="memory"),
    path("memory/facts/<int:pk>/delete", views.fact_delete, name="fact_delete"),
    path("memory/messages/<int:pk>/delete", views.message_delete, name="message_delete"),
    path("insights", views.insights, name="insights"),
    path("reports/", views.reports, name="reports"),
    path("reports/<coachdate:week>/", views.report_detail, name="report_detail"),
]
