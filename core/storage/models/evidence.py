"""The evidence stage's table: each captured file (page, screenshot, WARC, fields, e-mail) and its hash-chain entry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, now_column


class EvidenceRow(Base):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))  # html | screenshot | warc | fields | email
    path: Mapped[str] = mapped_column(Text)  # relative to Settings.evidence_dir
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = now_column()
    chain_hash: Mapped[str | None] = mapped_column(String(64))  # its entry in evidence_dir/chain.jsonl
