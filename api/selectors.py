"""Reads of API tokens."""

import hashlib

from .models import ApiToken


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created", "-pk")


def token_for_secret(secret: str) -> ApiToken | None:
    """The token a secret belongs to (revoked or not), with its person."""
    return ApiToken.objects.select_related("user").filter(key_hash=secret_hash(secret)).first()
