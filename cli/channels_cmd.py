"""`ipwatch channels`: the alert channels there are, and a test message to one."""

from __future__ import annotations

import typer

from ..alerts.channels import Channel, channel_for, shown
from ..alerts.failures import DeliveryFailed
from ..alerts.sample import sample_alert
from ..core.settings import Settings

app = typer.Typer(help="Alert channels: list them, or send a sample alert to one.", invoke_without_command=True)


@app.callback()
def channels(context: typer.Context) -> None:
    """List the channels: URL schemes and what each one is."""
    if context.invoked_subcommand is not None:
        return
    for name, cls in sorted(Channel.discover().items()):
        schemes = ", ".join(f"{s}:" if s == "mailto" else f"{s}://" for s in (cls.scheme, *cls.also))
        typer.echo(f"{name:10} {schemes:18} {cls.summary()}")
    settings = Settings()
    office = [shown(url.get_secret_value(), settings) for url in settings.office_channels]
    typer.echo(f"\noffice channels ({settings.office_channel_severity} severity and up): {', '.join(office) or 'none'}")


@app.command("test")
def test(url: str = typer.Argument(..., help="a channel URL: dingtalk://TOKEN/, mailto:you@example.org…")) -> None:
    """Send a sample alert to URL and say what happened."""
    settings = Settings()
    try:
        channel = channel_for(url, settings)
    except DeliveryFailed as failure:
        typer.echo(str(failure), err=True)
        raise typer.Exit(2) from None
    if channel.name == "email" and not settings.smtp_host:
        settings.ensure_dirs()
    result = channel.send(sample_alert())
    typer.echo(f"{channel}: {'ok' if result.ok else 'FAILED'} — {result.detail}")
    if not result.ok:
        raise typer.Exit(1)
