"""The one NinjaAPI, at /api/v1. Each app contributes a Router from its own api.py."""

from ninja import NinjaAPI

from hypertrophy.errors import install_handlers

api = NinjaAPI(
    title="Hypertrophy API",
    version="1",
    description="Offline-first workout tracking: sync events in, read projections out. See API.md.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_handlers(api)

from events.api import router as events_router  # noqa: E402
from workouts.api import router as workouts_router  # noqa: E402
from measurements.api import router as measurements_router  # noqa: E402

api.add_router("", events_router)
api.add_router("", workouts_router)
api.add_router("", measurements_router)
