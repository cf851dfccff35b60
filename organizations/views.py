from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assessments.forms import AssessmentForm
from assessments.selectors import latest_bank

from . import services
from .forms import OrganizationForm, ThrottledAuthenticationForm
from .models import Role
from .selectors import organization_for_member, organizations_for_user


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
        return redirect("organizations:detail", organization_id=organization.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "organizations/create.html", {"form": form}, status=status)


@login_required
def organization_detail(request, organization_id: int):
    organization, membership = organization_for_member(request.user, organization_id)
    can_manage = membership.role == Role.CONSULTANT
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "membership": membership,
            "can_manage": can_manage,
            "assessments": organization.assessments.select_related("bank"),
            "members": organization.memberships.select_related("user"),
            "assessment_form": AssessmentForm(initial={"bank": latest_bank()})
            if can_manage
            else None,
        },
    )


class ThrottledLoginView(LoginView):
    """Django's login page with throttling: HTTP 429 while locked out."""

    form_class = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = 429
        return response
