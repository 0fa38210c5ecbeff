"""`manage.py seed_demo`: idempotent, believable, one account per role, the gate at work."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Min, Q, Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from desk.selectors import product_complaint_phrases
from devtools.demo.plan import build_plan
from devtools.demo.rows import DEMO_ACCOUNTS
from devtools.demo.scenarios import ANCHOR_REVIEW, SCENARIOS
from devtools.demo.seed import demo_seed
from gate.models import GateClock, GateEvent, Improvement, WithdrawalNotice
from gate.policy import EventKind, GatePolicy
from gate.services import gate_policy_from_settings
from notifications.models import OutboxMessage
from products.models import Category, Product
from reviews.models import BrandReply, Review, ReviewReport, ReviewStatus, ReviewVote
from reviews.ratings import product_ratings_recompute

SMALL = 0.2


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Five demo passwords per seeding: the production hasher would cost seconds each time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _seed(**options: Any) -> str:
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out, **options)
    return out.getvalue()


# --- Without a database -------------------------------------------------------------------
def test_the_plan_is_the_same_every_time() -> None:
    policy = gate_policy_from_settings()
    today = timezone.localdate()
    first = build_plan(anchor=today, scale=SMALL, policy=policy)
    second = build_plan(anchor=today, scale=SMALL, policy=policy)
    assert [(r.external_id, r.created_at, r.rating, r.body) for r in first.reviews] == [
        (r.external_id, r.created_at, r.rating, r.body) for r in second.reviews
    ]
    assert len({r.external_id for r in first.reviews}) == len(first.reviews)


def test_the_anchor_review_keeps_its_distance_from_any_anchor() -> None:
    """What lets a later run find the first seeding's day (see seed_demo's docstring)."""
    policy = gate_policy_from_settings()
    today = timezone.localdate()
    distances = set()
    for shift in (0, 1, 40, 200):
        anchor = today + timedelta(days=shift)
        plan = build_plan(anchor=anchor, scale=SMALL, policy=policy)
        review = next(r for r in plan.reviews if r.external_id == ANCHOR_REVIEW)
        distances.add((anchor - policy.day_of(review.created_at)).days)
    assert len(distances) == 1


def test_every_review_text_is_filled_in_and_long_enough() -> None:
    plan = build_plan(anchor=timezone.localdate(), scale=1.0, policy=gate_policy_from_settings())
    for review in plan.reviews:
        assert review.title and len(review.body) >= 20, review
        assert "{" not in review.body and "}" not in review.body, review.body
        assert review.author_name


# --- With the database --------------------------------------------------------------------
@pytest.mark.django_db
def test_seed_twice_today_and_again_days_later_creates_nothing_twice() -> None:
    now = timezone.now()
    first = demo_seed(scale=SMALL, now=now)
    assert first.created["reviews"] > 0
    after_first = _row_counts()

    second = demo_seed(scale=SMALL, now=now + timedelta(minutes=5))
    assert not second.created_anything
    assert _row_counts() == after_first

    # Days later: the same anchor is found again from the data, so the same rows are
    # planned and all found; only the gate catches up on the new days (nothing changes).
    later = demo_seed(scale=SMALL, now=now + timedelta(days=3))
    assert later.anchor == first.anchor
    assert not later.created_anything
    assert later.evaluation is not None and later.evaluation.days == 3
    assert _row_counts() == after_first
    assert GateClock.objects.get().last_evaluated_day == first.anchor + timedelta(days=2)


@pytest.mark.django_db
def test_the_command_says_when_there_was_nothing_to_create() -> None:
    first = _seed(scale=str(SMALL), no_gate=True)
    assert "Demo data written" in first
    second = _seed(scale=str(SMALL), no_gate=True)
    assert "nothing created" in second
    for account in DEMO_ACCOUNTS:
        assert f" {account.username} " in second and account.password in second


@pytest.mark.django_db
def test_every_role_has_a_demo_account_that_can_log_in() -> None:
    _seed(scale=str(SMALL), no_gate=True)
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        user = user_model.objects.get(username=account.username)
        assert Client().login(username=account.username, password=account.password), account.username
        assert user.language == account.language
        if account.role == "admin":
            assert user.is_superuser and user.is_staff
        else:
            assert list(user.groups.values_list("name", flat=True)) == [account.role]
    # English unless it chose French: the accounts the README lists read the site in English.
    assert {a.language for a in DEMO_ACCOUNTS} == {"en"}
    assert {a.role for a in DEMO_ACCOUNTS} >= {"shopper", "moderator", "product_manager", "quality_director"}
    manager = user_model.objects.get(username="manager")
    managed = set(manager.managed_products.values_list("sku", flat=True))
    assert set(SCENARIOS) <= managed and len(managed) > len(SCENARIOS)
    # Customers write and vote but cannot log in.
    customers = user_model.objects.filter(groups__name="shopper").exclude(username="shopper")
    assert customers.count() >= 50
    assert not any(customer.has_usable_password() for customer in customers)


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_with_debug_off_unless_forced(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_a_bad_scale_is_refused() -> None:
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", scale="lots", force=True, stdout=io.StringIO())


@pytest.mark.django_db
def test_default_seed_is_believable_and_shows_the_gate_at_work() -> None:
    """One full-size seeding, checked from every side the demo promises."""
    output = _seed()
    policy = gate_policy_from_settings()
    today = policy.day_of(timezone.now())
    assert "Quality gate evaluated" in output
    _assert_catalogue_and_reviews_are_believable(policy=policy, today=today)
    _assert_the_moderation_side_is_at_work()
    # Derived figures equal a recomputation from the reviews.
    assert product_ratings_recompute() == []
    _assert_the_gate_tells_every_story(today=today)
    _assert_the_engine_wrote_what_the_plan_predicted(policy=policy, today=today)


def _assert_catalogue_and_reviews_are_believable(*, policy: GatePolicy, today: date) -> None:
    """Catalogue and reviews in range, spread over about 18 months, in both languages."""
    assert 55 <= Product.objects.count() <= 65
    assert 5 <= Category.objects.count() <= 8
    assert Product.objects.exclude(image_url="").count() == 0
    published = Review.objects.filter(status=ReviewStatus.PUBLISHED)
    assert 4_500 <= Review.objects.count() <= 5_500
    span = published.aggregate(first=Min("published_at"), last=Max("published_at"))
    first_day, last_day = policy.day_of(span["first"]), policy.day_of(span["last"])
    assert 500 <= (today - first_day).days <= 560
    assert last_day < today
    by_language = dict(Review.objects.values_list("language").annotate(n=Count("id")))
    assert set(by_language) == {"en", "fr"}
    assert 0.25 <= by_language["fr"] / sum(by_language.values()) <= 0.35
    assert published.filter(verified_purchase=True).exists() and published.filter(verified_purchase=False).exists()
    assert not published.exclude(published_at=F("created_at")).exists()


def _assert_the_moderation_side_is_at_work() -> None:
    """A queue, reports waiting, brand replies, votes that add up."""
    assert Review.objects.filter(status=ReviewStatus.PENDING).count() >= 5
    assert ReviewReport.objects.filter(handled_at__isnull=True).count() >= 5
    assert BrandReply.objects.count() >= 10
    totals = Review.objects.aggregate(yes=Sum("helpful_yes"), no=Sum("helpful_no"))
    assert totals["yes"] == ReviewVote.objects.filter(helpful=True).count() > 0
    assert totals["no"] == ReviewVote.objects.filter(helpful=False).count()


def _assert_the_gate_tells_every_story(*, today: date) -> None:
    """Flagged with a deadline to come (one flagged within the notification window),
    withdrawn, reinstated after an improvement, recovered once."""
    flagged = Product.objects.filter(gate_state="flagged", withdrawal_deadline__gt=today)
    assert flagged.filter(flagged_on__gte=today - timedelta(days=7)).exists()
    assert flagged.count() >= 2
    withdrawn = Product.objects.filter(gate_state="withdrawn")
    assert withdrawn.exists() and not withdrawn.filter(on_sale=True).exists()
    reinstated = GateEvent.objects.get(kind=EventKind.REINSTATED)
    product = reinstated.product
    improvement = Improvement.objects.get(product=product)
    assert product.gate_state == "active" and product.on_sale and product.revision == 1
    assert improvement.public_note and today - timedelta(days=60) < improvement.day < today - timedelta(days=14)
    assert GateEvent.objects.filter(product=product, kind=EventKind.WITHDRAWN, day__lt=improvement.day).exists()
    newer = Review.objects.filter(product=product, created_at__gte=improvement.logged_at)
    assert newer.exists() and not newer.exclude(revision=1).exists()
    assert not Review.objects.filter(product=product, created_at__lt=improvement.logged_at, revision=1).exists()
    assert newer.filter(status=ReviewStatus.PUBLISHED).count() == product.current_count
    assert product.current_average is not None and product.current_average >= 4
    assert GateEvent.objects.filter(kind=EventKind.RECOVERED).exists()
    assert WithdrawalNotice.objects.filter(state=WithdrawalNotice.State.OPEN).count() == flagged.count()

    # The product manager's notice email of the recent flag is waiting in the outbox.
    # The outbox names what a message is about by its dedupe key, `email:<event>:<user>`.
    recent_flag = GateEvent.objects.filter(kind=EventKind.FLAGGED, day__gte=today - timedelta(days=7)).first()
    assert recent_flag is not None
    assert OutboxMessage.objects.filter(
        dedupe_key__startswith=f"email:{recent_flag.pk}:",
        channel=OutboxMessage.Channel.EMAIL,
        recipient__username="manager",
    ).exists()


def _assert_the_engine_wrote_what_the_plan_predicted(*, policy: GatePolicy, today: date) -> None:
    """The engine wrote exactly the events the plan's pure-step shaping predicted."""
    plan = build_plan(anchor=today, scale=1.0, policy=policy)
    expected = sorted(
        (e.day, e.product_id, e.kind.value, e.average, e.count)
        for events in plan.expected_events.values()
        for e in events
    )
    stored = sorted(
        GateEvent.objects.values_list("day", "product__sku", "kind", "average", "count"),
    )
    assert stored == expected
    # Only the poor products ever left the "active" state.
    assert set(GateEvent.objects.values_list("product__sku", flat=True)) == set(SCENARIOS)
    assert not Product.objects.filter(~Q(sku__in=list(SCENARIOS)), ~Q(gate_state="active")).exists()


