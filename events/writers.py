"""A generic projection writer: folded states of one aggregate type → rows of one model."""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID  # noqa: F401

from events.registry import StateRow
from events.sql import insert_rows, model_rows

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
        fields = self._fields()
        if replace:
            insert_rows(self.model, fields, model_rows(objs, fields), conflict=("user", self.key), update=fields[2:])
        else:
            insert_rows(self.model, fields, model_rows(objs, fields))

    def _fields(self) -> list[str]:
        """``user``, the key, then every other stored field (the auto id is the database's)."""
        rest = [f.name for f in self.model._meta.concrete_fields if not f.primary_key and f.name not in ("user", self.key)]
        return ["user", self.key, *rest]

    def reset(self) -> None:
        self.model.objects.all().delete()
