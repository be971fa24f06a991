from axes.helpers import get_client_ip_address
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render

from notifications.services import email_queue

from . import services


class OutboxPasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, with the link sent like every other email: through the outbox, in the person's language."""

    request_key = ""  # the throttle's record of this request: one email per request and person

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        email_queue(kind="password_reset", key=f"password_reset:{self.request_key}", users=[context["user"]],
                    template="password_reset", context=context)


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
