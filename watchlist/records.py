"""The watchlist schema: a public interface. Extend it; never break it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal


from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

MarkKind = Literal["trademark", "gi", "old_brand"]
NotifyMode = Literal["immediate", "digest", "off"]
Text200 = Annotated[str, StringConstraints(min_length=1, max_length=200)]  # the database columns' width


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReferencePrice(_Strict):
    """What the genuine product usually costs, so that a far lower price raises suspicion."""

    amount: float = Field(gt=0)
    currency: str = Field("CNY", min_length=3, max_length=3)
    unit: str | None = None


class Mark(_Strict):
    """One protected mark: a trademark, a geographical indication or an old brand (老字号)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80)
    name: str = Field(min_length=1, max_length=200)
    kind: MarkKind
    aliases: tuple[Text200, ...] = ()
    owner: Text200
    owner_email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+$")
    notify: NotifyMode = "immediate"
    nice_classes: tuple[int, ...] = ()
    region: Text200 | None = None
    authorized_sellers: tuple[Text200, ...] = ()
    images: tuple[Path, ...] = ()
    reference_price: ReferencePrice | None = None
    registration_number: str | None = None

    @field_validator("nice_classes")
    @classmethod
    def _nice_range(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        for number in value:
            if not 1 <= number <= 45:
                raise ValueError(f"Nice class {number} is not between 1 and 45")
        return value

    @field_validator("aliases", "authorized_sellers")
    @classmethod
    def _no_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not item.strip() for item in value):
            raise ValueError("entries must not be blank")
        return value

    @property
    def names(self) -> tuple[str, ...]:
        """The protected name followed by its aliases."""
        return (self.name, *self.aliases)


class Watchlist(_Strict):
    """A validated watchlist file."""

    marks: tuple[Mark, ...] = Field(min_length=1)
    source: Path | None = None
