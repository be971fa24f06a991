from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baltmet.history import in_viewers_time_zone
from baltmet.params import id_param
from cities.access import member_required
from cities.models import City

from . import permissions, selectors, services
from .briefing import briefing_filename, briefing_pdf
from .forms import MeetingForm, ResolutionForm
from .models import Meeting, MeetingDocument, Resolution


def _manager(request):
    if not permissions.can_manage(request.roles):
        raise PermissionDenied


@member_required
def timeline(request):
    return render(request, "meetings/timeline.html", {
        "years": selectors.timeline(), "can_manage": permissions.can_manage(request.roles),
    })


@member_required
def meeting_detail(request, meeting_id):
    meeting = selectors.meeting_detail(meeting_id)
    return render(request, "meetings/meeting_detail.html", {
        "meeting": meeting, "can_manage": permissions.can_manage(request.roles),
        "previous": selectors.previous_meeting(meeting),
    })


def _meeting_form_page(request, meeting=None):
    cities = list(City.objects.order_by("name"))
    initial = {}
    if meeting is not None:
        initial = {"version": meeting.version, "agenda": "\n".join(i.title for i in meeting.agenda_items.all())}
        for row in meeting.attendance.all():
            initial[f"attendance_{row.city_id}"] = row.status
            initial[f"representatives_{row.city_id}"] = row.representatives
    form = MeetingForm(request.POST or None, request.FILES or None, instance=meeting, initial=initial, cities=cities)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.MEETING_FIELDS}
        try:
            if meeting is None:
                meeting = services.meeting_create(user=request.user, data=data, agenda=form.cleaned_data["agenda"],
                                                  attendance=form.attendance(), documents=form.new_attachments())
            else:
                version = form.cleaned_data["version"]
                meeting = services.meeting_update(
                    meeting=meeting, version=-1 if version is None else version, user=request.user, data=data,
                    agenda=form.cleaned_data["agenda"], attendance=form.attendance(),
                    documents=form.new_attachments())
        except services.MeetingConflict as error:
            conflict = error.current
            data = request.POST.copy()
            data["version"] = conflict.version
            form = MeetingForm(data, instance=meeting, initial=initial, cities=cities)
            form.is_valid()
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting, "conflict": conflict},
                  status=409 if conflict else 200)


@member_required
def meeting_create(request):
    _manager(request)
    return _meeting_form_page(request)


@member_required
def meeting_edit(request, meeting_id):
    _manager(request)
    return _meeting_form_page(request, selectors.meeting_detail(meeting_id))


@member_required
def document_download(request, meeting_id, document_id):
    document = get_object_or_404(MeetingDocument, pk=document_id, meeting_id=meeting_id)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    return FileResponse(handle, as_attachment=True, filename=document.filename,
                        content_type=document.content_type or "application/octet-stream")


@member_required
@require_POST
def document_remove(request, meeting_id, document_id):
    _manager(request)
    document = get_object_or_404(MeetingDocument, pk=document_id, meeting_id=meeting_id)
    if services.document_remove(document=document, user=request.user):
        messages.success(request, _("“%(document)s” was removed from the meeting.") % {"document": document})
    return redirect("meetings:detail", meeting_id=meeting_id)


@member_required
def resolution_detail(request, resolution_id):
    return render(request, "meetings/resolution_detail.html", {
        "resolution": selectors.resolution_detail(resolution_id), "can_manage": permissions.can_manage(request.roles),
    })


def _resolution_form_page(request, resolution=None):
    initial = {"version": resolution.version} if resolution else {}
    if resolution is None:
        meeting_id = id_param(request.GET, "meeting")
        if meeting_id is not None:
            initial["meeting"] = Meeting.objects.filter(pk=meeting_id).first()
    form = ResolutionForm(request.POST or None, instance=resolution, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.RESOLUTION_FIELDS}
        links = {"plans": form.cleaned_data["plans"], "action_points": form.cleaned_data["action_points"]}
        try:
            if resolution is None:
                resolution = services.resolution_create(user=request.user, data=data, **links)
            else:
                version = form.cleaned_data["version"]
                resolution = services.resolution_update(resolution=resolution, user=request.user, data=data,
                                                        version=-1 if version is None else version, **links)
        except services.MeetingConflict as error:
            conflict = error.current
            data = request.POST.copy()
            data["version"] = conflict.version
            form = ResolutionForm(data, instance=resolution, initial=initial)
            form.is_valid()
        else:
            messages.success(request, _("The resolution is saved."))
            return redirect(resolution)
    return render(request, "meetings/resolution_form.html", {"form": form, "resolution": resolution,
                                                             "conflict": conflict}, status=409 if conflict else 200)


@member_required
def resolution_create(request):
    _manager(request)
    return _resolution_form_page(request)


@member_required
def resolution_edit(request, resolution_id):
    _manager(request)
    return _resolution_form_page(request, get_object_or_404(Resolution, pk=resolution_id))


def _briefing(request, meeting_id):
    meeting = get_object_or_404(Meeting.objects.select_related("host_city"), pk=meeting_id)
    return meeting, selectors.briefing_pack(meeting=meeting, roles=request.roles)


@member_required
def briefing(request, meeting_id):
    meeting, context = _briefing(request, meeting_id)
    return render(request, "meetings/briefing.html", context)


@member_required
def briefing_download(request, meeting_id):
    meeting, context = _briefing(request, meeting_id)
    response = HttpResponse(briefing_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, briefing_filename(meeting, "pdf"))
    return response


def _history_page(request, subject, entries):
    with in_viewers_time_zone(request.user):
        page = Paginator(entries, 50).get_page(request.GET.get("page"))
        return render(request, "meetings/history.html", {"subject": subject, "page": page})


@member_required
def meeting_history(request, meeting_id):
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    with in_viewers_time_zone(request.user):
        entries = selectors.meeting_history(meeting)
    return _history_page(request, meeting, entries)


@member_required
def resolution_history(request, resolution_id):
    resolution = get_object_or_404(Resolution, pk=resolution_id)
    with in_viewers_time_zone(request.user):
        entries = selectors.resolution_history(resolution)
    return _history_page(request, resolution, entries)
