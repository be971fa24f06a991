from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from actions.models import DeliveryStatus
from baltmet.widgets import FastSelect

from .evidence_files import EvidenceFileError, check_evidence_file
from .models import ProgressReport


class ReportForm(forms.ModelForm):
    """The delegate's report, with optional evidence to add on the same save."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    evidence_url = forms.URLField(
        label=_("Add a link"), required=False, max_length=500, assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A web page that shows the work, e.g. a news item or a published report."),
    )
    evidence_title = forms.CharField(
        label=_("Title of the link or file"), required=False, max_length=200,
    )
    evidence_file = forms.FileField(
        label=_("Attach a file"), required=False,
        help_text=_("PDF, DOCX, XLSX, PNG or JPEG, up to 10 MB."),
    )

    class Meta:
        model = ProgressReport
        fields = ["delivery_status", "summary", "next_steps"]
        widgets = {
            "delivery_status": FastSelect,
            "summary": forms.Textarea(attrs={"rows": 8}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "summary": _("What was done in this period, in a few sentences."),
            "next_steps": _("What happens next, and who does it."),
        }

    def __init__(self, *args, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        self.fields["summary"].max_length = 10000
        self.fields["next_steps"].max_length = 5000
        self.evidence_content_type = ""

    def clean_summary(self):
        summary = self.cleaned_data["summary"].strip()
        if self.submitting and not summary:
            raise forms.ValidationError(_("Write a summary of progress before submitting."))
        return summary

    def clean_next_steps(self):
        return self.cleaned_data["next_steps"].strip()

    def new_evidence(self) -> list:
        """The link and the file to attach with this save, as the report services take them."""
        from .services import NewEvidence

        data, items = self.cleaned_data, []
        if data.get("evidence_url"):
            items.append(NewEvidence(url=data["evidence_url"], title=data.get("evidence_title", "")))
        if data.get("evidence_file"):
            items.append(NewEvidence(upload=data["evidence_file"], content_type=self.evidence_content_type,
                                     title="" if data.get("evidence_url") else data.get("evidence_title", "")))
        return items

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            try:
                self.evidence_content_type = check_evidence_file(upload)
            except EvidenceFileError as error:
                raise forms.ValidationError(str(error)) from None
        return upload


class CoordinatorReviewForm(forms.Form):
    """The coordinating city's answer on a partner's report (two-step plans)."""

    comment = forms.CharField(
        label=_("Comment to the partner city"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you return the report; optional when you accept it."),
    )


class CoordinatorReturnForm(CoordinatorReviewForm):
    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("Say what needs to change: a comment is required to return a report."))
        return comment


class PointStatusForm(forms.Form):
    """The coordinator confirms the point's status for a period, or overrides the suggested one with a reason."""

    status = forms.ChoiceField(label=_("Status for this period"), choices=DeliveryStatus.choices, widget=FastSelect)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the status differs from the one the approved reports suggest. Kept in the "
                    "history."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, suggested=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggested = suggested

    def clean(self):
        data = super().clean()
        status, reason = data.get("status"), (data.get("reason") or "").strip()
        data["reason"] = reason
        if status and status != self.suggested and not reason:
            self.add_error("reason", _("Say why the status differs from the one the approved reports suggest."))
        return data
