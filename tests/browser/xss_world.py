"""The XSS corpus (tests/browser/xss_payloads.txt) stored in every text field a shopper, a
member of staff or an integrator can write, built once per test in a few bulk inserts.

Fields and who writes them (the other CharFields and TextFields of the models are codes,
choices, hashes, slugs, SKUs or the app's own words):

- accounts.User: display_name (shopper, sign-up and profile), first_name and last_name
  (admin). The username is not here: its validator allows letters, digits and @.+-_ only.
- products.Category.name, products.Product.name, brand, description, image_url (admin,
  imports).
- reviews.Review: title, body, author_name (shopper; imports); ReviewReport.comment
  (shopper); BrandReply.body (product manager).
- gate.Improvement and ImprovementRequest: description, public_note, addressed_phrases
  (product manager, API), rejection_reason (quality director).
- desk.NoticeComment: body, author_name; desk.AuditEntry: actor_name, details (copies of
  names and reasons).
- apikeys.ApiKey.name (admin); notifications.WebhookEndpoint: url, description (admin);
  OutboxMessage.payload, last_error and DeliveryAttempt.error (what a webhook receiver
  answers ends up there).

Each payload i is in its own objects (review i, product i, comment i...), so every field
holds every payload; the long text fields of one object (the main product's description)
hold the whole corpus at once as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User
from accounts.roles import MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR
from apikeys.models import ApiKey
from desk.models import AuditAction, AuditEntry, NoticeComment
from gate.models import GateEvent, Improvement, ImprovementRequest
from gate.policy import EventKind
from notifications.models import DeliveryAttempt, OutboxMessage, WebhookEndpoint
from products.models import Category, Product
from reviews.models import BrandReply, ReasonCode, Review, ReviewReport, ReviewStatus
from reviews.ratings import product_ratings_recompute
from tests.factories import PASSWORD, user_create
from tests.integration.desk.factories import Story, flagged_story

CORPUS = Path(__file__).with_name("xss_payloads.txt")
MAIN_SKU = "XSS-MAIN"
FLAGGED_SKU = "XSS-FLAG"


def payloads_load(path: Path = CORPUS) -> list[str]:
    """The corpus, each XSSID replaced by the payload's number.

    Split on "\\n" only: str.splitlines() would also cut at U+2028, U+0085 and the like,
    which some payloads carry on purpose.
    """
    lines = path.read_text(encoding="utf-8").split("\n")
    payloads = [line for line in lines if line and not line.startswith("# ")]
    return [payload.replace("XSSID", str(number)) for number, payload in enumerate(payloads)]


def payload_sku(number: int) -> str:
    return f"XSS-{number:04d}"


def payload_image_url(number: int, payload: str) -> str:
    """An image address carrying the payload in its query (a URLField holds http(s) only).

    https (the policy's img-src allows it) to a closed port: refused at once, no network.
    """
    return f"https://127.0.0.1:9/{number}.png?q={payload}"[:200]


@dataclass
class XssWorld:
    payloads: list[str]
    main: Product
    flagged: Story
    shopper: User  # wrote review 0; display name is payload 0
    manager: User
    moderator: User
    director: User
    superuser: User
    reviews: list[Review]  # review i on the main product: title, body, author name = payload i
    products: list[Product]  # product i: name, brand, description, category = payload i


def _people(payloads: list[str]) -> list[User]:
    """One shopper per payload (display, first and last name), one password hash for all."""
    password = make_password(PASSWORD)
    joined = timezone.now() - timedelta(days=365)
    return User.objects.bulk_create(
        User(
            username=f"xss{number}",
            email=f"xss{number}@example.com",
            password=password,
            display_name=payload[:60],
            first_name=payload[:150],
            last_name=payload[:150],
            date_joined=joined,
            email_verified_at=joined,
        )
        for number, payload in enumerate(payloads)
    )


def _catalogue(payloads: list[str], manager: User) -> tuple[Product, list[Product]]:
    categories = Category.objects.bulk_create(
        Category(name=f"{payload[:95]} {number}", slug=f"xss-{number}") for number, payload in enumerate(payloads)
    )
    products = Product.objects.bulk_create(
        Product(
            sku=payload_sku(number),
            name=payload,
            slug=f"xss-{number}",
            brand=payload[:100],
            description=payload,
            category=categories[number],
            image_url=payload_image_url(number, payload),
        )
        for number, payload in enumerate(payloads)
    )
    main = Product.objects.create(
        sku=MAIN_SKU,
        name=payloads[-1],
        slug="xss-main",
        brand=payloads[0][:100],
        description="\n".join(payloads),
        category=categories[0],
    )
    for product in [main, *products]:
        product.managers.add(manager)
    return main, products


def _reviews(payloads: list[str], main: Product, people: list[User], manager: User) -> list[Review]:
    now = timezone.now()
    reviews = Review.objects.bulk_create(
        Review(
            product=main,
            author=person,
            author_name=person.display_name,
            rating=1 + number % 5,
            title=payload,
            body=payload,
            language="en",
            revision=main.revision,
            status=ReviewStatus.PUBLISHED,
            created_at=now - timedelta(minutes=number + 1),
            published_at=now - timedelta(minutes=number + 1),
        )
        for number, (payload, person) in enumerate(zip(payloads, people, strict=True))
    )
    # A report by the next shopper (its comment: the payload) puts each review in the queue.
    ReviewReport.objects.bulk_create(
        ReviewReport(
            review=review,
            reporter=people[(number + 1) % len(people)],
            reason=ReasonCode.OFFENSIVE,
            comment=payloads[number],
            created_at=now,
        )
        for number, review in enumerate(reviews)
    )
    BrandReply.objects.bulk_create(
        BrandReply(review=review, author=manager, body=payloads[number], created_at=now, updated_at=now)
        for number, review in enumerate(reviews)
    )
    product_ratings_recompute(product_ids=[main.pk])
    return reviews


def _product_reviews(payloads: list[str], products: list[Product], people: list[User]) -> None:
    """Shopper i's review of product i (after its improvement: it counts, and is in the
    JSON-LD): the product's page holds payload i alone."""
    now = timezone.now()
    Review.objects.bulk_create(
        Review(
            product=product,
            author=people[number],
            author_name=people[number].display_name,
            rating=1 + number % 5,
            title=payloads[number],
            body=payloads[number],
            language="en",
            revision=product.revision,
            status=ReviewStatus.PUBLISHED,
            created_at=now - timedelta(hours=1),
            published_at=now - timedelta(hours=1),
        )
        for number, product in enumerate(Product.objects.filter(pk__in=[p.pk for p in products]).order_by("sku"))
    )
    product_ratings_recompute(product_ids=[product.pk for product in products])


