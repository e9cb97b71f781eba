"""The watchlist's tables: marks, the variants matchers look for, and the marks' reference images."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Id, now_column

if TYPE_CHECKING:
    from .listings import ImageRow


class MarkRow(Base):
    __tablename__ = "marks"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str] = mapped_column(String(200))
    owner_email: Mapped[str | None] = mapped_column(String(254))
    region: Mapped[str | None] = mapped_column(String(200))
    record: Mapped[dict[str, Any]] = mapped_column(JSON)  # the validated watchlist entry
    source: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = now_column()

    variants: Mapped[list[MarkVariantRow]] = relationship(
        back_populates="mark", cascade="all, delete-orphan"
    )


class MarkVariantRow(Base):
    __tablename__ = "mark_variants"
    __table_args__ = (UniqueConstraint("mark_id", "text", name="uq_mark_variants_mark_text"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    mark_id: Mapped[str] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(40))  # name | alias | generated technique

    mark: Mapped[MarkRow] = relationship(back_populates="variants")


class MarkImageRow(Base):
    __tablename__ = "mark_images"

    mark_id: Mapped[str] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"), primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # file name as the watchlist gave it

    image: Mapped[ImageRow] = relationship()
