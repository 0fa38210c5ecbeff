"""Everything around the published reviews: the unpublished ones, the moderation queue,
helpful votes, reports and the brand's replies."""

from __future__ import annotations

import random
from datetime import date, timedelta

from devtools.demo import texts
from devtools.demo.catalogue import ProductSpec
from devtools.demo.people import Authors, guest_name
from devtools.demo.rows import (
    MANAGER,
    MODERATOR,
    SHOPPER,
    Customer,
    PlannedReply,
    PlannedReport,
    PlannedReview,
    local_moment,
    random_moment,
)
from gate.policy import GatePolicy


def unpublished_reviews(
    rng: random.Random, *, anchor: date, policy: GatePolicy, customers: list[Customer], authors: Authors
) -> list[PlannedReview]:
    """Reviews a moderator turned down, and reviews taken down later (by a moderator or their author)."""
    made = []
    for number, row in enumerate(texts.UNPUBLISHED_REVIEWS, start=1):
        created = random_moment(rng, anchor - timedelta(days=row.days_ago), policy)
        review = PlannedReview(
            sku=row.sku,
            created_at=created,
            rating=row.rating,
            status=row.status,
            status_reason=row.reason,
            language=row.language,
            title=row.title,
            body=row.body,
            fixed=True,
            external_id=f"demo-x-{number:03d}",
            decided_at=created + timedelta(hours=rng.randint(5, 40)),
        )
        if review.status_reason == "author_deleted":
            # Deleted by its author: an account. A removed review frees its author's slot,
            # so no reservation is needed.
            same_language = [c for c in customers if c.language == review.language]
            author = rng.choice(same_language)
            review.author, review.author_name, review.source = author.username, author.display_name, "site"
        else:
            review.author, review.author_name = None, guest_name(rng, review.language)
        made.append(review)
    return made


def pending_reviews(
    rng: random.Random, *, anchor: date, policy: GatePolicy, authors: Authors, specs: dict[str, ProductSpec]
) -> list[PlannedReview]:
    """The moderation queue: recent reviews a moderator has not decided on yet."""
    on_sale = [sku for sku, spec in specs.items() if not spec.scenario]
    made = []
    entries = [(language, entry) for language, rows in texts.PENDING_TEXTS.items() for entry in rows]
    for number, (language, (rating, title, body)) in enumerate(entries, start=1):
        review = PlannedReview(
            sku=rng.choice(on_sale),
            created_at=random_moment(rng, anchor - timedelta(days=rng.randint(1, 2)), policy),
            rating=rating,
            status="pending",
            language=language,
            title=title,
            body=body,
            fixed=True,
            external_id=f"demo-p-{number:03d}",
        )
        authors.assign(rng, review, account_share=0.6)
        made.append(review)
    mine = PlannedReview(
        sku="CFD-4400",
        created_at=local_moment(anchor - timedelta(days=1), policy, 20, 42),
        rating=4,
        status="pending",
        language="en",
        title="Roomy and easy to pitch",
        body="Two of us pitched it in fifteen minutes on a windy evening. The living area is huge; "
        "the bedroom curtains are a bit thin.",
        fixed=True,
        author=SHOPPER,
        author_name="Alex P.",
        source="site",
        bought=True,
        external_id=f"demo-p-{len(entries) + 1:03d}",
    )
    authors.reserve(mine, SHOPPER)
    made.append(mine)
    return made


def add_votes(rng: random.Random, reviews: list[PlannedReview], customers: list[Customer]) -> None:
    """Helpful votes on about half the published reviews, more on complaints about a defect."""
    voters = [c.username for c in customers]
    shopper_votes = 0
    for review in reviews:
        if review.status != "published" or rng.random() < 0.55:
            continue
        count = min(len(voters) - 1, 1 + int(rng.expovariate(1 / 3)))
        if review.phase == "issue" and review.rating <= 2:
            count = min(len(voters) - 1, count + rng.randint(2, 9))  # defects draw attention
        yes_share = 0.85 if review.rating in (1, 5) else 0.7
        if review.fixed and review.title and review.author is None and review.rating in (1, 5):
            yes_share = 0.2  # the hand-written reports bait
        pool = [v for v in voters if v != review.author]
        review.votes = [(voter, rng.random() < yes_share) for voter in rng.sample(pool, count)]
        if shopper_votes < 8 and review.author != SHOPPER and review.phase == "issue":
            review.votes.append((SHOPPER, True))
            shopper_votes += 1


