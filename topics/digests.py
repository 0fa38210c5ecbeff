"""Each team member's daily digest of their teams' new reviews: one email a day, whatever
repeats or restarts the task (docs/topics.md).

Who: the active members with an address of every team that has new reviews (topics.teams:
the rule and the window, the local day before the digest day); a member of several teams
gets one email, a section per team; a member with nothing new gets nothing. Each lists
only the reviews of products the member may read on the desk (products_readable_by), so
every link opens.
Once: per member and day, the TeamDigest row and the outbox email are written in one
transaction; the row's unique (user, day) makes a repeated, restarted or concurrent run
write nothing more (the email's dedupe key ``topics:digest:<day>:<user>`` is a second lock).
What: the row stores the reviews' ids, not their text; a builder (registered by
:func:`team_digest_emails_register`, as care.emails registers care's) reads them at
delivery: a review withdrawn since is left out, none of their text sits in the outbox, and
the email renders in the member's language (User.language).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from notifications.builders import EMAIL_BUILDER_KEY, email_builder_register
from notifications.outbox import email_message_build, outbox_insert
from products.access import products_readable_by
from reviews.models import Review, counted_q
from topics.models import Team, TeamDigest, TopicKey
from topics.teams import TeamReviews, digest_day_due, digest_window, teams_new_reviews

__all__ = [
    "DIGEST_KIND",
    "DIGEST_MAX_REVIEWS",
    "DigestRun",
    "team_digest_day_due",
    "team_digest_dedupe_key",
    "team_digest_email_context",
    "team_digest_emails_register",
    "team_digests_send",
]

# The outbox's kind, the templates' name (emails/team_digest_subject.txt, _body.txt) and
# the builder's.
DIGEST_KIND = "team_digest"
# A team's section lists this many reviews at most; the rest are counted and the desk's
# topic page linked: an email is not the desk.
DIGEST_MAX_REVIEWS = 30
TEAMS_KEY = "teams"
DAY_KEY = "day"


@dataclass(frozen=True)
class DigestRun:
    day: date
    sent: int  # digests written by this run
    already: int  # members whose digest of the day an earlier (or concurrent) run wrote


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def team_digest_day_due(now: datetime) -> date:
    """The digest day a run at ``now`` writes (TOPIC_DIGEST_HOUR in TIME_ZONE)."""
    return digest_day_due(now, hour=int(settings.TOPIC_DIGEST_HOUR), tz=_tz())


def team_digest_dedupe_key(day: date, user_id: int) -> str:
    return f"topics:digest:{day.isoformat()}:{user_id}"


def _members(teams: list[TeamReviews], *, day: date) -> dict[User, list[TeamReviews]]:
    """Active members with an address, without a digest for ``day`` yet -> their teams."""
    by_id = {team.team_id: team for team in teams}
    links = Team.members.through.objects.filter(team_id__in=by_id).values_list("user_id", "team_id")
    teams_of: dict[int, list[TeamReviews]] = defaultdict(list)
    for user_id, team_id in links:
        teams_of[user_id].append(by_id[team_id])
    done = set(TeamDigest.objects.filter(day=day, user_id__in=teams_of).values_list("user_id", flat=True))
    users = User.objects.filter(pk__in=set(teams_of) - done, is_active=True).exclude(email="").order_by("pk")
    return {user: sorted(teams_of[user.pk], key=lambda team: (team.team_name, team.team_id)) for user in users}


def _readable_sections(user: User, teams: list[TeamReviews]) -> list[dict[str, Any]]:
    """The member's sections: per team, the reviews of products they may read on the desk."""
    product_ids = {product_id for team in teams for _, product_id, _ in team.reviews}
    readable = set(products_readable_by(user).filter(pk__in=product_ids).values_list("pk", flat=True))
    sections = []
    for team in teams:
        reviews = [[review_id, key] for review_id, product_id, key in team.reviews if product_id in readable]
        if reviews:
            sections.append({"name": team.team_name, "reviews": reviews})
    return sections


