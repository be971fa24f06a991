import logging
from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from cities.access import secretariat_required

from . import services
from .forms import CodeForm, PasswordConfirmForm, SetupForm
from .pending import KEY as PENDING_KEY
from .pending import pending_end, pending_next, pending_user
from .permissions import two_factor_required
from .selectors import two_factor_history, two_factor_on, two_factor_status

logger = logging.getLogger("baltmet.security")


def _safe_next(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return ""


def _next_of(request) -> str:
    return _safe_next(request, request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, ""))


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "?")


@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: the authenticator's code, or a recovery code (lost device).

    Wrong codes count towards the same lockout as wrong passwords (django-axes, per username and
    address): the fifth failure of either kind starts the cool-off."""
    if request.user.is_authenticated:
        if request.user.is_verified() or not two_factor_on(request.user):
            return redirect(_next_of(request) or settings.LOGIN_REDIRECT_URL)
        user, pending, next_url = request.user, False, _next_of(request)
    else:
        had_pending = PENDING_KEY in request.session
        user = pending_user(request)
        if user is None:
            if had_pending:
                messages.info(request, _("Signing in took too long. Log in again."))
            return redirect("login")
        pending, next_url = True, pending_next(request)

    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        pending_end(request)
        return get_lockout_response(request, None, credentials)

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verified = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        except services.CodeRefused as refused:
            form.add_error("code", refused.message)
            user_login_failed.send(sender=__name__, credentials={**credentials, "step": "second factor"},
                                   request=request)
            if getattr(request, "axes_locked_out", False):
                pending_end(request)  # the lockout page follows (axes' middleware); start again after it
        else:
            pending_end(request)
            if pending:
                auth_login(request, user, backend=user.backend)
            otp_login(request, verified.device)
            logger.info("two-factor passed user=%s with=%s address=%s", user.get_username(),
                        "recovery code" if verified.by_recovery_code else "authenticator", _address(request))
            if verified.by_recovery_code:
                messages.warning(request, ngettext(
                    "You signed in with a recovery code; it cannot be used again. %(left)d code is left. "
                    "If you lost your authenticator, set up a new one now.",
                    "You signed in with a recovery code; it cannot be used again. %(left)d codes are left. "
                    "If you lost your authenticator, set up a new one now.",
                    verified.codes_left) % {"left": verified.codes_left})
                return redirect("twofactor:home")
            return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    return render(request, "twofactor/verify.html", {"form": form, "next": next_url, "pending": pending})


@login_required
def home(request):
    return render(request, "twofactor/home.html", {"status": two_factor_status(request.user)})


def _qr_data_uri(device) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _grouped_key(device) -> str:
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Set up an authenticator app (or a new one, replacing the old): scan the QR code or type the key,
    then enter a code it shows. The recovery codes are shown once, on the page that answers."""
    user = request.user
    form = SetupForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.totp_setup_confirm(user=user, device_id=form.cleaned_data["device"],
                                                        code=form.cleaned_data["code"])
        except services.CodeRefused as refused:
            form.add_error("code", refused.message)
        else:
            otp_login(request, device)
            return render(request, "twofactor/recovery_codes.html",
                          {"codes": codes, "next": _next_of(request), "new_device": True})
    device = services.totp_setup_start(user=user)
    if not form.is_bound:
        form = SetupForm(initial={"device": device.pk}, user=user)
    elif form.data.get("device") != str(device.pk):
        form.data = form.data.copy()
        form.data["device"] = str(device.pk)
    return render(request, "twofactor/setup.html", {
        "form": form, "qr": _qr_data_uri(device), "key": _grouped_key(device), "next": _next_of(request),
        "replacing": two_factor_on(user), "required": two_factor_required(user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """A new set of recovery codes (the old ones stop working), after the password again."""
    if not two_factor_on(request.user):
        messages.info(request, _("Turn two-factor sign-in on first: the recovery codes come with it."))
        return redirect("twofactor:home")
    form = PasswordConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        codes = services.recovery_codes_renew(user=request.user)
        return render(request, "twofactor/recovery_codes.html", {"codes": codes, "new_device": False})
    return render(request, "twofactor/confirm.html", {
        "form": form, "title": _("New recovery codes"), "button": _("Make new recovery codes"),
        "explanation": _("Your current recovery codes stop working, used or not. The new ones are shown once."),
    })


@login_required
@require_http_methods(["GET", "POST"])
def disable(request):
    if two_factor_required(request.user):
        raise PermissionDenied(_("The Secretariat and the administrators must sign in with a second factor."))
    if not two_factor_on(request.user):
        return redirect("twofactor:home")
    form = PasswordConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.two_factor_turn_off(user=request.user)
        messages.success(request, _("Two-factor sign-in is off: you sign in with your password alone."))
        return redirect("twofactor:home")
    return render(request, "twofactor/confirm.html", {
        "form": form, "title": _("Turn two-factor sign-in off"), "button": _("Turn off"),
        "explanation": _("Your authenticator and your recovery codes are removed; you sign in with your password alone."),
    })


@secretariat_required
@require_http_methods(["GET", "POST"])
def person(request, user_id):
    """The Secretariat's view of a person's second factor, and the reset for a person who lost both
    their authenticator and their recovery codes."""
    person = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        if services.two_factor_reset(person=person, by=request.user, address=_address(request)):
            messages.success(request, _("%(person)s's two-factor sign-in was reset: they sign in with their "
                                        "password and set up a new authenticator.") % {"person": person})
        else:
            messages.info(request, _("%(person)s has no two-factor sign-in to reset.") % {"person": person})
        return redirect("twofactor:person", user_id=person.pk)
    return render(request, "twofactor/person.html", {
        "person": person, "status": two_factor_status(person), "events": two_factor_history(person),
    })
