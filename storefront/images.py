"""Product images (products.ProductImage), public: served through the storage API."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponseBase
from django.views.decorators.http import require_safe

from core.media import stored_file_response
from products.models import ProductImage


@require_safe
def product_image(request: HttpRequest, pk: int) -> HttpResponseBase:
    image = ProductImage.objects.filter(pk=pk).first()
    if image is None:
        raise Http404
    return stored_file_response(image.image.storage, image.image.name, public=True)
