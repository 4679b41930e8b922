"""The coach's side of the one muscle verdict (``workouts.progress.verdict``): the chat, the
home insights and the weekly report each hand their week's sets to ``verdict_for`` with the
lifter's persona, so for the same week they cannot disagree. Only the wording differs."""

from __future__ import annotations

from typing import NamedTuple

from workouts.progress.verdict import Verdict, minimum_sets, muscle_verdict


class MuscleBand(NamedTuple):
    """A muscle's volume landmarks, as the selectors' muscle rows carry them."""

    mv: float
    mev: float
    mav_low: float
    mav_high: float
    mrv: float


def band_of(row) -> MuscleBand:
    """The band of a selectors muscle row (a dict) or of a landmark object."""
    get = row.get if isinstance(row, dict) else lambda key: getattr(row, key)
    return MuscleBand(get("mv"), get("mev"), get("mav_low"), get("mav_high"), get("mrv"))


def verdict_for(
    *,
    muscle: str,
    sets: float,
    band,
    persona,
    light_week: bool = False,
    days_into_week: int = 7,
    trained_before: bool = True,
) -> tuple[Verdict, float]:
    """The shared verdict for one muscle's week, and the persona's minimum for it."""
    verdict = muscle_verdict(
        muscle=muscle,
        sets=sets,
        band=band,
        aggressiveness=persona.aggressiveness,
        trained_before=trained_before,
        light_week=light_week,
        days_into_week=days_into_week,
    )
    return verdict, minimum_sets(band, persona.aggressiveness)
