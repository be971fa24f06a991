import json

import pytest
from django.test import Client

from api.services import token_create


class ApiClient:
    """Requests to the API with a person's token (or none), JSON in and out."""

    def __init__(self, secret: str | None = None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def _call(self, method, url, data=None, **extra):
        kwargs = {"headers": {**self.headers, **extra.pop("headers", {})}, **extra}
        if data is not None:
            kwargs.update(data=json.dumps(data), content_type="application/json")
        return getattr(self.client, method)(url, **kwargs)

    def get(self, url, params=None, **extra):
        return self.client.get(url, params or {}, headers={**self.headers, **extra.pop("headers", {})}, **extra)

    def post(self, url, data=None, **extra):
        return self._call("post", url, data if data is not None else {}, **extra)

    def patch(self, url, data=None, **extra):
        return self._call("patch", url, data if data is not None else {}, **extra)

    def delete(self, url, **extra):
        return self._call("delete", url, **extra)


def secret_for(user, name="Tests"):
    return token_create(user=user, name=name, second_factor_passed=True)[1]


@pytest.fixture
def api_for():
    """api_for(user) — an API client with a fresh token of the person's; api_for(None): anonymous."""
    return lambda user: ApiClient(secret_for(user) if user is not None else None)
