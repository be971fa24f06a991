"""Where uploaded evidence is kept, read from the environment (called by settings.py, and by the tests
that run it against a real S3-compatible server).

Local files under MEDIA_ROOT by default; S3-compatible object storage (django-storages) when a bucket is
named, so every machine sees the same files. Files stay private either way: downloads go through the
portal's permission check, never a public or pre-signed URL handed out by the page."""


def default_storage_from_env(env) -> dict:
    bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket,
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
        "location": env.str("AWS_LOCATION", default=""),
        "default_acl": "private", "querystring_auth": True, "file_overwrite": False,
    }}
