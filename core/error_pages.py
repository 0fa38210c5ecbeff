"""The site's error pages: 400, 403 (a refused permission and a failed CSRF check), 404.

Each is rendered in the site's layout (templates/<status>.html extend base.html) in the
request's language, with a way back. The API keeps its JSON errors: a request under /api/
or asking for JSON gets core.api_errors.error_body. The 500 is core.db_unavailable.server_error
(templates/500.html, rendered without the request: the failure may be the database itself).

A refused permission is an ordinary answer, not a fault: Django logs it on ``django.request``
as a warning *with the exception's traceback*; core.log_filters.NoTracebackForClientErrors
keeps the one-line warning and drops the traceback (settings.LOGGING).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from core.api_errors import error_body
from core.db_unavailable import wants_api_error


def _api_or_page(
    request: HttpRequest, *, status: int, code: str, message: str, template: str, **context: object
) -> HttpResponse:
    if wants_api_error(request):
        return JsonResponse(error_body(code, message), status=status)
    return render(request, template, {"message": message, **context}, status=status)


@requires_csrf_token  # the layout's language form needs a token even on an error page
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("The request could not be understood. Check the address, or go back and try again.")
    return _api_or_page(request, status=400, code="bad_request", message=message, template="400.html")


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("You do not have permission to open this page.")
    return _api_or_page(request, status=403, code="permission_denied", message=message, template="403.html")


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("There is no page at this address. It may have moved, or the link may be mistyped.")
    return _api_or_page(request, status=404, code="not_found", message=message, template="404.html")


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: most often a form left open past its session, or cookies blocked."""
    message = _("This form could not be sent: the page was open too long, or your browser blocks cookies.")
    return _api_or_page(request, status=403, code="csrf_failed", message=message, template="403.html", csrf_failed=True)
