"""Reading back the WARC files that crawls keep (spiders/raw.py): the response as it was received."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    """The response a WARC file holds, as needed to render it again."""

    url: str
    status: int
    content_type: str
    body: bytes


def read_response(path: Path) -> ArchivedPage | None:
    """The response record of a WARC file written by `keep_raw`."""
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "response":
                headers = record.http_headers
                return ArchivedPage(
                    url=record.rec_headers.get_header("WARC-Target-URI") or "",
                    status=int(headers.get_statuscode() or 0) if headers else 0,
                    content_type=(headers.get_header("Content-Type") if headers else None) or "text/html",
                    body=record.content_stream().read(),
                )
    return None
