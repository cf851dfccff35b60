from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="organizations:list"), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("organizations/", include("organizations.urls")),
    path("", include("assessments.urls")),
    path("", include("benchmarks.urls")),
    path("", include("roadmap.urls")),
    path("", include("reports.urls")),
    path("api/v1/", include("assessments.api_urls")),
    path("api/v1/", include("roadmap.api_urls")),
    path("api/v1/", include("benchmarks.api_urls")),
    path("api/v1/", include("reports.api_urls")),
]
