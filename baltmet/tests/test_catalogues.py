"""The translation catalogues: compiled as their sources say, complete, with each language's plural rule,
and up to date with the strings the code marks for translation (docs/translations.md)."""

import gettext
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from baltmet.catalogues import compiled, sources
from conftest import service_required

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

# printf-style (%(name)s, %s, %d) and str.format-style ({name}, {0}) placeholders; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[sdifrx]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_.]*\}|\{\d+\}")

# n → which plural form each language's grammar takes (CLDR / GNU gettext's standard rules).
PLURAL_SAMPLES = {
    **{code: {0: 1, 1: 0, 2: 1, 5: 1, 21: 1} for code in ("de", "fi", "sv", "nb", "et", "da")},
    "ru": {0: 2, 1: 0, 2: 1, 4: 1, 5: 2, 11: 2, 12: 2, 21: 0, 22: 1, 25: 2, 111: 2},
    "pl": {0: 2, 1: 0, 2: 1, 4: 1, 5: 2, 12: 2, 21: 2, 22: 1, 25: 2},
    "lt": {0: 2, 1: 0, 2: 1, 9: 1, 10: 2, 11: 2, 12: 2, 21: 0, 22: 1},
    "lv": {0: 2, 1: 0, 2: 1, 11: 1, 21: 0, 22: 1},
}


def catalogue(code):
    return polib.pofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.po"))


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def test_every_language_has_a_catalogue():
    assert sorted(path.parent.parent.name for path in sources()) == sorted(LANGUAGES)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(code):
    """The .mo Django reads is the one its .po compiles to now (`make setup` writes it): a .po edited
    since is caught."""
    po_path = ROOT / "locale" / code / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    fresh = compiled(po_path)
    assert mo_path.exists(), f"{mo_path} is missing: run `make setup` or `python manage.py compile_catalogues`"
    assert mo_path.read_bytes() == fresh, f"{mo_path} is older than its .po: run `python manage.py compile_catalogues`"

    # And what was compiled is what the translators wrote: every finished entry, no draft.
    reader = gettext.GNUTranslations(io.BytesIO(fresh))
    for entry in catalogue(code):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.obsolete or "fuzzy" in entry.flags or not entry.translated():
            assert key not in reader._catalog and (key, 0) not in reader._catalog, entry.msgid
        elif entry.msgid_plural:
            for index, form in entry.msgstr_plural.items():
                assert reader._catalog[(key, int(index))] == form
        else:
            assert reader._catalog[key] == entry.msgstr


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_plural_rule_is_the_languages_own(code):
    header = catalogue(code).metadata["Plural-Forms"]
    expected = PLURAL_SAMPLES[code]
    assert int(re.search(r"nplurals=(\d+)", header).group(1)) == max(expected.values()) + 1, header
    rule = gettext.c2py(re.search(r"plural=(.*?);?\s*$", header).group(1))
    assert {n: rule(n) for n in expected} == expected, header


def gaps(code):
    """Everything in one language's catalogue that would show a visitor English, a draft or a broken sentence."""
    po = catalogue(code)
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    rule = gettext.c2py(re.search(r"plural=(.*?);?\s*$", po.metadata["Plural-Forms"]).group(1))
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        where = f"{code}: {entry.msgid[:70]!r}"
        if "fuzzy" in entry.flags:
            found.append(f"{where} is fuzzy (a draft awaiting review)")
            continue
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(index, "") for index in range(nplurals)]
            if len(entry.msgstr_plural) != nplurals or not all(forms):
                found.append(f"{where} has {sum(1 for f in forms if f)} of {nplurals} plural forms")
                continue
            # A form that only n = 1 takes may say "one report" without the count, as English may; a form
            # for several numbers (Russian's first form is also 21, 31, …) must show it.
            expected = set(placeholders(entry.msgid_plural))
            for index, form in enumerate(forms):
                got = set(placeholders(form))
                only_one = {n for n in range(1000) if rule(n) == index} == {1}
                if not (got <= expected if only_one else got == expected):
                    found.append(f"{where}: plural form {index} {form[:50]!r} has placeholders {sorted(got)}, "
                                 f"the source {sorted(expected)}")
            continue
        if not entry.msgstr:
            found.append(f"{where} is untranslated")
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            found.append(f"{where}: placeholders {placeholders(entry.msgstr)} instead of {placeholders(entry.msgid)}")
    return found


def test_every_catalogue_is_complete():
    """No language shows English or a draft: every entry translated, none fuzzy, every plural form there,
    the same placeholders as the English. Run `make translations` after changing strings in the code."""
    found = {code: gaps(code) for code in LANGUAGES}
    summary = ", ".join(f"{code}: {len(items)}" for code, items in found.items() if items)
    details = "\n".join(item for items in found.values() for item in items[:15])
    assert not summary, f"gaps per language — {summary}\n{details}"


def entry_keys(po):
    return {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in po if not entry.obsolete}


def test_every_catalogue_has_the_same_strings():
    """Every language is refreshed together (`make translations` does all of them)."""
    reference = entry_keys(catalogue(LANGUAGES[0]))
    for code in LANGUAGES[1:]:
        keys = entry_keys(catalogue(code))
        assert keys == reference, (code, sorted(m for _, m, _ in reference - keys)[:10],
                                   sorted(m for _, m, _ in keys - reference)[:10])


@pytest.mark.timeout(600)
def test_the_catalogues_hold_every_string_the_code_marks(tmp_path):
    """makemessages (GNU gettext's xgettext) on a copy of the code finds no string the catalogues lack, and
    the catalogues hold no string the code has dropped."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        service_required("GNU gettext", "xgettext/msgmerge are not on PATH (apt-get install gettext)")
    copy = tmp_path / "code"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in tracked.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    code = LANGUAGES[0]
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", code, "--ignore=node_modules",
                    "--ignore=var", "-v0"], cwd=copy, check=True, env={**os.environ, "DEBUG": "1"})
    in_code = entry_keys(polib.pofile(str(copy / "locale" / code / "LC_MESSAGES" / "django.po")))
    in_catalogue = entry_keys(catalogue(code))
    missing = sorted(m for _, m, _ in in_code - in_catalogue)
    dropped = sorted(m for _, m, _ in in_catalogue - in_code)
    assert not missing and not dropped, (
        f"run `make translations`: {len(missing)} strings of the code are not in the catalogues "
        f"{[m[:60] for m in missing[:15]]}; {len(dropped)} in the catalogues no longer in the code "
        f"{[m[:60] for m in dropped[:15]]}")
