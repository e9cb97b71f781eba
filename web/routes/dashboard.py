"""The dashboard: alerts over time by mark, kind, site or severity; top sellers; time to resolution."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from .. import charts
from ..auth import app_state, current_user
from ..cases import open_cases_count
from ..clock import office_zone
from ..dashboard import build
from ..pages import render
from ..users import User

router = APIRouter(include_in_schema=False)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, user: Annotated[User, Depends(current_user)],
              by: Literal["severity", "mark", "kind", "site", "state"] = "severity",
              days: Annotated[int, Query(ge=7, le=366)] = 30) -> Response:
    """Charts people read at a glance, of the alerts this user may see."""
    state = app_state(request)
    with state.database.session() as session:
        board = build(session, user, office_zone(state.settings), days=days, by=by)
        open_cases = open_cases_count(session, user)
    over_time = charts.stacked_columns(board.days, board.series, title=f"Alerts per day by {by}, last {days} days")
    bars = {name: charts.horizontal_bars(board.totals[name].most_common(8), title=f"By {name}")
            for name in ("severity", "kind", "mark", "site")}
    sellers = charts.horizontal_bars(board.top_sellers, title="Top sellers by alerts", colour="#D55E00")
    resolution = charts.horizontal_bars(board.median_by_mark, title="Median days to resolution by mark",
                                        unit=" d", colour="#009E73")
    return render(request, "dashboard.html", board=board, over_time=over_time, bars=bars, sellers=sellers,
                  resolution=resolution, open_cases=open_cases, by=by, days=days)
