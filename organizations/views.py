from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import i18n
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import record

from . import services
from .forms import (
    LanguageForm,
    MemberPasswordResetForm,
    OrganizationForm,
    ThrottledAuthenticationForm,
)
from .language import activate_for, chosen_language, is_language, set_language_of
from .models import Branding
from .selectors import memberships_of_user, organizations_for_user


@login_required
def organization_list(request):
    return render(
        request,
        "organizations/list.html",
        {"organizations": organizations_for_user(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = services.organization_create(user=request.user, **form.cleaned_data)
        return redirect("results:organization", organization_id=organization.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "organizations/create.html", {"form": form}, status=status)


class ThrottledLoginView(LoginView):
    """Django's login page with throttling: HTTP 429 (with Retry-After) while locked out."""

    form_class = ThrottledAuthenticationForm

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sign_on_provider": settings.OIDC_PROVIDER_NAME if settings.OIDC_ENABLED else None,
        }

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


# --- the account: own organizations, password change, reset and invitation links -------


def _link_days() -> int:
    return max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    if request.method == "POST":
        form = LanguageForm(request.POST)
        if form.is_valid():
            language = form.cleaned_data["language"]
            set_language_of(request.user, language, request)
            if language:
                activate_for(request, language)
            messages.success(request, _("Your language was saved."))
            response = redirect("account")
            if not language:  # the browser's: a switch's earlier choice no longer holds
                response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
            return response
        status = 400
    else:
        form = LanguageForm(initial={"language": chosen_language(request.user)})
        status = 200
    return render(
        request,
        "registration/account.html",
        {"memberships": memberships_of_user(request.user), "language_form": form},
        status=status,
    )


@require_POST
def set_language(request):
    """Django's language switch (the cookie, back to `next`); a signed-in user's choice is
    also kept as their preference (organizations/language.py)."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and is_language(language):
        set_language_of(request.user, language, request)
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (the session stays signed in), back to the account page."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            action="password.changed",
            user=self.request.user,
            obj=self.request.user,
            summary=f"{self.request.user.get_username()} changed their password",
        )
        messages.success(self.request, _("Your password was changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """The "Forgot password?" page: the same answer whether or not the email is known.

    Links are built on SITE_URL, never on the request's Host header.
    """

    form_class = MemberPasswordResetForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "emails/password_reset_subject.txt"
    email_template_name = "emails/password_reset.txt"
    html_email_template_name = "emails/password_reset.html"

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL, "link_days": _link_days()}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "link_days": _link_days()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from a reset email: choose a new password (once; the link then fails)."""

    template_name = "registration/password_reset_confirm.html"
    title = gettext_lazy("Choose a new password")
    audit_action = "password.reset"

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        record(
            action=self.audit_action,
            user=user,
            obj=user,
            summary=f"{user.get_username()} set a new password from an emailed link",
        )
        return response


class PasswordSetView(PasswordResetConfirmView):
    """The link from an invitation: an invited member sets their first password."""

    title = gettext_lazy("Set your password")
    audit_action = "password.set"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg"}


@require_GET
def branding_logo(request, name: str):
    """A branding logo for emails. Logos are validated and re-encoded when uploaded and
    stored as `branding/<organization>-<random>.<png|jpg>`: only such a stored name is
    served, never a path."""
    extension = name.rsplit(".", 1)[-1]
    if "/" in name or extension not in LOGO_TYPES:
        raise Http404("No such logo.")
    branding = Branding.objects.filter(logo=f"branding/{name}").first()
    if branding is None:
        raise Http404("No such logo.")
    try:
        handle = branding.logo.open("rb")
    except OSError as exc:
        raise Http404("No such logo.") from exc
    response = FileResponse(handle, content_type=LOGO_TYPES[extension])
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
