"""Building blocks for apps' payload schemas, and the date-time parser folds use."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, TypeAdapter


class Payload(BaseModel):
    """Base of every payload schema: unknown fields are rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# YYYY-MM-DDTHH:MM[:SS[.fraction]] with Z or ±HH:MM: no Unix timestamps, no numeric strings
# (pydantic reads "1790000000" as seconds since 1970), no naive times.
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})")
ISO_MESSAGE = "must be an ISO 8601 date-time string with a UTC offset"


def _iso_string(value):
    if not isinstance(value, str) or not ISO_DATETIME.fullmatch(value):
        raise ValueError(ISO_MESSAGE)
    return value


def _string(value):
    if not isinstance(value, str):
        raise ValueError(ISO_MESSAGE)
    return value


IsoDatetime = Annotated[AwareDatetime, BeforeValidator(_iso_string)]
_datetime = TypeAdapter(IsoDatetime)
# What schemas accepted before numeric strings were refused: events stored then still fold.
_stored_datetime = TypeAdapter(Annotated[AwareDatetime, BeforeValidator(_string)])


def parse_iso_datetime(value) -> datetime:
    """Parse a date-time as schemas validate it now: ISO 8601 with an offset, nothing else."""
    return _datetime.validate_python(value)


def parse_datetime(value: str) -> datetime:
    """Parse a stored payload's date-time for a fold: any value its schema ever accepted."""
    return _stored_datetime.validate_python(value)
