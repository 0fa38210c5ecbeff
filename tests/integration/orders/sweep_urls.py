"""The URLs the invitation email links to: reviews/urls.py's, with stand-ins for the
invitation pages while it does not define them yet (the pages' own tests cover the real
views): the sweep's tests need only their names and shapes, /invitations/<token>/ and
/unsubscribe/<token>/. Only reviews' URLs, so the sweep's tests do not depend on the rest
of the site."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from reviews.urls import urlpatterns as reviews_urlpatterns


def _stand_in(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse(token)


_defined = {pattern.name for pattern in reviews_urlpatterns if isinstance(pattern, URLPattern)}
urlpatterns = [
    *reviews_urlpatterns,
    *(
        [path("invitations/<str:token>/", _stand_in, name="invitation_review")]
        if "invitation_review" not in _defined
        else []
    ),
    *(
        [path("unsubscribe/<str:token>/", _stand_in, name="invitation_unsubscribe")]
        if "invitation_unsubscribe" not in _defined
        else []
    ),
]
