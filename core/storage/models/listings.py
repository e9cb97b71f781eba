"""What crawls write: marketplaces (sites), crawl runs, listings and their sightings, downloaded images."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Id, UTCDateTime, now_column


class SiteRow(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    base_url: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = now_column()


class CrawlRunRow(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    started_at: Mapped[datetime] = now_column()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), default="running")
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ListingRow(Base):
    __tablename__ = "listings"
    __table_args__ = (UniqueConstraint("site_id", "listing_key", name="uq_listings_site_key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    listing_key: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    price: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(8))
    seller: Mapped[str | None] = mapped_column(String(200))
    seller_location: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(200))
    brand: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))  # of title + images: a material change
    first_seen: Mapped[datetime] = now_column()
    last_seen: Mapped[datetime] = now_column()
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    problems: Mapped[list[Any]] = mapped_column(JSON, default=list)
    seller_contacts: Mapped[list[Any] | None] = mapped_column(JSON)  # as the page showed them (alerts/ indexes them)

    images: Mapped[list[ListingImageRow]] = relationship(
        order_by="ListingImageRow.position", cascade="all, delete-orphan"
    )


# The queue's title search (`lower(title) LIKE '%…%'`, web/triage.py): a trigram GIN index on PostgreSQL
# (pg_trgm), so a search does not read all 100,000 listings; SQLite gets a plain index (migration 0009).
Index("ix_listings_title_lower", func.lower(ListingRow.title).label("title_lower"), postgresql_using="gin",
      postgresql_ops={"title_lower": "gin_trgm_ops"})


class SightingRow(Base):
    __tablename__ = "sightings"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    seen_at: Mapped[datetime] = now_column()
    title: Mapped[str] = mapped_column(Text)
    price: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(8))
    seller: Mapped[str | None] = mapped_column(String(200))


class ImageRow(Base):
    __tablename__ = "images"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    format: Mapped[str | None] = mapped_column(String(16))
    phash: Mapped[str | None] = mapped_column(String(16), index=True)
    dhash: Mapped[str | None] = mapped_column(String(16))
    whash: Mapped[str | None] = mapped_column(String(16))
    colorhash: Mapped[str | None] = mapped_column(String(16))
    segments: Mapped[str | None] = mapped_column(Text)  # crop-resistant hash: comma-separated 64-bit dHashes
    detail: Mapped[str | None] = mapped_column(String(64))  # 256-bit pHash (matchers/images.py ImageHashes)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = now_column()


class ListingImageRow(Base):
    __tablename__ = "listing_images"

    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id"))

    image: Mapped[ImageRow] = relationship()
