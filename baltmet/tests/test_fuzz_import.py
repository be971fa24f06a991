"""Arbitrary input to the plan importer: a plan or a message, never a traceback, never half a plan."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import ActionPlan, ActionPoint, FocusArea
from actions.plan_text import PlanFormatError, decode_plan, parse_plan

LINES = st.one_of(
    st.text(max_size=60),
    st.builds(lambda n, t: f"{n}. {t}", st.integers(-2, 12), st.text(max_size=30)),
    st.builds(lambda a, b, t: f"- {a}.{b}. {t}", st.integers(-1, 12), st.integers(-1, 12), st.text(max_size=30)),
    st.sampled_from(["", "Action Plan 2011 – 2012", "**1. Innovation**", "# 2. Cohesion", "1.1. Text", "\x00", "\ufeff"]),
)
PLANS = st.lists(LINES, max_size=25).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(PLANS)
def test_parsing_any_text_gives_a_plan_or_a_line_numbered_message(text):
    try:
        plan = parse_plan(text)
    except PlanFormatError as error:
        assert error.message
        assert error.line is None or 1 <= error.line <= max(1, len(text.splitlines()))
    else:
        numbers = [(p.focus_area, p.sequence) for area in plan.areas for p in area.points]
        assert len(numbers) == len(set(numbers))
        assert plan.first_year <= plan.last_year


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_decoding_any_bytes_gives_text_or_a_message(data):
    try:
        decode_plan(data)
    except PlanFormatError as error:
        assert "not UTF-8" in error.message and error.line >= 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(PLANS.map(lambda t: t.encode("utf-8")), st.binary(max_size=200)))
def test_the_command_imports_whole_plans_or_nothing(db, tmp_path_factory, data):
    from django.core.management import CommandError, call_command

    path = tmp_path_factory.mktemp("plans") / "plan.txt"
    path.write_bytes(data)
    before = (ActionPlan.objects.count(), FocusArea.objects.count(), ActionPoint.objects.count())
    try:
        call_command("import_plan", str(path), stdout=open("/dev/null", "w"))
    except CommandError as error:
        assert "nothing was imported" in str(error)
        assert (ActionPlan.objects.count(), FocusArea.objects.count(), ActionPoint.objects.count()) == before
