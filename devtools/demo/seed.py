"""Writes the demo plan to the database: only what is missing, so running it again is a no-op.

Rows are found again by natural keys: categories by slug, products by SKU, accounts by
username, reviews by `external_id` (`demo-<sku>-<n>`); rows that hang off a review (votes,
reports, status history, brand replies) are written only with a review created in the same
run. The gate's part goes through the gate's services only: the demo improvement through
`improvement_import` (history), then `gate_evaluate_through` yesterday.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.roles import user_add_role
from core.errors import DomainError
from devtools.demo.care import demo_care_write
from devtools.demo.photos import demo_photos_write
from devtools.demo.plan import DemoPlan, build_plan
from devtools.demo.rows import ADMIN, EMAIL_DOMAIN, MODERATOR, PlannedReview
from devtools.demo.scenarios import ANCHOR_REVIEW, SCENARIOS
from devtools.demo.seed_orders import DueSoonState, LineKey, demo_orders_write, due_soon_write, stored_reviews_prove
from devtools.demo.topics import demo_topics_write
from gate.models import Improvement
from gate.policy import GatePolicy
from gate.services import (
    EvaluationSummary,
    ImprovementImport,
    gate_evaluate_through,
    gate_policy_from_settings,
    improvement_import,
)
from orders.invitations import invitation_settings
from products.models import Category, Product
from reviews.models import BrandReply, Review, ReviewReport, ReviewStatus, ReviewStatusChange, ReviewVote
from reviews.ratings import RatingDrift, product_ratings_recompute
from topics.services import reviews_tag_untagged

BATCH_SIZE = 500
Log = Callable[[str], None]


@dataclass
class SeedResult:
    anchor: date
    plan: DemoPlan
    created: Counter[str] = field(default_factory=Counter)
    improvements_logged: int = 0
    evaluation: EvaluationSummary | None = None
    warnings: list[str] = field(default_factory=list)
    drifts: list[RatingDrift] = field(default_factory=list)
    due_soon: list[DueSoonState] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        return any(self.created.values()) or self.improvements_logged > 0


def demo_anchor(*, today: date, scale: float, policy: GatePolicy) -> tuple[date, DemoPlan]:
    """The day of the first seeding (and its plan), or `today` on a database without the demo.

    A scenario review's distance from the anchor does not depend on the anchor, so the
    stored day of `ANCHOR_REVIEW` minus its planned distance gives the first seeding's day:
    a later run plans exactly the same rows and finds them all there.
    """
    plan = build_plan(anchor=today, scale=scale, policy=policy)
    stored = Review.objects.filter(external_id=ANCHOR_REVIEW).values_list("created_at", flat=True).first()
    if stored is None:
        return today, plan
    planned = next(r.created_at for r in plan.reviews if r.external_id == ANCHOR_REVIEW)
    shift = policy.day_of(stored) - policy.day_of(planned)
    if not shift:
        return today, plan
    anchor = today + shift
    return anchor, build_plan(anchor=anchor, scale=scale, policy=policy)


def demo_seed(
    *,
    today: date | None = None,
    now: datetime | None = None,
    scale: float = 1.0,
    gate: bool = True,
    log: Log | None = None,
) -> SeedResult:
    """Seeds the demo: data, the demo improvement, then the gate evaluated through yesterday.

    1. plan the rows for the anchor day (recovered from an earlier seeding, if any);
    2. in one transaction: categories, products, accounts, orders and their invitations,
       reviews and everything that hangs off them, then the products' rating figures
       rebuilt; and the few orders whose invitations fall due minutes after `now`;
    3. (gate) the improvement imported as history if it is missing, while its day is not
       yet evaluated, then every day not yet evaluated through yesterday;
    4. a last recomputation of the figures, which must find nothing to correct.
    """
    now = now or timezone.now()
    policy = gate_policy_from_settings()
    today = today or policy.day_of(now)
    say = log or (lambda _message: None)
    anchor, plan = demo_anchor(today=today, scale=scale, policy=policy)
    result = SeedResult(anchor=anchor, plan=plan)
    say(f"Writing the demo data missing from the database (anchor day {anchor})...")
    with transaction.atomic():
        _write_data(plan, result)
        on_sale = [spec.sku for spec in plan.products if spec.sku not in SCENARIOS]
        result.due_soon = due_soon_write(now=now, rules=invitation_settings(), on_sale=on_sale, created=result.created)
    reviews_tag_untagged()  # written as history (no publication events): tagged here, as tag_reviews does
    if gate:
        _log_improvements(plan, result, now=now)
        yesterday = policy.day_of(now) - timedelta(days=1)
        say(f"Evaluating the quality gate through {yesterday}...")
        result.evaluation = gate_evaluate_through(through=yesterday, now=now, policy=policy)
    result.drifts = product_ratings_recompute(product_ids=_demo_product_ids(plan))
    return result


def _demo_product_ids(plan: DemoPlan) -> list[int]:
    return list(Product.objects.filter(sku__in=[p.sku for p in plan.products]).values_list("pk", flat=True))


# --- Data ---------------------------------------------------------------------------------
def _write_data(plan: DemoPlan, result: SeedResult) -> None:
    categories = _write_categories(plan, result)
    products = _write_products(plan, result, categories)
    users = _write_accounts(plan, result)
    _write_managers(plan, result, products, users)
    orders_before = result.created["orders"]
    line_ids = demo_orders_write(plan.orders, products=products, users=users, created=result.created)
    created = _write_reviews(plan, result, products, users, line_ids)
    if result.created["orders"] > orders_before and len(created) < len(plan.reviews):
        result.created["reviews proven by the new orders"] += stored_reviews_prove(plan.reviews, line_ids)
    if created:
        _write_review_history(plan, result, created, users)
        product_ratings_recompute(product_ids=sorted({review.product_id for review in created.values()}))
    demo_care_write(plan, users=users, created=result.created)
    demo_topics_write(plan, created=result.created)
    demo_photos_write(plan, created=result.created)


def _write_categories(plan: DemoPlan, result: SeedResult) -> dict[str, Category]:
    categories = {}
    for spec in plan.categories:
        category, made = Category.objects.get_or_create(
            slug=spec.slug, defaults={"name": spec.name, "name_en": spec.name, "name_fr": spec.name_fr}
        )
        categories[spec.slug] = category
        result.created["categories"] += made
    return categories


def _write_products(plan: DemoPlan, result: SeedResult, categories: dict[str, Category]) -> dict[str, Product]:
    existing = {p.sku: p for p in Product.objects.filter(sku__in=[s.sku for s in plan.products])}
    missing = [
        Product(
            sku=spec.sku,
            # Each language's column by its name (products/translation.py): `name=` alone
            # would write the active language's.
            name=spec.name,
            name_en=spec.name,
            name_fr=spec.name_fr,
            slug=slugify(spec.name),
            category=categories[spec.category],
            brand=spec.brand,
            description=spec.description,
            description_en=spec.description,
            description_fr=spec.description_fr,
        )
        for spec in plan.products
        if spec.sku not in existing
    ]
    if missing:
        Product.objects.bulk_create(missing, batch_size=BATCH_SIZE)
        # created_at is auto_now_add: dated back afterwards, to the product's launch.
        for product in Product.objects.filter(sku__in=[p.sku for p in missing]):
            Product.objects.filter(pk=product.pk).update(created_at=plan.product_created_at[product.sku])
        result.created["products"] += len(missing)
    return {p.sku: p for p in Product.objects.filter(sku__in=[s.sku for s in plan.products])}


def _write_accounts(plan: DemoPlan, result: SeedResult) -> dict[str, User]:
    joined = datetime.combine(plan.anchor - timedelta(days=600), datetime.min.time(), tzinfo=plan.policy.tzinfo)
    for account in plan.accounts:
        user, made = User.objects.get_or_create(
            username=account.username,
            defaults={
                "email": f"{account.username}@{EMAIL_DOMAIN}",
                "first_name": account.first_name,
                "last_name": account.last_name,
                "display_name": account.display_name,
                "language": account.language,
                "date_joined": joined,
                "email_verified_at": joined,
                "is_staff": account.role == ADMIN,
                "is_superuser": account.role == ADMIN,
            },
        )
        if made:
            # The known password is set once; a password changed since is left alone.
            user.set_password(account.password)
            user.save(update_fields=["password"])
            result.created["accounts"] += 1
        if account.role != ADMIN and not user.groups.filter(name=account.role).exists():
            user_add_role(user, account.role)
    existing = set(
        User.objects.filter(username__in=[c.username for c in plan.customers]).values_list("username", flat=True)
    )
    missing = [
        User(
            username=customer.username,
            email=f"{customer.username}@{EMAIL_DOMAIN}",
            first_name=customer.first_name,
            last_name=customer.last_name,
            display_name=customer.display_name,
            language=customer.language,
            date_joined=joined,
            email_verified_at=joined,
            password=make_password(None),  # no usable password: they exist to write and vote
        )
        for customer in plan.customers
        if customer.username not in existing
    ]
    if missing:
        User.objects.bulk_create(missing, batch_size=BATCH_SIZE)
        result.created["customers"] += len(missing)
        shopper = Group.objects.get(name="shopper")
        membership = User.groups.through
        membership.objects.bulk_create(
            [
                membership(user_id=pk, group_id=shopper.pk)
                for pk in User.objects.filter(username__in=[u.username for u in missing]).values_list("pk", flat=True)
            ],
            ignore_conflicts=True,
        )
    usernames = [a.username for a in plan.accounts] + [c.username for c in plan.customers]
    return {user.username: user for user in User.objects.filter(username__in=usernames)}


def _write_managers(plan: DemoPlan, result: SeedResult, products: dict[str, Product], users: dict[str, User]) -> None:
    manager = next(users[a.username] for a in plan.accounts if a.role == "product_manager")
    through = Product.managers.through
    managed = [products[spec.sku].pk for spec in plan.products if spec.managed]
    already = set(
        through.objects.filter(user_id=manager.pk, product_id__in=managed).values_list("product_id", flat=True)
    )
    missing = [through(product_id=pk, user_id=manager.pk) for pk in managed if pk not in already]
    through.objects.bulk_create(missing)
    result.created["product managers"] += len(missing)


def _write_reviews(
    plan: DemoPlan,
    result: SeedResult,
    products: dict[str, Product],
    users: dict[str, User],
    line_ids: dict[LineKey, int],
) -> dict[str, Review]:
    """Inserts the reviews not stored yet; returns them by external_id (with their ids)."""
    keys = [r.external_id for r in plan.reviews]
    stored: set[str | None] = set()
    for offset in range(0, len(keys), BATCH_SIZE):
        stored.update(
            Review.objects.filter(external_id__in=keys[offset : offset + BATCH_SIZE]).values_list(
                "external_id", flat=True
            )
        )
    missing = [_review_row(r, products, users, line_ids) for r in plan.reviews if r.external_id not in stored]
    if not missing:
        return {}
    Review.objects.bulk_create(missing, batch_size=BATCH_SIZE)
    result.created["reviews"] += len(missing)
    created: dict[str, Review] = {}
    new_keys = [r.external_id for r in missing if r.external_id]
    for offset in range(0, len(new_keys), BATCH_SIZE):
        for review in Review.objects.filter(external_id__in=new_keys[offset : offset + BATCH_SIZE]).only(
            "id", "external_id", "product_id", "author_id", "created_at", "status"
        ):
            assert review.external_id is not None
            created[review.external_id] = review
    return created


def _review_row(
    review: PlannedReview, products: dict[str, Product], users: dict[str, User], line_ids: dict[LineKey, int]
) -> Review:
    published = review.status in (ReviewStatus.PUBLISHED, ReviewStatus.REMOVED)
    return Review(
        product=products[review.sku],
        author=users[review.author] if review.author else None,
        author_name=review.author_name,
        rating=review.rating,
        recommend=review.recommend,
        title=review.title,
        body=review.body,
        language=review.language,
        revision=review.revision,
        status=review.status,
        status_reason=review.status_reason,
        # Verified by the rule: the planner gave it an invitation's order line, or an
        # earlier delivered order of its account (devtools.demo.orders).
        verified_purchase=review.verified,
        order_line_id=line_ids[review.order_line] if review.order_line else None,
        source=review.source,
        external_id=review.external_id,
        helpful_yes=review.helpful_yes,
        helpful_no=review.helpful_no,
        created_at=review.created_at,
        # Published the moment it was written (no pre-moderation); the gate dates it by this.
        published_at=review.created_at if published else None,
    )


def _write_review_history(
    plan: DemoPlan, result: SeedResult, created: dict[str, Review], users: dict[str, User]
) -> None:
    """Status history, votes, reports and brand replies of the reviews created in this run."""
    moderator = users[MODERATOR]
    changes: list[ReviewStatusChange] = []
    votes: list[ReviewVote] = []
    for planned in plan.reviews:
        review = created.get(planned.external_id)
        if review is None:
            continue
        author = users[planned.author] if planned.author else None
        changes.append(
            ReviewStatusChange(
                review=review, from_status="", to_status="pending", changed_by=author, changed_at=planned.created_at
            )
        )
        if planned.status in (ReviewStatus.PUBLISHED, ReviewStatus.REMOVED):
            changes.append(
                ReviewStatusChange(
                    review=review, from_status="pending", to_status="published", changed_at=planned.created_at
                )
            )
        if planned.status in (ReviewStatus.REJECTED, ReviewStatus.REMOVED):
            by_author = planned.status_reason == "author_deleted"
            changes.append(
                ReviewStatusChange(
                    review=review,
                    from_status="published" if planned.status == ReviewStatus.REMOVED else "pending",
                    to_status=planned.status,
                    reason=planned.status_reason,
                    changed_by=author if by_author else moderator,
                    changed_at=planned.decided_at or planned.created_at,
                )
            )
        votes += [ReviewVote(review=review, voter=users[voter], helpful=helpful) for voter, helpful in planned.votes]
    ReviewStatusChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)
    ReviewVote.objects.bulk_create(votes, batch_size=BATCH_SIZE)
    result.created["review status changes"] += len(changes)
    result.created["votes"] += len(votes)

    reports = [
        ReviewReport(
            review=created[report.review],
            reporter=users[report.reporter],
            reason=report.reason,
            comment=report.comment,
            created_at=report.created_at,
            handled_at=report.handled_at,
            handled_by=users[report.handled_by] if report.handled_by else None,
        )
        for report in plan.reports
        if report.review in created
    ]
    ReviewReport.objects.bulk_create(reports, batch_size=BATCH_SIZE)
    result.created["reports"] += len(reports)
    replies = [
        BrandReply(
            review=created[reply.review],
            author=users[reply.author],
            body=reply.body,
            created_at=reply.created_at,
            updated_at=reply.created_at,
        )
        for reply in plan.replies
        if reply.review in created
    ]
    BrandReply.objects.bulk_create(replies, batch_size=BATCH_SIZE)
    result.created["brand replies"] += len(replies)


# --- The gate -----------------------------------------------------------------------------
def _log_improvements(plan: DemoPlan, result: SeedResult, *, now: datetime) -> None:
    """The demo improvement, logged as history through the gate's import service.

    Its reviews are already stored with the new revision (they were written after it);
    the import checks it comes before any evaluated day and the engine applies it when it
    evaluates that day. The shopper-facing note and the phrases it addresses are not part
    of an import row, so they are added to the improvement just created, in the same
    transaction.
    """
    for planned in plan.improvements:
        if Improvement.objects.filter(product__sku=planned.sku, logged_at=planned.logged_at).exists():
            continue
        try:
            with transaction.atomic():
                [improvement] = improvement_import(
                    items=[
                        ImprovementImport(sku=planned.sku, logged_at=planned.logged_at, description=planned.description)
                    ],
                    by=User.objects.get(username=planned.logged_by),
                    now=now,
                    policy=plan.policy,
                )
                Improvement.objects.filter(pk=improvement.pk).update(
                    public_note=planned.public_note, addressed_phrases=list(planned.addressed_phrases)
                )
        except DomainError as error:
            result.warnings.append(
                f"The demo improvement of {planned.sku} was not logged: {error.message}. "
                "The gate had already evaluated its day, so this product's story will differ."
            )
            continue
        result.improvements_logged += 1
