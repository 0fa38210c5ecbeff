"""The ground every issue stands on: the home page, settings, checks, the worker wiring."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.utils import translation

from reviews.services import review_submit
from tests.conftest import REPO_ROOT
from tests.factories import REVIEW_TEXT, product_create, user_create


@pytest.mark.django_db
def test_home_page_lists_products_with_their_rating(client):
    product = product_create(name="Trail Runner 500")
    for rating in (4, 5, 3):
        review_submit(
            product=product, author=user_create("shopper"), rating=rating, title="ok", body=REVIEW_TEXT, language="en"
        )
    product_create(name="Quiet Tent 2")
    with translation.override("en"):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Trail Runner 500" in page and "Quiet Tent 2" in page
    assert "4.0" in page and "3 reviews" in page
    assert "Content-Security-Policy" in response.headers


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never would.
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_debug_off_and_a_real_secret():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x7!Qm2#pL9$zR4@vN8^kT1&wY6*bH3(cJ5)dF0-gS2+eU7=aV9_iO4",
        ALLOWED_HOSTS="shop.example",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_flags_the_development_secret():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY="")
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_a_malformed_setting_stops_start_up_with_its_name():
    result = _manage("check", GATE_GRACE_DAYS="thirty")
    assert result.returncode != 0
    assert "GATE_GRACE_DAYS must be an integer" in result.stderr


def test_celery_reads_its_broker_from_the_environment():
    result = subprocess.run(
        [sys.executable, "-c", "from config.celery_app import app; print(app.conf.broker_url)"],
        cwd=REPO_ROOT,
        env={**os.environ, "CELERY_BROKER_URL": "redis://127.0.0.1:6399/9"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "redis://127.0.0.1:6399/9", result.stderr