def _gate_texts(payloads: list[str], products: list[Product], manager: User, director: User, story: Story) -> None:
    """An improvement logged on product i (its public note shows on the product's page), a
    request waiting for approval on product i, and comment i on the flagged product's notice."""
    now = timezone.now()
    improvements = Improvement.objects.bulk_create(
        Improvement(
            product=product,
            logged_by=manager,
            logged_at=now - timedelta(hours=2),
            day=timezone.localdate(now),
            revision=product.revision + 1,
            description=payloads[number],
            public_note=payloads[number],
            addressed_phrases=[payloads[number][:200]],
        )
        for number, product in enumerate(products)
    )
    GateEvent.objects.bulk_create(
        GateEvent(
            product=improvement.product,
            day=improvement.day,
            kind=EventKind.IMPROVED,
            count=0,
            improvement=improvement,
            policy={"threshold": "3.0", "grace_days": 3, "min_reviews": 5, "window_days": 365},
        )
        for improvement in improvements
    )
    Product.objects.filter(pk__in=[p.pk for p in products]).update(
        revision=2, revision_started_at=now - timedelta(hours=2)
    )
    ImprovementRequest.objects.bulk_create(
        ImprovementRequest(
            product=product,
            requested_by=manager,
            requested_at=now - timedelta(minutes=number),
            description=payloads[number],
            public_note=payloads[number],
            addressed_phrases=[payloads[number][:200]],
        )
        for number, product in enumerate(products)
    )
    # One request decided: its reason shows in the product's history.
    ImprovementRequest.objects.bulk_create(
        ImprovementRequest(
            product=story.product,
            requested_by=manager,
            requested_at=now - timedelta(days=1, minutes=number),
            description=payloads[number],
            public_note=payloads[number],
            addressed_phrases=[payloads[number][:200]],
            state=ImprovementRequest.State.REJECTED,
            decided_by=director,
            decided_at=now - timedelta(hours=number),
            rejection_reason=payloads[number],
        )
        for number in range(len(payloads))
    )
    NoticeComment.objects.bulk_create(
        NoticeComment(
            notice=story.notice,
            author=manager,
            author_name=payload[:150],
            body=payload,
            created_at=now - timedelta(minutes=number),
        )
        for number, payload in enumerate(payloads)
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=manager,
            actor_name=payload[:150],
            at=now - timedelta(minutes=number),
            action=AuditAction.NOTICE_COMMENTED,
            product=story.product,
            target_type="notice",
            target_id=str(story.notice.pk),
            details={"body": payload},
        )
        for number, payload in enumerate(payloads)
    )


