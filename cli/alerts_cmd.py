"""`ipwatch alerts`: the early-warning queue — list and show alerts, dead letters, retries, precision;
and `ipwatch deliver`, one delivery pass or the long-running worker."""

from __future__ import annotations

import dataclasses
import getpass
import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import typer
from rich import box
from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError, ProgrammingError

from ..alerts import queue
from ..alerts.delivery import deliver_pending
from ..alerts.precision import precision_by_mark
from ..alerts.records import Alert
from ..alerts.sellers import Seller, seller_network
from ..alerts.worker import run_worker
from ..core.clock import utcnow
from ..core.settings import Settings
from ..core.storage.engine import Database
from ..core.storage.models import AlertEventRow, AlertRow, DeliveryRow, SiteRow

app = typer.Typer(help="The early-warning queue: list and show alerts, dead letters, retries, precision.",
                  no_args_is_help=True)
SEVERITY_STYLES = {"high": "bold red", "medium": "yellow", "low": "dim"}
COLUMNS = ("id", "severity", "mark", "site", "title", "seller", "score", "state", "created")


@contextmanager
def _database(settings: Settings) -> Iterator[Database]:
    """The configured database; a missing schema ends the command with its remedy."""
    with Database(settings) as db:
        try:
            yield db
        except (OperationalError, ProgrammingError) as exc:
            first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            typer.echo(f"database {settings.db_url}: {first} — run `ipwatch db upgrade` first "
                       "if the schema is missing", err=True)
            raise typer.Exit(2) from None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def alert_json(alert: Alert) -> dict[str, Any]:
    """An `Alert` as a JSON object, datetimes in ISO 8601, reasons as their English sentences."""
    data = _jsonable(dataclasses.asdict(dataclasses.replace(alert, reasons=())))
    data["reasons"] = [reason.text for reason in alert.reasons]
    return data


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command("list")
def list_alerts(
    as_json: bool = typer.Option(False, "--json", help="print a JSON array of alerts"),
    state: str | None = typer.Option(None, "--state", help="only alerts in this state, e.g. new"),
    mark: str | None = typer.Option(None, "--mark", help="only alerts for this mark id"),
    limit: int | None = typer.Option(None, "--limit", min=1, help="at most this many, newest first"),
) -> None:
    """List alerts, newest first."""
    settings = Settings()
    with _database(settings) as db, db.session() as session:
        alerts = queue.list_alerts(session, state=state, mark_id=mark, limit=limit,
                                   images_dir=settings.images_dir)
        totals = queue.counts(session)
    if as_json:
        _echo_json([alert_json(alert) for alert in alerts])
        return
    cells = [[str(alert.id), alert.severity, _truncate(alert.mark_name, 8), _truncate(alert.site, 8),
              alert.title, _truncate(alert.seller or "—", 8), f"{alert.score:.2f}", alert.state,
              f"{alert.created_at:%m-%d %H:%M}"] for alert in alerts]
    console = Console()
    # each column: its widest cell, 2 of padding, 1 of separator; the table adds 1 more
    others = sum(max(cell_len(text) for text in [name, *(row[i] for row in cells)]) + 3
                 for i, name in enumerate(COLUMNS) if name != "title")
    title_width = max(10, console.width - others - 4)
    table = Table(title=f"{len(alerts)} alert(s)", caption=_caption(totals), box=box.SIMPLE_HEAD)
    for column in COLUMNS:  # only the title gives way on a narrow terminal
        table.add_column(column, no_wrap=column != "title")
    for row in cells:
        row[4] = _truncate(row[4], title_width)
        # Text(), never a markup string: scraped titles may contain [brackets].
        table.add_row(*(Text(text, style=SEVERITY_STYLES.get(text, "") if i == 1 else "")
                        for i, text in enumerate(row)))
    console.print(table)


def _truncate(text: str, width: int) -> str:
    """`text` on one line, cut to `width` terminal cells (a CJK character takes two)."""
    text = " ".join(text.split())
    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def _caption(totals: dict[str, Any]) -> str:
    by_severity = ", ".join(f"{n} {name}" for name, n in sorted(totals["by_severity"].items()))
    return f"all alerts: {totals['total']}" + (f" ({by_severity})" if by_severity else "")


