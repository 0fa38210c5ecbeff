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
Tagged first: the window's published reviews still without a tag (their tagging task lost
or late: a broker down overnight) are tagged by the run itself before it chooses, so no
review misses its teams for want of its tags.
What: the row stores the reviews' ids (and each section's team), not their text; a builder
(registered by :func:`team_digest_emails_register`, as care.emails registers care's) reads
them at delivery, and checks again: a review withdrawn since, a product the member may no
longer read, a team they have left are left out (nothing left, nothing sent); none of the
reviews' text sits in the outbox; every text from a review is one line in the email (it
cannot forge a line of its own); the email renders in the member's language (User.language).
"""

from __future__ import annotations

import unicodedata
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
from products.translated import in_languages
from reviews.models import Review, counted_q
from topics.models import Team, TeamDigest, TopicKey
from topics.tags import reviews_tag
from topics.teams import TeamReviews, digest_day_due, digest_window, digest_window_reviews, teams_new_reviews

__all__ = [
    "DIGEST_KIND",
    "DIGEST_MAX_REVIEWS",
    "DigestRun",
    "one_line",
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
# Unicode categories dropped from a review's text in the email: controls (Cc: newlines and
# the rest, read as a space) and format characters (Cf: direction controls, zero-width
# characters, as core.text_safety names them, and their kin), which could reorder or hide
# what the member reads.
_CONTROL, _FORMAT = "Cc", "Cf"


@dataclass(frozen=True)
class DigestRun:
    day: date
    sent: int  # digests written by this run
    already: int  # members whose digest of the day an earlier (or concurrent) run wrote
    tagged: int = 0  # window reviews this run tagged (their tagging task lost or late)


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def team_digest_day_due(now: datetime) -> date:
    """The digest day a run at ``now`` writes (TOPIC_DIGEST_HOUR in TIME_ZONE)."""
    return digest_day_due(now, hour=int(settings.TOPIC_DIGEST_HOUR), tz=_tz())


def team_digest_dedupe_key(day: date, user_id: int) -> str:
    return f"topics:digest:{day.isoformat()}:{user_id}"


def _window_tag(day: date) -> int:
    """Tag the window's published reviews that have no tag yet (the tagger finds none in
    some: those are read again, one day's reviews at most). How many changed."""
    untagged = digest_window_reviews(day, tz=_tz()).filter(topic_tags__isnull=True)
    return reviews_tag(untagged).changed


def _members(teams: list[TeamReviews], *, day: date) -> tuple[dict[User, list[TeamReviews]], int]:
    """Active members with an address, without a digest for ``day`` yet -> their teams; and
    how many members an earlier run already wrote the day's digest for."""
    by_id = {team.team_id: team for team in teams}
    links = Team.members.through.objects.filter(team_id__in=by_id).values_list("user_id", "team_id")
    teams_of: dict[int, list[TeamReviews]] = defaultdict(list)
    for user_id, team_id in links:
        teams_of[user_id].append(by_id[team_id])
    done = set(TeamDigest.objects.filter(day=day, user_id__in=teams_of).values_list("user_id", flat=True))
    users = User.objects.filter(pk__in=set(teams_of) - done, is_active=True).exclude(email="").order_by("pk")
    members = {user: sorted(teams_of[user.pk], key=lambda team: (team.team_name, team.team_id)) for user in users}
    return members, len(done)


