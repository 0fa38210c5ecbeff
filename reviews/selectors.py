"""Reads of reviews for the shopper's pages: lists, a shopper's own reviews and votes,
and the moderation figures the transparency page publishes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.db.models import BooleanField, Count, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import User
from products.models import Product
from reviews.highlights import CRITICAL_RATINGS, MIN_HELPFUL_VOTES, POSITIVE_RATINGS, Highlights, highlights_choose
from reviews.models import ReasonCode, Review, ReviewPhoto, ReviewReport, ReviewStatus, ReviewVote
from reviews.search import DEFAULT_SEARCH_CONFIG, SEARCH_CONFIGS, MarkMode, SearchMarking, search_terms

# Public sort keys -> ordering; `-id` last so pages never overlap or skip a review.
REVIEW_SORTS: dict[str, tuple[str, ...]] = {
    "recent": ("-created_at", "-id"),
    "helpful": ("-helpful_yes", "helpful_no", "-created_at", "-id"),
    "highest": ("-rating", "-created_at", "-id"),
    "lowest": ("rating", "-created_at", "-id"),
}
DEFAULT_REVIEW_SORT = "recent"


def review_list_public(*, product: Product) -> QuerySet[Review]:
    """Published reviews of every revision of the product, with their brand reply (one join)
    and their ready photos (one query for the page, as ``ready_photos``)."""
    return (
        Review.objects.published()
        .filter(product=product)
        .select_related("brand_reply")
        .prefetch_related(Prefetch("photos", queryset=ReviewPhoto.objects.ready(), to_attr="ready_photos"))
        .order_by(*REVIEW_SORTS[DEFAULT_REVIEW_SORT])
    )


def review_list_sorted(queryset: QuerySet[Review], sort: str) -> QuerySet[Review]:
    return queryset.order_by(*REVIEW_SORTS.get(sort, REVIEW_SORTS[DEFAULT_REVIEW_SORT]))


# The text PostgreSQL searches, exactly as the GIN index `reviews_review_search` of
# migration 0011 computes it: the planner uses the index only for this same expression
# (tests/integration/reviews/test_review_search_postgres.py proves it with EXPLAIN).
# Table-qualified, because a review's brand reply, often joined, has a `body` too.
SEARCH_VECTOR_SQL = (
    """to_tsvector(CASE "reviews_review"."language" WHEN 'fr' THEN 'french'::regconfig """
    """ELSE 'english'::regconfig END, """
    """COALESCE("reviews_review"."title", '') || ' ' || COALESCE("reviews_review"."body", ''))"""
)


def _postgresql(queryset: QuerySet[Review]) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def review_search_marking(queryset: QuerySet[Review], query: str) -> SearchMarking:
    """What to mark in the reviews the search found. PostgreSQL: the query's lexemes in each
    configuration, from PostgreSQL itself (one query), so its common words, which matched
    nothing, are not marked either. Elsewhere: the query's words, as the fallback matched them."""
    terms = search_terms(query)
    if not terms or not _postgresql(queryset):
        return SearchMarking(mode=MarkMode.SUBSTRING, terms=terms)
    configs = sorted({DEFAULT_SEARCH_CONFIG, *SEARCH_CONFIGS.values()})
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT config, array(SELECT lexeme FROM unnest(to_tsvector(config::regconfig, %s))) "
            "FROM unnest(%s::text[]) AS config",
            [" ".join(terms), configs],
        )
        stems = {config: frozenset(lexemes) for config, lexemes in cursor.fetchall()}
    return SearchMarking(mode=MarkMode.STEM, terms=terms, stems_by_config=stems)


def _full_text_match(query: str) -> RawSQL:
    # One branch per configuration, each with a constant query, so that each can be an
    # index scan (a query built from the row's own language could not use the index).
    branches: list[str] = []
    params: list[str] = []
    others = sorted(code for code, config in SEARCH_CONFIGS.items() if config != DEFAULT_SEARCH_CONFIG)
    for code in others:
        branches.append(
            f"""("reviews_review"."language" = %s AND {SEARCH_VECTOR_SQL} @@ plainto_tsquery(%s::regconfig, %s))"""
        )
        params += [code, SEARCH_CONFIGS[code], query]
    placeholders = ", ".join(["%s"] * len(others))
    branches.append(
        f"""("reviews_review"."language" NOT IN ({placeholders}) """
        f"""AND {SEARCH_VECTOR_SQL} @@ plainto_tsquery(%s::regconfig, %s))"""
    )
    params += [*others, DEFAULT_SEARCH_CONFIG, query]
    # Only constants are written into the SQL; the shopper's words and the codes are parameters.
    sql = "(" + " OR ".join(branches) + ")"
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611  # nosec B611


def review_list_searched(queryset: QuerySet[Review], query: str) -> QuerySet[Review]:
    """The reviews whose title or text match every word of the query.

    PostgreSQL: full-text search in each review's language (stems: "chaussure" finds
    "chaussures"; the configuration's common words, such as "the" or "le", are ignored).
    Elsewhere (SQLite, the tests' default): each word must appear in the title or the text,
    ignoring ASCII case ("tent" also finds "tents" and "contents").
    The PostgreSQL condition names the table `reviews_review`: filter the outer query,
    never one used as a subquery (Django aliases those).
    """
    terms = search_terms(query)
    if not terms:
        return queryset
    if _postgresql(queryset):
        return queryset.filter(_full_text_match(" ".join(terms)))
    for term in terms:
        queryset = queryset.filter(Q(title__icontains=term) | Q(body__icontains=term))
    return queryset


