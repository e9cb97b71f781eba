"""Allow-list patterns per mark: what a person judged not infringing, so it stops raising alerts.

A false positive already silences its own listing × mark (the queue never re-notifies a
`false_positive` alert). A pattern goes further, per mark: a `seller` pattern names a seller
(exactly, ignoring case) whose listings are genuine; a `title` pattern is a phrase whose presence in
a title makes the match harmless (e.g. 固阳黄芪 on a co-operative's own listing). Patterns are plain
text, never regular expressions: a pattern typed in a browser must not be able to stall the matcher.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.clock import utcnow
from ..core.storage.models import AlertRow, AllowPatternRow, ListingRow, MarkRow

Field = Literal["title", "seller"]
FIELDS: tuple[Field, ...] = ("title", "seller")
MIN_TITLE_PATTERN = 2  # a one-character phrase would allow almost everything


class HasTitleAndSeller(Protocol):
    title: str
    seller: str | None


@dataclass(frozen=True, slots=True)
class AllowPattern:
    """One allow-list entry of one mark."""

    id: int
    mark_id: str
    field: Field
    pattern: str

    def allows(self, listing: HasTitleAndSeller) -> bool:
        """True when this pattern covers `listing`."""
        needle = self.pattern.casefold()
        if self.field == "seller":
            return (listing.seller or "").strip().casefold() == needle
        return needle in (listing.title or "").casefold()

    def __str__(self) -> str:
        return f"{self.field} {'=' if self.field == 'seller' else 'contains'} '{self.pattern}'"


class PatternRefused(ValueError):
    """A pattern that would be unsafe or useless; the message says how to narrow it."""


def add_pattern(session: Session, mark_id: str, field: str, pattern: str, actor: str,
                note: str | None = None) -> AllowPattern:
    """Allow-list `pattern` for one mark (idempotent: the same pattern twice is one entry)."""
    pattern = " ".join(pattern.split())
    if field not in FIELDS:
        raise PatternRefused(f"field '{field}' is not one of {', '.join(FIELDS)}")
    if any(ord(ch) < 32 for ch in pattern):
        raise PatternRefused("the pattern cannot hold control characters")
    if not pattern or len(pattern) > 200:
        raise PatternRefused("the pattern must have 1 to 200 characters")
    if field == "title" and len(pattern) < MIN_TITLE_PATTERN:
        raise PatternRefused(f"a title phrase needs at least {MIN_TITLE_PATTERN} characters")
    mark = session.get(MarkRow, mark_id)
    if mark is None:
        raise PatternRefused(f"no mark '{mark_id}'")
    if field == "title" and pattern.casefold() in {name.casefold() for name in (mark.name, mark.id)}:
        raise PatternRefused(f"'{pattern}' is the mark itself: allow-listing it would silence every alert"
                             " for this mark; add the words that make the listing genuine")
    row = session.scalar(select(AllowPatternRow).where(
        AllowPatternRow.mark_id == mark_id, AllowPatternRow.field == field, AllowPatternRow.pattern == pattern))
    if row is None:
        row = AllowPatternRow(mark_id=mark_id, field=field, pattern=pattern, note=(note or None),
                              created_by=actor, created_at=utcnow())
        session.add(row)
        session.flush()
    return _record(row)


def _record(row: AllowPatternRow) -> AllowPattern:
    return AllowPattern(id=row.id, mark_id=row.mark_id, field=row.field, pattern=row.pattern)  # type: ignore[arg-type]


def patterns(session: Session, mark_id: str | None = None) -> dict[str, list[AllowPattern]]:
    """Mark id → its allow-list patterns (of one mark, or of all)."""
    query = select(AllowPatternRow).order_by(AllowPatternRow.mark_id, AllowPatternRow.id)
    if mark_id is not None:
        query = query.where(AllowPatternRow.mark_id == mark_id)
    result: dict[str, list[AllowPattern]] = defaultdict(list)
    for row in session.scalars(query):
        result[row.mark_id].append(_record(row))
    return dict(result)


def allowed_by(listing: HasTitleAndSeller, mark_id: str,
               table: dict[str, list[AllowPattern]]) -> AllowPattern | None:
    """The first pattern of `mark_id` that covers `listing`, or None: the hook for the match stage."""
    return next((p for p in table.get(mark_id, ()) if p.allows(listing)), None)


def remove_pattern(session: Session, pattern_id: int) -> AllowPattern | None:
    """Delete one pattern; returns it, or None if there was none."""
    row = session.get(AllowPatternRow, pattern_id)
    if row is None:
        return None
    record = _record(row)
    session.delete(row)
    return record


def open_alerts_covered(session: Session, pattern: AllowPattern) -> list[AlertRow]:
    """The mark's alerts still in state `new` that `pattern` covers: candidates to close as false positives."""
    rows = session.execute(select(AlertRow, ListingRow).join(ListingRow, AlertRow.listing_id == ListingRow.id)
                           .where(AlertRow.mark_id == pattern.mark_id, AlertRow.state == "new")
                           .order_by(AlertRow.id))
    return [alert for alert, listing in rows if pattern.allows(listing)]
