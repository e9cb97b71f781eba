"""A sample alert for `ipwatch channels test URL`: what a real one looks like, marked as a test."""

from __future__ import annotations

from ..core.clock import utcnow
from ..matchers.messages import OUTSIDE_REGION
from ..matchers.records import Reason
from .records import Alert


def sample_alert() -> Alert:
    """A made-up 固阳黄芪 alert, its reasons saying it is a test."""
    return Alert(
        id=0, dedup_key="test:0:guyang-huangqi", mark_id="guyang-huangqi", mark_name="固阳黄芪", mark_kind="gi",
        owner="固阳县黄芪产业协会", owner_email=None, severity="high", state="new", score=0.95,
        reasons=(Reason("sample", "测试消息 / test message from `ipwatch channels test`"),
                 Reason.of("gi_wrong_origin", OUTSIDE_REGION, 0.05, region="内蒙古自治区包头市固阳县",
                           location="河北 安国")),
        site="demo", listing_url="http://127.0.0.1/item/test", title="固阳黄芪 正宗 500g 特价 (测试 / test)",
        price=19.9, currency="CNY", seller="某某药材店", seller_location="河北 安国", thumbnail=None,
        created_at=utcnow(),
    )
