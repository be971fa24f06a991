"""Which evidence files are accepted: decided by their content, not by their name."""

import filetype
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

# detected type -> (content type, extensions the name may have)
ALLOWED = {
    "pdf": ("application/pdf", {"pdf"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "png": ("image/png", {"png"}),
    "jpg": ("image/jpeg", {"jpg", "jpeg"}),
}


class EvidenceFileError(ValueError):
    pass


def check_evidence_file(upload) -> str:
    """Return the file's content type, or raise EvidenceFileError saying why it is refused."""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise EvidenceFileError(
            _("The file is %(size)s; evidence files can be up to %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_EVIDENCE_BYTES)}
        )
    if upload.size == 0:
        raise EvidenceFileError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(64 * 1024)
    upload.seek(0)
    kind = filetype.guess(head)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if kind is None or kind.extension not in ALLOWED:
        raise EvidenceFileError(
            _("This file is not a PDF, DOCX, XLSX, PNG or JPEG file (whatever its name says), so it cannot be attached.")
        )
    content_type, extensions = ALLOWED[kind.extension]
    if extension not in extensions:
        raise EvidenceFileError(
            _("The file's name ends in “.%(extension)s” but it is a %(kind)s file; rename it and try again.")
            % {"extension": extension, "kind": kind.extension.upper()}
        )
    return content_type


TITLE_MAX = 200  # Evidence.title
# A file system allows 255 bytes per name; the stored name also fits Evidence.file's 300 characters
# with its folders (evidence/<report>/<32 hex>/).
STORED_NAME_MAX_BYTES = 150


def shorten(name: str, limit: int, *, measure=len) -> str:
    """`name` cut to `limit` (characters, or bytes with `measure`), keeping its extension and whole characters."""
    if measure(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or measure(extension) > 10:
        stem, dot, extension = name, "", ""
    suffix = "…" + dot + extension
    while stem and measure(stem + suffix) > limit:
        stem = stem[:-1]
    return stem + suffix


def evidence_title(title: str) -> str:
    return shorten((title or "").strip(), TITLE_MAX)


def stored_name(filename: str) -> str:
    """The uploaded name as kept on disk: the person's name for it, short enough for any file system."""
    name = filename.replace("/", "_").replace("\\", "_").replace("\x00", "") or "file"
    return shorten(name, STORED_NAME_MAX_BYTES, measure=lambda text: len(text.encode("utf-8")))
