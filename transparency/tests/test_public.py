"""The public pages, feed, sitemap and open data: no sign-in, published reports only, cacheable."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from transparency import opendata
from reports import services
from reports.models import WorkflowState
from reports.tests.conftest import set_state

SECRET = "Riga opened seven incubators"
OTHER_SECRET = "Tallinn kept this within the network"


@pytest.fixture
def approved(riga_report, assigned, periods, cities):
    from reports.models import ProgressReport

    riga_report.summary = SECRET
    riga_report.save()
    tallinn = ProgressReport.objects.create(action_point=assigned["2.1"], city=cities["tallinn"],
                                            period=periods["2011 H1"], summary=OTHER_SECRET)
    return set_state(riga_report, WorkflowState.APPROVED), set_state(tallinn, WorkflowState.APPROVED)


@pytest.fixture
def public_indicator(cities, assigned):
    indicator = Indicator.objects.create(name="Start-ups", unit="per 100,000", first_year=2011, last_year=2012,
                                         is_public=True)
    indicator.action_points.add(assigned["1.3"])
    IndicatorValue.objects.create(indicator=indicator, city=cities["riga"], year=2011, value="12.5")
    return indicator


def public_urls(assigned, indicator):
    plan_id = assigned["1.3"].focus_area.plan_id
    urls = [reverse("public:home"), reverse("public:plan", args=[plan_id]),
            reverse("public:action_point", args=[assigned["1.3"].pk]),
            reverse("public:action_point", args=[assigned["2.1"].pk]),
            reverse("public:indicators"), reverse("public:indicator", args=[indicator.pk]),
            reverse("public:data"), reverse("public:feed"), reverse("sitemap")]
    for dataset in opendata.DATASETS.values():
        urls += [dataset.csv_url, dataset.json_url]
    return urls


def read(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def everything_public(client, assigned, indicator):
    pages = {}
    for url in public_urls(assigned, indicator):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = read(response)
    return pages


def test_it_shows_published_progress_only_and_takes_it_back_when_unpublished(
        approved, public_indicator, assigned, secretariat, client):
    riga, _tallinn = approved
    for url, text in everything_public(client, assigned, public_indicator).items():
        assert SECRET not in text and OTHER_SECRET not in text, url  # approved, not yet published

    services.report_publish(report=riga, user=secretariat)
    pages = everything_public(client, assigned, public_indicator)
    action_point = reverse("public:action_point", args=[assigned["1.3"].pk])
    assert SECRET in pages[action_point]
    assert SECRET in pages[reverse("public:feed")]
    assert SECRET in pages[opendata.DATASETS["progress"].csv_url]
    assert SECRET in json.dumps(json.loads(pages[opendata.DATASETS["progress"].json_url]), ensure_ascii=False)
    for url, text in pages.items():
        assert OTHER_SECRET not in text, url

    services.report_publish(report=riga, user=secretariat, published=False)
    for url, text in everything_public(client, assigned, public_indicator).items():
        assert SECRET not in text and OTHER_SECRET not in text, url


def test_it_never_shows_a_city_that_keeps_its_reports_internal(approved, public_indicator, assigned, secretariat,
                                                              cities, client):
    riga, _tallinn = approved
    services.report_publish(report=riga, user=secretariat)
    type(cities["riga"]).objects.filter(pk=cities["riga"].pk).update(reports_internal=True)
    for url, text in everything_public(client, assigned, public_indicator).items():
        assert SECRET not in text, url


def test_it_never_shows_drafts_or_submitted_reports(riga_report, public_indicator, assigned, client):
    riga_report.summary = SECRET
    riga_report.save()
    for state in (WorkflowState.DRAFT, WorkflowState.SUBMITTED, WorkflowState.RETURNED):
        set_state(riga_report, state)
        for url, text in everything_public(client, assigned, public_indicator).items():
            assert SECRET not in text, url


def test_it_answers_304_until_something_public_changes(approved, assigned, secretariat, client):
    url = reverse("public:action_point", args=[assigned["1.3"].pk])
    first = client.get(url)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    assert first.has_header("ETag") and first.has_header("Last-Modified")

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    services.report_publish(report=approved[0], user=secretariat)
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and SECRET in changed.content.decode()


def test_a_signed_in_person_gets_the_same_anonymous_page_without_cookies(assigned, alice, client_for):
    url = reverse("public:plan", args=[assigned["1.3"].focus_area.plan_id])
    response = client_for(alice).get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "private" not in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies  # no session refreshed, no csrf cookie
    assert "alice" not in response.content.decode().lower()
    assert response.content == Client().get(url).content


def test_the_pages_describe_themselves_and_state_the_licence(assigned, client):
    html = client.get(reverse("public:plan", args=[assigned["1.3"].focus_area.plan_id])).content.decode()
    assert "<title>" in html and 'name="description"' in html and 'property="og:title"' in html
    assert "CC BY 4.0" in html and opendata.LICENCE_URL in html


def test_progress_per_focus_area_counts_published_statuses(approved, assigned, secretariat, client):
    services.report_publish(report=approved[0], user=secretariat)
    plan = assigned["1.3"].focus_area.plan
    from transparency import selectors

    progress = {item.area.number: item for item in selectors.plan_get(plan.pk).progress}
    area = progress[assigned["1.3"].focus_area.number]
    assert area.reported == 1 and area.points == area.unreported + 1
    assert client.get(reverse("public:plan", args=[plan.pk])).status_code == 200


def test_a_draft_plan_is_not_public(plan, client):
    plan.status = "draft"
    plan.save()
    assert client.get(reverse("public:plan", args=[plan.pk])).status_code == 404


def test_public_pages_refuse_posts(assigned, client):
    assert client.post(reverse("public:home")).status_code == 405


def test_the_open_data_has_its_documented_columns(approved, public_indicator, assigned, secretariat, client):
    services.report_publish(report=approved[0], user=secretariat)
    for dataset in opendata.DATASETS.values():
        csv_text = read(client.get(dataset.csv_url))
        assert csv_text.splitlines()[0].lstrip("\ufeff") == ",".join(dataset.columns)
        body = json.loads(read(client.get(dataset.json_url)))
        assert body["licence"] == "CC BY 4.0" and body["columns"] == list(dataset.columns)
        assert all(list(record) == list(dataset.columns) for record in body["records"])
    values = json.loads(read(client.get(opendata.DATASETS["indicator-values"].json_url)))["records"]
    assert values == [{"indicator_id": public_indicator.pk, "indicator": "Start-ups", "unit": "per 100,000",
                       "higher_is_better": public_indicator.higher_is_better, "city": "Riga", "year": 2011,
                       "value": "12.5", "source": ""}]


def test_a_points_public_status_comes_from_published_reports_only(approved, assigned, secretariat):
    from transparency import selectors

    riga, _tallinn = approved
    type(riga).objects.filter(pk=riga.pk).update(delivery_status="delayed")
    point = assigned["1.3"]
    point.status = "completed"  # the coordinator's own word is the network's, not published
    point.save()
    assert selectors.public_statuses([point])[point.pk].status is None
    services.report_publish(report=riga, user=secretariat)
    assert selectors.public_statuses([point])[point.pk].status == "delayed"


def test_a_practice_is_on_the_public_point_page_once_the_secretariat_publishes_it(assigned, alice, secretariat, cities):
    from practices import services as practice_services

    point = assigned["1.3"]
    practice = practice_services.practice_create(user=alice, city=cities["riga"], data={
        "title": "Rīga start-up map", "description": "A map of every incubator."}, action_points=[point])
    url = reverse("public:action_point", args=[point.pk])
    client = Client()
    before = client.get(url)
    assert "Rīga start-up map" not in before.content.decode()

    practice_services.practice_publish(practice=practice, user=secretariat)

    again = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert again.status_code == 200 and "Rīga start-up map" in again.content.decode()


def test_a_public_indicator_shows_each_citys_way_to_its_target_and_a_new_target_moves_the_etag(
        public_indicator, secretariat, client):
    from decimal import Decimal

    from indicators.services import city_target_set, network_target_set

    url = reverse("public:indicator", args=[public_indicator.pk])
    before = client.get(url)
    assert "From baseline to target" not in before.content.decode()

    city_target_set(user=secretariat, indicator=public_indicator, city=public_indicator.values.get().city, version=0,
                    baseline_year=2010, baseline_value=Decimal(10))
    network_target_set(user=secretariat, indicator=public_indicator, version=0, target_year=2012,
                       target_value=Decimal(20))

    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    page = after.content.decode()
    assert after.status_code == 200
    assert "Network-wide target: 20 per 100,000 by 2012" in page
    assert "at or above the line for that year" in page
    assert "Off course" in page  # 12.5 in 2011, the line is at 15
