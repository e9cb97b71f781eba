"""Takedown notices (E-commerce Law art. 42): one per marketplace and case, as text and as PDF.

The text comes from `templates/notices/<site>.txt.j2`, or `default.txt.j2` for a marketplace
without its own. It names the rights holder, the mark and its registration number, each listing
by URL, the reasons, and the sha256 of every piece of evidence (listing images as downloaded,
and captured pages), so the platform can check that what it is shown is what was captured.
The PDF sets the same text in STSong-Light, a CJK font every PDF reader has built in.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from xml.sax.saxutils import escape

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..alerts.queue import stored_reasons
from ..alerts.workflow import TransitionRefused, members
from ..core.clock import utcnow
from ..core.storage.models import (
    AlertRow,
    CaseRow,
    EvidenceRow,
    ImageRow,
    ListingImageRow,
    ListingRow,
    MarkRow,
    NoticeRow,
    SiteRow,
)
from .clock import local

NOTICE_LANGUAGE = "zh-CN"  # notices go to Chinese platforms and courts, in Chinese
TEMPLATES = Path(__file__).with_name("templates") / "notices"
# Whom the notice is addressed to, by site profile name; others are addressed by their site name.
PLATFORMS = {
    "taobao": "淘宝网知识产权保护平台", "tmall": "天猫知识产权保护平台", "jd": "京东知识产权保护平台",
    "pinduoduo": "拼多多知识产权保护平台", "1688": "1688知识产权保护平台", "demo": "演示商城（demo marketplace）",
}
NOTICE_STATES = frozenset({"confirmed", "notice_sent", "measures_taken", "relisted", "counter_notice",
                           "complaint_filed"})
KIND_NAMES = {"trademark": "注册商标", "gi": "地理标志", "old_brand": "中华老字号"}
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False, undefined=StrictUndefined,
                   keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


@dataclass(frozen=True, slots=True)
class NoticeListing:
    url: str
    title: str
    seller: str | None
    mark: str
    reasons: tuple[str, ...]
    evidence: tuple[tuple[str, str], ...]  # (what, sha256)


def _listings(session: Session, alerts: list[AlertRow], site_id: int) -> list[NoticeListing]:
    result = []
    for alert in alerts:
        listing: ListingRow = alert.listing
        if listing.site_id != site_id:
            continue
        evidence = [(f"商品图片 {link.position + 1}", link.image.sha256) for link in session.scalars(
            select(ListingImageRow).join(ImageRow).where(ListingImageRow.listing_id == listing.id)
            .order_by(ListingImageRow.position))]
        evidence += [(f"{row.kind} {Path(row.path).name}", row.sha256) for row in session.scalars(
            select(EvidenceRow).where(EvidenceRow.listing_id == listing.id).order_by(EvidenceRow.id))]
        result.append(NoticeListing(url=listing.url, title=listing.title, seller=listing.seller,
                                    mark=alert.mark.name,
                                    reasons=tuple(r.render(NOTICE_LANGUAGE, scores=False)
                                                  for r in stored_reasons(alert.reasons)),
                                    evidence=tuple(dict.fromkeys(evidence))))  # a file recorded twice, once
    return result


def sites_of(session: Session, case: CaseRow) -> list[str]:
    """The marketplaces the listings of `case` are on: one notice each."""
    return sorted({session.get_one(SiteRow, alert.listing.site_id).name for alert in members(session, case)})


def render_text(session: Session, case: CaseRow, site: str, zone: tzinfo, *, at: datetime | None = None) -> str:
    """The notice to `site` for `case`, as plain text, dated in `zone`."""
    site_row = session.scalar(select(SiteRow).where(SiteRow.name == site))
    alerts = members(session, case)
    listings = _listings(session, alerts, site_row.id) if site_row else []
    if site_row is None or not listings:
        raise TransitionRefused(f"case {case.id} has no listing on '{site}'")
    marks = {alert.mark_id: alert.mark for alert in alerts if alert.listing.site_id == site_row.id}
    try:
        template = _env.get_template(f"{site}.txt.j2")
    except TemplateNotFound:
        template = _env.get_template("default.txt.j2")
    return template.render(
        platform=PLATFORMS.get(site, site), site=site, case=case, owner=case.owner,
        marks=[_mark_facts(mark) for mark in sorted(marks.values(), key=lambda m: m.id)],
        listings=listings, date=local(at or utcnow(), zone)[:10],
    )


def _mark_facts(mark: MarkRow) -> dict[str, str]:
    record = mark.record or {}
    return {"name": mark.name, "kind": KIND_NAMES.get(mark.kind, mark.kind),
            "registration": record.get("registration_number") or "（请补充注册号）",
            "classes": "、".join(str(n) for n in record.get("nice_classes") or ()) or "—",
            "region": mark.region or ""}


def create_notice(session: Session, case: CaseRow, site: str, actor: str, zone: tzinfo) -> NoticeRow:
    """Write and keep the notice to `site` for a confirmed case, dated in `zone`."""
    if case.state not in NOTICE_STATES:
        raise TransitionRefused(f"case {case.id} is '{case.state}': confirm the infringement before"
                                " generating a notice")
    body = render_text(session, case, site, zone)
    row = NoticeRow(case_id=case.id, site=site, body=body, created_by=actor, created_at=utcnow(),
                    sha256=hashlib.sha256(body.encode("utf-8")).hexdigest())
    session.add(row)
    session.flush()
    return row


def render_pdf(notice: NoticeRow) -> bytes:
    """The notice as a PDF: the same text, in a built-in Chinese font, its sha256 in the footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=22, spaceAfter=6)

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("STSong-Light", 7.5)
        canvas.drawString(18 * mm, 10 * mm, f"notice #{notice.id} · sha256 {notice.sha256} · page {doc.page}")

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                 topMargin=18 * mm, bottomMargin=18 * mm,
                                 title=f"Takedown notice #{notice.id}", author="ipwatch")
    lines = notice.body.splitlines()
    flow = [Paragraph(escape(lines[0] if lines else ""), title)]
    indented: dict[int, ParagraphStyle] = {}
    for line in lines[1:]:
        if not line.strip():
            flow.append(Spacer(1, 6))
            continue
        depth = len(line) - len(line.lstrip())
        style = indented.setdefault(depth, ParagraphStyle(f"indent{depth}", parent=body, leftIndent=depth * 3.5))
        # scraped titles are text, never markup: escape before reportlab parses its mini-HTML
        flow.append(Paragraph(escape(line.strip()), style))
    document.build(flow, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
