import io

from django.urls import reverse
from pypdf import PdfReader

from dashboard.exports import SHIPPED_FONTS, pdf_fonts
from meetings import services
from meetings.models import AgendaItem, Attendance, Meeting
from reports.models import ProgressReport, WorkflowState
from testing.queries import assert_constant_queries, count_queries


def _approve(report):
    report.state = WorkflowState.APPROVED
    report.submitted_at = report.reviewed_at = report.created
    report.save()
    return report


def test_it_ships_the_font_the_pdfs_need():
    fonts = pdf_fonts()
    assert fonts["regular"].startswith(str(SHIPPED_FONTS)) and fonts["bold"].startswith(str(SHIPPED_FONTS))
    assert (SHIPPED_FONTS / "DejaVu-LICENSE.txt").is_file()


def test_the_briefing_pack_pdf_has_every_alphabet_of_the_network(meetings, riga_report, secretariat, client_for):
    riga_report.summary = "x"
    _approve(riga_report)
    meeting = meetings["later"]
    meeting.title = "Rīga, Vilnius – Łódź, Санкт-Петербург"
    meeting.save()

    response = client_for(secretariat).get(reverse("meetings:briefing_pdf", args=[meeting.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Rīga, Vilnius – Łódź, Санкт-Петербург" in text
    assert "Action point 1.3" in text and "Riga (coordinator)" in text and "2011 H1: Approved" in text
    assert "Copenhagen Resolution" in text  # the resolutions behind the plan


def test_a_mayor_s_briefing_pack_shows_only_the_reports_the_mayor_may_see(meetings, assigned, periods, cities,
                                                                         mayor, secretariat, client_for):
    ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["tallinn"], period=periods["2011 H2"],
                                  summary="Tallinn's draft", delivery_status="delayed")
    url = reverse("meetings:briefing", args=[meetings["later"].pk])

    mine = client_for(mayor).get(url).content.decode()
    theirs = client_for(secretariat).get(url).content.decode()

    assert "2011 H2: Draft" in theirs
    assert "2011 H2: Draft" not in mine  # Tallinn's draft is Tallinn's and the Secretariat's only
    assert "Since the previous meeting" not in mine and "Mayors&#x27; Meeting in Copenhagen" in mine


def test_the_briefing_pack_tells_progress_since_the_previous_meeting_only(meetings, riga_report, periods, secretariat):
    from cities.roles import roles_of
    from meetings.selectors import briefing_pack

    _approve(riga_report)  # 2011 H1, which ended before the previous meeting? No: it ends 30 June, after 1 March.
    pack = briefing_pack(meeting=meetings["later"], roles=roles_of(secretariat))
    assert pack["previous"] == meetings["earlier"]
    line = next(c for a in pack["areas"] for p in a["points"] if p.point.number == "1.3" for c in p.cities
                if c.city.slug == "riga")
    assert line.report["period"] == "2011 H1"

    meetings["earlier"].date = meetings["earlier"].date.replace(month=9)  # after 2011 H1 ended
    meetings["earlier"].save()
    pack = briefing_pack(meeting=meetings["later"], roles=roles_of(secretariat))
    line = next(c for a in pack["areas"] for p in a["points"] if p.point.number == "1.3" for c in p.cities
                if c.city.slug == "riga")
    assert line.report is None


def test_the_briefing_command_writes_pdf_and_html(meetings, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "pack.pdf"
    call_command("briefing_pack", str(meetings["later"].pk), "--out", str(out))
    call_command("briefing_pack", str(meetings["later"].pk), "--out", str(tmp_path / "pack.html"), "--html")
    assert out.read_bytes().startswith(b"%PDF")
    assert "Briefing pack" in (tmp_path / "pack.html").read_text()


def test_the_timeline_shows_meetings_resolutions_and_plans(meetings, plan, mayor, client_for):
    page = client_for(mayor).get(reverse("meetings:timeline")).content.decode()
    assert "Mayors&#x27; Meeting in Rīga" in page and "Copenhagen Resolution" in page and plan.title in page
    assert "style=" not in page and "<script" not in page


def test_an_action_point_shows_its_mandate_and_its_practices(meetings, assigned, alice, secretariat, client_for):
    from practices.services import practice_create

    point = assigned["1.3"]
    services.resolution_create(user=secretariat, data={"meeting": meetings["later"], "title": "Rīga Resolution",
                                                       "text": "Indicators."}, action_points=[point])
    practice_create(user=alice, city=point.coordinating_city, data={"title": "Rīga start-up map",
                                                                     "description": "A map."}, action_points=[point])
    page = client_for(alice).get(point.get_absolute_url()).content.decode()
    assert "Rīga Resolution" in page and "Copenhagen Resolution" in page and "Rīga start-up map" in page


def test_a_points_mandate_lists_each_resolution_once_in_one_query(meetings, assigned, plan, secretariat):
    from actions.models import ActionPlan
    from meetings.selectors import mandate_for_point

    point, other = assigned["1.3"], assigned["1.1"]
    both = services.resolution_create(user=secretariat, data={"meeting": meetings["later"], "title": "Both"},
                                      plans=[plan], action_points=[point])
    services.resolution_create(user=secretariat, data={"meeting": meetings["later"], "title": "Other point"},
                               action_points=[other])
    elsewhere = ActionPlan.objects.create(title="Another plan", first_year=2030, last_year=2031)
    services.resolution_create(user=secretariat, data={"meeting": meetings["later"], "title": "Another plan's"},
                               plans=[elsewhere])
    count, _sql = count_queries(lambda: mandate_for_point(point))
    mandate = mandate_for_point(point)
    assert count == 1
    assert [r.title for r in mandate.point] == ["Both"] and both.pk not in {r.pk for r in mandate.plan}
    assert [r.title for r in mandate.plan] == ["Copenhagen Resolution"]


def test_the_secretariat_records_a_meeting_on_its_page(cities, secretariat, client_for):
    client = client_for(secretariat)
    data = {"kind": "delegates", "title": "Delegates' meeting", "date": "2011-10-05", "host_city": cities["tallinn"].pk,
            "agenda": "1. Opening\n2. Indicators\n\n", f"attendance_{cities['riga'].pk}": "present",
            f"representatives_{cities['riga'].pk}": "Ilze Bērziņa", f"attendance_{cities['oslo'].pk}": "apologies"}
    response = client.post(reverse("meetings:create"), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert [i.title for i in AgendaItem.objects.filter(meeting=meeting)] == ["Opening", "Indicators"]
    assert set(Attendance.objects.values_list("city__slug", "status")) == {("riga", "present"), ("oslo", "apologies")}

    stale = {**data, "version": meeting.version, "title": "Renamed", "agenda": "Opening"}
    client.post(reverse("meetings:edit", args=[meeting.pk]), stale)
    conflict = client.post(reverse("meetings:edit", args=[meeting.pk]), {**stale, "title": "Mine"})
    assert conflict.status_code == 409 and "Someone else saved this meeting" in conflict.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "Renamed" and meeting.history.count() == 2
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Opening"]


def test_only_the_secretariat_keeps_the_record(meetings, alice, chair, client_for):
    for user in (alice, chair):
        assert client_for(user).post(reverse("meetings:create"), {"title": "x"}).status_code == 403
    assert Meeting.objects.count() == 2


def test_a_document_file_is_checked_by_its_content(meetings, secretariat, client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    meeting = meetings["later"]
    client = client_for(secretariat)
    data = {"kind": meeting.kind, "title": meeting.title, "date": meeting.date, "host_city": meeting.host_city_id,
            "version": meeting.version}
    refused = client.post(reverse("meetings:edit", args=[meeting.pk]),
                          {**data, "attach_file": SimpleUploadedFile("minutes.pdf", b"not a pdf at all")})
    assert refused.status_code == 200 and "is not a PDF" in refused.content.decode()
    client.post(reverse("meetings:edit", args=[meeting.pk]),
                {**data, "attach_file": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes")})
    document = meeting.documents.get()
    download = client.get(reverse("meetings:document", args=[meeting.pk, document.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"


def test_the_briefing_page_runs_the_same_queries_whatever_the_data(meetings, assigned, periods, cities, mayor,
                                                                   client_for):
    client = client_for(mayor)
    url = reverse("meetings:briefing", args=[meetings["later"].pk])
    small = count_queries(lambda: client.get(url))
    for point in list(assigned.values())[:8]:
        for slug in ("riga", "tallinn", "oslo"):
            point.partner_cities.add(cities[slug])
            _approve(ProgressReport.objects.create(action_point=point, city=cities[slug], period=periods["2011 H2"]))
    # A document made a few times a year, beyond the everyday pages' 15: the roll-up with its trend (periods,
    # approved reports, confirmations) comes on top of the cities' reports, initiatives and indicators.
    assert_constant_queries(small, count_queries(lambda: client.get(url)), at_most=18)


def test_a_plan_shows_the_resolutions_behind_it(meetings, plan, secretariat, mayor, client_for):
    from actions.models import ActionPlan

    other = ActionPlan.objects.create(title="Action plan 2002–2005", first_year=2002, last_year=2005)
    services.resolution_create(user=secretariat, data={"meeting": meetings["earlier"], "title": "Older resolution",
                                                       "text": "Another plan."}, plans=[other])
    page = client_for(mayor).get(plan.get_absolute_url()).content.decode()
    assert "Resolutions behind this plan" in page
    assert "Copenhagen Resolution" in page and meetings["resolution"].get_absolute_url() in page
    assert "Older resolution" not in page  # behind the other plan only
    assert "Mayors&#x27; Meeting in Copenhagen" in page  # where it was adopted


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


BALTIC = "Rīga, Vilnius — Šiauliai, Санкт-Петербург"


def test_the_briefing_pack_pdf_writes_latvian_lithuanian_and_russian_in_the_shipped_font(meetings, secretariat,
                                                                                        client_for):
    meeting = meetings["later"]
    meeting.title = BALTIC
    meeting.save()

    response = client_for(secretariat).get(reverse("meetings:briefing_pdf", args=[meeting.pk]))

    text = _pdf_text(response.content)
    assert "Rīga" in text and "Vilnius — Šiauliai" in text and "Санкт-Петербург" in text
    # The font embedded is the one in static/fonts, not one the machine happens to have.
    fonts = {str(font.get_object().get("/BaseFont")) for page in PdfReader(io.BytesIO(response.content)).pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in name for name in fonts), fonts


def test_without_the_shipped_font_the_letters_would_be_lost(meetings, monkeypatch):
    # The check above can fail: the PDF's built-in Helvetica has no Cyrillic and no "ī".
    from cities.roles import UserRoles
    from meetings import briefing
    from meetings.selectors import briefing_pack

    meeting = meetings["later"]
    meeting.title = BALTIC
    meeting.save()
    monkeypatch.setattr(briefing, "pdf_fonts", dict)
    text = _pdf_text(briefing.briefing_pdf(briefing_pack(meeting=meeting, roles=UserRoles(is_secretariat=True))))
    assert "Санкт-Петербург" not in text and "Rīga" not in text


def test_the_briefing_pack_has_each_point_s_status_the_initiatives_decided_since_and_the_indicators(
        meetings, assigned, cities, plan, secretariat, alice, riga_report, client_for):
    from datetime import datetime
    from decimal import Decimal

    from django.utils import timezone

    from indicators.models import Indicator, IndicatorValue
    from initiatives.models import Initiative, InitiativeState

    point = assigned["1.3"]
    riga_report.delivery_status = "at_risk"
    _approve(riga_report)

    def initiative(title, state, when):
        return Initiative.objects.create(
            plan=plan, action_point=point, title=title, proposing_city=cities["riga"], state=state,
            decided_at=timezone.make_aware(datetime(*when, 12)))

    initiative("Start-up map of the Baltic", InitiativeState.APPROVED, (2011, 6, 1))
    initiative("Decided before the previous meeting", InitiativeState.APPROVED, (2011, 2, 1))
    initiative("Decided after this meeting", InitiativeState.APPROVED, (2012, 1, 5))
    Initiative.objects.create(plan=plan, action_point=point, title="Still waiting", proposing_city=cities["riga"])
    indicator = Indicator.objects.create(name="Start-ups per 1,000 inhabitants", unit="start-ups", first_year=2008,
                                         last_year=2012)
    indicator.action_points.add(point)
    for slug, value in (("riga", "4"), ("tallinn", "6"), ("oslo", "9")):
        IndicatorValue.objects.create(indicator=indicator, city=cities[slug], year=2010, value=Decimal(value),
                                      source="Statistics office")
    IndicatorValue.objects.create(indicator=indicator, city=cities["riga"], year=2013, value=1, source="Later")

    response = client_for(secretariat).get(reverse("meetings:briefing_pdf", args=[meetings["later"].pk]))
    text = _pdf_text(response.content)

    assert "Action point 1.3" in text and "Overall status: At risk (from the cities' latest approved reports)" in text
    # The roll-up's trend, as the dashboard shows it: one period with approved reports is no trend yet.
    assert "Trend: not enough periods yet" in text
    assert "Start-up map of the Baltic — Approved" in text
    assert "Decided before the previous meeting" not in text and "Decided after this meeting" not in text
    assert "Still waiting" not in text
    # Latest year up to the meeting, the network's median and the host's (Rīga's) value.
    assert "Start-ups per 1,000 inhabitants (start-ups) 2010 6 3 4" in text


def test_a_meeting_s_page_shows_attendance_by_city_agenda_and_minutes(meetings, cities, secretariat, mayor,
                                                                     client_for):
    meeting = meetings["later"]
    services.meeting_update(meeting=meeting, version=meeting.version, user=secretariat, data={}, attendance=[
        services.Presence(cities["riga"].pk, "present", "Nils Ušakovs"),
        services.Presence(cities["oslo"].pk, "apologies"),
        services.Presence(cities["tallinn"].pk, "represented", "By Helsinki")])

    page = client_for(mayor).get(meeting.get_absolute_url()).content.decode()

    rows = page[page.index("Attendance by city"):page.index("</table>")]
    assert "Nils Ušakovs" in rows and "Sent apologies" in rows and "Represented by another city" in rows
    assert rows.index("Oslo") < rows.index("Riga") < rows.index("Tallinn")  # by city name
    assert "Progress of the plan" in page and "Opened by the Mayor of Rīga." in page
    assert meeting.history.count() == 2 and Attendance.history.filter(city=cities["tallinn"]).count() == 1


def test_meeting_documents_follow_the_evidence_upload_rules(meetings, secretariat, client_for, settings, tmp_path,
                                                           monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports import evidence_files

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(evidence_files, "MAX_EVIDENCE_BYTES", 1000)
    meeting = meetings["later"]
    data = {"kind": meeting.kind, "title": meeting.title, "date": meeting.date, "host_city": meeting.host_city_id,
            "version": meeting.version}
    url = reverse("meetings:edit", args=[meeting.pk])
    client = client_for(secretariat)
    for upload, error in ((SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"x" * 1000), "can be up to"),
                          (SimpleUploadedFile("slides.docx", b"%PDF-1.4 slides"), "rename it"),
                          (SimpleUploadedFile("empty.pdf", b""), "empty")):
        response = client.post(url, {**data, "attach_file": upload})
        assert response.status_code == 200 and error in response.content.decode(), error
    assert meeting.documents.count() == 0
    client.post(url, {**data, "attach_file": SimpleUploadedFile("../../Ordre du jour: Rīga.pdf", b"%PDF-1.4 a")})
    document = meeting.documents.get()
    assert "/" not in document.filename and document.file.name.startswith(f"meetings/{meeting.pk}/")
    assert document.content_type == "application/pdf"


def test_a_meeting_and_a_resolution_have_their_history(meetings, cities, secretariat, mayor, client_for, settings,
                                                       tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from reports.services import NewEvidence

    meeting = meetings["later"]
    meeting = services.meeting_update(
        meeting=meeting, version=meeting.version, user=secretariat, data={"minutes": "Signed minutes."},
        agenda=["Opening", "Budget 2012"], attendance=[services.Presence(cities["riga"].pk, "apologies")],
        documents=[NewEvidence(url="https://example.org/invitation", title="Invitation")])
    services.document_remove(document=meeting.documents.get(), user=secretariat)
    resolution = meetings["resolution"]
    services.resolution_update(resolution=resolution, version=resolution.version, user=secretariat,
                               data={"text": "The cities agree to work together, from now on."})

    page = client_for(mayor).get(reverse("meetings:history", args=[meeting.pk])).content.decode()
    assert "Opened by the Mayor of Rīga." in page and "Signed minutes." in page  # minutes before and after
    assert "added a document" in page and "removed a document" in page and "Invitation" in page
    assert "changed attendance" in page and "Riga: Sent apologies" in page
    assert "changed an agenda item" in page and "2. Budget 2012" in page
    page = client_for(mayor).get(reverse("meetings:resolution_history", args=[resolution.pk])).content.decode()
    assert "The cities agree to work together." in page and "from now on." in page
