"""The API fuzzer's fixture (devtools api_fuzz_fixture) makes real accounts, as issue 13
requires: confirmed addresses and display names of their own, so the shoppers' reviews
are published and every review endpoint has rows to return."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from reviews.models import Review, ReviewStatus

pytestmark = pytest.mark.django_db


def test_the_fuzz_fixture_makes_verified_accounts_with_display_names() -> None:
    out = StringIO()
    call_command("api_fuzz_fixture", stdout=out)
    assert json.loads(out.getvalue())["api_key"]
    users = User.objects.filter(username__startswith="fuzz_")
    assert users.count() == 6
    for user in users:
        assert user.email_verified_at is not None
        assert user.display_name and user.display_name != user.username
    assert User.objects.get(username="fuzz_shopper0").display_name == "Fuzz Shopper0"
    reviews = Review.objects.all()
    assert reviews.count() == 7
    assert set(reviews.values_list("status", flat=True)) == {ReviewStatus.PUBLISHED}
