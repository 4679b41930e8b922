"""The one pagination of the API's lists: ``?limit=&offset=`` in, ``{"items": [...], "count": N}`` out.

``limit`` is 1 to 100 (default 20); ``offset`` 0 to ``MAX_OFFSET``. Outside those bounds the
answer is 422 ``validation_error`` naming the parameter: an offset of 2^63 or more used to
reach the database, which cannot hold it (a 500).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from ninja import Schema
from pydantic import Field

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Far past any list a user has, far below what a 64-bit offset can hold (with the limit added).
MAX_OFFSET = 1_000_000_000

T = TypeVar("T")


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def window(self, rows: Sequence[T]) -> Sequence[T]:
        """This page of a queryset or list: one LIMIT/OFFSET query for a queryset."""
        return rows[self.offset : self.offset + self.limit]


def page_body(items: list[Any], count: int) -> dict[str, Any]:
    """The body of every list answer."""
    return {"items": items, "count": count}
