"""Photos through the API: a review sent as multipart with its photos; photo and product
image URLs with their sizes."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from products.models import ProductImage
from products.page_version import page_version_bump
from reviews import photos
from reviews.models import Review, ReviewPhoto
from tests.api.conftest import error_of
from tests.photo_files import image_bytes, jpeg_with_gps

URL = "/api/v1/products/P1/reviews/"
REVIEW = {"rating": 4, "title": "Grippy", "body": "Did 300 km on wet trails, still grippy.", "language": "en"}


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _multipart(review: dict[str, Any] | str, *files: tuple[str, bytes, str]) -> dict[str, Any]:
    data: dict[str, Any] = {"review": review if isinstance(review, str) else json.dumps(review)}
    data["photos"] = [SimpleUploadedFile(name, content, content_type=ctype) for name, content, ctype in files]
    return data


def test_a_review_with_photos_is_created_and_its_photo_urls_given_with_sizes(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as("shopper")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            URL,
            _multipart(
                REVIEW, ("a.jpg", jpeg_with_gps((3000, 2000)), "image/jpeg"), ("b.png", image_bytes("PNG"), "image/png")
            ),
            format="multipart",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["rating"] == 4 and body["status"] == "published"
    first, second = body["photos"]
    assert (first["position"], second["position"]) == (0, 1) and first["ready"] is False
    assert first["sizes"] == {
        "full": {"url": f"http://testserver/reviews/photos/{first['id']}/full/", "width": 2048, "height": 1365}
    }
    # The author fetches it already; the worker makes the sizes; then anyone lists them.
    assert client.get(first["sizes"]["full"]["url"]).status_code == 200
    for photo in body["photos"]:
        photos.review_photo_sizes_make(photo_id=photo["id"])
    listed = APIClient().get(URL).json()["results"][0]["photos"]
    assert [p["ready"] for p in listed] == [True, True]
    assert listed[0]["sizes"]["thumb"] == {
        "url": f"http://testserver/reviews/photos/{first['id']}/thumb/",
        "width": 320,
        "height": 213,
    }
    assert set(listed[0]["sizes"]) == {"thumb", "large", "full"}
    thumb: Any = APIClient().get(listed[0]["sizes"]["thumb"]["url"])
    assert Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size == (320, 213)


def test_a_json_review_still_works_and_has_no_photos(
    actors: dict[str, Any], client_as: Callable[[str], APIClient]
) -> None:
    response = client_as("shopper").post(URL, REVIEW, format="json")
    assert response.status_code == 201 and response.json()["photos"] == []


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("x.jpg", b"not an image at all", "image/jpeg")], "“x.jpg” is not a photo we can read"),
        ([("x.gif", image_bytes("GIF"), "image/gif")], "“x.gif” is not a JPEG, PNG or WebP image"),
        ([(f"{i}.jpg", image_bytes(), "image/jpeg") for i in range(6)], "Add at most 5 photos to a review."),
    ],
)
def test_a_refused_photo_is_a_400_on_the_photos_field_and_stores_nothing(
    actors: dict[str, Any],
    client_as: Callable[[str], APIClient],
    media_root: Path,
    files: list[tuple[str, bytes, str]],
    message: str,
) -> None:
    response = client_as("shopper").post(URL, _multipart(REVIEW, *files), format="multipart")
    assert response.status_code == 400
    error = error_of(response)
    assert error["fields"]["photos"][0].startswith(message)
    assert not Review.objects.exists() and not ReviewPhoto.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_the_review_part_keeps_json_types(actors: dict[str, Any], client_as: Callable[[str], APIClient]) -> None:
    client = client_as("shopper")
    as_text = client.post(URL, _multipart({**REVIEW, "rating": "4"}), format="multipart")
    assert as_text.status_code == 400 and "rating" in error_of(as_text)["fields"]
    missing = client.post(URL, {"photos": [SimpleUploadedFile("a.jpg", image_bytes())]}, format="multipart")
    assert missing.status_code == 400 and "“review” part" in error_of(missing)["message"]
    bad_json = client.post(URL, _multipart("{rating: 4"), format="multipart")
    assert bad_json.status_code == 400 and error_of(bad_json)["code"] == "parse_error"


def test_the_upload_route_takes_51_mb_and_other_api_routes_1_mb(
    actors: dict[str, Any], client_as: Callable[[str], APIClient]
) -> None:
    client = client_as("shopper")
    over = client.generic(
        "POST", URL, "", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(51 * 1024 * 1024 + 1)
    )
    assert over.status_code == 413 and error_of(over)["code"] == "request_too_large"
    assert "52,224 KB" in error_of(over)["message"]  # grouped (core.local_formats)
    # 2 MB (a JPEG with bytes appended: re-encoding leaves them behind) is over JSON's 1 MiB.
    padded = ("padded.jpg", image_bytes() + b"\0" * (2 * 1024 * 1024), "image/jpeg")
    under = client.post(URL, _multipart(REVIEW, padded), format="multipart")
    assert under.status_code == 201, under.content
    # JSON to the same route keeps the JSON limit: only a multipart body may carry files.
    json_over = client.generic("POST", URL, "", content_type="application/json", CONTENT_LENGTH=str(2 * 1024 * 1024))
    assert json_over.status_code == 413 and "1,024 KB" in error_of(json_over)["message"]
    elsewhere = client.generic(
        "POST", "/api/v1/reviews/1/votes/", "", content_type="application/json", CONTENT_LENGTH=str(2 * 1024 * 1024)
    )
    assert elsewhere.status_code == 413


def test_products_give_their_images_in_order_and_the_first_as_card(actors: dict[str, Any], settings: Any) -> None:
    product = actors["product"]
    product.image_url = "https://cdn.example.com/old.jpg"
    product.save()
    assert APIClient().get("/api/v1/products/P1/").json()["image_url"] == "https://cdn.example.com/old.jpg"
    second = ProductImage.objects.create(
        product=product, image=SimpleUploadedFile("side.png", image_bytes("PNG", (40, 30))), alt_text="Side", position=2
    )
    first = ProductImage.objects.create(
        product=product, image=SimpleUploadedFile("top.png", image_bytes("PNG", (60, 30))), alt_text="Top", position=1
    )
    page_version_bump(product.pk)  # as the admin's save does (products.admin): the cached answer is old
    body = APIClient().get("/api/v1/products/P1/").json()
    assert body["image_url"] == f"http://testserver/product-images/{first.pk}/"
    assert body["images"] == [
        {"url": f"http://testserver/product-images/{first.pk}/", "alt_text": "Top", "width": 60, "height": 30},
        {"url": f"http://testserver/product-images/{second.pk}/", "alt_text": "Side", "width": 40, "height": 30},
    ]
    listed = APIClient().get("/api/v1/products/").json()["results"]
    assert [p["image_url"] for p in listed if p["sku"] == "P1"] == [body["image_url"]]
    served = APIClient().get(f"/product-images/{first.pk}/")
    # Stored cleaned (products.images): re-encoded as WebP whatever was uploaded.
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
