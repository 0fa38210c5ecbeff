from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from products.selectors import product_list_public

PAGE_SIZE = 24


def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(product_list_public(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "products/home.html", {"page": page, "products": page.object_list})
