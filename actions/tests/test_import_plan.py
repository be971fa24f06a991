from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from actions.models import ActionPlan, ActionPoint, FocusArea
from testing.fixtures import SEED

SHARED_SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "baltmet-action-plan-2011-2012.txt"


def run_import(path) -> str:
    out = StringIO()
    call_command("import_plan", str(path), stdout=out)
    return out.getvalue()


def history_rows():
    return (
        ActionPlan.history.count() + FocusArea.history.count() + ActionPoint.history.count()
    )


@pytest.fixture
def write(tmp_path):
    def write(content, name="plan.txt"):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


def test_it_ships_the_seed_as_written():
    if SHARED_SEED.exists():
        assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_it_imports_the_seed_plan(db):
    output = run_import(SEED)

    plan = ActionPlan.objects.get()
    assert "4 focus areas, 14 action points" in output
    assert plan.title == "Baltic Metropolises Network ACTION PLAN 2011 – 2012"
    assert (plan.first_year, plan.last_year) == (2011, 2012)
    assert plan.status == ActionPlan.Status.DRAFT
    assert [(a.number, a.title) for a in plan.focus_areas.order_by("number")] == [
        (1, "Innovation as a source of prosperity"),
        (2, "Competitiveness and cohesion"),
        (3, "Accessibility and logistics"),
        (4, "Sustainable development in a healthy/sane environment"),
    ]
    points = list(ActionPoint.objects.filter(focus_area__plan=plan).in_order().select_related("focus_area"))
    assert [p.number for p in points] == [
        "1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "4.1", "4.2", "4.3",
    ]
    assert points[2].text.startswith("BaltMet will undertake activities in order to foster")
    assert points[2].text.endswith("should be used when benchmarking and for measuring progress.")
    assert points[-1].text == (
        "BaltMet will promote cooperation in the sustainable planning of city infrastructure, "
        "incorporating environmental concerns."
    )
    assert all(p.coordinating_city_id is None for p in points)
    area1 = plan.focus_areas.get(number=1)
    assert area1.description.startswith("The BaltMet cities will continue to build on promoting")
    assert "Each individual project or initiative shall be approved by the cities involved" in plan.introduction
    assert "**" not in plan.introduction


def test_it_changes_nothing_when_run_twice(db):
    run_import(SEED)
    rows_before = history_rows()

    output = run_import(SEED)

    assert "already up to date" in output
    assert history_rows() == rows_before
    assert ActionPoint.objects.count() == 14


def test_it_updates_changed_text_and_keeps_the_assignment(db, write, cities):
    run_import(SEED)
    point = ActionPoint.objects.get(focus_area__number=2, sequence=4)
    point.coordinating_city = cities["vilnius"]
    point.save()
    edited = SEED.read_text(encoding="utf-8").replace(
        "jointly improve information/communication services.", "jointly improve communication services."
    )

    output = run_import(write(edited))

    point.refresh_from_db()
    assert "updated action point 2.4 (text)" in output
    assert point.text.endswith("jointly improve communication services.")
    assert point.coordinating_city == cities["vilnius"]
    assert point.history.first().history_change_reason == "Updated from plan text"


def test_it_sorts_ten_after_nine(db, write):
    lines = ["Action Plan 2014 – 2016", "", "1. Innovation", ""] + [f"- 1.{n}. Point {n}." for n in range(1, 12)]
    run_import(write("\n".join(lines)))

    numbers = [p.number for p in ActionPoint.objects.in_order().select_related("focus_area")]
    assert numbers[8:] == ["1.9", "1.10", "1.11"]


def test_it_reads_bullets_and_stray_emphasis(db, write):
    run_import(write("# **Action Plan 2014–2016**\n\n## 1. **Innovation**\nIntro text.\n\n* 1.1. *Do* things\n  that wrap.\n"))

    point = ActionPoint.objects.select_related("focus_area").get()
    assert point.focus_area.title == "Innovation"
    assert point.focus_area.description == "Intro text."
    assert point.text == "Do things that wrap."
    assert ActionPlan.objects.get().title == "Action Plan 2014–2016"


@pytest.mark.parametrize(
    "content, message",
    [
        ("Plan 2011 – 2012\n\n1. Innovation\n1.1. One.\n2.1. Orphan.\n", "line 5: action point 2.1 has no focus area 2 above it"),
        ("Plan 2011 – 2012\n\n1. Innovation\n1.1. One.\n1.1. Again.\n", "line 5: action point 1.1 appears twice (first on line 4)"),
        ("Plan 2011 – 2012\n\n1. Innovation\n1.1. One.\n1. Innovation\n1.2. Two.\n", "line 5: focus area 1 appears twice (first on line 3)"),
        ("Plan 2011 – 2012\n\n1. Innovation\n2. Cohesion\n1.1. Misplaced.\n", "line 5: action point 1.1 stands under focus area 2"),
        ("", "the file is empty"),
        ("   \n\n", "the file is empty"),
        ("Plan 2011 – 2012\nNo areas at all.\n", "no focus areas found"),
        ("A plan without years\n\n1. Innovation\n1.1. One.\n", "line 1: the title must name the plan's years"),
        ("Plan 2011 - 2012\n\n1. Innovation\n1.1. Caf\xe9\n".encode("latin-1"), "line 4: the file is not UTF-8"),
    ],
)
def test_it_refuses_malformed_input_naming_the_line_and_writing_nothing(db, write, content, message):
    with pytest.raises(CommandError) as refused:
        run_import(write(content))

    assert message in str(refused.value)
    assert "nothing was imported" in str(refused.value)
    assert ActionPlan.objects.count() == FocusArea.objects.count() == ActionPoint.objects.count() == 0


def test_it_says_when_the_file_is_missing(db, tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        run_import(tmp_path / "missing.txt")
