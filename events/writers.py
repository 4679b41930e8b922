"""A generic projection writer: folded states of one aggregate type → rows of one model."""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID  # noqa: F401

from events.registry import StateRow
from events.sql import insert_rows

CHUNK = 500


class RowWriter:
    """Subclasses set ``aggregate``, ``model``, ``key`` (the model field holding the
    aggregate id), ``fold`` and ``build(user_id, state)``: the row's field values as a
    dict (every stored field but ``user``), or None for no row."""

    aggregate: str
    model: type
    key: str

    def build(self, user_id: UUID, state) -> dict | None:
        raise NotImplementedError

    def write(self, rows: list[StateRow], *, replace: bool, fresh: frozenset[str] | set[str] = frozenset()) -> None:
        """Store folded states. With ``replace``, existing rows are updated in place (an
        upsert on the (user, key) constraint) and rows whose aggregate has no state any
        more are deleted; aggregates in ``fresh`` (no event of theirs was stored before)
        cannot have a row yet and are simply inserted, as is everything without
        ``replace`` (a rebuild into empty tables)."""
        fields = self._fields()
        rest = fields[2:]
        upserts, inserts, gone = [], [], defaultdict(list)
        for user_id, aggregate_id, state in rows:
            values = self.build(user_id, state) if state is not None else None
            if values is None:
                if replace and aggregate_id not in fresh:
                    gone[user_id].append(aggregate_id)
                continue
            row = (user_id, values[self.key], *[values[name] for name in rest])
            (upserts if replace and aggregate_id not in fresh else inserts).append(row)
        for user_id, ids in gone.items():
            for start in range(0, len(ids), CHUNK):
                self.model.objects.filter(user_id=user_id, **{f"{self.key}__in": ids[start : start + CHUNK]}).delete()
        if upserts:
            insert_rows(self.model, fields, upserts, conflict=("user", self.key), update=rest)
        if inserts:
            insert_rows(self.model, fields, inserts)

    def _fields(self) -> list[str]:
        """``user``, the key, then every other stored field (the auto id is the database's)."""
        rest = [f.name for f in self.model._meta.concrete_fields if not f.primary_key and f.name not in ("user", self.key)]
        return ["user", self.key, *rest]

    def reset(self) -> None:
        self.model.objects.all().delete()
