"""The catalogue is the same on every run, covers every infringement technique, and tells the truth about itself."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from ipwatch.demo_marketplace import images
from ipwatch.demo_marketplace.assortment import fold
from ipwatch.demo_marketplace.catalogue import build_catalogue, load_marks
from ipwatch.demo_marketplace.records import SECTIONS
from ipwatch.demo_marketplace.sellers import inside

SAMPLE = Path(__file__).resolve().parents[2] / "watchlist" / "samples" / "baotou.yaml"
MARKS = {mark.id: mark for mark in load_marks(SAMPLE)}
INFRINGING_CASES = {"knockoff", "gi_misuse", "copied_logo", "counterfeit"}
TRUTH_KEYS = {"id", "section", "url_path", "title", "seller", "seller_location", "price", "infringes", "case",
              "technique", "bad"}


@pytest.fixture(scope="module")
def catalogue():
    return build_catalogue(SAMPLE)


def by_mark(catalogue, mark_id, *cases):
    return [p for p in catalogue.products
            if (mark_id in p.infringes or (p.case in ("genuine", "gi_in_region") and p.brand == MARKS[mark_id].name)
                or (p.case == "gi_in_region" and p.seller in catalogue.region_sellers.get(mark_id, [])))
            and (not cases or p.case in cases)]


def test_two_builds_are_identical(catalogue):
    again = build_catalogue(SAMPLE)
    assert again == catalogue
    assert again.ground_truth() == catalogue.ground_truth()


def test_size_and_sections(catalogue):
    sections = Counter(p.section for p in catalogue.products)
    assert 250 <= len(catalogue.products) <= 400
    assert 10 <= sections["gbk"] <= 20
    assert 0.25 <= sections["mall"] / len(catalogue.products) <= 0.4
    assert set(sections) == set(SECTIONS)
    assert Counter(p.case for p in catalogue.products)["unrelated"] >= 120


def test_ids_are_stable_strings(catalogue):
    ids = [p.id for p in catalogue.products]
    assert ids == [f"p{n:04d}" for n in range(1, len(ids) + 1)]


def test_ground_truth_has_one_entry_per_product_with_the_agreed_fields(catalogue):
    truth = catalogue.ground_truth()
    assert len(truth) == len(catalogue.products)
    for entry in truth:
        assert set(entry) == TRUTH_KEYS
        assert entry["section"] in SECTIONS
        if entry["case"] in ("genuine", "unrelated", "gi_in_region", "generic_usage"):
            assert entry["infringes"] == [] and entry["technique"] is None
        else:
            assert entry["infringes"] and entry["technique"], entry


@pytest.mark.parametrize("mark_id", sorted(MARKS))
def test_each_mark_has_genuine_listings_and_four_to_eight_knockoffs(catalogue, mark_id):
    mark = MARKS[mark_id]
    genuine = by_mark(catalogue, mark_id, "genuine")
    knockoffs = by_mark(catalogue, mark_id, "knockoff", "counterfeit", "copied_logo")
    assert 2 <= len(genuine) <= 3
    assert all(p.seller in mark.authorized_sellers and p.brand == mark.name for p in genuine)
    assert all(p.images[0].kind == "reference" for p in genuine)
    assert images.render(genuine[0].images[0]) == (SAMPLE.parent / mark.images[0]).read_bytes()
    assert 4 <= len(knockoffs) <= 8
    assert all(p.seller not in mark.authorized_sellers for p in knockoffs)
    assert all(mark.name in p.keywords for p in knockoffs), "infringers stuff the genuine name into keywords"


def test_knockoff_techniques_are_all_present(catalogue):
    techniques = Counter(p.technique for p in catalogue.products)
    for technique in ("homophone", "lookalike", "traditional", "fullwidth", "spacing", "latin_edit",
                      "exact_name", "copied_logo", "gi_origin"):
        assert techniques[technique] >= 1, technique


@pytest.mark.parametrize("title_part", ["康帅傅", "娃恰恰", "固陽黃芪", "ａｄｉｄａｓ", "Abibas"])
def test_famous_knockoffs_are_listed(catalogue, title_part):
    assert title_part in " ".join(p.title for p in catalogue.products if p.case == "knockoff")


def test_copied_logo_has_a_generic_title_and_a_shrunk_jpeg_of_the_reference(catalogue):
    copies = [p for p in catalogue.products if p.case == "copied_logo"]
    assert len(copies) == len(MARKS)
    for product in copies:
        mark = MARKS[product.infringes[0]]
        assert not any(fold(name) in fold(product.title) for name in mark.names)
        reference = Image.open(SAMPLE.parent / mark.images[0])
        copy = Image.open(io.BytesIO(images.render(product.images[0])))
        assert copy.format == "JPEG"
        assert copy.width == round(reference.width * 0.9)


def test_counterfeits_are_priced_far_below_the_reference_price(catalogue):
    for product in catalogue.products:
        if product.case == "counterfeit" and product.price is not None:
            assert float(product.price) < 0.3 * MARKS[product.infringes[0]].reference_price.amount


@pytest.mark.parametrize("mark_id", ["guyang-huangqi", "xilinguole-yangrou"])
def test_gi_listings_sit_where_their_case_says(catalogue, mark_id):
    mark = MARKS[mark_id]
    misuse = by_mark(catalogue, mark_id, "gi_misuse")
    growers = [p for p in catalogue.products if p.case == "gi_in_region" and mark.name in p.title]
    assert misuse and all(not inside(p.seller_location, mark.region) and mark.name in p.title for p in misuse)
    assert 1 <= len(growers) <= 2
    assert all(inside(p.seller_location, mark.region) and p.seller not in mark.authorized_sellers for p in growers)
    assert sorted(p.seller for p in growers) == sorted(catalogue.region_sellers[mark_id])
    assert all(inside(p.seller_location, mark.region) for p in by_mark(catalogue, mark_id, "genuine"))


def test_guyang_astragalus_is_misused_from_real_astragalus_places(catalogue):
    places = {p.seller_location for p in by_mark(catalogue, "guyang-huangqi", "gi_misuse")}
    assert places <= {"甘肃省定西市", "山西省浑源县", "河北省安国市"}


def test_exactly_one_listing_of_each_bad_kind(catalogue):
    bad = {p.bad: p for p in catalogue.products if p.bad}
    assert Counter(p.bad for p in catalogue.products if p.bad) == {"no_price": 1, "broken_image": 1, "404": 1}
    assert bad["no_price"].price is None
    assert bad["broken_image"].images[1].kind == "broken"
    assert all(p.section != "gbk" for p in bad.values())


def test_unrelated_products_show_no_mark_name(catalogue):
    names = [fold(name) for mark in MARKS.values() for name in mark.names]
    for product in catalogue.products:
        if product.case == "unrelated":
            visible = fold(product.title + product.description + product.seller)
            assert not any(name in visible for name in names), product.title


@pytest.mark.parametrize("hard_negative", ["黄芪片", "羊肉卷", "羊绒围巾", "方便面", "运动鞋", "小羊毛绒玩具",
                                           "伊犁薰衣草", "蒙古包模型", "鹿茸片"])
def test_hard_negatives_are_in_stock(catalogue, hard_negative):
    assert any(hard_negative in p.title or hard_negative in p.keywords
               for p in catalogue.products if p.case == "unrelated")


def test_some_hard_negatives_come_up_in_mark_searches(catalogue):
    unrelated_hits = {p.id for mark in MARKS.values() for section in SECTIONS
                      for p in catalogue.search(section, mark.name) if p.case == "unrelated"}
    assert len(unrelated_hits) >= 30


def test_every_infringing_product_is_found_by_a_search_for_its_mark_in_its_section(catalogue):
    for product in catalogue.products:
        for mark_id in product.infringes:
            found = {p.id for name in MARKS[mark_id].names for p in catalogue.search(product.section, name)}
            assert product.id in found, product


@pytest.mark.parametrize("query", ["ＮＩＫＥ", "n i k e", "NIKE", " nike "])
def test_search_folds_width_case_and_spaces(catalogue, query):
    assert catalogue.search("static", query) == catalogue.search("static", "Nike") != []


def test_empty_query_finds_nothing(catalogue):
    assert catalogue.search("static", "  ") == []


def test_gbk_section_is_encodable_and_mixes_infringing_with_unrelated(catalogue):
    gbk = [p for p in catalogue.products if p.section == "gbk"]
    for product in gbk:
        (product.title + product.seller + product.seller_location + product.description).encode("gbk")
    assert {p.case for p in gbk} & INFRINGING_CASES and "unrelated" in {p.case for p in gbk}


def test_photos_are_deterministic_and_differ_by_seed():
    assert images.photo("a:1") == images.photo("a:1") != images.photo("a:2")
    assert Image.open(io.BytesIO(images.photo("a:1"))).format == "JPEG"


def test_any_valid_watchlist_builds_a_shop(tmp_path):
    watchlist = tmp_path / "other.yaml"
    watchlist.write_text(
        "marks:\n"
        "  - {id: qiaqia, name: 洽洽, kind: trademark, owner: 洽洽食品, nice_classes: [29],"
        " authorized_sellers: [洽洽官方旗舰店]}\n"
        "  - {id: wuchang, name: 五常大米, kind: gi, owner: 五常市, region: 黑龙江省哈尔滨市五常市,"
        " aliases: [Wuchang Rice], authorized_sellers: [五常大米官方店]}\n"
        "  - {id: lacoste, name: Lacoste, kind: trademark, owner: Lacoste SA, nice_classes: [25]}\n",
        encoding="utf-8")
    catalogue = build_catalogue(watchlist)
    cases = Counter(p.case for p in catalogue.products)
    assert cases["genuine"] >= 4 and cases["gi_misuse"] >= 1 and cases["gi_in_region"] >= 1
    assert "治治" in " ".join(p.title for p in catalogue.products)
    assert not any(p.case == "unrelated" and "五常大米" in p.title for p in catalogue.products)
    for product in catalogue.products:
        if product.case == "gi_misuse":
            assert not inside(product.seller_location, "黑龙江省哈尔滨市五常市")
    for mark_id, count in Counter(m for p in catalogue.products for m in p.infringes if p.case != "gi_misuse").items():
        assert 4 <= count <= 8, mark_id
