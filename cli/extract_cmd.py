"""`ipwatch extract FILE_OR_URL`: the listing a product page shows, as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..core.settings import Settings
from ..spiders.profile import ProfileError, load_profile
from ..spiders.reading import NotAListing, PageUnreadable, as_json, read_page


def extract(
    source: str = typer.Argument(..., help="a saved page (.html, .html.gz) or an http(s) URL"),
    url: str | None = typer.Option(None, "--url", help="the page's address, for a saved page"),
    profile: str | None = typer.Option(None, "--profile", help="a site profile name or YAML path; "
                                       "default: the shipped profile for the URL's domain, if any"),
) -> None:
    """Print the extracted listing (title, brand, price, currency, seller, images, ...) as JSON.

    A block page or a JavaScript shell is no listing: its state ("blocked", "needs_rendering") is printed
    instead, and the exit code is 3."""
    settings = Settings()
    try:
        site = load_profile(Path(profile) if profile and profile.endswith(".yaml") else profile) if profile else None
        listing, how = read_page(source, url=url, limit=settings.page_max_bytes, profile=site)
    except NotAListing as state:
        typer.echo(json.dumps(state.as_json(), ensure_ascii=False, indent=2))
        typer.echo(f"{state.state}: {state.remedy}", err=True)
        raise typer.Exit(3) from None
    except (PageUnreadable, ProfileError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    typer.echo(json.dumps(as_json(listing, how), ensure_ascii=False, indent=2))