def _write_one(user: User, *, day: date, sections: list[dict[str, Any]], now: datetime) -> bool:
    """The row and the email, together or not at all; False when the day's row exists."""
    count = len({review_id for section in sections for review_id, _ in section["reviews"]})
    email = email_message_build(
        recipient=user,
        kind=DIGEST_KIND,
        template=DIGEST_KIND,
        dedupe_key=team_digest_dedupe_key(day, user.pk),
        context={EMAIL_BUILDER_KEY: DIGEST_KIND, DAY_KEY: day, TEAMS_KEY: sections},
        due=now,
    )
    try:
        with transaction.atomic():
            TeamDigest.objects.create(user=user, day=day, review_count=count, written_at=now)
            outbox_insert([email])
    except IntegrityError:
        # Another run wrote this member's digest of the day first (the unique user and day):
        # PostgreSQL made this insert wait for its commit, then refused it.
        return False
    return True


def team_digests_send(*, day: date, now: datetime) -> DigestRun:
    """Write day ``day``'s digests.

    1. The teams with new reviews (topics.teams.teams_new_reviews: the window, the rule).
    2. Their active members with an address and no digest of the day yet.
    3. Per member, what they may read; nothing -> no email; else, in one transaction, the
       TeamDigest row and the outbox email (a concurrent run's row makes it a no-op).
    """
    teams = teams_new_reviews(day=day, tz=_tz())
    sent = already = 0
    for user, user_teams in _members(teams, day=day).items():
        sections = _readable_sections(user, user_teams)
        if not sections:
            continue
        if _write_one(user, day=day, sections=sections, now=now):
            sent += 1
        else:
            already += 1
    return DigestRun(day=day, sent=sent, already=already)


# --- At delivery --------------------------------------------------------------------------
def _review_line(review: Review, topic_key: str) -> dict[str, Any]:
    url = reverse("desk:product_reviews", kwargs={"sku": review.product.sku})
    return {
        "product_name": review.product.name,
        "product_sku": review.product.sku,
        "rating": review.rating,
        "title": review.title,
        "body": review.body,
        "language": review.language,
        # Lazy: rendered in the member's language (the worker switches after the builder).
        "topic": TopicKey(topic_key).label if topic_key in TopicKey.values else "",
        "url": f"{settings.SITE_URL}{url}" + (f"?topic={topic_key}" if topic_key else ""),
    }


def _stored_sections(context: Mapping[str, Any]) -> list[tuple[str, list[tuple[int, str]]]]:
    sections = []
    for section in context.get(TEAMS_KEY) or []:
        reviews = [(int(review_id), str(key)) for review_id, key in section.get("reviews", [])]
        sections.append((str(section.get("name", "")), reviews))
    return sections


def team_digest_email_context(recipient: User | None, context: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The digest's sections read now: reviews no longer counted (withdrawn, erased) are left
    out; None ("send nothing") when none is left or the member is gone."""
    if recipient is None or not isinstance(context.get(DAY_KEY), date):
        return None
    sections = _stored_sections(context)
    ids = {review_id for _, reviews in sections for review_id, _ in reviews}
    found = Review.objects.filter(counted_q(), pk__in=ids).select_related("product").in_bulk()
    teams = []
    for name, reviews in sections:
        lines = [_review_line(found[review_id], key) for review_id, key in reviews if review_id in found]
        if lines:
            teams.append(
                {
                    "name": name,
                    "total": len(lines),
                    "reviews": lines[:DIGEST_MAX_REVIEWS],
                    "hidden_count": max(len(lines) - DIGEST_MAX_REVIEWS, 0),
                }
            )
    if not teams:
        return None
    day: date = context[DAY_KEY]
    start, _end = digest_window(day, tz=_tz())
    return {
        "teams": teams,
        "total": len({review_id for _, reviews in sections for review_id, _ in reviews if review_id in found}),
        "published_on": start.date(),
        "topics_url": f"{settings.SITE_URL}{reverse('desk:topics')}",
    }


def team_digest_emails_register() -> None:
    """Called by TopicsConfig.ready() (and harmless again: registering the same builder twice is a no-op)."""
    email_builder_register(DIGEST_KIND, team_digest_email_context)
