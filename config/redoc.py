"""Redoc's bundle without its one request to the web: the sidebar's "API docs by
Redocly" link shows a logo from cdn.redoc.ly, which our Content-Security-Policy blocks
(a console error on every visit). The bundle is served from the sidecar package with
that address replaced by an empty data: image, whose load error makes Redoc drop the
logo; the link itself stays."""

from functools import cache
from pathlib import Path

import drf_spectacular_sidecar
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

BUNDLE = Path(drf_spectacular_sidecar.__file__).parent / (
    "static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
)
LOGO_URL = "https://cdn.redoc.ly/redoc/logo-mini.svg"
NO_LOGO = "data:,"


@cache
def _bundle() -> bytes:
    return BUNDLE.read_text(encoding="utf-8").replace(LOGO_URL, NO_LOGO).encode()


@require_GET
@cache_control(public=True, max_age=86400)
def redoc_bundle(request):
    return HttpResponse(_bundle(), content_type="text/javascript; charset=utf-8")
