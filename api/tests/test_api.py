"""The API as each role uses it: a delegate's reports, the Secretariat's review, the public part, tokens,
errors and throttles. Requests go through the whole stack (middleware, DRF, the reports services)."""

import pytest
from django.urls import reverse

from actions.models import ActionPlan
from api.models import ApiToken
from cities.tests.factories import UserFactory
from reports import services as report_services
from reports.models import ProgressReport, WorkflowState

from .conftest import ApiClient, secret_for

REPORTS = "/api/v1/reports/"


def report_url(report, step=""):
    return f"{REPORTS}{report.pk}/" + (f"{step}/" if step else "")


def submitted(report, user):
    return report_services.report_submit(report=report, version=report.version, user=user,
                                         data={"summary": "Done in Riga."})


def assert_error(response, status, type_):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"type", "detail", "errors"}
    assert body["type"] == type_
    assert body["detail"]
    return body


# A delegate of the city ------------------------------------------------------------------------------------


def test_it_shows_a_delegate_their_citys_reports(api_for, alice, riga_report):
    response = api_for(alice).get(REPORTS)
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [riga_report.pk]
    row = body["results"][0]
    assert row["city"] == "riga" and row["state"] == "draft" and row["version"] == 1
    assert row["steps"] == ["save", "submit"]


def test_it_lets_a_delegate_start_save_and_submit_a_report(api_for, alice, assigned, periods):
    api = api_for(alice)
    created = api.post(REPORTS, {"action_point": assigned["2.1"].pk, "period": periods["2011 H1"].pk,
                                 "summary": "Started by our tool.", "delivery_status": "on_track"})
    assert created.status_code == 201, created.content
    report = created.json()
    assert (report["state"], report["version"], report["city"], report["action_point_number"]) == \
        ("draft", 1, "riga", "2.1")

    saved = api.patch(f"{REPORTS}{report['id']}/", {"version": 1, "summary": "Saved again."})
    assert saved.status_code == 200, saved.content
    assert (saved.json()["summary"], saved.json()["version"]) == ("Saved again.", 2)

    sent = api.post(f"{REPORTS}{report['id']}/submit/", {"version": 2})
    assert sent.status_code == 200, sent.content
    assert sent.json()["state"] == "submitted" and sent.json()["steps"] == []
    stored = ProgressReport.objects.get(pk=report["id"])
    assert (stored.state, stored.summary, stored.submitted_by) == (WorkflowState.SUBMITTED, "Saved again.", alice)
    assert [row.history_change_reason for row in stored.history.order_by("history_id")] == \
        ["Draft started", "Draft saved", "Submitted for review"]

    again = api.patch(f"{REPORTS}{report['id']}/", {"version": 3, "summary": "Too late."})
    assert_error(again, 409, "invalid_state")
    assert ProgressReport.objects.get(pk=report["id"]).summary == "Saved again."


def test_it_answers_a_second_start_of_the_same_report_with_the_one_that_exists(api_for, alice, riga_report):
    response = api_for(alice).post(REPORTS, {"action_point": riga_report.action_point_id,
                                             "period": riga_report.period_id, "summary": "Mine."})
    body = assert_error(response, 409, "conflict")
    assert body["current"]["id"] == riga_report.pk and body["current_version"] == 1


def test_it_refuses_a_submit_without_a_summary(api_for, alice, riga_report):
    riga_report.summary = ""
    riga_report.save()
    response = api_for(alice).post(report_url(riga_report, "submit"), {"version": 1})
    assert_error(response, 409, "invalid_state")
    assert ProgressReport.objects.get(pk=riga_report.pk).state == WorkflowState.DRAFT


def test_it_shows_a_delegate_their_citys_points(api_for, alice, assigned):
    response = api_for(alice).get("/api/v1/action-points/", {"mine": "true"})
    assert response.status_code == 200
    assert sorted(row["number"] for row in response.json()["results"]) == ["1.3", "2.1"]


def test_it_lists_the_periods_of_a_plan(api_for, alice, periods, plan):
    response = api_for(alice).get("/api/v1/periods/", {"plan": plan.pk})
    assert [row["label"] for row in response.json()["results"]] == ["2011 H1", "2011 H2"]