@pytest.mark.django_db
def test_the_reinstated_products_notice_shows_real_figures_for_the_complaints_its_fix_addressed() -> None:
    """The "did the fix work?" table: each addressed phrase is said, word for word, by
    low-rated reviews of the version before the fix, and the fixed version has low-rated
    reviews of its own to compare with (about something else)."""
    _seed(scale=str(SMALL))
    improvement = Improvement.objects.get(product__sku="RAY-6500")
    assert improvement.addressed_phrases
    notice = WithdrawalNotice.objects.get(product=improvement.product, resolved_by=improvement)
    client = Client()
    client.force_login(get_user_model().objects.get(username="manager"))
    response = client.get(reverse("desk:notice", kwargs={"pk": notice.pk}))
    assert response.status_code == 200
    loop = response.context["loop"]
    assert [row.phrase for row in loop.rows] == list(improvement.addressed_phrases)
    for row in loop.rows:
        assert row.before > 0, f"no low-rated review of the previous version says {row.phrase!r}"
        assert row.after_total > 0 and row.after == 0
        assert row.verdict == "fixed"
    page = response.content.decode()
    table = page[page.index('id="loop-caption"') : page.index("</table>", page.index('id="loop-caption"'))]
    assert "No longer said" in table and "Too early to tell" not in table
    assert f"{loop.rows[0].before} of {loop.rows[0].before_total} (" in table

    # At least two of them are phrases the desk's analysis itself finds (the improvement
    # form's checkboxes), not only phrases typed in.
    found = {phrase.phrase for phrase in product_complaint_phrases(product=improvement.product, revision=0)}
    assert len(found & set(improvement.addressed_phrases)) >= 2
