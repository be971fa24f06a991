"""The probes and the metrics are answered first, before host validation, the HTTPS redirect, sessions
and the rest: a load balancer or Prometheus asks a gunicorn instance directly, over plain HTTP, by its
address (Host: 10.0.0.5:8001), and a probe must not depend on what it probes. The same views are in
ops/urls.py, so they have names and a place in the URL × role table."""

from .health import healthz, readyz
from .metrics import metrics

PROBES = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics}


class ProbesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = PROBES.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