def test_it_tells_who_the_token_speaks_for(api_for, alice):
    body = api_for(alice).get("/api/v1/me/").json()
    assert (body["username"], body["delegate_of"], body["is_secretariat"]) == ("alice", "riga", False)


# Two saves of the same version ------------------------------------------------------------------------------


def test_two_updates_with_the_same_version_one_wins_and_the_other_gets_409_with_the_saved_version(
        api_for, alice, riga_report):
    tool, colleague = api_for(alice), api_for(alice)
    first = tool.patch(report_url(riga_report), {"version": 1, "summary": "From our tool."})
    second = colleague.patch(report_url(riga_report), {"version": 1, "summary": "From a colleague."})
    assert first.status_code == 200
    body = assert_error(second, 409, "conflict")
    assert body["current_version"] == 2
    assert body["current"]["summary"] == "From our tool." and body["current"]["version"] == 2
    assert ProgressReport.objects.get(pk=riga_report.pk).summary == "From our tool."
    assert riga_report.history.count() == 2  # created, and the one save that won


# Other roles -------------------------------------------------------------------------------------------------


def test_a_delegate_of_another_city_neither_sees_nor_changes_the_draft(api_for, bob, riga_report):
    api = api_for(bob)
    assert api.get(REPORTS).json()["results"] == []
    assert_error(api.get(report_url(riga_report)), 404, "not_found")
    assert_error(api.patch(report_url(riga_report), {"version": 1, "summary": "Not mine."}), 404, "not_found")
    assert ProgressReport.objects.get(pk=riga_report.pk).summary == "First draft."


def test_a_delegate_of_another_city_may_not_change_an_approved_report_it_sees(
        api_for, bob, alice, secretariat, riga_report):
    report_services.report_approve(report=submitted(riga_report, alice), reviewer=secretariat)
    api = api_for(bob)
    assert api.get(report_url(riga_report)).status_code == 200
    assert_error(api.post(report_url(riga_report, "submit"), {"version": 3}), 403, "permission_denied")


def test_a_delegate_may_not_start_a_report_on_a_point_their_city_is_not_in(api_for, bob, assigned, periods):
    response = api_for(bob).post(REPORTS, {"action_point": assigned["1.1"].pk, "period": periods["2011 H1"].pk})
    assert_error(response, 403, "permission_denied")
    assert not ProgressReport.objects.exists()


def test_a_delegate_may_not_approve_their_own_report(api_for, alice, riga_report):
    submitted(riga_report, alice)
    assert_error(api_for(alice).post(report_url(riga_report, "approve"), {}), 403, "permission_denied")
    assert ProgressReport.objects.get(pk=riga_report.pk).state == WorkflowState.SUBMITTED


@pytest.mark.parametrize("person", ["mayor", "observer"])
def test_mayors_and_observers_read_their_citys_reports_but_do_not_write(request, api_for, person, riga_report,
                                                                          assigned, periods):
    api = api_for(request.getfixturevalue(person))
    assert api.get(report_url(riga_report)).json()["steps"] == []
    assert_error(api.patch(report_url(riga_report), {"version": 1, "summary": "x"}), 403, "permission_denied")
    assert_error(api.post(REPORTS, {"action_point": assigned["1.3"].pk, "period": periods["2011 H2"].pk}),
                 403, "permission_denied")


def test_the_chair_reads_every_report_but_does_not_review(api_for, chair, alice, riga_report):
    submitted(riga_report, alice)
    api = api_for(chair)
    assert [row["id"] for row in api.get(REPORTS).json()["results"]] == [riga_report.pk]
    assert_error(api.post(report_url(riga_report, "approve"), {}), 403, "permission_denied")
    assert_error(api.post(report_url(riga_report, "return"), {"comment": "No."}), 403, "permission_denied")
    assert ProgressReport.objects.get(pk=riga_report.pk).state == WorkflowState.SUBMITTED


def test_an_account_without_a_role_is_refused(api_for, db):
    assert_error(api_for(UserFactory(username="nobody")).get(REPORTS), 403, "permission_denied")


