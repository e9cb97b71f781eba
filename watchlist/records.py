"""The watchlist schema: a public interface. Extend it; never break it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

MarkKind = Literal["trademark", "gi", "old_brand"]
NotifyMode = Literal["immediate", "digest", "off"]
Text200 = Annotated[str, StringConstraints(min_length=1, max_length=200)]  # the database columns' width
# An Apprise-style channel URL (dingtalk://TOKEN/, wecombot://KEY, json://host/path): `ipwatch channels` lists them.
ChannelUrl = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", max_length=2000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReferencePrice(_Strict):
    """What the genuine product usually costs, so that a far lower price raises suspicion."""

    amount: float = Field(gt=0)
    currency: str = Field("CNY", min_length=3, max_length=3)
    unit: str | None = None


class Season(_Strict):
    """When a GI product is harvested: fresh goods offered in other months raise suspicion."""

    months: tuple[int, ...] = Field(min_length=1)  # harvest months, 1-12
    words: tuple[Text200, ...] = ()  # words that say "fresh" for this product (新茶, 明前), besides the common ones

    @field_validator("months")
    @classmethod
    def _month_range(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(not 1 <= month <= 12 for month in value):
            raise ValueError("months are numbered 1 to 12")
        return value


class Output(_Strict):
    """A GI region's known yearly output: a listing offering more than it raises suspicion."""

    amount: float = Field(gt=0)
    unit: Literal["t", "kg"] = "t"
    source: Text200 | None = None


class Mark(_Strict):
    """One protected mark: a trademark, a geographical indication or an old brand (老字号)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80)
    name: str = Field(min_length=1, max_length=200)
    kind: MarkKind
    aliases: tuple[Text200, ...] = ()
    owner: Text200
    owner_email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+$")
    notify: NotifyMode = "immediate"  # digest: high severity at once, the rest in a daily digest
    digest_hour: int | None = Field(None, ge=0, le=23)  # when this mark's digest goes out; default Settings.digest_hour
    channels: tuple[ChannelUrl, ...] = ()  # chat channels for this mark's alerts, besides owner_email
    nice_classes: tuple[int, ...] = ()
    region: Text200 | None = None
    authorized_sellers: tuple[Text200, ...] = ()
    images: tuple[Path, ...] = ()
    reference_price: ReferencePrice | None = None
    registration_number: str | None = None
    season: Season | None = None  # a GI's harvest season
    annual_output: Output | None = None  # a GI region's known yearly output
    generic_uses: tuple[Text200, ...] = ()  # an old brand's phrases in common use for a dish or style (狗不理包子)

    @field_validator("nice_classes")
    @classmethod
    def _nice_range(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        for number in value:
            if not 1 <= number <= 45:
                raise ValueError(f"Nice class {number} is not between 1 and 45")
        return value

    @field_validator("aliases", "authorized_sellers", "generic_uses")
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
