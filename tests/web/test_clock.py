"""Times as the office reads them: pages, exports, date filters and form dates follow Settings.timezone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from ipwatch.core.storage.models import AlertRow
from ipwatch.web.app import create_app

MOMENT = datetime(2021, 3, 4, 20, 30, tzinfo=UTC)  # already the next day in China, still the same in Europe


@pytest.fixture(params=[("Asia/Shanghai", "2021-03-05 04:30"), ("Europe/Berlin", "2021-03-04 21:30")],
                ids=["shanghai", "berlin"])
def office(request: pytest.FixtureRequest) -> tuple[str, str]:
    """The time zone set, and MOMENT as people there read it."""
    return request.param


@pytest.fixture
def app(scene, office):  # noqa: ANN001, ANN201
    """The app with `office`'s time zone; the dashed alert was created at MOMENT."""
    with scene.database.session() as session:
        session.execute(update(AlertRow).where(AlertRow.id == scene.ids["dashed"]).values(created_at=MOMENT))
    return create_app(scene.settings.model_copy(update={"timezone": office[0]}))


def test_the_queue_and_its_export_show_times_in_the_settings_time_zone(client, office):
    officer = client("officer")
    shown = office[1]
    assert shown in officer.get("/alerts").text
    assert shown in officer.get("/alerts?sort=created&order=asc").text  # a page computed again
    assert shown in officer.get("/alerts/export.csv").content.decode("utf-8-sig")


def test_a_days_filter_counts_days_in_the_settings_time_zone(scene, client, office):
    day = office[1][:10]
    listed = client("officer").get(f"/api/alerts?since={day}&until={day}").json()
    assert [item["id"] for item in listed["items"]] == [scene.ids["dashed"]]


def test_a_date_typed_in_a_form_is_that_day_in_the_settings_time_zone(scene, client):
    officer = client("officer")
    alert = scene.ids["dashed"]
    for step in ("confirmed", "notice_sent", "measures_taken"):
        assert officer.api(f"/api/alerts/{alert}/move", {"to_state": step}).status_code == 200
    officer.form(f"/alerts/{alert}/move", {"to_state": "counter_notice", "counter_notice_date": "2021-03-04"})
    case = officer.get(f"/api/alerts/{alert}").json()["case"]
    assert "reached the rights holder 2021-03-04 12:00" in officer.get(f"/cases/{case['id']}").text