def test_anonymous_callers_are_asked_for_a_token(api_for, db):
    response = api_for(None).get(REPORTS)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


# The Secretariat -------------------------------------------------------------------------------------------


def test_the_secretariat_filters_and_approves(api_for, secretariat, alice, riga_report, assigned, periods, cities):
    other = ProgressReport.objects.create(action_point=assigned["2.1"], city=cities["riga"], period=periods["2011 H1"],
                                          summary="Still a draft.")
    submitted(riga_report, alice)
    api = api_for(secretariat)
    listed = api.get(REPORTS, {"state": "submitted", "city": "riga", "period": periods["2011 H1"].pk,
                               "plan": riga_report.period.plan_id})
    assert [row["id"] for row in listed.json()["results"]] == [riga_report.pk]
    assert listed.json()["results"][0]["steps"] == ["approve", "return"]
    assert {row["id"] for row in api.get(REPORTS, {"state": "draft"}).json()["results"]} == {other.pk}

    approved = api.post(report_url(riga_report, "approve"), {"comment": "Well done."})
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    stored = ProgressReport.objects.get(pk=riga_report.pk)
    assert (stored.state, stored.reviewed_by, stored.review_comment) == (WorkflowState.APPROVED, secretariat,
                                                                         "Well done.")
    assert_error(api.post(report_url(riga_report, "approve"), {}), 409, "invalid_state")
    assert_error(api.post(report_url(other, "approve"), {}), 409, "invalid_state")


def test_the_secretariat_returns_with_a_comment(api_for, secretariat, alice, riga_report):
    submitted(riga_report, alice)
    api = api_for(secretariat)
    body = assert_error(api.post(report_url(riga_report, "return"), {"comment": ""}), 400, "validation")
    assert "comment" in body["errors"]
    returned = api.post(report_url(riga_report, "return"), {"comment": "Add the figures."})
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    assert returned.json()["review_comment"] == "Add the figures."
    # the delegate sees it returned and may resubmit
    assert api_for(alice).get(report_url(riga_report)).json()["steps"] == ["save", "submit"]


# Tokens ------------------------------------------------------------------------------------------------------


def test_a_revoked_token_no_longer_opens_the_api(alice, riga_report):
    secret = secret_for(alice)
    api = ApiClient(secret)
    assert api.get(REPORTS).status_code == 200
    report_services_token = ApiToken.objects.get(user=alice)
    from api.services import token_revoke

    assert token_revoke(token=report_services_token, user=alice)
    assert_error(api.get(REPORTS), 401, "not_authenticated")
    assert_error(ApiClient("bm_not-a-token").get(REPORTS), 401, "not_authenticated")
    assert_error(ApiClient(secret).get(REPORTS, headers={"Authorization": f"Token {secret}"}), 401,
                 "not_authenticated")


def test_the_token_keyword_works_too(alice, riga_report):
    secret = secret_for(alice)
    response = ApiClient().get(REPORTS, headers={"Authorization": f"Token {secret}"})
    assert response.status_code == 200


def test_a_deactivated_persons_token_is_refused(alice, riga_report):
    api = ApiClient(secret_for(alice))
    alice.is_active = False
    alice.save()
    assert_error(api.get(REPORTS), 401, "not_authenticated")


