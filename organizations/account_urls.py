"""The signed-in user's account (/accounts/), single sign-on (organizations/sso.py), and the
password pages: change, "forgot password?" and the links emailed for a reset or an
invitation (Django's views)."""

from django.urls import path

from . import sso, views

urlpatterns = [
    path("", views.account, name="account"),
    path("sso/start/", sso.StartSignOnView.as_view(), name="sso-start"),
    path("sso/finish/", sso.FinishSignOnView.as_view(), name="sso-finish"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        views.PasswordSetView.as_view(),
        name="password_set",
    ),
    path(
        "password/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
