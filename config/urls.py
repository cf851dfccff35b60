from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from organizations.views import ThrottledLoginView

from .api_auth import TokenView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="organizations:list"), name="home"),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("organizations/", include("organizations.urls")),
    path("", include("assessments.urls")),
    path("", include("benchmarks.urls")),
    path("", include("roadmap.urls")),
    path("", include("reports.urls")),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/v1/", include("organizations.api_urls")),
    path("api/v1/", include("assessments.api_urls")),
    path("api/v1/", include("roadmap.api_urls")),
    path("api/v1/", include("benchmarks.api_urls")),
    path("api/v1/", include("reports.api_urls")),
    path("api/v1/", include("audit.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