def _readable_sections(user: User, teams: list[TeamReviews]) -> list[dict[str, Any]]:
    """The member's sections: per team, the reviews of products they may read on the desk."""
    product_ids = {product_id for team in teams for _, product_id, _ in team.reviews}
    readable = set(products_readable_by(user).filter(pk__in=product_ids).values_list("pk", flat=True))
    sections = []
    for team in teams:
        reviews = [[review_id, key] for review_id, product_id, key in team.reviews if product_id in readable]
        if reviews:
            sections.append({"team": team.team_id, "name": team.team_name, "reviews": reviews})
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

    1. The window's reviews still untagged are tagged now.
    2. The teams with new reviews (topics.teams.teams_new_reviews: the window, the rule).
    3. Their active members with an address and no digest of the day yet (those with one
       are counted as ``already``).
    4. Per member, what they may read; nothing -> no email; else, in one transaction, the
       TeamDigest row and the outbox email (a concurrent run's row makes it a no-op).
    """
    tagged = _window_tag(day)
    teams = teams_new_reviews(day=day, tz=_tz())
    sent = 0
    members, already = _members(teams, day=day)
    for user, user_teams in members.items():
        sections = _readable_sections(user, user_teams)
        if not sections:
            continue
        if _write_one(user, day=day, sections=sections, now=now):
            sent += 1
        else:
            already += 1
    return DigestRun(day=day, sent=sent, already=already, tagged=tagged)


# --- At delivery --------------------------------------------------------------------------
def one_line(text: str) -> str:
    """``text`` as one line of plain text: every run of whitespace (newlines, Unicode line
    and paragraph separators included) and every control character becomes one space;
    direction controls, zero-width and other format characters are dropped. The email is
    plain text under autoescape off: a review's newline would start a line of its own
    ("== IT security ==" posing as a section, a link posing as the shop's)."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == _CONTROL:
            kept.append(" ")
        elif category != _FORMAT:
            kept.append(char)
    return " ".join("".join(kept).split())


def _review_line(review: Review, topic_key: str) -> dict[str, Any]:
    url = reverse("desk:product_reviews", kwargs={"sku": review.product.sku})
    return {
        "product_name": in_languages(review.product, "name", clean=one_line),
        "product_sku": one_line(review.product.sku),
        "rating": review.rating,
        "title": one_line(review.title),
        "body": one_line(review.body),
        "language": review.language,
        # Lazy: rendered in the member's language (the worker switches after the builder).
        "topic": TopicKey(topic_key).label if topic_key in TopicKey.values else "",
        "url": f"{settings.SITE_URL}{url}" + (f"?topic={topic_key}" if topic_key else ""),
    }


@dataclass(frozen=True)
class _StoredSection:
    team_id: int | None  # None in a digest written before sections named their team
    name: str
    reviews: list[tuple[int, str]]  # (review id, link topic key)


def _stored_sections(context: Mapping[str, Any]) -> list[_StoredSection]:
    sections = []
    for section in context.get(TEAMS_KEY) or []:
        reviews = [(int(review_id), str(key)) for review_id, key in section.get("reviews", [])]
        team_id = section.get("team")
        sections.append(
            _StoredSection(int(team_id) if team_id is not None else None, str(section.get("name", "")), reviews)
        )
    return sections


def _sections_still_theirs(recipient: User, sections: list[_StoredSection]) -> list[_StoredSection]:
    """The sections of teams the member still belongs to (by id; by name for a section
    written before sections named their team)."""
    teams = dict(Team.objects.filter(members=recipient).values_list("pk", "name"))
    names = set(teams.values())
    return [s for s in sections if (s.team_id in teams if s.team_id is not None else s.name in names)]


def _reviews_still_readable(recipient: User, ids: set[int]) -> dict[int, Review]:
    """The reviews still counted (not withdrawn, not erased) of products the member may
    still read on the desk (a manager moved to another range loses them), by id."""
    found = Review.objects.filter(counted_q(), pk__in=ids).select_related("product").in_bulk()
    product_ids = {review.product_id for review in found.values()}
    readable = set(products_readable_by(recipient).filter(pk__in=product_ids).values_list("pk", flat=True))
    return {pk: review for pk, review in found.items() if review.product_id in readable}


def team_digest_email_context(recipient: User | None, context: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The digest's sections read now and checked again: only the teams the member still
    belongs to, the reviews still counted (not withdrawn, erased) of products they may still
    read; None ("send nothing") when none is left or the member is gone."""
    if recipient is None or not isinstance(context.get(DAY_KEY), date):
        return None
    sections = _sections_still_theirs(recipient, _stored_sections(context))
    found = _reviews_still_readable(recipient, {review_id for s in sections for review_id, _ in s.reviews})
    teams = []
    for section in sections:
        lines = [_review_line(found[review_id], key) for review_id, key in section.reviews if review_id in found]
        if lines:
            teams.append(
                {
                    "name": one_line(section.name),
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
        "total": len({review_id for s in sections for review_id, _ in s.reviews if review_id in found}),
        "published_on": start.date(),
        "topics_url": f"{settings.SITE_URL}{reverse('desk:topics')}",
    }


def team_digest_emails_register() -> None:
    """Called by TopicsConfig.ready() (and harmless again: registering the same builder twice is a no-op)."""
    email_builder_register(DIGEST_KIND, team_digest_email_context)
