from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views
from .docs import csp_for_docs
from .errors import not_found

router = SimpleRouter()
router.register("public/plans", views.PublicPlans, basename="public-plan")
router.register("public/action-points", views.PublicActionPoints, basename="public-action-point")
router.register("public/progress", views.PublicProgress, basename="public-progress")
router.register("public/indicators", views.PublicIndicators, basename="public-indicator")
router.register("public/indicator-values", views.PublicIndicatorValues, basename="public-indicator-value")
router.register("action-points", views.ActionPoints, basename="action-point")
router.register("periods", views.Periods, basename="period")
router.register("reports", views.Reports, basename="report")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/me/", views.Me.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", csp_for_docs(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    # Anything else under /api/ answers the API's own error body.
    re_path(r"^.*$", not_found),
]
