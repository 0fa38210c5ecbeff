"""Product images (products.ProductImage), public: served through the storage API."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage
from django.http import Http404, HttpRequest, HttpResponseBase
from django.views.decorators.http import require_safe

from core.media import stored_file_response
from products.images import image_content_type
from products.models import ProductImage


def _content_type(image: ProductImage) -> str | None:
    """What the stored file holds, read from its first bytes (an image stored as uploaded,
    before products.images cleaned them, may be a PNG named "x.pdf"); None on object storage,
    which serves the type it stored."""
    storage = image.image.storage
    if not isinstance(storage, FileSystemStorage):
        return None
    try:
        with storage.open(image.image.name, "rb") as stream:
            head = stream.read(12)
    except FileNotFoundError as exc:
        raise Http404 from exc
    return image_content_type(head) or "application/octet-stream"


@require_safe
def product_image(request: HttpRequest, pk: int) -> HttpResponseBase:
    image = ProductImage.objects.filter(pk=pk).first()
    if image is None or not image.image:
        raise Http404
    return stored_file_response(image.image.storage, image.image.name, public=True, content_type=_content_type(image))
