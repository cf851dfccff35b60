from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import services
from .forms import OrganizationForm, ThrottledAuthenticationForm
from .models import Branding
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
    """Django's login page with throttling: HTTP 429 while locked out."""

    form_class = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = 429
        return response


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