_OTHER_COMMENTS = {
    "en": ["Looks like the same text as another review on this page.", "This is about a different product."],
    "fr": ["Même texte qu'un autre avis sur cette page.", "Cet avis parle d'un autre produit."],
}


def review_reports(
    rng: random.Random, reviews: list[PlannedReview], customers: list[Customer], *, anchor: date, policy: GatePolicy
) -> list[PlannedReport]:
    """Reports of the hand-written bait, the reports behind rejections, and a few weak ones."""
    reporters = [c.username for c in customers]
    specials = {(s.sku, s.title): s for s in texts.SPECIAL_REVIEWS}
    reports: list[PlannedReport] = []
    for review in reviews:
        special = specials.get((review.sku, review.title)) if review.fixed and review.author is None else None
        if special is not None and review.status == "published":
            reason, comment = special.report
            for reporter in rng.sample(reporters, rng.randint(1, 3)):
                reports.append(
                    PlannedReport(
                        review=review.external_id,
                        reporter=reporter,
                        reason=reason,
                        comment=comment,
                        created_at=review.created_at + timedelta(hours=rng.randint(2, 40)),
                    )
                )
        elif review.status == "rejected" and review.decided_at is not None:
            # The report that led a moderator to reject it.
            reports.append(
                PlannedReport(
                    review=review.external_id,
                    reporter=rng.choice(reporters),
                    reason=review.status_reason,
                    comment="",
                    created_at=review.created_at + (review.decided_at - review.created_at) / 2,
                    handled_at=review.decided_at,
                    handled_by=MODERATOR,
                )
            )
    # Ordinary reviews reported for weak reasons: a few open, a few a moderator kept.
    recent = [
        r
        for r in reviews
        if r.status == "published" and not r.fixed and (anchor - policy.day_of(r.created_at)).days <= 60
    ]
    for number, review in enumerate(rng.sample(recent, 10)):
        reason = rng.choice(("off_topic", "fake", "other", "offensive"))
        comment = rng.choice(_OTHER_COMMENTS[review.language]) if reason == "other" else ""
        reporter = rng.choice([r for r in reporters if r != review.author])
        created = review.created_at + timedelta(hours=rng.randint(3, 72))
        latest = local_moment(anchor - timedelta(days=1), policy, 23, 0)
        created = min(created, latest)
        handled = number >= 6
        reports.append(
            PlannedReport(
                review=review.external_id,
                reporter=reporter,
                reason=reason,
                comment=comment,
                created_at=created,
                handled_at=min(created + timedelta(hours=rng.randint(4, 30)), latest) if handled else None,
                handled_by=MODERATOR if handled else None,
            )
        )
    return reports


def brand_replies(
    rng: random.Random, reviews: list[PlannedReview], specs: dict[str, ProductSpec], *, anchor: date, policy: GatePolicy
) -> list[PlannedReply]:
    """The demo product manager answers some reviews of the products they manage."""
    replies = []
    for review in reviews:
        spec = specs[review.sku]
        if not spec.managed or review.status != "published" or review.fixed:
            continue
        if (anchor - policy.day_of(review.created_at)).days < 4:
            continue
        if review.rating <= 2:
            chance = 0.15 if review.phase == "issue" else 0.06
        elif review.rating == 5:
            chance = 0.01
        else:
            continue
        if rng.random() >= chance:
            continue
        if review.phase == "issue" and review.sku in texts.REPLIES:
            template = texts.REPLIES[review.sku][review.language]
        else:
            template = texts.REPLIES["bad" if review.rating <= 2 else "good"][review.language]
        first_name = review.author_name.split(" ")[0]
        replies.append(
            PlannedReply(
                review=review.external_id,
                author=MANAGER,
                body=template.format(name=first_name, brand=spec.brand),
                created_at=review.created_at + timedelta(hours=rng.randint(14, 60)),
            )
        )
    return replies
