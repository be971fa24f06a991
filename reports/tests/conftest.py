import pytest

from reports.models import ProgressReport, WorkflowState


@pytest.fixture
def period(periods):
    return periods["2011 H1"]


@pytest.fixture
def tallinn_report(assigned, period, cities):
    return ProgressReport.objects.create(
        action_point=assigned["2.1"], city=cities["tallinn"], period=period, summary="Tallinn's draft.",
    )


def form_data(report=None, **overrides):
    data = {
        "delivery_status": "on_track",
        "summary": "Indicators agreed.",
        "next_steps": "Collect data.",
        "version": report.version if report else 1,
        "action": "save",
    }
    data.update(overrides)
    return data


def set_state(report, state, **fields):
    ProgressReport.objects.filter(pk=report.pk).update(
        state=state, submitted_at="2011-07-01T10:00Z", reviewed_at="2011-07-02T10:00Z",
        review_comment="Please add figures." if state == WorkflowState.RETURNED else "", **fields,
    )
    report.refresh_from_db()
    return report
