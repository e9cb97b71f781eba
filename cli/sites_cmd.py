"""`ipwatch sites`: the shipped site profiles, and checking a profile file."""

from __future__ import annotations

from pathlib import Path

import typer

from ..spiders.profile import ProfileError, load_profile, profile_names, read_profile

app = typer.Typer(help="Site profiles: list the marketplaces ipwatch can crawl, check a profile file.",
                  invoke_without_command=True)


@app.callback()
def sites(context: typer.Context) -> None:
    """List the shipped site profiles with their search forms and whether they need a browser."""
    if context.invoked_subcommand is not None:
        return
    for name in profile_names():
        profile = load_profile(name)
        javascript = any(entry.needs_javascript for entry in profile.searches) or profile.listing_needs_javascript
        typer.echo(f"{name:12} {profile.title or name:28} {'JavaScript' if javascript else 'static':10} "
                   f"{profile.rate_per_min}/min  {profile.base_url}")


@app.command()
def check(file: Path = typer.Argument(..., help="a site profile YAML file")) -> None:
    """Validate a site profile file and list every problem with its line; changes nothing."""
    try:
        profile = read_profile(file)
    except ProfileError as error:
        typer.echo(str(error), err=True)
        typer.echo(ProfileError.remedy, err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{file}: profile {profile.name} OK ({len(profile.searches)} search form(s))")
