"""Read a `Listing` from a product page: the site's profile (embedded data, selectors, hook), then
schema.org JSON-LD, microdata, RDFa, Open Graph, and last what the page shows (heuristics)."""

from __future__ import annotations

import dataclasses
import logging
from functools import reduce
from itertools import islice
from urllib.parse import urljoin, urlsplit

from scrapy.http import TextResponse

from ..core.text import has_surrogates, without_surrogates
from .found import Found
from .heuristics import from_html
from .hooks import hook_for
from .jsonpath import embedded, first
from .prices import currency_code, local_currency, parse_price
from .profile import FieldPaths, SiteProfile, load_profile, profile_names
from .records import Listing
from .structured import availability_name, from_jsonld, from_microdata, from_opengraph, from_rdfa

log = logging.getLogger(__name__)
__all__ = ["extract_fields", "extract_listing", "listing_from", "parse_price", "profile_for_url", "results_on_page"]
DEFAULT_MAX_IMAGES = 8
MAX_ELEMENTS = 100_000  # a real product page has a few thousand elements; layout heuristics stop beyond this


def select(response: TextResponse, selectors: str | tuple[str, ...]) -> list[str]:
    """Texts the first of `selectors` that picks something picks (CSS, or XPath if it starts with / or '(')."""
    for selector in (selectors,) if isinstance(selectors, str) else selectors:
        try:
            picked = response.xpath(selector) if selector.startswith(("/", "(")) else response.css(selector)
            values = [" ".join(value.split()) for value in picked.getall() if value and value.strip()]
        except ValueError as error:  # a selector that does not parse is a profile bug; it must not stop a crawl
            log.warning("%s: selector %r failed: %s", response.url, selector, error)
            continue
        if values:
            return values
    return []


def from_selectors(response: TextResponse, profile: SiteProfile) -> Found:
    """The fields the profile's selectors pick: the title's text parts joined, other fields' first value."""
    sel = profile.selectors

    def one(selectors: tuple[str, ...]) -> str | None:
        return next(iter(select(response, selectors)), None)

    price = one(sel.price)
    return Found.of("selectors", title=" ".join(select(response, sel.title)) or None, price=price,
                    currency=one(sel.currency) or _symbol(price), brand=one(sel.brand), seller=one(sel.seller),
                    seller_location=one(sel.seller_location), category=one(sel.category),
                    images=tuple(select(response, sel.images)), availability=availability_name(one(sel.availability)))


def _symbol(price_text: str | None) -> str | None:
    return parse_price(price_text)[1] if price_text else None


def _from_paths(root: object, paths: FieldPaths, source: str) -> Found:
    values = {name: first(root, getattr(paths, name)) for name in FieldPaths.model_fields}
    images = values.pop("images")
    images = images if isinstance(images, list) else [images] if images else []
    return Found.of(source, images=tuple(str(url) for url in images if isinstance(url, str)), **values)


def _embedded_root(response: TextResponse, profile: SiteProfile) -> dict[str, object]:
    if not profile.data:
        return {}
    return embedded(response.text, profile.data.scripts)


def from_embedded(response: TextResponse, profile: SiteProfile) -> Found:
    """The listing fields in the JSON the page embeds, by the profile's paths."""
    root = _embedded_root(response, profile)
    return _from_paths(root, profile.data.listing, "embedded") if root and profile.data else Found()


def results_on_page(response: TextResponse, profile: SiteProfile) -> list[Found]:
    """Search results carried in the page's embedded JSON, one `Found` per item."""
    if not profile.data or not profile.data.results:
        return []
    root = _embedded_root(response, profile)
    items: list[object] = []
    for path in profile.data.results.items:
        value = first(root, (path,))
        if isinstance(value, list):
            items.extend(value)
    template = profile.data.results.url_template
    found = [_from_paths(item, profile.data.results.fields, "embedded") for item in items if isinstance(item, dict)]
    hook = hook_for(profile.name)
    if hook is not None:
        found = hook.results(response, found)
    if template:
        found = [item if item.url or not item.key else
                 dataclasses.replace(item, url=template.replace("{key}", item.key),
                                     sources={**item.sources, "url": "embedded"}) for item in found]
    return found


STRUCTURED = ("json-ld", "microdata", "rdfa", "opengraph")


def _is_json(response: TextResponse) -> bool:
    return response.text.lstrip()[:1] in ("{", "[")


