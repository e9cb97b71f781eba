"""Blocked is not empty: recognise the pages a site serves instead of results (captcha, login wall,
slider, rate limit) so that a crawl records them as blocked, never as "no results" or "removed"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapy.http import Response, TextResponse

from .profile import BlockRule, SiteProfile

TEXT_WINDOW = 300_000  # block pages are small; the rule texts are matched in the first part of a page
# Rules every site gets, and every page read without a site profile: HTTP 429 is a rate limit wherever it
# comes from, and the bot walls many shops put in front of their pages (PerimeterX "Robot or human?",
# Cloudflare's and DataDome's challenges, Akamai's "Access Denied") look the same on every site.
BOT_WALL_TITLES = (r"^\s*(robot or human\??|are you a robot\??|just a moment\.*|attention required!? \| cloudflare|"
                   r"access denied|pardon our interruption|verify you are human|security check|"
                   r"验证码|安全验证|京东验证|访问受限)\s*$")
GENERIC = (
    BlockRule(kind="rate_limit", status=(429,)),
    BlockRule(kind="captcha", selector="#px-captcha, #challenge-form, #cf-challenge-running, "
                                       "iframe[src*='captcha-delivery.com'], form[action*='_____tmd_____']"),
    BlockRule(kind="captcha", selector=f"//title[re:test(normalize-space(.), '{BOT_WALL_TITLES}', 'i')]"),
)
REMEDIES = {
    "captcha": "a captcha was shown: lower rate_per_min in the site's profile, or crawl less often",
    "slider": "a slider captcha was shown: lower rate_per_min in the site's profile, or crawl less often",
    "login": "the site asked for a login: add a session cookie under 'cookies:' in the site's profile",
    "rate_limit": "the site limited the request rate: lower rate_per_min and concurrency in the site's profile",
    "forbidden": "the site refused access: check the site's robots.txt and terms, or its profile's headers",
}


@dataclass(frozen=True, slots=True)
class Blocked:
    """A page the site served instead of what was asked for; `kind` says how it blocked."""

    kind: str
    url: str
    status: int

    @property
    def remedy(self) -> str:
        return REMEDIES.get(self.kind, "check the site's profile")


def _matches(rule: BlockRule, response: Response, urls: list[str]) -> bool:
    if rule.status and response.status not in rule.status:
        return False
    if rule.url and not any(re.search(rule.url, url) for url in urls):
        return False
    if not isinstance(response, TextResponse):
        return not (rule.selector or rule.text)
    if rule.selector:
        try:
            picked = response.xpath(rule.selector) if rule.selector.startswith(("/", "(")) \
                else response.css(rule.selector)
        except ValueError:
            return False
        if not picked:
            return False
    if rule.text and not re.search(rule.text, response.text[:TEXT_WINDOW]):
        return False
    return True


def blocked_by(response: Response, profile: SiteProfile | None) -> Blocked | None:
    """The block this response is, by the profile's rules (if any) and the generic ones; None if it is a real
    page."""
    urls = [response.url, *response.meta.get("redirect_urls", ())] if response.request is not None \
        else [response.url]
    for rule in (*(profile.blocked if profile else ()), *GENERIC):
        if _matches(rule, response, urls):
            return Blocked(rule.kind, response.url, response.status)
    return None
