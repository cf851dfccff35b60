"""Response headers and session lifetime that Django has no setting for.

- Content-Security-Policy: everything from our own origin, no inline script. Styles
  allow 'unsafe-inline' because plotly.js draws its charts by inserting <style>
  elements and style="" attributes at run time; scripts stay strict.
- Sessions end after SESSION_ABSOLUTE_SECONDS since login, however active (the idle
  limit is Django's own SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST).
"""

import base64
import functools
import hashlib
import re
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)
LOGIN_TIME_KEY = "_login_at"
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def allow_own_inline_scripts(view):
    """For third-party pages we cannot change (the Redoc API docs): allow exactly the
    inline scripts of this response, by hash, and workers from blob: URLs (Redoc's
    search). Every other page keeps the strict policy."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        html = response.content.decode(response.charset or "utf-8", errors="replace")
        digests = (hashlib.sha256(body.encode()).digest() for body in INLINE_SCRIPT.findall(html))
        hashes = " ".join(f"'sha256-{base64.b64encode(d).decode()}'" for d in digests)
        policy = CONTENT_SECURITY_POLICY.replace(
            "script-src 'self'", f"script-src 'self' {hashes}".rstrip()
        )
        response["Content-Security-Policy"] = f"{policy}; worker-src 'self' blob:"
        return response

    return wrapped


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


@receiver(user_logged_in, dispatch_uid="session-login-time")
def _remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_TIME_KEY] = time.time()


class AbsoluteSessionLimitMiddleware:
    """Log out a session SESSION_ABSOLUTE_SECONDS after its login (after
    AuthenticationMiddleware). A session from before this rule starts counting now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGIN_TIME_KEY)
            now = time.time()
            if started is None:
                request.session[LOGIN_TIME_KEY] = now
            elif now - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)
