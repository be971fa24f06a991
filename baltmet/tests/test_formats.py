"""Dates and numbers as each language writes them, the same way everywhere: templates name a format of the
language (DATE_FORMAT, DATETIME_FORMAT, …) instead of spelling one out; machine files (CSV, JSON, the API)
keep ISO dates."""

import re
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from baltmet.templatetags.periods import period_label

ROOT = Path(settings.BASE_DIR)
# Formats that mean the same in every language: a year alone.
LANGUAGE_FREE = {"Y"}


def test_templates_name_the_languages_formats():
    spelled_out = []
    for path in (ROOT / "templates").rglob("*.*"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for fmt in re.findall(r'\|date:"([^"]*)"', line):
                if not fmt.endswith("_FORMAT") and fmt not in LANGUAGE_FREE:
                    spelled_out.append(f"{path.relative_to(ROOT)}:{number}: {fmt}")
    assert not spelled_out, spelled_out


def test_the_code_writes_no_date_by_hand():
    found = subprocess.run(["git", "grep", "-n", "strftime(", "--", "*.py", ":!*/tests/*", ":!bench/*",
                            ":!testing/*"], cwd=ROOT, capture_output=True, text=True, check=False).stdout  # 1: none found
    assert found == "", found


@pytest.mark.parametrize(("language", "day", "number"), [
    ("en", "31 Jul 2011", "1234.5"),
    ("de", "31. Juli 2011", "1234,5"),
    ("lv", "2011. gada 31. jūlijs", "1234,5"),
    ("ru", "31 июля 2011 г.", "1234,5"),
])
def test_dates_and_numbers_are_the_readers(language, day, number):
    template = Template('{{ day|date:"DATE_FORMAT" }}|{{ value|floatformat:"-2" }}|{{ value }}')
    with translation.override(language):
        rendered = template.render(Context({"day": date(2011, 7, 31), "value": Decimal("1234.5")}))
    assert rendered == f"{day}|{number}0|{number}"


@pytest.mark.parametrize(("language", "month", "quarter"), [
    ("en", "July 2011", "Q3 2011"),
    ("de", "Juli 2011", None),
    ("ru", "Июль 2011 г.", None),
])
def test_a_digests_period_is_named_in_the_readers_language(language, month, quarter):
    with translation.override(language):
        assert period_label("2011-07") == month
        if quarter:
            assert period_label("2011-Q3") == quarter
        assert period_label("unknown") == "unknown"


def test_the_csv_export_keeps_iso_moments():
    from dashboard.exports import _csv_cell

    with translation.override("de"):
        assert _csv_cell(datetime(2011, 7, 31, 14, 5)) == "2011-07-31 14:05"
