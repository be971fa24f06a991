"""The API tested against its own OpenAPI schema (schemathesis): every operation, with data generated
from the schema (valid and invalid), on a seeded plan with a delegate's and the Secretariat's tokens.
Every answer must be no server error, a status the schema lists, JSON, and match its documented body.

A few hundred requests in all (EXAMPLES per operation), in-process through the WSGI application: the
whole stack of middleware, DRF and the reports services answers each one."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import secret_for

EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SECRETARIAT_STEPS = ("/approve/", "/return/")


@pytest.fixture
def api_schema(db, settings, assigned, periods, riga_report, alice, secretariat):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from baltmet.wsgi import application

    # The throttles are tested on their own (test_api.py); here every request should reach its view.
    settings.API_THROTTLE_RATES = {"token": "100000/min", "anonymous": "100000/min"}
    # As Django's test client does: the requests run inside the test's transaction, whose connection
    # must not be closed at the end of each request (it would be on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(api_schema, alice, secretariat):
    return {"delegate": secret_for(alice), "secretariat": secret_for(secretariat)}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_every_operation_keeps_to_the_schema(case, tokens):
    who = "secretariat" if case.path.endswith(SECRETARIAT_STEPS) else "delegate"
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[who]}"}, checks=CHECKS)
