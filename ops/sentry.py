"""Error reporting through Sentry's SDK, only when SENTRY_DSN is set (settings.py calls init)."""


def init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> bool:
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn, environment=environment or None, release=release or None,
        traces_sample_rate=traces_sample_rate,
        # Delegates' and Mayors' names, addresses and cookies stay on the portal's machines.
        send_default_pii=False,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=_with_request_id,
    )
    return True


def _with_request_id(event, hint):
    from .requestid import current

    if current.get():
        event.setdefault("tags", {})["request_id"] = current.get()
    return event
