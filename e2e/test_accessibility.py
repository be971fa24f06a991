"""Each main page has no WCAG 2.1 A/AA violation that axe-core can find."""

from reports.models import ProgressReport

from .conftest import log_in


def assert_accessible(page, axe_violations, path):
    page.goto(path)
    violations = axe_violations(page)
    assert violations == [], f"{path}: {violations}"


def test_the_login_page(audit_page, axe_violations):
    assert_accessible(audit_page, axe_violations, "/accounts/login/")


def test_the_delegates_pages(audit_page, axe_violations, assigned, periods, cities, alice):
    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"],
                                           period=periods["2011 H2"], summary="Draft")
    log_in(audit_page, "alice")
    for path in ["/cities/riga/", f"/reports/{report.pk}/", f"/reports/new/{assigned['2.1'].pk}/{periods['2011 H2'].pk}/",
                 assigned["1.3"].get_absolute_url(), f"/reports/{report.pk}/history/", "/plans/"]:
        assert_accessible(audit_page, axe_violations, path)


def test_the_secretariats_pages(audit_page, axe_violations, assigned, periods, cities, alice, mayor, secretariat):
    from reports import services

    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"],
                                           period=periods["2011 H2"], summary="Submitted")
    services.report_submit(report=report, version=report.version, user=alice)
    log_in(audit_page, "sara")
    for path in ["/secretariat/", "/secretariat/queue/", f"/secretariat/reports/{report.pk}/", "/secretariat/reports/",
                 "/digests/preview/", f"/digests/preview/{mayor.pk}/", "/digests/", "/secretariat/people/",
                 "/initiatives/", "/indicators/"]:
        assert_accessible(audit_page, axe_violations, path)


def test_the_public_pages(audit_page, axe_violations, assigned, periods, cities, alice, secretariat):
    """Issue 17: what anybody reads without signing in, with published progress and a public indicator."""
    from indicators.models import Indicator, IndicatorValue
    from reports import services
    from reports.models import WorkflowState
    from reports.tests.conftest import set_state

    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"],
                                           period=periods["2011 H1"], summary="Seven incubators opened.",
                                           delivery_status="on_track")
    set_state(report, WorkflowState.APPROVED)
    services.report_publish(report=report, user=secretariat)
    indicator = Indicator.objects.create(name="Start-ups", unit="per 100,000", first_year=2011, last_year=2012,
                                         is_public=True)
    indicator.action_points.add(assigned["1.3"])
    for city, value in (("riga", "12.5"), ("tallinn", "9.0")):
        IndicatorValue.objects.create(indicator=indicator, city=cities[city], year=2011, value=value)
    plan_id = assigned["1.3"].focus_area.plan_id
    for path in ["/public/", f"/public/plans/{plan_id}/", f"/public/action-points/{assigned['1.3'].pk}/",
                 "/public/indicators/", f"/public/indicators/{indicator.pk}/", "/public/data/"]:
        assert_accessible(audit_page, axe_violations, path)
