"""Input a careful tester throws at the portal: an answer a person can read (a page, a message, a 400),
never a 500; and a refused change writes nothing."""

import logging
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from indicators.services import ImportRefused, indicator_values_import
from reports.models import Evidence, ReportingPeriod

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def report_form(report, **overrides):
    return {"delivery_status": "on_track", "summary": "Indicators agreed.", "next_steps": "",
            "version": report.version, "action": "save", **overrides}


@pytest.mark.parametrize("digits", ["²", "٣", "1" * 40, "-1", "1e3"])
def test_ids_that_are_not_ascii_digits_answer_400_or_are_ignored_never_500(digits, plan, periods, assigned, secretariat,
                                                                          alice, client_for):
    staff, delegate = client_for(secretariat), client_for(alice)
    indicator = Indicator.objects.create(name="Start-ups", unit="n", first_year=2011, last_year=2012)
    for url in [reverse("dashboard:home"), reverse("dashboard:queue"), reverse("dashboard:reports"),
                reverse("dashboard:export_csv"), reverse("dashboard:export_xlsx"),
                reverse("dashboard:progress_report")]:
        assert staff.get(url, {"plan": digits}).status_code == 200, url  # shown beside the filter, ignored
    assert delegate.get(reverse("indicators:benchmark", args=[indicator.pk]), {"year": digits}).status_code == 200
    assert delegate.get(reverse("initiatives:propose"), {"point": digits}).status_code == 400
    period = periods["2011 H1"]
    assert staff.post(reverse("dashboard:remind"), {"plan": digits, "period": period.pk}).status_code == 400
    assert staff.post(reverse("dashboard:remind"), {"plan": plan.pk, "period": period.pk,
                                                    "city": digits}).status_code == 400


def test_an_evidence_file_with_a_very_long_name_is_attached_under_a_shortened_one(riga_report, alice, client_for,
                                                                                  settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = "Ļoti garš nosaukums " * 30 + ".pdf"  # 600 characters, over 700 bytes
    response = client_for(alice).post(reverse("reports:report", args=[riga_report.pk]), report_form(
        riga_report, evidence_file=SimpleUploadedFile(name, PDF)))

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert len(evidence.title) <= 200 and evidence.title.endswith(".pdf")
    assert os.path.exists(evidence.file.path) and evidence.file.name.endswith(".pdf")
    assert len(os.path.basename(evidence.file.path).encode()) <= 150


def test_a_save_refused_as_a_conflict_attaches_neither_its_link_nor_its_file(riga_report, alice, client_for,
                                                                            settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("reports:report", args=[riga_report.pk])
    stale = report_form(riga_report)
    client_for(alice).post(url, report_form(riga_report, summary="Saved in the other tab."))

    refused = client_for(alice).post(url, {**stale, "summary": "Mine", "evidence_url": "https://example.org/a",
                                           "evidence_file": SimpleUploadedFile("a.pdf", PDF)})

    assert refused.status_code == 200 and "This report changed since you opened it" in refused.content.decode()
    assert Evidence.objects.count() == 0
    assert not any(files for _root, _dirs, files in os.walk(tmp_path))  # nothing left behind on disk
    # Saving the merged form (it carries the new version) attaches the link once.
    merged = refused.context["form"]["version"].value()
    client_for(alice).post(url, {**stale, "version": merged, "evidence_url": "https://example.org/a"})
    assert list(Evidence.objects.values_list("url", flat=True)) == ["https://example.org/a"]


@pytest.mark.parametrize("row, reason", [
    (b"Riga,2011,1\x00,x", "control character"),
    (b"Riga,2011,9999999999999999.99999,x", "too large"),
    (b"Riga,2011,1e300,x", "too large"),
    (b"Riga,\xc2\xb2,1,x", "wrong year"),
])
def test_an_indicator_file_with_a_bad_cell_is_refused_naming_the_line(row, reason, secretariat, cities):
    indicator = Indicator.objects.create(name="Patents", unit="n", first_year=2011, last_year=2012)
    with pytest.raises(ImportRefused) as refused:
        indicator_values_import(indicator=indicator, user=secretariat,
                                data=b"city,year,value,source\nTallinn,2011,1,x\n" + row + b"\n")
    assert [(error.line, reason in " ".join(error.reasons)) for error in refused.value.errors] == [(3, True)]
    assert IndicatorValue.objects.count() == 0


def test_the_pdf_download_header_is_safe_whatever_the_periods_label(plan, periods, secretariat, client_for):
    ReportingPeriod.objects.filter(pk=periods["2011 H1"].pk).update(label='2011 "H1"\r\nX-Injected: yes')
    response = client_for(secretariat).get(reverse("dashboard:progress_report_pdf"),
                                           {"plan": plan.pk, "period": periods["2011 H1"].pk})

    assert response.status_code == 200
    assert "X-Injected" not in response.headers
    assert "\n" not in response["Content-Disposition"] and "\r" not in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")


def test_an_eight_megabyte_description_is_refused_beside_its_field(plan, assigned, alice, cities, client_for):
    response = client_for(alice).post(reverse("initiatives:propose"), {
        "title": "Huge", "description": "x" * (8 * 1024 * 1024), "action_point": assigned["1.3"].pk,
        f"cost_{cities['riga'].pk}": "1", f"currency_{cities['riga'].pk}": "EUR",
    })
    assert response.status_code in (200, 400)
    assert "description" in response.context["form"].errors


def test_pages_behind_login_are_neither_stored_nor_shared(riga_report, alice, client_for, client):
    for response in [client_for(alice).get(reverse("reports:report", args=[riga_report.pk])),
                     client.get(reverse("login"))]:
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives


def test_a_refused_page_is_logged_in_one_line(alice, client_for, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    assert client_for(alice).get(reverse("dashboard:home")).status_code == 403
    refused = [record for record in caplog.records if record.name == "django.request"]
    assert len(refused) == 1 and refused[0].exc_info is None
    assert "Forbidden" in refused[0].getMessage() and "PermissionDenied" in refused[0].getMessage()


def test_a_unique_slot_taken_at_the_same_moment_is_a_conflict_page_not_an_error(rf, alice):
    from django.db import IntegrityError

    from baltmet.middleware import SameMomentConflicts

    request = rf.get("/")
    request.user = alice
    response = SameMomentConflicts(lambda r: None).process_exception(request, IntegrityError("duplicate key value"))
    assert response.status_code == 409 and "at the same moment" in response.content.decode()
