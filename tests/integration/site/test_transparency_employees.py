"""The transparency page states how staff reviews and unconfirmed accounts are treated."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_transparency_page_explains_employee_reviews_and_email_confirmation(client: Client) -> None:
    html = client.get(reverse("about_reviews")).content.decode()
    assert '<a href="#employees">Employee reviews</a>' in html
    assert '<section id="employees" aria-labelledby="employees-h">' in html
    assert "Our staff cannot review the products they manage." in html
    assert "never counted: not in any product's rating and not in the quality gate" in html
    assert "(16 CFR Part 465)" in html
    assert "is published, and counts, once its author has confirmed their email address" in html
    assert "published reviews of the current version, employee reviews excepted" in html
