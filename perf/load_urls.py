"""The app's URLs plus /perf/bare/: a view returning a tiny response without touching
the database, through the same middleware, the baseline the API is compared with."""

from django.db import transaction
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


@transaction.non_atomic_requests
def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("perf/bare/", bare, name="perf-bare"), *app_urlpatterns]
