"""Small things a newcomer meets first: the browser's icon, and a command run without settings."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def test_the_favicon_is_found(db):
    response = Client().get("/favicon.ico")

    assert response.status_code == 301 and response["Location"].endswith(".svg")
    assert (ROOT / "static" / "favicon.svg").read_text().startswith("<svg")


def test_a_command_without_a_secret_key_says_so_in_one_line():
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    environment["DJANGO_SETTINGS_MODULE"] = "baltmet.settings"

    run = subprocess.run([sys.executable, "manage.py", "send_digests", "--help"], cwd=ROOT, env=environment,
                         capture_output=True, text=True, timeout=60)

    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [
        "manage.py: SECRET_KEY is not set. Set the SECRET_KEY environment variable "
        "(for local development, DEBUG=1 uses a throw-away key)."]
