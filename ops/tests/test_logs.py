"""Structured logs: one JSON object a line, each with the request id — carried into the tasks it queues."""

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from ops import requestid
from ops.logs import JsonFormatter


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(requestid.RequestIdFilter())
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def collect():
    def on(name):
        handler = Collect()
        logging.getLogger(name).addHandler(handler)
        handlers.append((name, handler))
        return handler

    handlers = []
    yield on
    for name, handler in handlers:
        logging.getLogger(name).removeHandler(handler)


def test_a_line_is_one_json_object_with_the_request_id():
    record = logging.LogRecord("baltmet.example", logging.WARNING, __file__, 1, "Report %s refused", (7,), None)
    token = requestid.current.set("abc123")
    try:
        requestid.RequestIdFilter().filter(record)
    finally:
        requestid.current.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Report 7 refused"
    assert (line["level"], line["logger"], line["request_id"]) == ("WARNING", "baltmet.example", "abc123")
    assert "time" in line


def test_each_response_names_its_request_id_taking_the_proxys_if_it_is_sane(db):
    made = Client().get(reverse("login"))["X-Request-ID"]
    assert len(made) == 32 and int(made, 16) >= 0
    assert Client().get(reverse("login"), HTTP_X_REQUEST_ID="nginx-5f3a")["X-Request-ID"] == "nginx-5f3a"
    forged = Client().get(reverse("login"), HTTP_X_REQUEST_ID='x" injected\nline')["X-Request-ID"]
    assert len(forged) == 32 and "injected" not in forged


def test_a_requests_log_lines_carry_its_id(db, alice, client_for, collect):
    lines = collect("django.request")
    client_for(alice).get(reverse("dashboard:home"), HTTP_X_REQUEST_ID="req-403")
    assert [r.request_id for r in lines.records if "Forbidden" in r.getMessage()] == ["req-403"]


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_by_a_request_logs_with_that_requests_id(celery_worker, smtp_server, alice, secretariat,
                                                               assigned, periods, cities, client_for, collect):
    from notifications.models import OutboxMessage
    from reports.models import ProgressReport
    from testing.services import wait_for

    lines = collect("notifications.services")
    smtp_server.refuse = {secretariat.email.lower()}  # so that the worker's task has something to log
    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=periods["2011 H1"])
    response = client_for(alice).post(reverse("reports:report", args=[report.pk]), {
        "delivery_status": "on_track", "summary": "Submitted.", "next_steps": "", "version": report.version,
        "action": "submit"}, HTTP_X_REQUEST_ID="submit-42")
    assert response.status_code == 302
    wait_for(lambda: OutboxMessage.objects.filter(status="failed").exists(), timeout=30, message="the refused email")
    failed = [r for r in lines.records if "failed for good" in r.getMessage()]
    assert [r.request_id for r in failed] == ["submit-42"]
    assert requestid.current.get() == ""  # nothing leaks into this thread
