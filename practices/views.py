from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from actions.models import ActionPlan
from baltmet.history import HIDDEN_FIELDS, history_entries, in_viewers_time_zone
from cities.access import member_required
from cities.models import City

from . import permissions, selectors, services
from .forms import ContactForm, PracticeForm, SearchForm
from .models import Practice, PracticeAttachment

PAGE_SIZE = 20
ATTACHMENT_KINDS = {"+": _lazy("added a link or file"), "-": _lazy("removed a link or file")}


@member_required
def practice_list(request):
    plan = ActionPlan.objects.current()
    form = SearchForm(request.GET or None, plan=plan)
    filters = form.filters()
    practices = selectors.practice_search(**filters)
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "practices/list.html", {
        "form": form, "page": page, "query": query.urlencode(), "searching": bool(filters["text"]),
        "more_match": getattr(practices, "more", False),
        "can_create": permissions.can_create(request.roles),
    })


@member_required
def practice_detail(request, practice_id):
    practice = selectors.practice_detail(practice_id)
    roles = request.roles
    return render(request, "practices/detail.html", {
        "practice": practice, "can_edit": permissions.can_edit(roles, practice),
        "can_moderate": permissions.can_moderate(roles), "can_ask": permissions.can_ask(roles, practice),
        "contact_form": ContactForm() if permissions.can_ask(roles, practice) else None,
        "questions": selectors.questions_asked(practice, roles=roles, user=request.user),
    })


def _cities_for(roles):
    if roles.is_secretariat:
        return City.objects.order_by("name")
    return City.objects.filter(pk=roles.delegate_city_id)


def _form_page(request, practice=None):
    roles = request.roles
    plan = ActionPlan.objects.current()
    cities = City.objects.filter(pk=practice.city_id) if practice else _cities_for(roles)
    initial = {}
    if practice is not None:
        initial = {"title": practice.title, "city": practice.city, "description": practice.description,
                   "results": practice.results, "contact": practice.contact, "languages": practice.languages,
                   "focus_areas": list(practice.focus_areas.all()), "action_points": list(practice.action_points.all()),
                   "version": practice.version}
    form = PracticeForm(request.POST or None, request.FILES or None, initial=initial, cities=cities, plan=plan)
    was_published = practice is not None and practice.is_published
    conflict = None
    if request.method == "POST" and form.is_valid():
        links = {"focus_areas": form.cleaned_data["focus_areas"], "action_points": form.cleaned_data["action_points"]}
        try:
            if practice is None:
                practice = services.practice_create(user=request.user, city=form.cleaned_data["city"],
                                                    data=form.data_for_service(),
                                                    attachments=form.new_attachments(), **links)
            else:
                version = form.cleaned_data["version"]
                practice = services.practice_update(practice=practice, user=request.user,
                                                    version=-1 if version is None else version,
                                                    data=form.data_for_service(),
                                                    attachments=form.new_attachments(), **links)
        except services.PracticeConflict as error:
            conflict = error.current
            data = request.POST.copy()
            data["version"] = conflict.version
            form = PracticeForm(data, initial=initial, cities=cities, plan=plan)
            form.is_valid()
        else:
            if was_published and not practice.is_published:
                messages.success(request, _("The practice is saved. It is off the public pages until the "
                                            "Secretariat publishes it again."))
            else:
                messages.success(request, _("The practice is saved."))
            return redirect(practice)
    return render(request, "practices/form.html", {
        "form": form, "practice": practice, "conflict": conflict,
        "goes_back_to_moderation": was_published and not permissions.can_moderate(roles),
    }, status=409 if conflict else 200)


@member_required
def practice_create(request):
    if not permissions.can_create(request.roles):
        raise PermissionDenied
    return _form_page(request)


@member_required
def practice_edit(request, practice_id):
    practice = selectors.practice_detail(practice_id)
    if not permissions.can_edit(request.roles, practice):
        raise PermissionDenied
    return _form_page(request, practice)


@member_required
def practice_history(request, practice_id):
    practice = get_object_or_404(Practice, pk=practice_id)
    records = practice.history.select_related("history_user").order_by("history_date", "history_id")
    # The focus areas and points it serves are listed on its page; the history tells its texts and publishing.
    with in_viewers_time_zone(request.user):
        entries = history_entries(records, Practice, hidden=(*HIDDEN_FIELDS, "focus_areas", "action_points"),
                                  added_removed=selectors.attachment_history(practice),
                                  added_removed_kinds=ATTACHMENT_KINDS)
        page = Paginator(entries, 50).get_page(request.GET.get("page"))
        return render(request, "practices/history.html", {"practice": practice, "page": page})


@member_required
@require_POST
def practice_publish(request, practice_id):
    if not permissions.can_moderate(request.roles):
        raise PermissionDenied
    practice = get_object_or_404(Practice, pk=practice_id)
    publish = request.POST.get("publish") != "0"
    if services.practice_publish(practice=practice, user=request.user, publish=publish):
        messages.success(request, _("The practice is published.") if publish
                         else _("The practice is withdrawn from the public pages."))
    return redirect(practice)


@member_required
def attachment_download(request, practice_id, attachment_id):
    attachment = get_object_or_404(PracticeAttachment, pk=attachment_id, practice_id=practice_id)
    if not attachment.file:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    return FileResponse(handle, as_attachment=True, filename=attachment.filename,
                        content_type=attachment.content_type or "application/octet-stream")


@member_required
@require_POST
def attachment_remove(request, practice_id, attachment_id):
    attachment = get_object_or_404(PracticeAttachment.objects.select_related("practice"), pk=attachment_id,
                                   practice_id=practice_id)
    if not permissions.can_edit(request.roles, attachment.practice):
        raise PermissionDenied
    if services.attachment_remove(attachment=attachment, user=request.user):
        messages.success(request, _("“%(name)s” was removed.") % {"name": attachment})
    return redirect("practices:detail", practice_id=practice_id)


@member_required
def practice_contact(request, practice_id):
    practice = selectors.practice_detail(practice_id)
    if not permissions.can_ask(request.roles, practice):
        raise PermissionDenied
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_request_send(practice=practice, user=request.user,
                                          message=form.cleaned_data["message"])
        except services.NobodyToAsk:
            form.add_error(None, _("Nobody at %(city)s can be reached by email about this practice yet, so the "
                                   "question was not sent. The Secretariat can put you in touch.")
                           % {"city": practice.city})
        else:
            messages.success(request, _("Your question is on its way to %(city)s.") % {"city": practice.city})
            return redirect(practice)
    return render(request, "practices/contact.html", {"practice": practice, "form": form})