@app.command("show")
def show(
    alert_id: int = typer.Argument(..., help="the alert's id, as `ipwatch alerts list` shows it"),
    as_json: bool = typer.Option(False, "--json", help="print the alert, deliveries and events as JSON"),
) -> None:
    """Show one alert: its fields, reasons, deliveries, history and the seller's network."""
    settings = Settings()
    with _database(settings) as db, db.session() as session:
        found = queue.get_alerts(session, [alert_id], images_dir=settings.images_dir)
        if not found:
            typer.echo(f"no alert {alert_id} — `ipwatch alerts list` shows the ids", err=True)
            raise typer.Exit(1)
        deliveries = session.scalars(select(DeliveryRow).where(DeliveryRow.alert_id == alert_id)
                                     .order_by(DeliveryRow.id)).all()
        events = session.scalars(select(AlertEventRow).where(AlertEventRow.alert_id == alert_id)
                                 .order_by(AlertEventRow.at, AlertEventRow.id)).all()
        delivery_data = [_row_dict(row, ("id", "channel", "recipient", "status", "mode", "attempts",
                                         "next_attempt_at", "sent_at", "message_id", "claimed_by", "last_error"))
                         for row in deliveries]
        event_data = [_row_dict(row, ("at", "actor", "action", "from_state", "to_state", "detail"))
                      for row in events]
        network = _network(session, alert_id)
    alert = found[0]
    if as_json:
        _echo_json({"alert": alert_json(alert), "deliveries": delivery_data, "events": event_data,
                    "seller_network": network})
        return
    console = Console()
    fields = Table.grid(padding=(0, 2))
    for name, value in alert_json(alert).items():
        if name != "reasons":
            fields.add_row(Text(name, style="bold"), Text("—" if value is None else str(value)))
    console.print(fields)
    console.print(Text("reasons:", style="bold"))
    for reason in alert.reasons:
        console.print(Text(f"  • {reason.render(settings.language)}"))
    console.print(Text("deliveries:", style="bold"))
    for d in delivery_data or [None]:  # type: ignore[list-item]
        console.print(Text("  none" if d is None else
                           f"  #{d['id']} {d['channel']} → {d['recipient']}: {d['status']}"
                           f"{' (digest)' if d['mode'] == 'digest' else ''}, "
                           f"{d['attempts']} attempt(s), next {_when(d['next_attempt_at'])}, "
                           f"sent {_when(d['sent_at'])}"
                           + (f"\n    last error: {d['last_error']}" if d["last_error"] else "")))
    console.print(Text("events:", style="bold"))
    for e in event_data:
        change = f" {e['from_state'] or ''} → {e['to_state']}" if e["to_state"] else ""
        console.print(Text(f"  {_when(e['at'])} {e['actor']} {e['action']}{change} "
                           f"{json.dumps(e['detail'], ensure_ascii=False)}"))
    console.print(Text("seller network:", style="bold"))
    for member in network or [None]:  # type: ignore[list-item]
        console.print(Text("  no seller named" if member is None else
                           f"  {member['seller']} (site {member['site']})"
                           + (f" — {member['why']}" if member["why"] else " — this listing's seller")))


def _network(session: Any, alert_id: int) -> list[dict[str, Any]]:
    """The alert's seller and the sellers linked to it, with what links each."""
    listing = session.get(AlertRow, alert_id).listing
    if not listing.seller:
        return []
    network = seller_network(session, Seller(listing.site_id, listing.seller))
    sites = dict(session.execute(select(SiteRow.id, SiteRow.name)).all())
    return [{"seller": s.name, "site": sites.get(s.site_id, s.site_id), "why": network.why(s)}
            for s in sorted(network.sellers, key=lambda s: (network.why(s) != "", s))]


def _when(iso: str | None) -> str:
    return "—" if iso is None else iso[:19].replace("T", " ")


def _row_dict(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _jsonable(getattr(row, name)) for name in names}


@app.command("send")
def send() -> None:
    """Send the pending alerts now (one delivery pass, as `ipwatch deliver`)."""
    deliver(worker=False, poll=5.0, digest_now=False)


