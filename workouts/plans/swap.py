"""Exercise substitutes: ranked by how alike their muscle contributions and movement pattern
are, limited to the lifter's equipment. Pure (catalog rows as dicts)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping


def similarity(a: Mapping, b: Mapping) -> float:
    """Cosine similarity of the muscle contributions, plus 0.5 for the same movement pattern
    and 0.1 for the same mechanics (compound/isolation): 0 … 1.6."""
    ma, mb = a.get("muscles") or {}, b.get("muscles") or {}
    dot = sum(ma[m] * mb.get(m, 0) for m in ma)
    norm = math.sqrt(sum(v * v for v in ma.values())) * math.sqrt(sum(v * v for v in mb.values()))
    score = dot / norm if norm else 0.0
    if a.get("pattern") and a.get("pattern") == b.get("pattern"):
        score += 0.5
    if a.get("mechanics") and a.get("mechanics") == b.get("mechanics"):
        score += 0.1
    return round(score, 4)


def substitutes(
    exercise: Mapping, catalog: Iterable[Mapping], *, equipment: Iterable[str] = (), limit: int = 10
) -> list[tuple[Mapping, float]]:
    """The best substitutes for ``exercise``: (row, score), best first; ``equipment`` empty = all."""
    allowed = set(equipment)
    scored = [
        (row, similarity(exercise, row))
        for row in catalog
        if row["slug"] != exercise["slug"] and (not allowed or row.get("equipment") in allowed)
    ]
    scored = [pair for pair in scored if pair[1] > 0.2]
    scored.sort(key=lambda pair: (-pair[1], pair[0]["slug"]))
    return scored[:limit]
