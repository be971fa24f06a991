from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from baltmet.history import in_viewers_time_zone
from cities.access import member_required, secretariat_required
from notifications.models import OutboxMessage

from . import selectors, services
from .forms import DeliveryFilterForm, PreferencesForm
from .models import Frequency, ReminderItem

PAGE_SIZE = 50


@secretariat_required
def deliveries(request):
    form = DeliveryFilterForm(request.GET or None)
    rows = OutboxMessage.objects.select_related("recipient").prefetch_related(
        Prefetch("reminder_items",
                 queryset=ReminderItem.objects.select_related("action_point__focus_area", "city", "period"))
    ).defer("body_text", "body_html").order_by("-created", "-pk")
    if form.is_valid():
        if form.cleaned_data["status"]:
            rows = rows.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["kind"]:
            rows = rows.filter(kind=form.cleaned_data["kind"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "digests/deliveries.html", {"form": form, "page": page, "query": query.urlencode()})


@secretariat_required
def preview(request):
    """Before a run: who the current period's digests would reach, and who they cannot."""
    recipient = request.GET.get("recipient", "")
    if recipient.isascii() and recipient.isdigit():  # the address of the earlier one-person preview form
        return redirect("digests:preview_recipient", user_id=int(recipient))
    return render(request, "digests/preview.html", {"run": services.digests_run_preview()})


@secretariat_required
def preview_recipient(request, user_id):
    """The email the run would send the person: subject, HTML and plain text, in their language."""
    person = get_object_or_404(get_user_model(), pk=user_id)
    return render(request, "digests/preview_recipient.html",
                  {"person": person, "preview": services.digest_preview(recipient=person)})


@secretariat_required
def preview_html(request, user_id):
    person = get_object_or_404(get_user_model(), pk=user_id)
    preview = services.digest_preview(recipient=person)
    if preview is None or preview.message is None:
        raise Http404("The run writes no digest for this person.")
    response = HttpResponse(preview.message.body_html)
    # The email's own document, shown in a frame: its inline styles are allowed here and nothing else.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; sandbox"
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@member_required
def latest(request):
    """The person's own last digest, as it was sent (the text part), linked from their landing page."""
    message = selectors.latest_digest(request.user)
    with in_viewers_time_zone(request.user):
        return render(request, "digests/latest.html", {"message": message})


@require_POST
@secretariat_required
def send_now(request):
    due = services.digests_send_now(user=request.user)
    messages.success(request, _("The current period's digests are on their way to the %(count)s people due who have "
                                "not had theirs; they appear below as they are written.") % {"count": due})
    return redirect("digests:deliveries")


def _recipient_for(token):
    user_id = services.preferences_user_id(token=token)
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def _refused(request):
    return render(request, "digests/link_refused.html", status=400)


def preferences(request, token):
    user = _recipient_for(token)
    if user is None:
        return _refused(request)
    form = PreferencesForm(request.POST or None, initial={"frequency": selectors.frequency_of(user)})
    if request.method == "POST" and form.is_valid():
        services.subscription_set(user=user, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Your digest preferences are saved."))
        return redirect("digests:preferences", token=token)
    return render(request, "digests/preferences.html", {"form": form, "person": user})


# Mail clients post here without a CSRF token (RFC 8058 one-click unsubscribe); the signed token in
# the address is what authorises the change, and it can only ever switch the digest off.
@csrf_exempt
def unsubscribe(request, token):
    user = _recipient_for(token)
    if user is None:
        return _refused(request)
    if request.method == "POST":
        services.subscription_set(user=user, frequency=Frequency.NONE)
        return render(request, "digests/unsubscribed.html", {"person": user, "token": token})
    return render(request, "digests/unsubscribe.html", {"person": user, "token": token})
