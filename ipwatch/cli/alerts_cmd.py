"""`ipwatch alerts`: the early-warning queue — list and show alerts, send pending email."""

from __future__ import annotations

import dataclasses
import json
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
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from alerts import queue
from alerts.mail import deliver_pending
from alerts.records import Alert
from ipwatch.settings import Settings
from ipwatch.storage.engine import Database
from ipwatch.storage.models import AlertEventRow, DeliveryRow

app = typer.Typer(help="The early-warning queue: list and show alerts, send pending email.",
                  no_args_is_help=True)
SEVERITY_STYLES = {"high": "bold red", "medium": "yellow", "low": "dim"}
COLUMNS = ("id", "severity", "mark", "site", "title", "seller", "score", "state", "created")


@contextmanager
def _database(settings: Settings) -> Iterator[Database]:
    """The configured database; a missing schema ends the command with its remedy."""
    db = Database(settings)
    try:
        yield db
    except (OperationalError, ProgrammingError) as exc:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        typer.echo(f"database {settings.db_url}: {first} — run `ipwatch db upgrade` first "
                   "if the schema is missing", err=True)
        raise typer.Exit(2) from None
    finally:
        db.dispose()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def alert_json(alert: Alert) -> dict[str, Any]:
    """An `Alert` as a JSON object, datetimes in ISO 8601."""
    return _jsonable(dataclasses.asdict(alert))


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
    """Show one alert: its fields, reasons, email deliveries and history."""
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
        delivery_data = [_row_dict(row, ("id", "channel", "recipient", "status", "attempts",
                                         "next_attempt_at", "sent_at", "message_id", "last_error"))
                         for row in deliveries]
        event_data = [_row_dict(row, ("at", "actor", "action", "from_state", "to_state", "detail"))
                      for row in events]
    alert = found[0]
    if as_json:
        _echo_json({"alert": alert_json(alert), "deliveries": delivery_data, "events": event_data})
        return
    console = Console()
    fields = Table.grid(padding=(0, 2))
    for name, value in alert_json(alert).items():
        if name != "reasons":
            fields.add_row(Text(name, style="bold"), Text("—" if value is None else str(value)))
    console.print(fields)
    console.print(Text("reasons:", style="bold"))
    for reason in alert.reasons:
        console.print(Text(f"  • {reason}"))
    console.print(Text("deliveries:", style="bold"))
    for d in delivery_data or [None]:
        console.print(Text("  none" if d is None else
                           f"  #{d['id']} {d['channel']} → {d['recipient']}: {d['status']}, "
                           f"{d['attempts']} attempt(s), next {_when(d['next_attempt_at'])}, "
                           f"sent {_when(d['sent_at'])}"
                           + (f"\n    last error: {d['last_error']}" if d["last_error"] else "")))
    console.print(Text("events:", style="bold"))
    for e in event_data:
        change = f" {e['from_state'] or ''} → {e['to_state']}" if e["to_state"] else ""
        console.print(Text(f"  {_when(e['at'])} {e['actor']} {e['action']}{change} "
                           f"{json.dumps(e['detail'], ensure_ascii=False)}"))


def _when(iso: str | None) -> str:
    return "—" if iso is None else iso[:19].replace("T", " ")


def _row_dict(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _jsonable(getattr(row, name)) for name in names}


@app.command("send")
def send() -> None:
    """Send the pending alert emails now (by SMTP, or into the outbox when no SMTP host is set)."""
    settings = Settings()
    settings.ensure_dirs()
    with _database(settings) as db:
        report = deliver_pending(db, settings)
    typer.echo(report.summary())
    if report.failed:
        raise typer.Exit(1)
