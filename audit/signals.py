"""Logins and failed logins go to the audit log (and the login time to the session)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import services


@receiver(user_logged_in, dispatch_uid="audit-login")
def _logged_in(sender, request, user, **kwargs):
    services.record(action="login", user=user, obj=user, summary=f"{user.get_username()} logged in")


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    services.record(
        action="login.failed",
        actor=username,
        object_type="user",
        summary=f"Failed login for {username!r}",
    )
