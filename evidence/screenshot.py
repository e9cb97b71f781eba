"""Full-page screenshots of archived listing pages (Playwright, Chromium), rendered offline: the page is
the WARC's response and its images are the ones the crawl downloaded, so the picture shows exactly
the bytes kept as evidence and the browser reaches no network at all."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Route, ViewportSize, async_playwright

from ..spiders.browser import launch_options
from .warc import ArchivedPage

log = logging.getLogger(__name__)
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
PAGES_AT_ONCE = 4
TIMEOUT_MS = 20_000


@dataclass(frozen=True, slots=True)
class Shot:
    """One page to photograph: the archived response, the downloaded images by URL, where to write."""

    page: ArchivedPage
    images: Mapping[str, Path]
    target: Path


async def _photograph(context: object, shot: Shot) -> str | None:
    page = await context.new_page()  # type: ignore[attr-defined]

    async def serve(route: Route) -> None:
        url = route.request.url
        if url == shot.page.url and route.request.is_navigation_request():
            await route.fulfill(status=shot.page.status or 200, body=shot.page.body,
                                headers={"content-type": shot.page.content_type})
        elif url in shot.images and shot.images[url].is_file():
            await route.fulfill(status=200, body=shot.images[url].read_bytes())
        else:
            await route.abort()

    try:
        await page.route("**/*", serve)
        await page.goto(shot.page.url, wait_until="load", timeout=TIMEOUT_MS)
        shot.target.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(shot.target), full_page=True, type="png", timeout=TIMEOUT_MS)
        return None
    except Exception as error:  # noqa: BLE001 - a page Chromium cannot render is an outcome, not a crash
        return f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
    finally:
        await page.close()


async def _photograph_all(shots: Sequence[Shot], chromium: Path | None) -> list[str | None]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**launch_options(chromium))
        try:
            context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN", java_script_enabled=True,
                                                service_workers="block")
            limit = asyncio.Semaphore(PAGES_AT_ONCE)

            async def one(shot: Shot) -> str | None:
                async with limit:
                    return await _photograph(context, shot)

            return list(await asyncio.gather(*(one(shot) for shot in shots)))
        finally:
            await browser.close()


def photograph(shots: Sequence[Shot], chromium: Path | None = None) -> list[str | None]:
    """Write a full-page PNG per shot; per shot, None or why it failed. One browser for all of them."""
    if not shots:
        return []
    try:
        return asyncio.run(_photograph_all(shots, chromium))
    except Exception as error:  # noqa: BLE001 - no Chromium, or it would not start: every shot fails alike
        reason = f"Chromium did not start: {type(error).__name__}: {str(error).splitlines()[0][:200]}"
        log.error("%s — install Chromium or set IPWATCH_CHROMIUM_PATH", reason)
        return [reason] * len(shots)
