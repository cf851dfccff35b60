"""Token authentication for the API, answering in the caller's chosen language.

Its own module: settings.REST_FRAMEWORK names it, and DRF imports it while importing its
views (config/api_auth.py imports those views)."""

from rest_framework.authentication import TokenAuthentication

from organizations.language import activate_for, chosen_language


class TokenInUserLanguage(TokenAuthentication):
    """Token authentication that answers in the caller's chosen language (error messages;
    the keys and codes stay English). A caller who chose none keeps Accept-Language."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            language = chosen_language(result[0])
            if language:
                activate_for(request._request, language)
        return result
