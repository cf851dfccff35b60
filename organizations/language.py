"""Each user's own language (organizations.UserPreferences.language).

- Pages: `UserLanguageMiddleware` (after AuthenticationMiddleware) activates a signed-in
  user's chosen language; it wins over the browser's Accept-Language and the language
  cookie. A user who chose none, and everyone signed out, keep LocaleMiddleware's choice.
  The choice is read once per session (at login, or at the first request of a session
  from before) and kept in the session, so pages cost no query for it.
- The API: `config.api_auth`'s authentication classes activate it for token callers too.
- Emails: `language_of(user)` is what a member's emails are rendered in
  (`translation.override`), the site's default when the member chose none.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from .models import UserPreferences

SESSION_KEY = "_user_language"


def is_language(code: str | None) -> bool:
    return code in {language for language, _name in settings.LANGUAGES}


def chosen_language(user) -> str:
    """The user's chosen language, or "" when they chose none (or are signed out)."""
    if user is None or not user.is_authenticated:
        return ""
    language = (
        UserPreferences.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    )
    return language if is_language(language) else ""


def language_of(user) -> str:
    """The language to write to this user in (emails): their choice, else the site's."""
    return chosen_language(user) or settings.LANGUAGE_CODE


def set_language_of(user, language: str, request=None) -> None:
    """Store the user's choice ("" for the browser's); with a request, this session
    follows it at once."""
    language = language if is_language(language) else ""
    UserPreferences.objects.update_or_create(user=user, defaults={"language": language})
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = language


@receiver(user_logged_in, dispatch_uid="session-user-language")
def _remember_language(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = chosen_language(user)


def activate_for(request, language: str) -> None:
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()


class UserLanguageMiddleware:
    """Pages in the signed-in user's chosen language (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = request.session.get(SESSION_KEY)
            if language is None:  # a session from before the choice was kept in it
                language = chosen_language(user)
                request.session[SESSION_KEY] = language
            if is_language(language):
                activate_for(request, language)
        return self.get_response(request)