def extract_fields(response: TextResponse, profile: SiteProfile | None = None) -> Found:
    """Every source in order of trust, each filling only what the ones before it left empty.

    One exception: markup often gives the regular price where the page shows a sale price. So the
    price the page shows beside its heading wins over the markup's when the markup also names it
    (as another offer), or when the page shows the markup's price crossed out or marked as old."""
    own = Found()
    if profile is not None:
        own = from_embedded(response, profile).fill(from_selectors(response, profile))
        hook = hook_for(profile.name)
        if hook is not None:
            own = hook.listing(response, own)
    if _is_json(response):
        return own
    tree = response.selector.root
    structured = [from_jsonld(tree), from_microdata(tree, response.url),
                  from_rdfa(response.body, response.encoding, response.url), from_opengraph(tree)]
    shown = Found()
    if sum(1 for _ in islice(tree.iter(), MAX_ELEMENTS + 1)) <= MAX_ELEMENTS:
        shown = from_html(tree)
    else:  # reading a huge page by its layout takes about a minute: a way to stall the crawl, not a product page
        log.warning("too_many_elements: %s has over %d elements — read by its markup and the profile's selectors"
                    " only, not by its layout", response.url, MAX_ELEMENTS)
    found = reduce(Found.fill, [*structured, shown], own)
    if found.sources.get("price") in STRUCTURED and shown.price is not None and shown.price != found.price:
        named = {price for source in structured for price in (source.price, *source.offers) if price is not None}
        if shown.price in named or found.price in shown.struck:
            found = dataclasses.replace(found, price=shown.price,
                                        sources={**found.sources, "price": "html+structured"})
    return found


def profile_for_url(url: str) -> SiteProfile | None:
    """The shipped profile for the URL's host: the one that lists its domain earliest (tmall.com is
    the Tmall profile's own domain, and only one the Taobao profile also visits)."""
    host = (urlsplit(url).hostname or "").lower()
    best: tuple[int, SiteProfile] | None = None
    for name in profile_names():
        profile = load_profile(name)
        for index, domain in enumerate(profile.domains):
            if (host == domain or host.endswith("." + domain)) and (best is None or index < best[0]):
                best = (index, profile)
    return best[1] if best else None


def listing_from(found: Found, page_url: str, profile: SiteProfile | None, *, from_results: bool = False,
                 site: str | None = None) -> Listing:
    """A `Listing` from found fields: URLs made absolute, currency made ISO, missing fields named.

    `from_results` means the fields came from a search results page, whose item URL is the listing's."""
    url = _absolute(page_url, found.url) if from_results and found.url else page_url
    canonical = _absolute(page_url, found.url) if found.url and not from_results else None
    currency = currency_code(found.currency, url) or (profile.currency if profile else None) \
        or (local_currency(url) if found.price is not None else None)
    max_images = profile.max_images if profile else DEFAULT_MAX_IMAGES
    images = tuple(dict.fromkeys(_absolute(page_url, image) for image in found.images))[:max_images]
    key = (profile.key_from_url(url) if profile else None) or found.key or urlsplit(url).path or url
    problems = tuple(name for name, value in (("no title", found.title), ("no price", found.price)) if not value)
    return valid_text(Listing(
        site=site or (profile.name if profile else urlsplit(url).hostname or "page"),
        listing_key=key[:200], url=url, title=found.title or "",
        price=float(found.price) if found.price is not None else None, currency=currency,
        seller=found.seller, seller_location=found.seller_location, category=found.category,
        brand=found.brand, image_urls=images, availability=found.availability, canonical_url=canonical,
        problems=problems,
    ))


def valid_text(listing: Listing) -> Listing:
    """The listing with every lone surrogate in its text replaced by U+FFFD, and the fields named in its
    problems: a page's JSON may write `\\ud800`, which Python keeps but no database or hash can encode."""
    changed: dict[str, str | tuple[str, ...]] = {}
    for field in dataclasses.fields(listing):
        value = getattr(listing, field.name)
        if isinstance(value, str) and has_surrogates(value):
            changed[field.name] = without_surrogates(value)
        elif isinstance(value, tuple) and any(isinstance(v, str) and has_surrogates(v) for v in value):
            changed[field.name] = tuple(without_surrogates(v) if isinstance(v, str) else v for v in value)
    if not changed:
        return listing
    problem = f"lone surrogate replaced by U+FFFD in {', '.join(changed)}"
    return dataclasses.replace(listing, **changed,  # type: ignore[arg-type]
                               problems=(*changed.get("problems", listing.problems), problem))


def _absolute(base: str, url: str) -> str:
    url = url.strip()
    if url.startswith("//"):
        return f"{urlsplit(base).scheme or 'https'}:{url}"
    return urljoin(base, url)


def extract_listing(response: TextResponse, profile: SiteProfile | None = None) -> Listing:
    """The listing on `response`; missing fields are None and named in `problems`."""
    return listing_from(extract_fields(response, profile), response.url, profile)