def test_the_token_page_shows_the_secret_once_and_stores_only_its_hash(client_for, alice, riga_report):
    page = client_for(alice)
    response = page.post(reverse("api_tokens"), {"name": "Riga's reporting tool"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("bm_") and secret in response.content.decode()
    token = ApiToken.objects.get(user=alice)
    assert token.name == "Riga's reporting tool" and secret[:10] == token.prefix
    assert secret not in {token.key_hash, token.prefix} and len(token.key_hash) == 64
    assert token.history.count() == 1

    again = page.get(reverse("api_tokens")).content.decode()
    assert secret not in again and f"{token.prefix}…" in again and "never" in again

    assert ApiClient(secret).get(REPORTS).status_code == 200
    token.refresh_from_db()
    assert token.last_used is not None

    page.post(reverse("api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None and token.history.count() == 2
    assert ApiClient(secret).get(REPORTS).status_code == 401


def test_the_token_page_asks_for_a_name(client_for, alice):
    response = client_for(alice).post(reverse("api_tokens"), {"name": ""})
    assert response.status_code == 200 and response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_nobody_revokes_another_persons_token(client_for, alice, bob):
    secret_for(alice)
    token = ApiToken.objects.get(user=alice)
    assert client_for(bob).post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_secretariat_token_needs_a_session_that_passed_the_second_factor(secretariat):
    from django.test import Client

    password_only = Client()
    password_only.force_login(secretariat)  # a session that has not passed the second factor
    response = password_only.post(reverse("api_tokens"), {"name": "Dashboard"})
    assert response.status_code == 302 and "/accounts/two-factor/" in response["Location"]
    assert not ApiToken.objects.exists()

    from django.core.exceptions import PermissionDenied

    from api.services import token_create

    with pytest.raises(PermissionDenied):
        token_create(user=secretariat, name="Dashboard", second_factor_passed=False)


def test_the_secretariat_makes_a_token_from_a_session_that_passed_the_second_factor(client_for, secretariat):
    response = client_for(secretariat).post(reverse("api_tokens"), {"name": "Dashboard"})
    assert response.status_code == 200 and response.context["secret"]
    assert ApiClient(response.context["secret"]).get("/api/v1/me/").json()["is_secretariat"] is True


def test_a_session_may_use_the_api_but_must_send_the_csrf_token(alice, riga_report):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.get(REPORTS).status_code == 200
    refused = browser.patch(report_url(riga_report), data='{"version": 1, "summary": "x"}',
                            content_type="application/json")
    assert_error(refused, 403, "permission_denied")
    assert ProgressReport.objects.get(pk=riga_report.pk).version == 1


# Errors and throttles --------------------------------------------------------------------------------------


def test_every_error_has_the_same_shape(api_for, alice, riga_report):
    api = api_for(alice)
    assert_error(api.get(REPORTS, {"state": "lost"}), 400, "validation")
    assert_error(api.get(REPORTS, {"period": "x"}), 400, "validation")
    bad = api.client.patch(report_url(riga_report), data="{not json", content_type="application/json",
                           headers=api.headers)
    assert_error(bad, 400, "validation")
    assert_error(api.patch(report_url(riga_report), {"summary": "no version"}), 400, "validation")
    assert_error(api.delete(report_url(riga_report)), 405, "method_not_allowed")
    assert_error(api.get(f"{REPORTS}99999999/"), 404, "not_found")
    assert_error(api.get("/api/v1/nothing-here/"), 404, "not_found")
    assert_error(api.get(REPORTS, {"page": 9}), 404, "not_found")
    wrong_type = api.client.patch(report_url(riga_report), data="version=1", content_type="text/plain",
                                  headers=api.headers)
    assert_error(wrong_type, 415, "unsupported_media_type")
    assert_error(api.post(REPORTS, {"action_point": 10**30, "period": "x"}), 400, "validation")
    assert ProgressReport.objects.get(pk=riga_report.pk).version == 1


def test_pages_are_limited_in_size(api_for, alice, assigned):
    response = api_for(alice).get("/api/v1/action-points/", {"page_size": 1000})
    body = response.json()
    assert body["count"] == len(assigned) and len(body["results"]) == min(100, len(assigned))
    two = api_for(alice).get("/api/v1/action-points/", {"page_size": 2, "page": 2}).json()
    assert len(two["results"]) == 2 and two["previous"]


def test_a_token_that_asks_too_often_is_throttled(settings, alice, bob, riga_report):
    settings.API_THROTTLE_RATES = {"token": "3/min", "anonymous": "2/min"}
    api = ApiClient(secret_for(alice))
    assert [api.get(REPORTS).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(REPORTS)
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    # another token of the same person is counted on its own, and so is another person
    assert ApiClient(secret_for(alice, "Second tool")).get(REPORTS).status_code == 200
    assert ApiClient(secret_for(bob)).get(REPORTS).status_code == 200


def test_anonymous_callers_are_throttled_by_address(settings, plan):
    settings.API_THROTTLE_RATES = {"token": "3/min", "anonymous": "2/min"}
    api = ApiClient()
    assert [api.get("/api/v1/public/plans/").status_code for _ in range(2)] == [200, 200]
    assert_error(api.get("/api/v1/public/plans/"), 429, "throttled")
    assert api.get("/api/v1/public/plans/", REMOTE_ADDR="10.0.0.9").status_code == 200


# The public part ---------------------------------------------------------------------------------------------


def test_nothing_unpublished_is_public(api_for, alice, secretariat, riga_report, cities):
    anonymous = api_for(None)

    def progress():
        return [row["id"] for row in anonymous.get("/api/v1/public/progress/").json()["results"]]

    def point_progress():
        return [row["id"] for row in anonymous.get(
            f"/api/v1/public/action-points/{riga_report.action_point_id}/").json()["progress"]]

    assert progress() == [] and point_progress() == []
    report_services.report_approve(report=submitted(riga_report, alice), reviewer=secretariat)
    assert progress() == [] and point_progress() == []  # approved, not yet published

    report_services.report_publish(report=riga_report, user=secretariat)
    assert progress() == [riga_report.pk] and point_progress() == [riga_report.pk]
    row = anonymous.get("/api/v1/public/progress/", {"city": "riga"}).json()["results"][0]
    assert row["summary"] == "Done in Riga." and "review_comment" not in row and row["city"]["slug"] == "riga"
    points = anonymous.get("/api/v1/public/action-points/", {"city": "riga"}).json()["results"]
    assert {p["number"]: p["published_status"] for p in points}["1.3"] == "not_started"

    report_services.report_publish(report=riga_report, user=secretariat, published=False)
    assert progress() == [] and point_progress() == []

    report_services.report_publish(report=riga_report, user=secretariat)
    cities["riga"].reports_internal = True
    cities["riga"].save()
    assert progress() == [] and point_progress() == []


def test_public_reads_are_the_same_for_everybody_and_cacheable(alice, riga_report, plan):
    anonymous = ApiClient().get(f"/api/v1/public/plans/{plan.pk}/")
    with_token = ApiClient(secret_for(alice)).get(f"/api/v1/public/plans/{plan.pk}/")
    assert anonymous.status_code == with_token.status_code == 200
    assert anonymous.json() == with_token.json()
    assert "public" in anonymous["Cache-Control"] and "max-age=" in anonymous["Cache-Control"]
    body = anonymous.json()
    assert body["title"] == plan.title and body["focus_areas"][0]["action_points"][0]["number"]


def test_draft_plans_are_not_public(db, plan):
    draft = ActionPlan.objects.create(title="Next plan", first_year=2013, last_year=2014)
    api = ApiClient()
    assert [row["id"] for row in api.get("/api/v1/public/plans/").json()["results"]] == [plan.pk]
    assert_error(api.get(f"/api/v1/public/plans/{draft.pk}/"), 404, "not_found")


def test_public_indicators_and_their_values(db, cities, secretariat):
    from decimal import Decimal

    from indicators.models import Indicator, IndicatorValue

    public = Indicator.objects.create(name="Start-ups", unit="per 100,000", first_year=2011, last_year=2012,
                                      is_public=True)
    private = Indicator.objects.create(name="Internal", unit="%", first_year=2011, last_year=2012)
    for indicator in (public, private):
        IndicatorValue.objects.create(indicator=indicator, city=cities["riga"], year=2011, value=Decimal("3.5"),
                                      source="Riga statistics")
    api = ApiClient()
    assert [row["name"] for row in api.get("/api/v1/public/indicators/").json()["results"]] == ["Start-ups"]
    assert_error(api.get(f"/api/v1/public/indicators/{private.pk}/"), 404, "not_found")
    values = api.get("/api/v1/public/indicator-values/", {"city": "riga"}).json()["results"]
    assert [(row["indicator_name"], row["value"]) for row in values] == [("Start-ups", "3.5000")]


def test_the_schema_and_docs_are_served_without_a_cdn(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200 and "/api/v1/reports/{report_id}/submit/" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