def review_highlights(*, product: Product) -> Highlights | None:
    """The product's review highlights (reviews.highlights): the first review of each side in
    the "Most helpful" order, which is the rule's own ranking, one LIMIT 1 query a side (the
    second only when the first found one), each read from the product's helpfulness index.
    Not one query with `pk IN (side 1) OR pk IN (side 2)`: PostgreSQL answers that OR by
    scanning the whole reviews table (700 ms a page at 1,000,000 reviews, make bench)."""
    candidates = Review.objects.counted().filter(
        product=product, revision=product.revision, helpful_yes__gte=MIN_HELPFUL_VOTES
    )
    tops = []
    for ratings in (sorted(POSITIVE_RATINGS), sorted(CRITICAL_RATINGS)):
        top = candidates.filter(rating__in=ratings).order_by(*REVIEW_SORTS["helpful"]).select_related("brand_reply")
        first = top.first()
        if first is None:
            return None  # highlights show both sides or none
        tops.append(first)
    return highlights_choose(tops, current_revision=product.revision)


def review_list_structured_data(*, product: Product, limit: int) -> list[Review]:
    """The most recent counted reviews of the current revision (what the aggregate counts:
    an employee review is neither in it nor marked up)."""
    return list(
        Review.objects.counted()
        .filter(product=product, revision=product.revision)
        .order_by("-published_at", "-id")[:limit]
    )


def review_get_public(*, pk: int) -> Review:
    """A published review (raises Review.DoesNotExist): the only ones shoppers can vote on or report."""
    return Review.objects.published().select_related("product").get(pk=pk)


def review_get_for_author(*, pk: int, author: User) -> Review:
    """The author's own review, whatever its status but removed (raises Review.DoesNotExist)."""
    return Review.objects.select_related("product").exclude(status=ReviewStatus.REMOVED).get(pk=pk, author=author)


def review_own_for_product(*, user: User | AnonymousUser, product: Product) -> Review | None:
    """The user's review of the product's current revision, if they wrote one (one per revision)."""
    if not user.is_authenticated:
        return None
    return (
        Review.objects.filter(product=product, author=user, revision=product.revision)
        .exclude(status=ReviewStatus.REMOVED)
        .first()
    )


def review_list_by_author(*, user: User) -> QuerySet[Review]:
    """Everything the user wrote, with its status, except what they deleted themselves."""
    return (
        Review.objects.filter(author=user)
        .exclude(status=ReviewStatus.REMOVED, status_reason=ReasonCode.AUTHOR_DELETED)
        .select_related("product")
        .order_by("-created_at", "-id")
    )


def review_votes_by_user(*, user: User | AnonymousUser, review_ids: Iterable[int]) -> dict[int, bool]:
    """review id -> the user's vote (True: helpful) for the reviews on one page (one query)."""
    ids = list(review_ids)
    if not user.is_authenticated or not ids:
        return {}
    return dict(ReviewVote.objects.filter(voter=user, review_id__in=ids).values_list("review_id", "helpful"))


def review_reported_by_user(*, user: User | AnonymousUser, review_ids: Iterable[int]) -> set[int]:
    """Reviews on the page that the user reported and a moderator has not handled yet."""
    ids = list(review_ids)
    if not user.is_authenticated or not ids:
        return set()
    return set(
        ReviewReport.objects.filter(reporter=user, review_id__in=ids, handled_at__isnull=True).values_list(
            "review_id", flat=True
        )
    )


@dataclass(frozen=True)
class ModerationFigures:
    """What happened to the reviews written in the period: published for the transparency page."""

    first_day: date
    received: int
    published: int
    pending: int
    rejected: int
    removed_by_moderators: int
    deleted_by_authors: int
    # (reason code, label, count) of rejected and moderator-removed reviews, most frequent first
    by_reason: tuple[tuple[str, str, int], ...]


def review_moderation_figures(*, first_day: date) -> ModerationFigures:
    """Reviews written since `first_day`, by status and reason (one query)."""
    start = timezone.make_aware(datetime.combine(first_day, time.min))
    rows = (
        Review.objects.filter(created_at__gte=start)
        .values_list("status", "status_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_status: dict[str, int] = {}
    reasons: dict[str, int] = {}
    deleted_by_authors = 0
    for status, reason, n in rows:
        by_status[status] = by_status.get(status, 0) + n
        if status == ReviewStatus.REMOVED and reason == ReasonCode.AUTHOR_DELETED:
            deleted_by_authors += n
        elif status in (ReviewStatus.REJECTED, ReviewStatus.REMOVED) and reason:
            reasons[reason] = reasons.get(reason, 0) + n
    labels = dict(ReasonCode.choices)
    return ModerationFigures(
        first_day=first_day,
        received=sum(by_status.values()),
        published=by_status.get(ReviewStatus.PUBLISHED, 0),
        pending=by_status.get(ReviewStatus.PENDING, 0),
        rejected=by_status.get(ReviewStatus.REJECTED, 0),
        removed_by_moderators=by_status.get(ReviewStatus.REMOVED, 0) - deleted_by_authors,
        deleted_by_authors=deleted_by_authors,
        by_reason=tuple(
            (code, str(labels.get(code, code)), n)
            for code, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
    )
