"""Blocked is not empty: recognise the pages a site serves instead of results (captcha, login wall,
slider, rate limit) so that a crawl records them as blocked, never as "no results" or "removed"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapy.http import Response, TextResponse

from .profile import BlockRule, SiteProfile

TEXT_WINDOW = 300_000  # block pages are small; the rule texts are matched in the first part of a page
# Rules every site gets: HTTP 429 is a rate limit wherever it comes from.
GENERIC = (BlockRule(kind="rate_limit", status=(429,)),)
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


def blocked_by(response: Response, profile: SiteProfile) -> Blocked | None:
    """The block this response is, by the profile's rules and the generic ones; None if it is a real page."""
    urls = [response.url, *response.meta.get("redirect_urls", ())] if response.request is not None \
        else [response.url]
    for rule in (*profile.blocked, *GENERIC):
        if _matches(rule, response, urls):
            return Blocked(rule.kind, response.url, response.status)
    return None
