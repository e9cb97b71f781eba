"""Which Chromium Playwright launches: its own download if present, else a system Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Flags for a headless browser on a server with a closed network: no sandbox as root,
# no background traffic to the browser vendor's services.
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def playwright_browsers_dir() -> Path:
    """Where `playwright install` puts its browsers."""
    configured = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    return Path(configured) if configured and configured != "0" else Path.home() / ".cache" / "ms-playwright"


def playwright_has_chromium() -> bool:
    """True when `playwright install chromium` has run on this machine."""
    root = playwright_browsers_dir()
    patterns = ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/chrome-*/*shell")
    return any(any(root.glob(pattern)) for pattern in patterns)


def system_chromium() -> Path | None:
    """A Chromium or Chrome binary on PATH, if any."""
    for name in SYSTEM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def find_chromium(configured: Path | None = None) -> Path | None:
    """The binary to pass as `executable_path`: None means Playwright's own browser (or none at all)."""
    if configured:
        return configured
    if playwright_has_chromium():
        return None
    return system_chromium()


def browser_available(configured: Path | None = None) -> bool:
    """Whether any Chromium can be launched for JavaScript pages."""
    return bool(configured) or playwright_has_chromium() or system_chromium() is not None


def launch_options(configured: Path | None = None) -> dict[str, Any]:
    """`PLAYWRIGHT_LAUNCH_OPTIONS` for scrapy-playwright and for the browser tests."""
    options: dict[str, Any] = {"headless": True, "args": list(LAUNCH_ARGS), "timeout": 30_000}
    executable = find_chromium(configured)
    if executable:
        options["executable_path"] = str(executable)
    return options
