"""`seed_demo`'s team routing (issue 17, "Done when"): the logistics team follows delivery,
its member signs in like the other demo accounts, and the digest of the seeding day carries
the demo's review about a late delivery, tagged "delivery" by the seed's tagger."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from devtools.demo.topics import LATE_DELIVERY_REVIEW, LOGISTICS_PASSWORD, LOGISTICS_TEAM, LOGISTICS_USERNAME
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from reviews.models import Review
from topics.digests import DIGEST_KIND
from topics.models import ReviewTopic, Team

pytestmark = pytest.mark.django_db

SMALL = 0.05


@pytest.fixture(autouse=True)
def _settings(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_the_logistics_digest_of_the_seeding_day_carries_the_late_delivery_review() -> None:
    seeded = io.StringIO()
    call_command("seed_demo", scale=str(SMALL), no_gate=True, force=True, stdout=seeded)
    printed = seeded.getvalue()
    # Its account in the table `make run` prints; its team counted in words for one.
    assert f"  reader (logistics) {LOGISTICS_USERNAME:<10} {LOGISTICS_PASSWORD}\n" in printed
    assert " 1 team," in printed or " 1 team." in printed
    assert "1 teams" not in printed
    team = Team.objects.get(name=LOGISTICS_TEAM)
    assert [topic.key for topic in team.topics.all()] == ["delivery"]
    assert not team.categories.exists()
    [member] = team.members.all()
    assert member.username == LOGISTICS_USERNAME
    assert Client().login(username=LOGISTICS_USERNAME, password=LOGISTICS_PASSWORD)
    review = Review.objects.get(external_id=LATE_DELIVERY_REVIEW)
    assert timezone.localdate(review.published_at) == timezone.localdate() - timedelta(days=1)
    assert ReviewTopic.objects.filter(review=review, topic__key="delivery").exists()  # the seed's tagger

    out = io.StringIO()
    call_command("send_team_digests", stdout=out)  # today: the reviews published yesterday
    [digest] = OutboxMessage.objects.filter(kind=DIGEST_KIND, recipient=member)
    [section] = digest.payload["teams"]
    assert section["name"] == LOGISTICS_TEAM
    assert [review.pk, "delivery"] in section["reviews"]
    assert outbox_deliver(message_id=digest.pk, now=digest.next_attempt_at + timedelta(seconds=1)) == "sent"
    body = mail.outbox[-1].body
    assert "Good tent, very late delivery" in body
    assert f"/desk/products/{review.product.sku}/reviews/?topic=delivery" in body
    # The same day again (the 08:00 task after the command): nothing more.
    call_command("send_team_digests", stdout=io.StringIO())
    assert OutboxMessage.objects.filter(kind=DIGEST_KIND, recipient=member).count() == 1
