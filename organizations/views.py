from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import services
from .forms import OrganizationForm, ThrottledAuthenticationForm
from .selectors import organizations_for_user


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

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response
