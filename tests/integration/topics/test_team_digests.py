"""Team digests (issue 17, item 3): teams subscribe to topics and categories; each member gets
one email a day of their teams' reviews published the day before, whatever repeats, restarts
or races the task; in their language; with links to the desk that open. Emails go through
the real outbox delivery (notifications.delivery.outbox_deliver)."""

from __future__ import annotations

import io
import threading
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import COMPANY_READER, PRODUCT_MANAGER
from config.celery_app import app as celery_app
from core.commands import BAD_INPUT
from notifications.builders import EMAIL_BUILDER_KEY, email_context_at_delivery
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from products.access import products_readable_by
from products.models import Category, Product
from reviews.models import ReasonCode, Review, ReviewStatus
from tests.factories import category_create, product_create, user_create
from topics.admin import TEAM_NAMES_NOTHING, TeamForm
from topics.digest_tasks import team_digests_send as team_digests_task
from topics.digests import DIGEST_KIND, one_line, team_digest_dedupe_key, team_digests_send
from topics.models import ReviewTopic, Team, TeamDigest, Topic
from topics.teams import teams_new_reviews

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
DAY = date(2026, 3, 10)
# 08:00 in Paris on DAY: the digest carries the reviews published on 9 March (local).
NOW = datetime(2026, 3, 10, 8, 0, tzinfo=PARIS)
WINDOW_START = datetime(2026, 3, 9, 0, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _mail_settings(settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Paris"
    settings.SITE_URL = "https://shop.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TOPIC_DIGEST_HOUR = 8


def review_make(product: Product, *topics: str, at: datetime, **fields: Any) -> Review:
    """A review as publication leaves it, tagged with ``topics`` (ReviewTopic rows written here:
    the tagger is another test's)."""
    values: dict[str, Any] = {
        "author_name": "Hannah",
        "rating": 2,
        "title": "A title",
        "body": "Some text.",
        "status": ReviewStatus.PUBLISHED,
        "created_at": at - timedelta(minutes=5),
        "published_at": at,
    }
    review = Review.objects.create(product=product, **(values | fields))
    for key in topics:
        ReviewTopic.objects.create(review=review, topic=Topic.objects.get(key=key), tagged_at=at)
    return review


def team_make(name: str, *, topics: tuple[str, ...] = (), categories: tuple[Category, ...] = ()) -> Team:
    team = Team.objects.create(name=name)
    team.topics.set(Topic.objects.filter(key__in=topics))
    team.categories.set(categories)
    return team


class World:
    """Two categories, four teams (topics only, categories only, both, neither), readers in
    one or two teams, and reviews in and around the window of DAY's digest."""

    def __init__(self) -> None:
        self.tents, self.bikes = category_create(name="Tents"), category_create(name="Bikes")
        self.tent = product_create(name="Family tent", sku="TNT-1", category=self.tents)
        self.bike = product_create(name="City bike", sku="BIK-1", category=self.bikes)
        self.logistics = team_make("Logistics", topics=("delivery",))
        self.tent_team = team_make("Tent team", categories=(self.tents,))
        self.tent_setup = team_make("Tent set-up", topics=("setup",), categories=(self.tents,))
        self.hollow = team_make("Hollow")  # names neither (the admin refuses it): gets nothing
        self.ann = user_create(COMPANY_READER, display_name="Ann")
        self.zoe = user_create(COMPANY_READER, language="fr", display_name="Zoé")
        self.logistics.members.set([self.ann, self.zoe])
        self.tent_team.members.set([self.zoe])
        # A manager of the bike only: of the tent team's reviews, reads none on the desk.
        self.bike_manager = user_create(PRODUCT_MANAGER, display_name="Bruno")
        self.bike.managers.set([self.bike_manager])
        self.tent_team.members.add(self.bike_manager)
        self.silent = [user_create(COMPANY_READER, is_active=False), user_create(COMPANY_READER, email="")]
        self.logistics.members.add(*self.silent)
        self.hollow.members.add(user_create(COMPANY_READER))
        self.setup_reader = user_create(COMPANY_READER, display_name="Sam")
        self.tent_setup.members.add(self.setup_reader)
        noon = WINDOW_START + timedelta(hours=12)
        # In the window: its first instant counts, and so does the last.
        self.late_tent = review_make(self.tent, "delivery", at=WINDOW_START, title="Two weeks late")
        self.late_bike = review_make(self.bike, "service", "delivery", at=noon, title="")
        self.tent_setup_review = review_make(self.tent, "setup", at=noon, title="Poles missing")
        self.untagged_tent = review_make(self.tent, at=WINDOW_START + timedelta(hours=23, minutes=59), title="Meh")
        # Out of it: today's, the day before's, an employee's, one waiting for moderation.
        review_make(self.tent, "delivery", at=WINDOW_START + timedelta(days=1))
        review_make(self.tent, "delivery", at=WINDOW_START - timedelta(seconds=1))
        review_make(self.tent, "delivery", at=noon, employee=True)
        review_make(self.tent, "delivery", at=noon, status=ReviewStatus.PENDING)


@pytest.fixture
def world() -> World:
    return World()


def digests() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=DIGEST_KIND).order_by("recipient_id", "id"))


