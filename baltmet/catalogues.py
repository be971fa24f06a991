"""The translation catalogues (locale/<lang>/LC_MESSAGES/django.po) compiled to the .mo files Django reads,
in Python (polib), so neither `make run` nor `make test` needs GNU gettext on the machine."""

import os
import tempfile
from pathlib import Path

import polib
from django.conf import settings


def sources() -> list[Path]:
    """Every django.po under the project's LOCALE_PATHS."""
    found = []
    for root in settings.LOCALE_PATHS:
        found.extend(Path(root).glob("*/LC_MESSAGES/django.po"))
    return sorted(found)


def compiled(po_path: Path) -> bytes:
    """The .mo for one .po, as bytes: translated entries only (untranslated, fuzzy and obsolete ones are left
    out, as msgfmt does, so a visitor sees the English source rather than a draft)."""
    catalogue = polib.pofile(str(po_path))
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "django.mo"
        catalogue.save_as_mofile(str(target))
        return target.read_bytes()


def compile_all() -> list[Path]:
    """Writes each .mo beside its .po; returns the ones that changed. The file is replaced in one step,
    so a process reading the catalogue meanwhile sees the old one or the new one, never half of one."""
    changed = []
    for po_path in sources():
        mo_path = po_path.with_suffix(".mo")
        data = compiled(po_path)
        if mo_path.exists() and mo_path.read_bytes() == data:
            continue
        handle, temporary = tempfile.mkstemp(dir=mo_path.parent, prefix=".django.", suffix=".mo")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, mo_path)
        changed.append(mo_path)
    return changed
