"""The request being served, for audit entries written deep inside services.

`RequestContextMiddleware` gives every request an id (returned as X-Request-ID) and
makes the request available here; outside a request (commands, tasks) there is none.
"""

import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class RequestContext:
    request: object
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    # Entries that must outlive the request's transaction (a refused request rolls back).
    deferred: list = field(default_factory=list)

    @property
    def ip(self) -> str | None:
        return self.request.META.get("REMOTE_ADDR") or None

    @property
    def user(self):
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None


_current: ContextVar[RequestContext | None] = ContextVar("audit_request", default=None)


def current() -> RequestContext | None:
    return _current.get()


def activate(context: RequestContext):
    return _current.set(context)


def deactivate(token) -> None:
    _current.reset(token)