def delivered(message: OutboxMessage) -> mail.EmailMessage:
    assert outbox_deliver(message_id=message.pk, now=message.next_attempt_at + timedelta(seconds=1)) == "sent"
    return mail.outbox[-1]


def reviews_of(message: OutboxMessage) -> dict[str, list[int]]:
    return {
        section["name"]: [review_id for review_id, _key in section["reviews"]] for section in message.payload["teams"]
    }


# --- The rule ------------------------------------------------------------------------------


def test_each_team_gets_the_window_reviews_of_its_topics_and_categories(world: World) -> None:
    found = {
        team.team_name: [review_id for review_id, _, _ in team.reviews] for team in teams_new_reviews(day=DAY, tz=PARIS)
    }
    assert found == {
        # Topics only: delivery, in every category.
        "Logistics": [world.late_tent.pk, world.late_bike.pk],
        # Categories only: every tent review, tagged or not yet.
        "Tent team": [world.late_tent.pk, world.tent_setup_review.pk, world.untagged_tent.pk],
        # Both: set-up, in tents.
        "Tent set-up": [world.tent_setup_review.pk],
        # Neither ("Hollow"): nothing.
    }


def test_the_admin_refuses_a_team_that_names_neither_a_topic_nor_a_category(world: World) -> None:
    hollow = TeamForm(data={"name": "Everything", "members": [world.ann.pk]})
    assert not hollow.is_valid()
    assert hollow.non_field_errors() == [str(TEAM_NAMES_NOTHING)]
    delivery = Topic.objects.get(key="delivery")
    for data in ({"topics": [delivery.pk]}, {"categories": [world.bikes.pk]}):
        form = TeamForm(data={"name": f"Team {len(data)}{next(iter(data))}", **data})
        assert form.is_valid(), form.errors


