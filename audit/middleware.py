import logging

from . import context, services

logger = logging.getLogger(__name__)


class RequestContextMiddleware:
    """A fresh id per request (request.request_id, X-Request-ID) and the request made
    available to audit entries; writes the entries that must survive a rollback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = context.RequestContext(request)
        request.request_id = ctx.request_id
        token = context.activate(ctx)
        try:
            response = self.get_response(request)
        finally:
            try:
                services.flush_deferred(ctx)
            except Exception:  # never turn an answered request into an error page
                logger.exception("could not write audit entries of request %s", ctx.request_id)
            context.deactivate(token)
        response["X-Request-ID"] = ctx.request_id
        return response
