"""The network's meetings — Mayors' Meetings and delegates' meetings — and the resolutions adopted at them.

A meeting has its agenda, documents (links or files, under the evidence upload rules), each city's
attendance and the minutes. A resolution is adopted at one meeting and concerns plans and action points:
a plan shows the resolutions behind it, an action point its mandate.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actions.models import ActionPlan, ActionPoint
from baltmet.links import link
from cities.models import City


class MeetingKind(models.TextChoices):
    MAYORS = "mayors", _("Mayors' Meeting")
    DELEGATES = "delegates", _("Delegates' meeting")


class Meeting(models.Model):
    Kind = MeetingKind

    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.MAYORS)
    title = models.CharField(_("title"), max_length=200, help_text=_("For example: Mayors' Meeting in Helsinki."))
    date = models.DateField(_("date"))
    host_city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="hosted_meetings",
                                  verbose_name=_("host city"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True, max_length=50000)
    # Bumped on every save: a stale form is refused instead of overwriting a newer one.
    version = models.PositiveIntegerField(_("version"), default=1)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"),
        ]
        indexes = [models.Index(fields=["kind", "date"])]

    def __str__(self):
        return f"{self.title} ({self.date:%Y})"

    def get_absolute_url(self):
        return link("meetings:detail", self.pk)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items",
                                verbose_name=_("meeting"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agendaitem_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="agendaitem_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    REPRESENTED = "represented", _("Represented by another city")
    APOLOGIES = "apologies", _("Sent apologies")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """A city at a meeting: whether it came, and who came for it."""

    Status = AttendanceStatus

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance",
                                verbose_name=_("meeting"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    status = models.CharField(_("attendance"), max_length=12, choices=AttendanceStatus.choices)
    representatives = models.CharField(_("who came"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "city__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "city"], name="attendance_one_per_city"),
            models.CheckConstraint(condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"),
        ]

    def __str__(self):
        return f"{self.city} at {self.meeting}: {self.get_status_display()}"


def document_upload_path(document, filename):
    from reports.evidence_files import stored_name

    return f"meetings/{document.meeting_id}/{uuid.uuid4().hex}/{stored_name(filename)}"


class MeetingDocument(models.Model):
    """A link or a file of a meeting: the invitation, a presentation, the signed minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents",
                                verbose_name=_("meeting"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    url = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(_("file"), upload_to=document_upload_path, blank=True, max_length=300)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("added by"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="meetingdocument_is_link_or_file",
                violation_error_message=_("A document is either a link or a file."),
            ),
        ]

    def __str__(self):
        return self.title or self.url or self.filename

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class Resolution(models.Model):
    """A resolution adopted at a meeting, e.g. the Copenhagen Resolution (2002)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="resolutions",
                                verbose_name=_("adopted at"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=50000)
    plans = models.ManyToManyField(ActionPlan, blank=True, related_name="resolutions",
                                   verbose_name=_("plans it concerns"))
    action_points = models.ManyToManyField(ActionPoint, blank=True, related_name="resolutions",
                                           verbose_name=_("action points it concerns"))
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords(m2m_fields=[plans, action_points])

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["meeting__date", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return link("meetings:resolution", self.pk)
