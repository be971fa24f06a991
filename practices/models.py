"""The best-practice exchange: what a city has done well, for the other cities to learn from.

A practice belongs to one city, serves focus areas and action points, has a contact person, links and
files (the evidence upload rules), and the languages it is available in. The Secretariat publishes it
for the public pages (moderation). `search_vector` is kept by the database itself on PostgreSQL (a
trigger, with a GIN index: see migration 0002); on SQLite it stays empty and search falls back to
plain text matching (practices/selectors.py).
"""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actions.models import ActionPoint, FocusArea
from baltmet.links import link
from cities.models import City

TITLE_MAX, DESCRIPTION_MAX, RESULTS_MAX = 200, 10000, 5000


class Practice(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="practices", verbose_name=_("city"))
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="practices",
                                         verbose_name=_("focus areas it serves"))
    action_points = models.ManyToManyField(ActionPoint, blank=True, related_name="practices",
                                           verbose_name=_("action points it serves"))
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    results = models.TextField(_("results"), blank=True, max_length=RESULTS_MAX)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("contact person"),
        help_text=_("Who answers questions about it. Without one, the city's delegates are asked."),
    )
    # Language codes (settings.LANGUAGES) the practice's material is available in.
    languages = models.JSONField(_("available in"), default=list, blank=True)
    # Published for the public (the Secretariat's moderation): see practices.permissions.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    # Bumped on every save: a form opened at an older version is refused (practices.services).
    version = models.PositiveIntegerField(_("version"), default=1)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(m2m_fields=[focus_areas, action_points], excluded_fields=["search_vector"])

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["-updated", "-pk"]
        indexes = [
            models.Index(fields=["city", "updated"]),
            models.Index(fields=["updated"]),
            models.Index(fields=["published_at"], condition=Q(published_at__isnull=False),
                         name="practice_published_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return link("practices:detail", self.pk)

    @property
    def is_published(self):
        return self.published_at is not None

    def language_names(self):
        names = dict(settings.LANGUAGES)
        return [str(names.get(code, code)) for code in self.languages or []]


def attachment_upload_path(attachment, filename):
    from reports.evidence_files import stored_name

    return f"practices/{attachment.practice_id}/{uuid.uuid4().hex}/{stored_name(filename)}"


class PracticeAttachment(models.Model):
    """A link or a file of a practice (files under the evidence upload rules)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments",
                                 verbose_name=_("practice"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    url = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(_("file"), upload_to=attachment_upload_path, blank=True, max_length=300)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                 verbose_name=_("added by"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("practice link or file")
        verbose_name_plural = _("practice links and files")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="practiceattachment_is_link_or_file",
                violation_error_message=_("An attachment is either a link or a file."),
            ),
        ]

    def __str__(self):
        return self.title or self.url or self.filename

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class ContactRequest(models.Model):
    """"Ask this city": who asked whom about which practice, and what."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="contact_requests",
                                 verbose_name=_("practice"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 related_name="+", verbose_name=_("asked by"))
    # The asker's city when they speak for one (a delegate, Mayor or observer), for the record.
    asking_city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("asking city"))
    recipients = models.CharField(_("sent to"), max_length=1000,
                                  help_text=_("The people asked, as they were named when it was sent."))
    message = models.TextField(_("message"), max_length=3000)
    created = models.DateTimeField(_("sent at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.asked_by} → {self.practice}"
