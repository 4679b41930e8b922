"""The one NinjaAPI, at /api/v1. Each app contributes a Router from its own api.py."""

from ninja import NinjaAPI

from events.auth import is_public
from hypertrophy.errors import install_handlers


class HypertrophyAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Operations open to anonymous callers (``events.auth.Anonymous``) are declared public:
        an empty security requirement first, then the credentials they also take."""
        schema = super().get_openapi_schema(*args, **kwargs)
        public = self._public_operation_ids()
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                if isinstance(operation, dict) and operation.get("operationId") in public:
                    operation["security"] = [{}, *operation.get("security", [])]
        return schema

    def _public_operation_ids(self) -> set[str]:
        found = set()
        for _prefix, router in self._routers:
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    if any(is_public(callback) for callback in operation.auth_callbacks or ()):
                        found.add(operation.operation_id or self.get_openapi_operation_id(operation))
        return found


api = HypertrophyAPI(
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
