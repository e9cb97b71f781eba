"""`ipwatch match`: score listings from a JSON-lines file against a watchlist.

A public interface; keep it stable. Input, one JSON object per line::

    {"id": "a1", "title": "康师父红烧牛肉面", "price": 9.9, "currency": "CNY", "seller": "…",
     "seller_location": "…", "category": "方便面", "images": ["img/a1.jpg"]}

Output, one JSON line per flagged listing × mark::

    {"listing_id": "a1", "mark_id": "kangshifu", "score": 0.98, "reasons": ["…", "…"]}

A bad line is named on stderr (`L.jsonl:7: title: missing`) and skipped; the exit code
stays 0 and the summary on stderr says how many lines were skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, cast

import typer
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from ..core.images import BadImage, ListingImage, compute_hashes
from ..core.settings import Settings
from ..matchers.images.reference_hashes import hash_reference_images
from ..matchers.scorer import Scorer
from ..spiders.records import Listing
from ..watchlist.errors import WatchlistError
from ..watchlist.loader import load_watchlist


class ListingLine(BaseModel):
    """One line of the listings file; fields other than these are ignored."""

    model_config = ConfigDict(extra="ignore")

    id: StrictStr | StrictInt
    title: StrictStr = Field(min_length=1)
    price: float | None = Field(None, ge=0)
    currency: StrictStr | None = None
    seller: StrictStr | None = None
    seller_location: StrictStr | None = None
    category: StrictStr | None = None
    images: list[StrictStr] = []
    site: StrictStr | None = None
    url: StrictStr | None = None


_MESSAGES = {
    "missing": "missing",
    "string_type": "must be text",
    "string_too_short": "must not be empty",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "greater_than_equal": "must be 0 or more",
    "list_type": "must be a list of image file paths or URLs",
    "int_type": "must be text or a whole number",
}


@dataclass
class _Run:
    """What one `ipwatch match` run saw, for the summary on stderr."""

    source: str
    lines: int = 0
    scored: int = 0
    skipped: int = 0
    matches: int = 0
    image_urls: int = 0


def match(
    watchlist: Path = typer.Option(..., "--watchlist", "-w", help="a watchlist YAML file"),
    listings: Path = typer.Option(..., "--listings", "-l", help="listings as JSON lines (id, title, …)"),
    threshold: float | None = typer.Option(
        None, "--threshold", "-t", min=0.0, max=1.0, help="report matches scoring this or more [default: 0.75]"
    ),
) -> None:
    """Score listings from a JSON-lines file against a watchlist; print one JSON line per match."""
    settings = Settings()
    try:
        marks = load_watchlist(watchlist).marks
    except WatchlistError as exc:
        _fail(f"{exc}\n{WatchlistError.remedy}")
    references = hash_reference_images(marks)
    for problem in references.problems:
        typer.echo(f"{problem}; not used", err=True)
    scorer = Scorer.from_marks(
        marks,
        threshold=settings.match_threshold if threshold is None else threshold,
        reference_hashes=references.hashes,
    )
    run = _Run(source=str(listings))
    hashes = _ImageHashes(base=listings.resolve().parent, max_bytes=settings.image_max_bytes)
    for number, line in _numbered_lines(listings, run):
        listing, images = _parse(line, number, run, hashes)
        if listing is None:
            continue
        run.scored += 1
        for found in scorer.match(listing, images=images):
            run.matches += 1
            record = {"listing_id": line["id"], "mark_id": found.mark_id, "score": found.score,
                      "reasons": found.reason_texts}
            typer.echo(json.dumps(record, ensure_ascii=False))
    _summarise(run)


def _numbered_lines(path: Path, run: _Run) -> Iterator[tuple[int, dict]]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        _fail(f"{path}: cannot be read: {exc.strerror}")
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            run.lines += 1
            problem, data = _decode(raw)
            if problem is None and not isinstance(data, dict):
                problem = "not a JSON object: write one {…} listing per line"
            if problem is not None:
                _skip(run, number, problem)
                continue
            yield number, cast(dict[str, Any], data)


def _decode(raw: bytes) -> tuple[str | None, object]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "not UTF-8 text: save the file as UTF-8", None
    try:
        return None, json.loads(text)
    except json.JSONDecodeError as exc:
        return f"not valid JSON ({exc.msg} at column {exc.colno})", None


def _parse(data: dict, number: int, run: _Run, hashes: _ImageHashes) -> tuple[Listing | None, list[ListingImage]]:
    try:
        line = ListingLine.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"])
        _skip(run, number, f"{where}: {_MESSAGES.get(error['type'], error['msg'])}")
        return None, []
    images: list[ListingImage] = []
    for image in line.images:
        if image.startswith(("http://", "https://")):
            run.image_urls += 1
            continue
        found, problem = hashes.image(image)
        if found is not None:
            images.append(found)
        else:
            typer.echo(f"{run.source}:{number}: image {image}: {problem}; matched on its text only", err=True)
    listing = Listing(
        site=line.site or "file", listing_key=str(line.id), url=line.url or "", title=line.title,
        price=line.price, currency=line.currency, seller=line.seller, seller_location=line.seller_location,
        category=line.category, image_urls=tuple(image for image in line.images if "://" in image),
    )
    return listing, images


@dataclass
class _ImageHashes:
    """Perceptual hashes of local image files, each file read once."""

    base: Path
    max_bytes: int
    _known: dict[Path, tuple[ListingImage | None, str | None]] = field(default_factory=dict)

    def image(self, name: str) -> tuple[ListingImage | None, str | None]:
        """(the image with its hashes, None) or (None, what was wrong with the file)."""
        path = (self.base / name).resolve()
        if path not in self._known:
            self._known[path] = self._compute(path)
        return self._known[path]

    def _compute(self, path: Path) -> tuple[ListingImage | None, str | None]:
        try:
            if path.stat().st_size > self.max_bytes:
                return None, f"larger than {self.max_bytes} bytes (IPWATCH_IMAGE_MAX_BYTES)"
            return ListingImage(path.name, path, compute_hashes(path.read_bytes())), None
        except OSError as exc:
            return None, f"cannot be read ({exc.strerror or exc})"
        except BadImage as exc:
            return None, exc.reason


def _skip(run: _Run, number: int, problem: str) -> None:
    run.skipped += 1
    typer.echo(f"{run.source}:{number}: {problem}", err=True)


def _summarise(run: _Run) -> None:
    if run.image_urls:
        typer.echo(
            f"{run.source}: {run.image_urls} image URLs ignored: this version hashes local files only;"
            " download the images and list their paths instead", err=True,
        )
    skipped = f", {run.skipped} of {run.lines} lines skipped (see above)" if run.skipped else ""
    typer.echo(f"{run.source}: {run.scored} listings scored, {run.matches} matches{skipped}", err=True)


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(1)
