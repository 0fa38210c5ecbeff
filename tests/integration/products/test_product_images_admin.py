"""Product images set in the admin, through the product's inline."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from products.models import Product, ProductImage
from tests.integration.products.admin_forms import product_add_form
from tests.photo_files import image_bytes

pytestmark = pytest.mark.django_db


def test_the_admin_adds_a_product_with_an_image_and_its_alt_text(client: Client, admin_user: User) -> None:
    client.force_login(admin_user)
    page = client.get("/admin/products/product/add/").content.decode()
    assert "Product images" in page and "alternative text" in page.lower()
    picture = SimpleUploadedFile("tent.png", image_bytes("PNG", (120, 90)), content_type="image/png")
    response = client.post(
        "/admin/products/product/add/", product_add_form(image=picture, alt_text="Tent pitched", position="0")
    )
    assert response.status_code == 302
    image = ProductImage.objects.get(product=Product.objects.get(sku="TENT-1"))
    assert (image.alt_text, image.width, image.height) == ("Tent pitched", 120, 90)


def test_the_admin_refuses_a_file_that_is_not_an_image(client: Client, admin_user: User) -> None:
    client.force_login(admin_user)
    fake = SimpleUploadedFile("tent.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post("/admin/products/product/add/", product_add_form(image=fake, alt_text="Tent", position="0"))
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert not Product.objects.exists() and not ProductImage.objects.exists()
