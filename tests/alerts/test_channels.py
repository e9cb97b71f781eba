"""Chat channels and webhooks, through Apprise to real HTTPS endpoints on 127.0.0.1: what arrives
is the alert (mark, title, reasons, links) with scraped Markdown made inert; secrets never print."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ipwatch.alerts.channels import REGISTRY, Channel, channel_for
from ipwatch.alerts.failures import ChannelRefused, ChannelUnusable
from ipwatch.alerts.records import AlertLinks, Notice
from ipwatch.alerts.sample import sample_alert
from ipwatch.core.settings import Settings

HOSTILE = "小肥洋 火锅底料 [点我](http://evil.example) **特价**"
LINKS = AlertLinks("http://127.0.0.1:8000/alerts/7", "http://127.0.0.1:8000/feedback/C", "http://127.0.0.1:8000/feedback/R")


def _alert():
    return replace(sample_alert(), id=7, title=HOSTILE, mark_name="小肥羊")


def _text(host: str, payload: dict) -> str:
    """The message text inside each service's JSON."""
    if host == "oapi.dingtalk.com":
        return payload["markdown"]["text"]
    if host == "qyapi.weixin.qq.com":
        return payload["text"]["content"]
    if host == "open.feishu.cn":
        return payload["card"]["elements"][0]["text"]["content"]
    if host == "hooks.slack.com":
        return payload["attachments"][0]["text"]
    return payload["title"] + "\n" + payload["message"]


MD_LINK, SLACK_LINK = "[点我](http://evil.example)", "<http://evil.example|"
CASES = [
    # url, channel name, host reached, path reached, shown (masked), secret that must not show,
    # the seller's link as it would look had it become a live link in this service's markup
    ("dingtalk://0123456789abcdef/", "dingtalk", "oapi.dingtalk.com", "/robot/send?access_token=0123456789abcdef",
     "dingtalk://0...f/", "0123456789abcdef", MD_LINK),
    ("dingtalk://5ec2e7@0123456789abcdef/", "dingtalk", "oapi.dingtalk.com",
     "/robot/send?access_token=0123456789abcdef&timestamp=", "dingtalk://****@0...f/", "5ec2e7", MD_LINK),
    ("wecombot://a1b2c3d4e5", "wecombot", "qyapi.weixin.qq.com", "/cgi-bin/webhook/send?key=a1b2c3d4e5",
     "wecombot://a...5/", "a1b2c3d4e5", None),  # plain text: nothing in it is a link
    ("feishu://feishuToken123", "feishu", "open.feishu.cn", "/open-apis/bot/v2/hook/feishuToken123/",
     "feishu://f...3/", "feishuToken123", MD_LINK),
    ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ", "slack", "hooks.slack.com",
     "/services/T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ", "slack://T...2/A...D/T...Q/", "TIiajkdnlazkcOXrIdevi7FQ",
     SLACK_LINK),
]


@pytest.mark.parametrize(("url", "name", "host", "path", "shown", "secret", "live_link"), CASES,
                         ids=[c[1] + c[0][-4:] for c in CASES])
def test_a_chat_channel_delivers_the_alert_to_its_service(hooks, url, name, host, path, shown, secret, live_link):
    channel = channel_for(url, Settings())
    result = channel.deliver(Notice((_alert(),), {7: LINKS}))
    assert result.ok, result.detail
    assert channel.name == name and str(channel).startswith(shown) and secret not in str(channel)
    assert secret not in result.detail
    [hit] = hooks.hits
    assert (hit.host, hit.path.startswith(path)) == (host, True)
    text = _text(host, hit.json())
    for expected in ("小肥羊", "高 / high", "0.95", "19.90 CNY", "某某药材店", "测试消息", LINKS.triage, LINKS.confirm):
        assert expected in text
    assert "点我" in text and (live_link is None or live_link not in text)


def test_a_webhook_gets_title_and_message_as_json(hooks):
    url = f"json://127.0.0.1:{hooks.port}/ipwatch/hook"
    result = channel_for(url, Settings()).deliver(Notice((_alert(),), {7: LINKS}, digest=True))
    assert result.ok, result.detail
    [hit] = hooks.hits
    payload = hit.json()
    assert hit.path == "/ipwatch/hook"
    assert payload["title"].startswith("[ipwatch] 每日摘要 / Daily digest: 1 条疑似侵权预警")
    assert "\\[点我\\]\\(http://evil.example\\)" in payload["message"]


def test_a_webhook_password_is_masked_when_printed():
    channel = channel_for("json://ipwatch:hunter2@127.0.0.1:9/hook", Settings())
    assert "hunter2" not in str(channel) and "ipwatch:****@127.0.0.1:9/hook" in str(channel)


def test_a_service_that_answers_an_error_is_a_refusal_to_retry(hooks):
    hooks.status = 500
    result = channel_for("dingtalk://0123456789abcdef/", Settings()).send(_alert())
    assert not result.ok
    assert isinstance(result.failure, ChannelRefused) and not result.failure.permanent
    assert "ipwatch channels test" in result.detail and "0123456789abcdef" not in result.detail


@pytest.mark.parametrize(("url", "says"), [
    ("dingtalk://", "not a usable dingtalk URL"),
    ("carrier-pigeon://coop/7", "no channel speaks carrier-pigeon://"),
    ("mailto:nobody", "not an e-mail address"),
    ("no scheme at all", "no channel speaks"),
])
def test_a_url_no_channel_can_use_is_refused_at_construction(url, says):
    with pytest.raises(ChannelUnusable, match=says) as refused:
        channel_for(url, Settings())
    assert refused.value.permanent


def test_a_second_channel_claiming_a_scheme_is_refused_at_import():
    with pytest.raises(TypeError, match="already DingTalkChannel's"):
        type("Impostor", (REGISTRY["json"].__mro__[1],), {"scheme": "dingtalk", "__doc__": "x"})
    assert all(issubclass(cls, Channel) for cls in REGISTRY.values())
