"""A pseudo-language for tests: every string the code marks for translation comes out as "⟦Ŝûbṁîţ⟧",
its placeholders and HTML kept, so a page or an email in it shows at a glance — and to a test — any
user-facing text nobody marked (it stays plain English letters).

It is served by a translation object of its own, not by a catalogue, so a string marked a minute ago is
covered before any translator has seen it, and so are Django's and the libraries' own strings."""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.utils.translation import trans_real

CODE = "en-xa"
OPEN, CLOSE = "⟦", "⟧"
_LETTERS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķĺṁñöṗʠŕśţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÖṖꝖŔŚŢÛṼŴẊÝŽ",
)
# What must come through untouched: placeholders (%(name)s, %s, {name}), HTML tags and entities.
_KEEP = re.compile(r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]|%[a-zA-Z%]|\{[^{}\s]*\}|<[^>]*>|&#?\w+;")


def pseudo(message: str) -> str:
    if not message or not message.strip():
        return message
    out, last = [], 0
    for kept in _KEEP.finditer(message):
        out.append(message[last:kept.start()].translate(_LETTERS))
        out.append(kept.group(0))
        last = kept.end()
    out.append(message[last:].translate(_LETTERS))
    return OPEN + "".join(out) + CLOSE


class PseudoTranslation(gettext.NullTranslations):
    def gettext(self, message):
        # pgettext asks for "context\x04message" and falls back to the message if \x04 comes back.
        return pseudo(message.rpartition("\x04")[2])

    def ngettext(self, singular, plural, number):
        return pseudo((singular if number == 1 else plural).rpartition("\x04")[2])

    def to_language(self):
        return CODE

    def language(self):
        return CODE


def install(settings, folder: Path) -> None:
    """Make CODE a language of the portal for this test (`settings` is pytest-django's fixture). An empty
    catalogue on disk lets Django's language checks find it; the pseudo translation then replaces it."""
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": CODE}
    target = folder / "en_XA" / "LC_MESSAGES"
    target.mkdir(parents=True)
    catalogue.save_as_mofile(str(target / "django.mo"))
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, folder]
    settings.LANGUAGES = [*settings.LANGUAGES, (CODE, pseudo("Pseudo-language"))]  # clears Django's translation caches
    trans_real._translations[CODE] = PseudoTranslation()


class _Text(HTMLParser):
    """The text a person reads (or hears) on a page: text outside scripts and styles, and the attributes
    that are read out or shown (labels, titles, placeholders, alternative texts, button values)."""

    SHOWN_ATTRIBUTES = frozenset({"title", "alt", "placeholder", "aria-label", "aria-description", "aria-roledescription"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces, self._skip = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template", "code", "kbd", "samp") or (
                tag == "select" and attrs.get("id") == "language-switcher"):
            # Machine text (keys, column names) is shown as code; the switcher names each language in that
            # language (Deutsch, Latviešu) whatever the page's.
            self._skip.append(tag)
        for name, value in attrs.items():
            shown = name in self.SHOWN_ATTRIBUTES or (
                tag == "input" and name == "value" and attrs.get("type") in ("submit", "button", "reset")) or (
                tag == "meta" and name == "content" and attrs.get("name") == "description")
            if value and shown:
                self.pieces.append(value)

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.pieces.append(data)


def html_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.pieces


_MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
_MACHINE = re.compile(r"https?://\S+|\S+@\S+\.\w+|/[\w/.?=&%#-]+")  # addresses and paths, not words
ENGLISH = re.compile(r"[A-Za-z]{2,}")


def _spaced(text: str) -> str:
    return " ".join(text.split())


def unmarked(piece: str, data: list[str], allowed: set[str]) -> str:
    """What is left of a piece of text after the marked strings, the portal's data and machine text: ''
    when nothing is, or the piece (for the report) when English words nobody marked remain."""
    text = _spaced(piece)
    while True:  # marked strings may hold marked strings ("⟦Šţàţûś: ⟦Ðŕàƒţ⟧⟧")
        stripped = _MARKED.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    if not any(word not in allowed for word in ENGLISH.findall(text)):
        return ""
    # A long text of the portal's cut short for a list or a choice ("2011–2012 · 1.3 BaltMet will undert…").
    core = re.sub(r"^[^A-Za-z]+", "", text).rstrip(" .…")
    if len(core) > 8 and any(core in value for value in data):
        return ""
    for value in sorted((value for value in data if value in text), key=len, reverse=True):
        text = text.replace(value, " ")
    text = _MACHINE.sub(" ", text)
    if not any(word not in allowed for word in ENGLISH.findall(text)):
        return ""
    return piece.strip()


def data_of_the_portal() -> list[str]:
    """Every text the database holds — plans, focus areas, action points, cities, people, reports, meetings —
    line by line: what people wrote is shown as they wrote it, in the language it was written in. Fields with
    choices are left out: their labels are the interface's and must be marked."""
    from django.apps import apps
    from django.db import models

    values = set()
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [field.attname for field in model._meta.concrete_fields
                  if isinstance(field, (models.CharField, models.TextField)) and not field.choices]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if value and isinstance(value, str):
                    values.update(_spaced(line) for line in value.splitlines() if len(line.strip()) > 2)
                    values.add(_spaced(value))
    return [value for value in values if ENGLISH.search(value)]
