"""Administration in the browser's forms: marks, reference images, YAML import/export, accounts."""

from __future__ import annotations

import io

import yaml
from PIL import Image
from sqlalchemy import select

from ipwatch.core.storage.models import ImageRow, MarkImageRow, MarkRow, UserRow
from ipwatch.watchlist.records import Mark

MARK_FORM = {"id": "baotou-steel", "name": "包钢", "kind": "trademark", "owner": "包头钢铁（集团）有限责任公司",
             "owner_email": "ip@btsteel.example.org", "notify": "immediate", "aliases": "Baotou Steel\n包钢集团",
             "authorized_sellers": "包钢官方旗舰店", "nice_classes": "6, 40", "registration_number": "第123456号",
             "price_amount": "4200", "price_unit": "吨"}


def _png(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_administrator_adds_a_mark_that_validates_like_a_watchlist_entry(scene, client):
    admin = client("admin")
    assert admin.form("/admin/marks", MARK_FORM).headers["location"] == "/admin/marks/baotou-steel"
    with scene.database.session() as session:
        mark = Mark.model_validate(session.get(MarkRow, "baotou-steel").record)
    assert mark.aliases == ("Baotou Steel", "包钢集团") and mark.nice_classes == (6, 40)
    assert mark.reference_price.amount == 4200 and mark.registration_number == "第123456号"
    refused = admin.form("/admin/marks", {**MARK_FORM, "id": "Bad Id", "nice_classes": "99"})
    assert refused.status_code == 422
    assert "Nice class 99 is not between 1 and 45" in refused.text or "nice_classes" in refused.text
    assert "String should match pattern" in refused.text or "pattern" in refused.text


def test_reference_images_are_uploaded_hashed_shown_and_removed(scene, client):
    admin = client("admin")
    response = admin.post("/admin/marks/xiaofeiyang/images", data={"csrf_token": admin.csrf},
                          files={"image": ("logo<script>.png", _png((120, 20, 60)), "image/png")},
                          follow_redirects=False)
    assert response.status_code == 303
    with scene.database.session() as session:
        name, phash = session.execute(select(MarkImageRow.name, ImageRow.phash).join(ImageRow)
                                      .where(MarkImageRow.mark_id == "xiaofeiyang")).one()
    assert name.endswith("-logo-script.png") and phash
    shown = admin.get(f"/media/marks/xiaofeiyang/images/{name}")
    assert shown.headers["content-type"] == "image/png" and shown.content.startswith(b"\x89PNG")
    assert client("herb").get(f"/media/marks/xiaofeiyang/images/{name}").status_code == 404
    not_image = admin.post("/admin/marks/xiaofeiyang/images", data={"csrf_token": admin.csrf},
                           files={"image": ("x.png", b"<svg onload=alert(1)>", "image/png")})
    assert "cannot be used as a reference image" in not_image.text
    admin.form("/admin/marks/xiaofeiyang/images/remove", {"name": name})
    with scene.database.session() as session:
        assert session.scalar(select(MarkImageRow).where(MarkImageRow.mark_id == "xiaofeiyang")) is None


def test_the_watchlist_exports_to_yaml_and_imports_back(scene, client):
    admin = client("admin")
    exported = admin.get("/admin/watchlist/export").text
    marks = yaml.safe_load(exported)["marks"]
    assert [m["id"] for m in marks] == ["guyang-huangqi", "xiaofeiyang"]
    marks[1]["aliases"] = ["Little Sheep", "小肥羊火锅"]
    changed = yaml.safe_dump({"marks": marks}, allow_unicode=True).encode()
    response = admin.post("/admin/watchlist/import", data={"csrf_token": admin.csrf},
                          files={"file": ("watchlist.yaml", changed, "application/yaml")})
    assert "Watchlist imported: 0 added, 2 updated, 0 unchanged." in response.text
    with scene.database.session() as session:
        assert session.get(MarkRow, "xiaofeiyang").record["aliases"] == ["Little Sheep", "小肥羊火锅"]
    broken = admin.post("/admin/watchlist/import", data={"csrf_token": admin.csrf},
                        files={"file": ("bad.yaml", b"marks:\n  - id: x\n    kind: brand\n", "text/yaml")})
    assert "Watchlist not imported: line 2: marks[0].name: required field is missing" in broken.text
    assert "line 3: marks[0].kind: &#39;brand&#39; is not one of trademark, gi, old_brand" in broken.text


def test_an_administrator_creates_and_disables_accounts(scene, client):
    admin = client("admin")
    admin.form("/admin/users", {"username": "reviewer", "password": scene.password, "role": "owner",
                                "owner": "固阳县黄芪产业协会"})
    reviewer = client("reviewer")
    assert reviewer.get("/api/me").json() == {"username": "reviewer", "role": "owner",
                                              "owner": "固阳县黄芪产业协会", "csrf_token": reviewer.csrf}
    admin.form("/admin/users/reviewer/active", {"active": "false"})
    assert reviewer.get("/api/me").status_code == 401
    with scene.database.session() as session:
        assert session.scalar(select(UserRow.active).where(UserRow.username == "reviewer")) is False
    page = admin.get("/admin/sites").text
    assert "demo" in page and "ipwatch crawl NAME" in page


def test_allow_listing_from_an_alert_closes_the_new_alerts_it_covers(scene, client):
    officer = client("officer")
    response = officer.form(f"/alerts/{scene.ids['dashed']}/allow",
                            {"field": "seller", "pattern": "草原特产小店", "close_matching": "true"})
    assert response.status_code == 303
    page = officer.get(response.headers["location"]).text
    assert "Allow-listed for this mark: seller = &#39;草原特产小店&#39;. 2 new alert(s) closed" in page
    states = {name: officer.get(f"/api/alerts/{scene.ids[name]}").json()["alert"]["state"]
              for name in ("dashed", "seller_twin", "herb")}
    assert states == {"dashed": "false_positive", "seller_twin": "false_positive", "herb": "new"}
