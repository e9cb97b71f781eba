"""HTTP routes: pages (HTML forms) and the JSON API, one module per area."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import Field

MAX_ID = 2**62  # ids past this are no row's (and would overflow SQLite's and PostgreSQL's integers)
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID, examples=[1])]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
Position = Annotated[int, Path(ge=0, le=1000)]
