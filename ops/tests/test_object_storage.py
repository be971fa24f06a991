"""Uploaded evidence on S3-compatible object storage, against a real S3 server (moto's, over HTTP).

The storage is configured exactly as in production: from the environment, through
baltmet.storage.default_storage_from_env (what settings.py calls)."""

import subprocess
import sys

import environ
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from reports.models import Evidence
from reports.tests.conftest import form_data
from testing.services import free_port, port_open, wait_for

BUCKET = "baltmet-evidence"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "portal", "AWS_SECRET_ACCESS_KEY": "portal-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    try:
        import moto.server  # noqa: F401
    except ImportError:
        from conftest import service_required

        service_required("an S3-compatible server", "moto[server] is not installed (requirements-dev.txt)")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: port_open("127.0.0.1", port), timeout=30, message="the S3 server to listen")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, monkeypatch):
    """The portal's default storage is the bucket, configured from the environment as in production."""
    import boto3

    from baltmet.storage import default_storage_from_env

    variables = {"AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": s3_endpoint,
                 "AWS_S3_REGION_NAME": "eu-north-1", "AWS_S3_ADDRESSING_STYLE": "path",
                 "AWS_LOCATION": "portal", **CREDENTIALS}
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-north-1",
                          aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"])
    for existing in client.list_objects_v2(Bucket=BUCKET).get("Contents", []) if _exists(client) else []:
        client.delete_object(Bucket=BUCKET, Key=existing["Key"])
    if not _exists(client):
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    storage = default_storage_from_env(environ.Env())
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    with override_settings(STORAGES={"default": storage,
                                     "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}):
        yield client


def _exists(client) -> bool:
    return any(b["Name"] == BUCKET for b in client.list_buckets().get("Buckets", []))


def _keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_a_delegates_file_is_stored_in_the_bucket_and_downloaded_only_through_the_permission_check(
    bucket, riga_report, alice, bob, client_for,
):
    page = reverse("reports:report", args=[riga_report.pk])
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes of the Riga workshop",
                                content_type="application/pdf")
    response = client_for(alice).post(page, {**form_data(riga_report), "evidence_file": upload})
    assert response.status_code == 302, response.content[:500]

    evidence = Evidence.objects.get(report=riga_report)
    keys = _keys(bucket)
    assert keys == [f"portal/{evidence.file.name}"]
    stored = bucket.get_object(Bucket=BUCKET, Key=keys[0])
    assert stored["Body"].read() == b"%PDF-1.4 minutes of the Riga workshop"
    # Private: the object carries no public grant; the page links to the portal, not to the bucket.
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=keys[0])["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("AllUsers")]
    download = reverse("reports:evidence", args=[riga_report.pk, evidence.pk])
    report_page = client_for(alice).get(page).content.decode()
    assert download in report_page and "127.0.0.1" not in report_page.split("<main", 1)[-1]

    response = client_for(alice).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes of the Riga workshop"
    assert 'filename="minutes.pdf"' in response["Content-Disposition"]
    # Bob (Tallinn) may not read Riga's draft, wherever its file is kept.
    assert client_for(bob).get(download).status_code == 403


def test_a_refused_save_leaves_nothing_in_the_bucket(bucket, riga_report, alice, client_for):
    page = reverse("reports:report", args=[riga_report.pk])
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    # Read at version 1, saved meanwhile by someone else: the conflict page, and the file is not kept.
    client_for(alice).post(page, form_data(riga_report, summary="Saved in another tab."))
    response = client_for(alice).post(page, {**form_data(riga_report), "evidence_file": upload})
    assert response.status_code == 200
    assert "This report changed since you opened it" in response.content.decode()
    assert not Evidence.objects.filter(report=riga_report).exists()
    assert _keys(bucket) == []


def test_a_file_missing_from_the_bucket_is_a_404_not_a_500(bucket, riga_report, alice, client_for):
    from reports import services

    evidence = services.evidence_add(report=riga_report, user=alice, content_type="application/pdf",
                                     upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"))
    bucket.delete_object(Bucket=BUCKET, Key=f"portal/{evidence.file.name}")
    response = client_for(alice).get(reverse("reports:evidence", args=[riga_report.pk, evidence.pk]))
    assert response.status_code == 404
