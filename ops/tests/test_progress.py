"""Long-running commands show their progress on a terminal, and only there: cron mail and pipes get the
same plain output as before."""

from io import StringIO

import pytest
from django.core.management import call_command

from testing.fixtures import SEED


class Terminal(StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
def test_it_shows_the_import_progress_on_a_terminal():
    on_terminal, out = Terminal(), StringIO()
    call_command("import_plan", str(SEED), stdout=out, stderr=on_terminal)
    assert "Importing" in on_terminal.getvalue() and "focus area" in on_terminal.getvalue()
    assert "Importing" not in out.getvalue() and "Imported" in out.getvalue()


@pytest.mark.django_db
def test_it_writes_no_progress_into_a_pipe():
    piped = StringIO()
    call_command("import_plan", str(SEED), stdout=StringIO(), stderr=piped)
    call_command("send_digests", stdout=StringIO(), stderr=piped)
    assert piped.getvalue() == ""


@pytest.mark.django_db
def test_it_shows_the_load_data_and_digest_progress_on_a_terminal():
    on_terminal = Terminal()
    call_command("generate_load_data", "--scale", "0.05", stdout=StringIO(), stderr=on_terminal)
    # A bar of the seven steps (how far it is drawn depends on the machine's speed; it is cleared at the end).
    assert "Generating" in on_terminal.getvalue() and "/7 [" in on_terminal.getvalue()

    on_terminal = Terminal()
    call_command("send_digests", stdout=StringIO(), stderr=on_terminal)
    assert "Sending digests" in on_terminal.getvalue()
