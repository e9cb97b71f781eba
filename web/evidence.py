"""Evidence kept for a listing (page HTML, screenshot, WARC…): each file checked against its hash,
and its place in the evidence hash chain (`spiders/chain.py`) checked link by link up to it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..core.storage.models import EvidenceRow

Status = Literal["verified", "altered", "missing", "refused"]
STATUS_TEXT = {
    "verified": "sha256 matches the hash recorded at capture",
    "altered": "the file changed since capture: do not rely on it; capture the listing again",
    "missing": "the file is gone from the evidence folder: restore it from backup",
    "refused": "the recorded path leads outside the evidence folder: not served",
}


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One evidence file, whether it still has the hash recorded at capture, and its chain link."""

    id: int
    kind: str
    name: str
    sha256: str
    size: int
    status: Status
    captured_at: str
    chain: str = "not recorded in the chain"
    chain_intact: bool | None = None

    @property
    def explanation(self) -> str:
        return STATUS_TEXT[self.status]


def resolve(evidence_dir: Path, relative: str) -> Path | None:
    """The file an evidence row names, or None if the path would leave the evidence folder."""
    root = evidence_dir.resolve()
    path = (root / relative).resolve()
    return path if path.is_relative_to(root) else None


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check(row: EvidenceRow, evidence_dir: Path) -> Status:
    """Whether the file of `row` is present, inside the folder, and unchanged."""
    path = resolve(evidence_dir, row.path)
    if path is None:
        return "refused"
    if not path.is_file():
        return "missing"
    return "verified" if file_sha256(path) == row.sha256 else "altered"


def chain_links(evidence_dir: Path, wanted: set[str]) -> dict[str, tuple[bool, str]]:
    """For each wanted chain hash: whether every link from the start of the chain up to it holds, and how.

    Only the links are checked (sequence, previous hash, entry hash), not every file the chain
    names: that is `ipwatch evidence verify`'s job; a page checks its own files above.
    """
    from ..evidence.chain import GENESIS, entry_hash, read

    found: dict[str, tuple[bool, str]] = {}
    if not wanted:
        return found
    prev, seq, broken = GENESIS, 0, ""
    for number, text in read(evidence_dir):
        if not wanted - set(found):
            break
        try:
            entry = json.loads(text)
        except ValueError:
            broken = broken or f"line {number} of the chain is not an entry"
            continue
        seq += 1
        linked = entry.get("seq") == seq and entry.get("prev") == prev and entry_hash(entry) == entry.get("hash")
        if not broken and not linked:
            broken = f"the chain breaks at line {number}"
        prev = str(entry.get("hash"))
        if prev in wanted:
            found[prev] = (False, broken) if broken else (True, f"entry {seq} of the chain, every link before it holds")
    return found


def evidence_for(session: Session, listing_id: int, alert_id: int, evidence_dir: Path) -> list[EvidenceItem]:
    """The evidence of a listing (and of this alert), oldest first, each file and chain link checked."""
    rows = list(session.scalars(select(EvidenceRow).where(
        EvidenceRow.listing_id == listing_id,
        or_(EvidenceRow.alert_id.is_(None), EvidenceRow.alert_id == alert_id),
    ).order_by(EvidenceRow.created_at, EvidenceRow.id)))
    # the same file may be recorded twice (the crawl's raw capture, the alert's chained copy): show it once
    unique: dict[tuple[str, str], EvidenceRow] = {}
    for row in sorted(rows, key=lambda r: (r.chain_hash is None, r.id)):
        unique.setdefault((row.kind, row.sha256), row)
    rows = sorted(unique.values(), key=lambda r: (r.created_at, r.id))
    links = chain_links(evidence_dir, {row.chain_hash for row in rows if row.chain_hash})
    items = []
    for row in rows:
        if not row.chain_hash:
            intact, text = None, "not recorded in the chain"
        elif row.chain_hash in links:
            intact, text = links[row.chain_hash]
        else:
            intact, text = False, "its entry is missing from chain.jsonl: the chain was cut or replaced"
        items.append(EvidenceItem(id=row.id, kind=row.kind, name=Path(row.path).name, sha256=row.sha256,
                                  size=row.size, status=check(row, evidence_dir),
                                  captured_at=row.created_at.isoformat(), chain=text, chain_intact=intact))
    return items
