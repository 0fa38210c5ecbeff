"""The project's URLs plus one route nobody gave a row: test_matrix proves it is caught."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def brand_new(request: HttpRequest) -> HttpResponse:
    return HttpResponse("new")


urlpatterns = [path("brand-new/", brand_new, name="brand_new"), *project_urlpatterns]
