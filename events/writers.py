"""A generic projection writer: folded states of one aggregate type → rows of one model."""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID  # noqa: F401

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
        """Store folded states. With ``replace``, existing rows are updated in place (an
        upsert on the (user, key) constraint) and rows whose aggregate has no state any
        more are deleted; without it (a rebuild into empty tables) rows are only inserted."""
        objs, gone = [], defaultdict(list)
        for user_id, aggregate_id, state in rows:
            obj = self.build(user_id, state) if state is not None else None
            if obj is not None:
                objs.append(obj)
            elif replace:
                gone[user_id].append(aggregate_id)
        for user_id, ids in gone.items():
            for start in range(0, len(ids), CHUNK):
                self.model.objects.filter(user_id=user_id, **{f"{self.key}__in": ids[start : start + CHUNK]}).delete()
        if not objs:
            return
        if replace:
            self.model.objects.bulk_create(
                objs, batch_size=CHUNK, update_conflicts=True, unique_fields=["user", self.key], update_fields=self._value_fields()
            )
        else:
            self.model.objects.bulk_create(objs, batch_size=CHUNK)

    def _value_fields(self) -> list[str]:
        return [
            f.name for f in self.model._meta.concrete_fields if not f.primary_key and f.name not in ("user", self.key)
        ]

    def reset(self) -> None:
        self.model.objects.all().delete()
