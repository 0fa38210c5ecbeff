"""Review photos on S3-compatible object storage (django-storages), against a local moto
server in server mode on 127.0.0.1: the same code path production takes with MEDIA_STORAGE=s3.

Skipped only when moto is not installed and the run is not CI; in CI (CI set) it must run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.test import Client
from django.urls import reverse

from core.errors import Conflict
from reviews import photos
from tests.factories import product_create, user_create
from tests.photo_files import image_bytes, upload

pytestmark = pytest.mark.django_db

BUCKET = "reviewgate-test-media"
MOTO = Path(__file__).resolve().parents[3] / ".venv" / "bin" / "moto_server"


def _moto_command() -> str | None:
    return str(MOTO) if MOTO.exists() else shutil.which("moto_server")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    command = _moto_command()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail("moto_server is missing: CI must test the S3 storage (pip install 'moto[server]')")
        pytest.skip("moto_server is not installed (CI runs this test)")
    port = _free_port()
    server = subprocess.Popen(
        [command, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(endpoint, timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_media(settings: Any, moto_endpoint: str) -> Any:
    client = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": moto_endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
            },
        },
    }
    settings.REVIEWS_PREMODERATION = False
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client: Any) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_photos_are_stored_sized_and_served_signed_from_s3(s3_media: Any, client: Client) -> None:
    product = product_create()
    review = photos.review_submit_with_photos(
        uploads=[upload(image_bytes(size=(1600, 1200)), "a.jpg")],
        queue_sizes=lambda photo_id: None,
        product=product,
        author=user_create(),
        rating=5,
        title="Great",
        body="Exactly what the page promised, and sturdy.",
        language="en",
    )
    photo = review.photos.get()
    assert _keys(s3_media) == [photo.full.name]
    assert photos.review_photo_sizes_make(photo_id=photo.pk) is True
    assert photos.review_photo_sizes_make(photo_id=photo.pk) is False  # idempotent on S3 too
    photo.refresh_from_db()
    assert _keys(s3_media) == sorted([photo.full.name, photo.large.name, photo.thumb.name])
    response = client.get(reverse("review_photo", kwargs={"pk": photo.pk, "size": "thumb"}))
    assert response.status_code == 302
    signed = response["Location"]
    assert signed.startswith(s3_media.meta.endpoint_url) and "Signature" in signed and "Expires" in signed
    assert "no-cache" in response["Cache-Control"]
    with urllib.request.urlopen(signed, timeout=5) as fetched:  # noqa: S310 - the local moto server
        assert fetched.read()[8:12] == b"WEBP"
    # The object itself is private: its address without a signature is refused.
    unsigned = signed.split("?")[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned, timeout=5)  # noqa: S310 - the local moto server
    assert refused.value.code == 403


def test_a_refused_review_leaves_no_object_in_the_bucket(s3_media: Any) -> None:
    author = user_create()
    fields: dict[str, Any] = {
        "rating": 2,
        "title": "Meh",
        "body": "Not what I hoped for at all, sadly.",
        "language": "en",
    }
    product = product_create()
    photos.review_submit_with_photos(uploads=[], queue_sizes=lambda i: None, product=product, author=author, **fields)
    with pytest.raises(Conflict):  # a second review of the product: refused after the photo was stored
        photos.review_submit_with_photos(
            uploads=[upload(image_bytes())], queue_sizes=lambda i: None, product=product, author=author, **fields
        )
    assert _keys(s3_media) == []
