"""`ipwatch evidence`: capture the evidence alerts lack, and verify the evidence hash chain."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy import select

from ..core.settings import Settings
from ..core.storage import migrate
from ..core.storage.engine import Database
from ..core.storage.models import EvidenceRow
from ..evidence import chain

app = typer.Typer(help="Evidence: WARC pages, screenshots and fields of alerts, in a hash chain.",
                  no_args_is_help=True)


@app.command()
def verify(
    folder: Path | None = typer.Option(None, help="the evidence folder (default: IPWATCH_DATA_DIR/evidence)"),
    database: bool = typer.Option(True, help="also check that every recorded evidence row is in the chain"),
) -> None:
    """Check every link of the hash chain and every file it names; exit 1 if anything changed."""
    settings = Settings()
    evidence_dir = folder or settings.evidence_dir
    result = chain.verify(evidence_dir)
    if database:
        result.problems += _rows_outside_chain(settings, evidence_dir)
    for problem in result.problems:
        typer.echo(f"BROKEN {problem}")
    if not result.intact:
        typer.echo(chain.REMEDY)
        raise typer.Exit(1)
    typer.echo(f"evidence chain intact: {result.entries} entries, {result.files} files checked in {evidence_dir}")


def _rows_outside_chain(settings: Settings, evidence_dir: Path) -> list[str]:
    """Evidence rows whose chain entry is missing or names another file or hash."""
    entries = {}
    for _, text in chain.read(evidence_dir):
        try:
            entry = chain.json.loads(text)
        except ValueError:
            continue
        entries[entry.get("hash")] = entry
    with Database(settings) as db, db.session() as session:
        rows = session.execute(select(EvidenceRow.id, EvidenceRow.path, EvidenceRow.sha256, EvidenceRow.chain_hash)
                               .where(EvidenceRow.chain_hash.is_not(None))).all()
    problems = []
    for row_id, path, sha256, chain_hash in rows:
        entry = entries.get(chain_hash)
        if entry is None:
            problems.append(f"evidence row {row_id} ({path}): its chain entry is missing")
        elif (entry.get("path"), entry.get("sha256")) != (path, sha256):
            problems.append(f"evidence row {row_id} ({path}): differs from its chain entry")
    return problems


@app.command()
def capture(limit: int | None = typer.Option(None, help="at most this many alerts")) -> None:
    """Capture the missing evidence (WARC, screenshot, fields) of every alert and chain it."""
    from ..evidence.capture import capture_pending

    settings = Settings()
    migrate.upgrade(settings)
    with Database(settings) as db:
        typer.echo(str(capture_pending(db, settings, limit=limit)))