def test_the_admin_pages_of_teams_and_tags_open(world: World) -> None:
    admin = user_create(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    for name in ("admin:topics_team_add", "admin:topics_topicphrase_changelist", "admin:topics_reviewtopic_changelist"):
        assert client.get(reverse(name)).status_code == 200, name
    # Listed, not edited: the phrases are the desk's, the tags the tagger's.
    assert client.get(reverse("admin:topics_reviewtopic_add")).status_code == 403


# --- Once a day ----------------------------------------------------------------------------


def test_each_member_gets_one_digest_of_all_their_teams_and_repeats_write_nothing(world: World) -> None:
    first = team_digests_send(day=DAY, now=NOW)
    assert (first.sent, first.already) == (3, 0)  # Ann, Zoé, Sam; Bruno reads none of his
    messages = digests()
    members = (world.ann, world.zoe, world.setup_reader)
    assert [m.recipient_id for m in messages] == [u.pk for u in members]
    assert [m.dedupe_key for m in messages] == [team_digest_dedupe_key(DAY, u.pk) for u in members]
    assert reviews_of(messages[0]) == {"Logistics": [world.late_tent.pk, world.late_bike.pk]}
    # Zoé is in two teams: one email, a section each (the late tent review in both).
    assert reviews_of(messages[1]) == {
        "Logistics": [world.late_tent.pk, world.late_bike.pk],
        "Tent team": [world.late_tent.pk, world.tent_setup_review.pk, world.untagged_tent.pk],
    }
    rows = {row.user_id: row.review_count for row in TeamDigest.objects.filter(day=DAY)}
    assert rows == {world.ann.pk: 2, world.zoe.pk: 4, world.setup_reader.pk: 1}
    assert reviews_of(messages[2]) == {"Tent set-up": [world.tent_setup_review.pk]}
    # The same run again, the task at 08:00 and after a restart at 14:00: nothing more.
    again = team_digests_send(day=DAY, now=NOW + timedelta(hours=6))
    assert (again.sent, again.already) == (0, 3)  # skipped: an earlier run wrote theirs
    assert digests() == messages
    assert TeamDigest.objects.filter(day=DAY).count() == 3


def test_a_restarted_run_finds_the_days_row_and_sends_no_second_email(world: World) -> None:
    # A run that wrote Ann's digest then died: its row and email committed together.
    TeamDigest.objects.create(user=world.ann, day=DAY, review_count=2, written_at=NOW)
    run = team_digests_send(day=DAY, now=NOW + timedelta(minutes=5))
    assert (run.sent, run.already) == (2, 1)
    assert [m.recipient_id for m in digests()] == [world.zoe.pk, world.setup_reader.pk]


def test_a_run_that_loses_the_race_for_a_member_writes_nothing_for_them(world: World, monkeypatch: Any) -> None:
    """Between this run's read of who is done and its write, another run commits Ann's row:
    the unique (user, day) refuses the insert and the email goes with it."""
    readable_by = products_readable_by

    def racing(user: User) -> Any:
        if user.pk == world.ann.pk:
            TeamDigest.objects.create(user=world.ann, day=DAY, review_count=2, written_at=NOW)
        return readable_by(user)

    monkeypatch.setattr("topics.digests.products_readable_by", racing)
    run = team_digests_send(day=DAY, now=NOW)
    assert (run.sent, run.already) == (2, 1)
    assert [m.recipient_id for m in digests()] == [world.zoe.pk, world.setup_reader.pk]


def test_the_daily_task_and_its_beat_entry(world: World, settings: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr("topics.digest_tasks.timezone.now", lambda: NOW + timedelta(minutes=1))
    assert team_digests_task() == 3
    assert team_digests_task() == 0
    assert len(digests()) == 3
    entry = celery_app.conf.beat_schedule["topics-digest-daily"]
    assert entry["task"] == team_digests_task.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({settings.TOPIC_DIGEST_HOUR}, {0})


def test_nobody_gets_a_digest_on_a_day_without_new_reviews(world: World) -> None:
    run = team_digests_send(day=DAY + timedelta(days=5), now=NOW + timedelta(days=5))
    assert (run.sent, run.already) == (0, 0)
    assert not digests()
    assert not TeamDigest.objects.exists()


# --- The email -----------------------------------------------------------------------------


def test_the_email_is_in_the_members_language_and_its_links_open(world: World) -> None:
    team_digests_send(day=DAY, now=NOW)
    to_ann, to_zoe, _to_sam = (delivered(m) for m in digests())
    assert to_ann.to == [world.ann.email]
    assert to_ann.subject == "[reviewgate] Your teams: 2 new reviews published on March 9, 2026"
    assert "Hello Ann," in to_ann.body
    assert "== Logistics ==" in to_ann.body
    assert "Family tent (TNT-1), 2 stars · Delivery" in to_ann.body
    assert "“Two weeks late” Some text." in to_ann.body
    assert "“(no title)”" in to_ann.body
    tent_link = "https://shop.example/desk/products/TNT-1/reviews/?topic=delivery"
    bike_link = "https://shop.example/desk/products/BIK-1/reviews/?topic=delivery"
    topics_page = f"https://shop.example{reverse('desk:topics')}"
    assert [tent_link, bike_link, topics_page] == [
        line.strip() for line in to_ann.body.splitlines() if line.strip().startswith("https://shop.example/desk/")
    ]
    # Zoé reads French: the email's language header, dates and the texts translated so far.
    assert to_zoe.extra_headers["Content-Language"] == "fr"
    assert "9 mars 2026" in to_zoe.subject
    assert "(sans titre)" in to_zoe.body
    assert "== Tent team ==" in to_zoe.body
    # Every link opens for the member it was sent to (a reader of every product).
    client = Client()
    client.force_login(world.ann)
    for link in (tent_link, bike_link, topics_page):
        parts = urlsplit(link)
        response = client.get(parts.path, dict(pair.split("=") for pair in parts.query.split("&") if pair))
        assert response.status_code == 200, link


def test_a_review_withdrawn_before_delivery_is_left_out_and_an_empty_digest_is_not_sent(world: World) -> None:
    team_digests_send(day=DAY, now=NOW)
    to_ann = digests()[0]
    Review.objects.filter(pk=world.late_tent.pk).update(status=ReviewStatus.REMOVED, status_reason=ReasonCode.SPAM)
    body = delivered(to_ann).body
    assert "Two weeks late" not in body and "City bike (BIK-1)" in body
    Review.objects.filter(pk=world.late_bike.pk).update(status=ReviewStatus.REMOVED, status_reason=ReasonCode.SPAM)
    context = {**to_ann.payload, EMAIL_BUILDER_KEY: DIGEST_KIND}
    assert email_context_at_delivery(context, recipient=world.ann) is None


# --- The command ---------------------------------------------------------------------------


def test_the_command_writes_a_days_digests_once_and_refuses_a_future_or_malformed_day(world: World) -> None:
    out = io.StringIO()
    call_command("send_team_digests", day=DAY.isoformat(), stdout=out)
    assert (
        out.getvalue().strip() == f"send_team_digests {DAY}: 3 digest(s) written, 0 already written by an earlier run "
        "(1 untagged review(s) of the day tagged first)"  # "Meh": the run tagged it (topic "other")
    )
    out = io.StringIO()
    call_command("send_team_digests", day=DAY.isoformat(), stdout=out)
    assert (
        out.getvalue().strip() == f"send_team_digests {DAY}: 0 digest(s) written, 3 already written by an earlier run"
    )
    assert len(digests()) == 3
    for bad, message in (
        ("2999-01-01", "--day 2999-01-01 is in the future"),
        ("10/03/2026", "--day must be a date written YYYY-MM-DD"),
        ("2026-02-30", "--day must be a date written YYYY-MM-DD"),
        # Its window (from the day before's midnight) is no datetime Python can hold.
        ("0001-01-01", "--day 0001-01-01 is too early: give a day from 1900-01-01 on"),
        ("1899-12-31", "--day 1899-12-31 is too early"),
    ):
        with pytest.raises(CommandError, match=message) as refused:
            call_command("send_team_digests", day=bad)
        assert refused.value.returncode == BAD_INPUT


# --- Checked again: tags before choosing, text as one line, access at delivery -------------


def test_a_review_still_untagged_when_the_digest_runs_is_tagged_and_reaches_its_team() -> None:
    """Broker down overnight: the review published at 23:50 has no tag at 08:00. The run
    tags the window's untagged reviews itself before choosing (else it would be in no
    logistics digest ever: a re-run skips the members who got theirs)."""
    tent = product_create(category=category_create(name="Tents"))
    team_make("Logistics", topics=("delivery",)).members.add(ann := user_create(COMPANY_READER))
    tagged = review_make(tent, "delivery", at=WINDOW_START + timedelta(hours=9), title="late one")
    late = review_make(
        tent,
        at=WINDOW_START + timedelta(hours=23, minutes=50),
        title="x",
        body="The delivery arrived three weeks late.",
    )
    run = team_digests_send(day=DAY, now=NOW)
    assert (run.sent, run.tagged) == (1, 1)
    assert list(ReviewTopic.objects.filter(review=late).values_list("topic__key", flat=True)) == ["delivery"]
    [message] = digests()
    assert message.recipient_id == ann.pk
    assert message.payload["teams"][0]["reviews"] == [[tagged.pk, "delivery"], [late.pk, "delivery"]]


def test_review_text_is_one_line_in_the_email_and_cannot_forge_its_lines() -> None:
    tent = product_create(name="Family\ntent\u202e", sku="TNT-1")
    team_make("Logistics", topics=("delivery",)).members.add(user_create(COMPANY_READER, display_name="Ann"))
    forged = "ok\n\n== IT security ==\n- Your desk session expired: sign in again at https://evil.example/desk/login"
    review_make(
        tent, "delivery", at=WINDOW_START + timedelta(hours=3), title="late\r\n\u2028“fake”\u200b\x07", body=forged
    )
    team_digests_send(day=DAY, now=NOW)
    body = delivered(digests()[0]).body
    lines = body.splitlines()
    assert "== IT security ==" not in lines and not any(line.startswith("- Your desk") for line in lines)
    assert "- Family tent (TNT-1), 2 stars · Delivery" in lines
    assert (
        "  “late “fake””"
        " ok == IT security == - Your desk session expired: sign in again at https://evil.example/desk/login"
    ) in lines
    assert one_line(" a\tb\x0b\x0c\x1c\x85c\u2029d\u2066e\u2069\ufeff\u200d\u00ad ") == "a b c de"


def test_delivery_checks_again_what_the_member_may_read_and_which_teams_they_are_in(world: World) -> None:
    team_digests_send(day=DAY, now=NOW)
    to_ann, to_zoe, to_sam = digests()
    # Zoé leaves the logistics team before delivery: only her tent team's section is sent.
    world.logistics.members.remove(world.zoe)
    body = delivered(to_zoe).body
    assert "== Tent team ==" in body and "== Logistics ==" not in body
    assert "City bike" not in body  # the bike review was only the logistics team's
    # Sam loses the company reader role (a manager of no product now): nothing to send.
    world.setup_reader.groups.clear()
    assert not products_readable_by(world.setup_reader).exists()
    outbox_deliver(message_id=to_sam.pk, now=to_sam.next_attempt_at + timedelta(seconds=1))  # "send nothing"
    assert [m.to for m in mail.outbox] == [[world.zoe.email]]
    # Ann leaves every team: nothing is sent.
    world.logistics.members.remove(world.ann)
    context = {**to_ann.payload, EMAIL_BUILDER_KEY: DIGEST_KIND}
    assert email_context_at_delivery(context, recipient=world.ann) is None


def test_a_manager_taken_off_a_product_before_delivery_is_not_emailed_its_reviews() -> None:
    tent = product_create(name="Family tent", sku="TNT-1")
    bruno = user_create(PRODUCT_MANAGER, display_name="Bruno")
    tent.managers.set([bruno])
    team_make("Logistics", topics=("delivery",)).members.add(bruno)
    review_make(tent, "delivery", at=WINDOW_START + timedelta(hours=3), title="Confidential-ish")
    team_digests_send(day=DAY, now=NOW)
    [message] = digests()
    tent.managers.clear()  # moved to another range before the (retried) delivery
    # Done with, and nothing sent (the builder's "send nothing").
    assert outbox_deliver(message_id=message.pk, now=message.next_attempt_at + timedelta(seconds=1)) == "sent"
    assert not mail.outbox


# --- Concurrency (PostgreSQL) --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_four_concurrent_runs_write_one_digest_per_member() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs a database with concurrent writers: DATABASE_URL=postgres://...")
    world = World()
    barrier = threading.Barrier(4)
    runs: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            result = team_digests_send(day=DAY, now=NOW)
            runs.append((result.sent, result.already))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sum(sent for sent, _ in runs) == 3
    assert [m.recipient_id for m in digests()] == [world.ann.pk, world.zoe.pk, world.setup_reader.pk]
    assert TeamDigest.objects.filter(day=DAY).count() == 3


def test_the_digest_builder_is_registered_at_start_up() -> None:
    """TopicsConfig.ready() registers it: a worker delivering a digest knows its builder."""
    context = {EMAIL_BUILDER_KEY: DIGEST_KIND, "day": DAY, "teams": []}
    assert email_context_at_delivery(context, recipient=User(pk=1)) is None