def _integrations(payloads: list[str], director: User) -> None:
    """Keys and endpoints named by payloads; failed deliveries whose errors are payloads
    (a receiver's answer is copied into them)."""
    ApiKey.objects.bulk_create(
        ApiKey(name=payload[:100], prefix=f"x{number:07d}", hashed_secret="0" * 64, owner=director)
        for number, payload in enumerate(payloads)
    )
    endpoints = WebhookEndpoint.objects.bulk_create(
        WebhookEndpoint(
            url=f"https://hooks.example/{number}?q={payload}"[:500],
            secret="s" * 32,
            events=["flagged"],
            description=payload[:200],
            created_by=director,
        )
        for number, payload in enumerate(payloads)
    )
    now = timezone.now()
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(
            channel=OutboxMessage.Channel.WEBHOOK,
            kind="flagged",
            dedupe_key=f"xss:{number}",
            endpoint=endpoints[number],
            payload={"product": {"name": payloads[number]}},
            status=OutboxMessage.Status.FAILED,
            attempts=1,
            next_attempt_at=now,
            last_error=payloads[number],
        )
        for number in range(len(payloads))
    )
    DeliveryAttempt.objects.bulk_create(
        DeliveryAttempt(
            message=message,
            number=1,
            attempted_at=now,
            finished_at=now,
            succeeded=False,
            duration_ms=5,
            http_status=500,
            error=payloads[number],
        )
        for number, message in enumerate(messages)
    )


def xss_world_build() -> XssWorld:
    payloads = payloads_load()
    manager = user_create(PRODUCT_MANAGER, username="xss-manager", display_name=payloads[1][:60])
    moderator = user_create(MODERATOR, username="xss-moderator", display_name=payloads[2][:60])
    director = user_create(QUALITY_DIRECTOR, username="xss-director", display_name=payloads[3][:60])
    superuser = user_create(username="xss-admin", is_staff=True, is_superuser=True, display_name=payloads[4][:60])
    people = _people(payloads)
    main, products = _catalogue(payloads, manager)
    reviews = _reviews(payloads, main, people, manager)
    story = flagged_story(managers=[manager], name=payloads[5], sku=FLAGGED_SKU, brand=payloads[6][:100])
    _gate_texts(payloads, products, manager, director, story)
    _product_reviews(payloads, products, people)
    _integrations(payloads, director)
    return XssWorld(
        payloads=payloads,
        main=main,
        flagged=story,
        shopper=people[0],
        manager=manager,
        moderator=moderator,
        director=director,
        superuser=superuser,
        reviews=reviews,
        products=products,
    )
