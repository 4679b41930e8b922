"""Building blocks for apps' payload schemas, and the date-time parser folds use."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, TypeAdapter


class Payload(BaseModel):
    """Base of every payload schema: unknown fields are rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _iso_string(value):
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date-time string with a UTC offset")
    return value


IsoDatetime = Annotated[AwareDatetime, BeforeValidator(_iso_string)]
_datetime = TypeAdapter(IsoDatetime)


def parse_datetime(value: str) -> datetime:
    """Parse a payload date-time exactly as its schema validated it."""
    return _datetime.validate_python(value)
