"""Rendering emails: each is three templates under templates/emails/ — NAME_subject.txt,
NAME_body.txt and NAME_body.html — rendered in the recipient's language and time zone."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation


@dataclass
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(template: str, context: dict, *, language: str = "en", time_zone: str | None = None) -> RenderedEmail:
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language), timezone.override(time_zone or settings.TIME_ZONE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    return RenderedEmail(subject=subject, text=text, html=html)
