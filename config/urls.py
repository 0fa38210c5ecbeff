from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from ops import views as ops_views

urlpatterns = [
    path("", include("storefront.urls")),
    path("", include("reviews.urls")),
    path("", include("care.urls")),
    # Django's sign-in page with rate limits (per address and per account name tried).
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("desk/", include("desk.urls")),
    path("api/", include("config.api_router")),
    path("admin/", admin.site.urls),
    # Probes and metrics; answered first by ops.middleware.ProbeMiddleware (docs/health-and-metrics.md).
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("metrics", ops_views.metrics, name="metrics"),
]
# The site's error pages in its layout; the API's paths keep JSON (core/error_pages.py).
handler400 = "core.error_pages.bad_request"
handler403 = "core.error_pages.permission_denied"
handler404 = "core.error_pages.page_not_found"
handler500 = "core.db_unavailable.server_error"  # a database outage answers 503 (core/db_unavailable.py)
