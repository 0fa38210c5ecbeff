"""Product images stored before the cleaning are re-encoded by `product_images_reencode`:
every file not yet the cleaned WebP (its EXIF and GPS, its name, its size), once; progress
on stderr, exit code 1 when one fails (the others done), a dry run that changes nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from core.images import webp_is_clean
from products.models import ProductImage
from tests.factories import product_create
from tests.photo_files import GPS_IFD, MAKE, image_bytes, jpeg_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def stored_as_uploaded(name: str, content: bytes) -> ProductImage:
    """A row written before the cleaning: the file as it came, under its own name."""
    stored = default_storage.save(f"products/2025/01/{name}", ContentFile(content))
    return ProductImage.objects.create(product=product_create(), alt_text="Tent", image=stored)


def stored_cleaned() -> ProductImage:
    image = ProductImage(product=product_create(), alt_text="Tent")
    image.image = SimpleUploadedFile("clean.png", image_bytes("PNG", (50, 40)))  # type: ignore[assignment]
    image.save()
    return image


def webp_with_exif() -> bytes:
    exif = Image.Exif()
    exif[MAKE] = "SpyCam"
    return image_bytes("WEBP", (60, 30), exif=exif.tobytes())


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("product_images_reencode", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_images_stored_before_the_cleaning_are_reencoded_once(
    media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    gps = stored_as_uploaded("tent.jpg", jpeg_with_gps(size=(80, 40), orientation=6))
    lying = stored_as_uploaded("x.pdf", image_bytes("PNG", (120, 90)))
    huge = stored_as_uploaded("huge.png", image_bytes("PNG", (3000, 1500)))
    webp = stored_as_uploaded("side.webp", webp_with_exif())
    clean = stored_cleaned()
    clean_name = clean.image.name

    with django_capture_on_commit_callbacks(execute=True):
        out, err = run()

    assert out == "re-encoded: 4, already clean: 1, failed: 0\n"
    assert "[1/5] image" in err and "[5/5] image" in err and "already clean" in err
    for image, size in ((gps, (40, 80)), (lying, (120, 90)), (huge, (2048, 1024)), (webp, (60, 30))):
        image.refresh_from_db()
        raw = (media_root / image.image.name).read_bytes()
        assert image.image.name.endswith(".webp") and webp_is_clean(raw)
        assert b"SpyCam" not in raw and b"Exif" not in raw
        stored = Image.open(io.BytesIO(raw))
        assert stored.format == "WEBP" and not stored.getexif().get_ifd(GPS_IFD)
        assert stored.size == size == (image.width, image.height)  # upright, at most 2,048 px
    clean.refresh_from_db()
    assert clean.image.name == clean_name
    # The old files are gone (after commit): one file per image.
    assert files(media_root) == sorted(i.image.name for i in ProductImage.objects.all())

    with django_capture_on_commit_callbacks(execute=True):
        again, _err = run()
    assert again == "re-encoded: 0, already clean: 5, failed: 0\n"


def test_a_dry_run_says_what_it_would_do_and_changes_nothing(media_root: Path) -> None:
    image = stored_as_uploaded("tent.jpg", jpeg_with_gps())
    stored_cleaned()
    before = files(media_root)
    out, err = run("--dry-run")
    assert out == "would re-encode: 1, already clean: 1, failed: 0\n"
    assert f"image {image.pk}: would re-encode" in err
    assert files(media_root) == before
    image.refresh_from_db()
    assert image.image.name == "products/2025/01/tent.jpg"


def test_a_missing_or_refused_file_fails_the_run_and_the_others_are_reencoded(
    media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    missing = stored_as_uploaded("gone.png", image_bytes("PNG"))
    (media_root / missing.image.name).unlink()
    gif = stored_as_uploaded("anim.gif", image_bytes("GIF"))
    good = stored_as_uploaded("tent.jpg", jpeg_with_gps())

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError) as failure:
        run()

    assert failure.value.returncode == 1 and "2 product image(s)" in str(failure.value)
    good.refresh_from_db()
    gif.refresh_from_db()
    assert good.image.name.endswith(".webp")
    assert gif.image.name == "products/2025/01/anim.gif"  # left as it was
    assert (media_root / gif.image.name).exists()


@pytest.mark.parametrize(
    ("content", "clean"),
    [
        (image_bytes("WEBP", (60, 30)), True),
        (webp_with_exif(), False),
        (image_bytes("WEBP", (60, 30)) + b"appended", False),
        (image_bytes("PNG", (60, 30)), False),
        (b"RIFF", False),
    ],
    ids=["pixels-only", "exif-chunk", "bytes-appended", "png", "truncated"],
)
def test_a_clean_webp_is_told_from_its_chunks(content: bytes, clean: bool) -> None:
    assert webp_is_clean(content) is clean
