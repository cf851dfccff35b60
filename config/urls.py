from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, register_converter
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from common.security import allow_own_inline_scripts
from organizations.views import ThrottledLoginView, set_language
from practice import views as practice_views

from .api_auth import TokenView
from .converters import IdConverter
from .redoc import redoc_bundle

# A URL no route matches answers in the API's error format under /api/ (the usual page elsewhere).
handler404 = "common.api_errors.page_not_found"

# Registered before the apps' URL modules are included: they use <id:...>.
register_converter(IdConverter, "id")

urlpatterns = [
    path("", practice_views.home, name="home"),
    # Browsers ask for /favicon.ico where a page names no icon (Redoc, files, errors).
    path("favicon.ico", lambda request: redirect(static("icons/favicon.ico"), permanent=True)),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("organizations.account_urls")),
    # The language switch of every page (Django's set_language; a signed-in user's choice
    # is also kept as their preference).
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("methodology/", include("assessments.bank_urls")),
    path("", include("results.urls")),
    path("organizations/", include("organizations.urls")),
    path("", include("assessments.urls")),
    path("", include("benchmarks.urls")),
    path("", include("roadmap.urls")),
    path("", include("reports.urls")),
    path("", include("practice.urls")),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/v1/", include("organizations.api_urls")),
    path("api/v1/", include("assessments.api_urls")),
    path("api/v1/", include("roadmap.api_urls")),
    path("api/v1/", include("benchmarks.api_urls")),
    path("api/v1/", include("reports.api_urls")),
    path("api/v1/", include("audit.api_urls")),
    path("api/v1/", include("practice.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's split view loads its set-up script from a URL, as our CSP requires;
    # Redoc's page may have inline ones (allowed by hash) and starts a blob: worker.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "api/redoc-dist/bundles/redoc.standalone.js",
        redoc_bundle,
        name="api-redoc-bundle",
    ),
    path(
        "api/redoc/",
        allow_own_inline_scripts(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
]
