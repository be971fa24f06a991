from urllib.parse import urlsplit

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from twofactor.pending import pending_start
from twofactor.selectors import two_factor_on

from . import services
from .forms import AcceptInvitationForm, OutboxPasswordResetForm


class LoginView(auth_views.LoginView):
    """Django's login page, with a second step for people who have two-factor sign-in on: the right
    password alone logs nobody in then; the code page (twofactor/views.py verify) does."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor_on(user):
            return super().form_valid(form)
        pending_start(self.request, user, next_url=self.get_success_url())
        return redirect("twofactor:verify")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm

    def form_valid(self, form):
        decision, form.request_key = services.password_reset_request(
            email=form.cleaned_data["email"], client=get_client_ip_address(self.request) or "?")
        if decision == services.ResetDecision.CLIENT_LIMIT:
            return render(self.request, "registration/password_reset_throttled.html", status=429)
        if decision == services.ResetDecision.ADDRESS_LIMIT:
            return redirect(self.get_success_url())  # the same page as when a link went out
        return super().form_valid(form)


def invitation_accept(request, token):
    """Public: the invitee has no account yet. The token is the only key."""
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationInvalid:
        return render(request, "accounts/invitation_invalid.html", status=410)
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(token=token, password=form.cleaned_data["password1"],
                                first_name=form.cleaned_data["first_name"],
                                last_name=form.cleaned_data["last_name"])
        except services.InvitationInvalid:
            return render(request, "accounts/invitation_invalid.html", status=410)
        messages.success(request, _("Your account is ready. Log in with your email address and new password."))
        return redirect("login")
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form})


@csrf_exempt
@require_POST
def language_set(request):
    """The header's language switcher: Django's set_language (the cookie, back to the page), and for a signed-in
    person the choice kept on their account. Choosing a language needs no token, so the public pages, which
    shared caches keep, can offer the switcher; changing an account still does (a forged form only moves
    the cookie, which the person's stored language puts back on their next page)."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES) and _csrf_passes(request):
        if request.user.is_authenticated:
            services.user_language_set(user=request.user, language=language)
        elif urlsplit(request.POST.get("next", "")).path == reverse("login"):
            # Chosen on the login page: kept on the account at sign-in (accounts/signals.py), so the person's
            # pages do not switch back to their stored language. Only there does the switcher start a session.
            request.session[services.LANGUAGE_CHOSEN_BEFORE_SIGN_IN] = language
    return response


def _csrf_passes(request) -> bool:
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is None
