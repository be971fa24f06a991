"""Links and files added to a meeting or a practice, under the evidence upload rules (reports/evidence_files.py):
a form's fields that check a file by its content, and a guard that removes the stored files again when
the transaction that stored them fails."""

from django import forms
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from reports.evidence_files import EvidenceFileError, check_evidence_file, evidence_title
from reports.services import NewEvidence


class AttachmentFields(forms.Form):
    """Mixed into a form: one link and one file to add with its save."""

    attach_url = forms.URLField(
        label=_("Add a link"), required=False, max_length=500, assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )
    attach_title = forms.CharField(label=_("Title of the link or file"), required=False, max_length=200)
    attach_file = forms.FileField(label=_("Attach a file"), required=False,
                                  help_text=_("PDF, DOCX, XLSX, PNG or JPEG, up to 10 MB."))

    def clean_attach_file(self):
        upload = self.cleaned_data.get("attach_file")
        if upload:
            try:
                self.attach_content_type = check_evidence_file(upload)
            except EvidenceFileError as error:
                raise forms.ValidationError(str(error)) from None
        return upload

    def new_attachments(self) -> list[NewEvidence]:
        data, items = self.cleaned_data, []
        if data.get("attach_url"):
            items.append(NewEvidence(url=data["attach_url"], title=data.get("attach_title", "")))
        if data.get("attach_file"):
            items.append(NewEvidence(upload=data["attach_file"], content_type=self.attach_content_type,
                                     title="" if data.get("attach_url") else data.get("attach_title", "")))
        return items


def attach(model, owner: dict, items: list[NewEvidence], user, stored: list) -> list:
    """One row of `model` (a link-or-file model) per item, owned by `owner` (e.g. {"meeting": m})."""
    rows = []
    for item in items:
        row = model(**owner, added_by=user, url=item.url, title=evidence_title(item.title))
        if item.upload is not None:
            row.file, row.size, row.content_type = item.upload, item.upload.size, item.content_type
            row.title = evidence_title(item.title or item.upload.name)
        row._history_user = user
        row.save()
        if row.file:
            stored.append(row.file.name)
        rows.append(row)
    return rows


class FilesKeptOnlyIfCommitted:
    """Files stored inside the block are deleted again if the block (its transaction) fails."""

    def __init__(self):
        self.stored = []

    def __enter__(self):
        return self.stored

    def __exit__(self, kind, error, traceback):
        if kind is not None:
            for name in self.stored:
                default_storage.delete(name)
        return False
