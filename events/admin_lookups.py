"""Admin lists that answer odd query strings the way Django answers unknown lookups.

Django's changelist accepts any lookup on a model's own fields from the URL
(``?created_at__year=-1``, ``?id__in=99999999999999999999``). It turns values it cannot
parse into "incorrect lookup parameters" (a redirect to the list with ``?e=1``), but some
fail only when the database runs the query: a year out of Python's range, an integer too
large for the column. Those were 500s."""

from __future__ import annotations

import logging

from django.contrib.admin.options import IncorrectLookupParameters
from django.db import DataError

logger = logging.getLogger(__name__)


class SafeLookupsMixin:
    """Use it before ``admin.ModelAdmin`` in the bases (``AuditedAdminMixin`` and the read-only
    admins include it)."""

    def get_changelist_instance(self, request):
        # The changelist counts its rows while it is built, so every lookup has run by the end.
        try:
            return super().get_changelist_instance(request)
        except (ValueError, OverflowError, DataError) as exc:
            logger.info("admin list %s: lookups refused (%s)", request.path, exc)
            raise IncorrectLookupParameters(exc) from exc