def deliver(
    worker: bool = typer.Option(False, "--worker", help="keep running: deliver as alerts fall due, until SIGTERM"),
    poll: float = typer.Option(5.0, "--poll", min=0.05, help="worker: look for new alerts this often (seconds)"),
    digest_now: bool = typer.Option(False, "--digest-now", help="send waiting digests now, not at digest_hour"),
) -> None:
    """Deliver due alerts: e-mail (SMTP, or the outbox) and chat channels. One pass, or --worker."""
    settings = Settings()
    settings.ensure_dirs()
    with _database(settings) as db:
        if digest_now:
            with db.session() as session:
                session.execute(update(DeliveryRow).where(DeliveryRow.status == "pending",
                                                          DeliveryRow.mode == "digest")
                                .values(next_attempt_at=utcnow()))
        if worker:
            stop = threading.Event()
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
            run_worker(db, settings, poll_s=poll, stop=stop)
            return
        report = deliver_pending(db, settings)
    typer.echo(report.summary())
    if report.failed:
        raise typer.Exit(1)


@app.command("dead")
def dead(as_json: bool = typer.Option(False, "--json", help="print a JSON array")) -> None:
    """List dead deliveries: those that used every attempt or failed for good."""
    settings = Settings()
    with _database(settings) as db, db.session() as session:
        rows = session.scalars(select(DeliveryRow).where(DeliveryRow.status == "dead")
                               .order_by(DeliveryRow.id)).all()
        data = [_row_dict(row, ("id", "alert_id", "channel", "recipient", "attempts", "created_at", "last_error"))
                for row in rows]
    if as_json:
        _echo_json(data)
        return
    console = Console()
    console.print(Text(f"{len(data)} dead deliver{'y' if len(data) == 1 else 'ies'}", style="bold"))
    for d in data:  # plain lines, not a table: the errors are long and say what to do
        console.print(Text(f"  #{d['id']} alert {d['alert_id']} {d['channel']} → {d['recipient']}: "
                           f"{d['attempts']} attempt(s)\n    last error: {d['last_error'] or '—'}"))
    if data:
        console.print("`ipwatch alerts retry ID…` or `--all` sends them again")


@app.command("retry")
def retry(
    ids: list[int] = typer.Argument(None, help="delivery ids, as `ipwatch alerts dead` or `show` print them"),
    every: bool = typer.Option(False, "--all", help="every dead delivery"),
) -> None:
    """Send dead (or backing-off) deliveries again at the next pass, with a fresh set of attempts."""
    if not ids and not every:
        typer.echo("name delivery ids, or --all for every dead delivery", err=True)
        raise typer.Exit(2)
    settings = Settings()
    actor, now = f"cli:{getpass.getuser()}", utcnow()
    with _database(settings) as db, db.session() as session:
        where = DeliveryRow.status == "dead" if every else (
            DeliveryRow.id.in_(ids) & DeliveryRow.status.in_(("dead", "pending")))
        rows = session.scalars(select(DeliveryRow).where(where).order_by(DeliveryRow.id)).all()
        for row in rows:
            session.add(AlertEventRow(alert_id=row.alert_id, actor=actor, action="retry", at=now,
                                      detail={"delivery_id": row.id, "was": row.status, "attempts": row.attempts}))
            row.status, row.attempts, row.next_attempt_at, row.claimed_by = "pending", 0, now, None
        found = [row.id for row in rows]
    missing = sorted(set(ids or ()) - set(found))
    typer.echo(f"{len(found)} deliver{'y' if len(found) == 1 else 'ies'} queued again"
               + (f"; not dead or pending, or unknown: {', '.join(map(str, missing))}" if missing else "")
               + (" — `ipwatch deliver` sends them" if found else ""))
    if missing:
        raise typer.Exit(1)


@app.command("precision")
def precision(as_json: bool = typer.Option(False, "--json", help="print a JSON array")) -> None:
    """Per mark: alerts confirmed, rejected and undecided, and the precision of the decided ones."""
    settings = Settings()
    with _database(settings) as db, db.session() as session:
        marks = precision_by_mark(session)
    data = [{**dataclasses.asdict(m), "precision": m.precision} for m in marks]
    if as_json:
        _echo_json(data)
        return
    table = Table(title="precision of alerts per mark", box=box.SIMPLE_HEAD,
                  caption="precision = confirmed / (confirmed + rejected)")
    for column in ("mark", "confirmed", "rejected", "undecided", "precision"):
        table.add_column(column)
    for m in marks:
        table.add_row(Text(m.mark_name), str(m.confirmed), str(m.rejected), str(m.undecided),
                      "—" if m.precision is None else f"{m.precision:.0%}")
    Console().print(table)
