"""Single sign-on through the company's OpenID Connect provider (Entra ID, Okta, Google…),
with mozilla-django-oidc doing the authorization-code flow.

Off unless OIDC_ENABLED (README "Single sign-on"). What this module adds to the library:
- the ID token is checked for its issuer, its audience (our client id) and its expiry,
  which the library leaves unchecked or lets escape as an error page;
- a user is matched by a *verified* email only, and only from an allowed domain when
  OIDC_ALLOWED_EMAIL_DOMAINS is set; an unknown email creates an account only with
  OIDC_CREATE_USERS, and never a membership: what a user may see is still granted by a
  consultant's invitation (organizations/members.py), never by the identity provider;
- every refusal says why on the login page and is recorded in the audit log.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from audit.services import record

logger = logging.getLogger(__name__)

# Seconds of clock difference tolerated between the provider and this server.
CLOCK_LEEWAY_SECONDS = 60


class SignOnRefused(Exception):
    """The provider signed someone in whom we refuse; the message is for that person."""


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


class CompanySignOnBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or request is None:
            return None
        try:
            user = super().authenticate(request, **kwargs)
        except SignOnRefused as refusal:
            return self._refuse(request, str(refusal))
        except SuspiciousOperation as error:
            logger.warning("single sign-on refused: %s", error)
            return self._refuse(
                request,
                _("The answer from %(provider)s could not be verified. Try again.")
                % {"provider": provider_name()},
            )
        except requests.RequestException as error:
            logger.warning("single sign-on: the provider did not answer: %s", error)
            return self._refuse(
                request,
                _("%(provider)s could not be reached. Try again in a moment.")
                % {"provider": provider_name()},
            )
        if user is not None:
            record(
                action="login.sso",
                user=user,
                object_type="user",
                object_id=user.pk,
                summary=f"{user.get_username()} signed in with {provider_name()}",
            )
        return user

    def _refuse(self, request, reason: str):
        request.sign_on_refusal = reason
        record(
            action="login.sso_refused",
            object_type="user",
            summary=f"Sign-in with {provider_name()} refused: {reason}",
        )
        return None

    def _verify_jws(self, payload, key):
        """The library's signature check, plus issuer, audience and expiry."""
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
        except jwt.PyJWTError as error:
            raise SuspiciousOperation("unreadable ID token header") from error
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {algorithm!r}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise SignOnRefused(
                _("Your sign-in with %(provider)s has expired. Sign in again.")
                % {"provider": provider_name()}
            ) from error
        except jwt.InvalidAudienceError as error:
            raise SignOnRefused(
                _(
                    "%(provider)s issued this sign-in for another application, not for "
                    "AI Scaling Maturity. Ask your IT department to check the client id."
                )
                % {"provider": provider_name()}
            ) from error
        except jwt.InvalidIssuerError as error:
            raise SignOnRefused(
                _("This sign-in was not issued by %(provider)s as configured.")
                % {"provider": provider_name()}
            ) from error
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def verify_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            raise SignOnRefused(
                _("%(provider)s did not tell us your email address.")
                % {"provider": provider_name()}
            )
        if claims.get("email_verified") is not True:
            raise SignOnRefused(
                _(
                    "%(provider)s has not verified your email address %(email)s, so it cannot "
                    "sign you in here. Verify it with your IT department, or log in with your "
                    "password."
                )
                % {"provider": provider_name(), "email": email}
            )
        allowed = settings.OIDC_ALLOWED_EMAIL_DOMAINS
        if allowed and email_domain(email) not in allowed:
            raise SignOnRefused(
                _("Accounts at %(domain)s cannot sign in with %(provider)s here.")
                % {"domain": email_domain(email), "provider": provider_name()}
            )
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims["email"].strip(), is_active=True)

    def get_or_create_user(self, access_token, id_token, payload):
        # The library answers several users, or none without OIDC_CREATE_USER, with a
        # silent failure; each gets its own reason here.
        claims = self.get_userinfo(access_token, id_token, payload)
        self.verify_claims(claims)
        users = list(self.filter_users_by_claims(claims)[:2])
        if len(users) > 1:
            raise SignOnRefused(
                _("Several accounts use %(email)s; ask an administrator to merge them.")
                % {"email": claims["email"]}
            )
        if users:
            return users[0]
        if not settings.OIDC_CREATE_USERS:
            raise SignOnRefused(
                _("There is no account for %(email)s. Ask your consultant for an invitation.")
                % {"email": claims["email"]}
            )
        return self.create_user(claims)

    def create_user(self, claims):
        email = claims["email"].strip().lower()
        if self.UserModel.objects.filter(username__iexact=email).exists():
            raise SignOnRefused(
                _("An account named %(email)s already exists with another email.")
                % {"email": email}
            )
        user = self.UserModel.objects.create_user(
            username=email,
            email=email,
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        record(
            action="user.created_by_sso",
            user=user,
            object_type="user",
            object_id=user.pk,
            summary=f"Account {email} created at first sign-in with {provider_name()} "
            "(no organization yet)",
        )
        return user


class SignOnAvailable:
    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not configured.")
        return super().dispatch(request, *args, **kwargs)


class StartSignOnView(SignOnAvailable, OIDCAuthenticationRequestView):
    """Sends the browser to the provider's login page, remembering a safe `next`."""


class FinishSignOnView(SignOnAvailable, OIDCAuthenticationCallbackView):
    """The provider's redirect back: signs in, or back to the login page saying why."""

    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation as error:  # a replayed or foreign `state`
            logger.warning("single sign-on callback refused: %s", error)
            request.sign_on_refusal = _("This sign-in link was already used or has expired.")
            return self.login_failure()

    def login_failure(self):
        reason = getattr(self.request, "sign_on_refusal", None)
        if self.request.GET.get("error"):
            reason = _("%(provider)s did not sign you in (%(error)s).") % {
                "provider": provider_name(),
                "error": self.request.GET["error"],
            }
        messages.error(
            self.request,
            reason
            or _("Signing in with %(provider)s failed. Try again.") % {"provider": provider_name()},
        )
        return redirect(settings.LOGIN_URL)
