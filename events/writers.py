"""A generic projection writer: folded states of one aggregate type → rows of one model."""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from events.registry import StateRow

CHUNK = 500


class RowWriter:
    """Subclasses set ``aggregate``, ``model``, ``key`` (the model field holding the
    aggregate id), ``fold`` and ``build(user_id, state) -> row or None``."""

    aggregate: str
    model: type
    key: str

    def build(self, user_id: UUID, state) -> object | None:
        raise NotImplementedError

    def write(self, rows: list[StateRow], *, replace: bool) -> None:
        if replace:
            ids_by_user: dict[UUID, list[str]] = defaultdict(list)
            for user_id, aggregate_id, _state in rows:
                ids_by_user[user_id].append(aggregate_id)
            for user_id, ids in ids_by_user.items():
                for start in range(0, len(ids), CHUNK):
                    self.model.objects.filter(user_id=user_id, **{f"{self.key}__in": ids[start : start + CHUNK]}).delete()
        objs = [obj for user_id, _id, state in rows if state is not None and (obj := self.build(user_id, state)) is not None]
        if objs:
            self.model.objects.bulk_create(objs, batch_size=CHUNK)

    def reset(self) -> None:
        self.model.objects.all().delete()
