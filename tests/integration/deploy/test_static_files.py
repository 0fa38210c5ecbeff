"""Static files: hashed names from collectstatic's manifest in production (DEBUG off, not
tests), plain names with DEBUG and in tests; a server without a manifest still serves every
page (plain names), and with one WhiteNoise serves the hashed files for a year."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

from config.static_files import COMPRESSED, MANIFEST, PLAIN
from core.page_cache import _code_digest

READ_BACKEND = "import config.settings as s; print(s.STORAGES['staticfiles']['BACKEND'])"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"DEBUG": "0"}, MANIFEST),  # production: gunicorn, celery, `make run`
        ({"DEBUG": "1"}, PLAIN),
        ({"DEBUG": "0", "STATIC_MANIFEST": "0"}, COMPRESSED),
        ({"DEBUG": "1", "STATIC_MANIFEST": "1"}, MANIFEST),
    ],
)
def test_each_mode_gets_its_static_storage(environ: dict[str, str], expected: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "STATIC_MANIFEST")}
    env.update(environ)
    result = subprocess.run([sys.executable, "-c", READ_BACKEND], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == expected


def test_tests_get_plain_names() -> None:
    # This very process: settings loaded under pytest, DEBUG off.
    assert not django_settings.DEBUG
    assert django_settings.STORAGES["staticfiles"]["BACKEND"] == COMPRESSED


@pytest.fixture
def manifest_storage(settings: Any, tmp_path: Path) -> Path:
    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    return Path(settings.STATIC_ROOT)


@pytest.mark.django_db
def test_without_collectstatic_pages_link_plain_names_and_say_so(
    manifest_storage: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="core.static_storage"):
        assert static("css/site.css") == "/static/css/site.css"
        response = Client().get("/")
    assert response.status_code == 200
    assert 'href="/static/css/site.css"' in response.content.decode()
    assert "run `manage.py collectstatic`" in caplog.text
    # WhiteNoise serves it from the app's static directory (WHITENOISE_USE_FINDERS).
    css = Client().get("/static/css/site.css")
    assert css.status_code == 200
    css.close()  # a file is streamed: the server closes it once sent (the request's id goes with it)
    # A file that exists nowhere is still an error (WhiteNoise asks about made-up names,
    # "bootstrap.css" for "bootstrap.min.css", and expects one), and not a warning.
    caplog.clear()
    with pytest.raises(ValueError):
        static("css/no-such-file.css")
    assert "no-such-file" not in caplog.text


@pytest.mark.django_db
def test_after_collectstatic_pages_link_hashed_names_served_for_a_year(manifest_storage: Path) -> None:
    call_command("collectstatic", "--noinput", "-v0")
    assert (manifest_storage / "staticfiles.json").exists()
    hashed = static("css/site.css")
    assert hashed.startswith("/static/css/site.") and hashed.endswith(".css") and hashed != "/static/css/site.css"
    response = Client().get("/")
    assert f'href="{hashed}"' in response.content.decode()
    served = Client().get(hashed)  # a new client: WhiteNoise reads STATIC_ROOT when it starts
    assert served.status_code == 200
    assert "immutable" in served["Cache-Control"]
    served.close()  # streamed, as above


def test_a_changed_stylesheet_starts_new_page_cache_keys(settings: Any, tmp_path: Path) -> None:
    # Cached pages link stylesheets by hashed name: a copy from before a deployment that
    # changed only a stylesheet would link a file the new servers no longer have.
    settings.BASE_DIR = tmp_path
    stylesheet = tmp_path / "static" / "css" / "site.css"
    stylesheet.parent.mkdir(parents=True)
    stylesheet.write_text("body { color: black; }")
    before = _code_digest.__wrapped__()
    stylesheet.write_text("body { color: navy; }")
    assert _code_digest.__wrapped__() != before
