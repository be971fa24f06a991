"""What a language's catalogue says for an English string, for tests that check a page or an email arrived in
that language. Only finished entries count: a fuzzy or untranslated one would show English, so a test that
chose it fails here rather than passing on the source text."""

from functools import cache
from pathlib import Path

import polib
from django.conf import settings
from django.utils.html import escape


@cache
def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"))


def translated(language: str, msgid: str, *, context: str | None = None, html: bool = False) -> str:
    entry = _catalogue(language).find(msgid, msgctxt=context) if context else _catalogue(language).find(msgid)
    assert entry is not None, f"{msgid!r} is not in the {language} catalogue"
    assert entry.translated() and entry.msgstr != msgid, f"{msgid!r} is not (yet) translated in {language}"
    return escape(entry.msgstr) if html else entry.msgstr
