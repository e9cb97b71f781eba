"""Listing pages kept as they were fetched: one gzipped WARC file (warcio) per page, holding the request,
the response as received, and a metadata record saying how and when it was fetched."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import datetime
from http import HTTPStatus
from pathlib import Path

from scrapy.http import Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ..core.files import write_whole
from .records import Capture

RAW_FOLDER = "raw"


def _headers(pairs: dict[bytes, list[bytes]]) -> list[tuple[str, str]]:
    return [(key.decode("latin-1"), value.decode("latin-1")) for key, values in pairs.items() for value in values]


def warc_bytes(response: Response, *, fetched_at: datetime, fetched_by: str, context: dict[str, str]) -> bytes:
    """A gzipped WARC holding `response` (and its request), with a metadata record about the fetch."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    date = fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    request = response.request
    if request is not None:
        target = request.url.split("://", 1)[-1].partition("/")[2]
        request_headers = StatusAndHeaders(f"{request.method} /{target} HTTP/1.1", _headers(dict(request.headers)),
                                           is_http_request=True)
        writer.write_record(writer.create_warc_record(request.url, "request", http_headers=request_headers,
                                                      warc_headers_dict={"WARC-Date": date}))
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = "Unknown"
    headers = [(key, value) for key, value in _headers(dict(response.headers))
               if key.lower() not in ("content-encoding", "transfer-encoding", "content-length")]
    http_headers = StatusAndHeaders(f"{response.status} {reason}", headers, protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        response.url, "response", payload=io.BytesIO(response.body), length=len(response.body),
        http_headers=http_headers, warc_headers_dict={"WARC-Date": date}))
    metadata = json.dumps({"fetched_by": fetched_by, **context}, ensure_ascii=False, sort_keys=True).encode()
    writer.write_record(writer.create_warc_record(
        response.url, "metadata", payload=io.BytesIO(metadata), length=len(metadata),
        warc_content_type="application/json", warc_headers_dict={"WARC-Date": date}))
    return buffer.getvalue()


def keep_raw(evidence_dir: Path, site: str, key: str, response: Response, *, fetched_at: datetime,
             fetched_by: str, context: dict[str, str]) -> Capture:
    """Write the WARC of a listing page under evidence_dir/raw/SITE/..., named by listing and time."""
    data = warc_bytes(response, fetched_at=fetched_at, fetched_by=fetched_by, context=context)
    digest = hashlib.sha256(data).hexdigest()
    slug = hashlib.sha1(key.encode()).hexdigest()[:16]
    relative = Path(RAW_FOLDER) / site / slug / f"{fetched_at.strftime('%Y%m%dT%H%M%S%fZ')}-{digest[:12]}.warc.gz"
    write_whole(evidence_dir / relative, data)  # whole or absent, even after a kill or a full disk
    return Capture(relative.as_posix(), digest, len(data))
