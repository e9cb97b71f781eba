"""Any filtered view of the queue as CSV (UTF-8 with BOM, for Excel) or as an Excel workbook.

Listing titles and seller names are written by strangers: a cell that starts with = + - @ or a
control character would run as a formula when the file is opened, so such cells get a leading
apostrophe (the OWASP advice for CSV injection) in both formats. So does every part of a cell after
a separator (, ; tab |): Excel in a locale whose list separator is `;` splits `正品;=2+3` into two
cells whatever the quoting, and runs the second.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from ..alerts.workflow import label
from .clock import local
from .triage import AlertItem

COLUMNS = ("id", "severity", "state", "score", "mark", "kind", "owner", "site", "title", "seller", "price",
           "currency", "listing_url", "case", "created", "updated")
# A formula trigger (= + - @, or a tab or line break) at the start of the cell or of any part a
# spreadsheet may split off at a separator, after spaces or an opening quote.
FORMULA = re.compile(r"""(^|[,;\t|\r\n])(\s*"?)(?=[=+\-@\t\r\n])""")


def safe_cell(value: Any) -> Any:
    """`value`, defused if it is text a spreadsheet would read as a formula, in whole or after a separator.

    >>> safe_cell("官方;@SUM(1+1)")
    "官方;'@SUM(1+1)"
    """
    if isinstance(value, str):
        return FORMULA.sub(lambda found: f"{found.group(1)}'{found.group(2)}", value)
    return value


def _row(item: AlertItem, zone: tzinfo) -> list[Any]:
    return [item.id, item.severity, label(item.state), round(item.score, 3), item.mark_name, item.mark_kind,
            item.owner, item.site, item.title, item.seller or "", item.price, item.currency or "",
            item.listing_url, item.case_id, local(item.created_at, zone), local(item.updated_at, zone)]


def to_csv(items: Sequence[AlertItem], zone: tzinfo) -> bytes:
    """The alerts as CSV bytes (times in `zone`), UTF-8 with a byte-order mark so Excel shows Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in items:
        writer.writerow([safe_cell(value) for value in _row(item, zone)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(items: Sequence[AlertItem], zone: tzinfo) -> bytes:
    """The alerts as an .xlsx workbook (times in `zone`) with a frozen, filterable header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "alerts"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for item in items:
        sheet.append([_xlsx_safe(value) for value in _row(item, zone)])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    widths = {"title": 60, "listing_url": 40, "owner": 28, "mark": 14, "seller": 20}
    for i, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = widths.get(name, 11)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_safe(value: Any) -> Any:
    value = safe_cell(value)
    if isinstance(value, str):  # openpyxl refuses control characters other than tab and newlines
        value = "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
    return value
