"""The demo's customer care: recommend answers on recent reviews, and a history of follow-up
cases on the unhappy ones, with the messages exchanged, written as rows.

Recommend answers are part of the plan (``PlannedReview.recommend``) and written with their
review, never added to a stored one: a demo seeded before they existed keeps its reviews
as they are (a re-run must change nothing; the NPS then counts only newer answers).

Cases are planned from the plan's reviews too (pure: the anchor, not the clock, says what
has happened by the seeding), one per review (the review is the natural key), for the
counted reviews of the last ``CASE_DAYS`` days that care.policy.case_reason calls for. They
are written directly as rows, not through care.services: history sends no email. Ratings
are never raised in this history (a demo review's rating moves the gate's stories and its
stored figures), so "ratings raised after follow-up" starts at 0 and moves only with what
is done live.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import Count, Q

from accounts.models import User
from accounts.roles import CUSTOMER_CARE, user_add_role
from care.figures import CareCounts, CaseFacts, NpsCounts
from care.models import Case, CaseMessage, CaseOutcome, CaseState, MessageDirection, MessageKind
from care.policy import case_reason, first_contact_due
from devtools.demo.care_texts import CLOSING, EFFORT_REPLIES, FIRST, FOLLOW_UP, REMINDER, REPLIES, SECOND_REPLIES, Pool
from devtools.demo.catalogue import PRODUCTS
from devtools.demo.rows import CARE, EMAIL_DOMAIN, SEED, PlannedReview
from gate.policy import GatePolicy
from reviews.models import Review, ReviewStatus

if TYPE_CHECKING:  # plan.py calls recommend_answers_add: imported for the type only
    from devtools.demo.plan import DemoPlan

BATCH_SIZE = 500
# Recommend answers: on reviews of the last twelve months (the question is newer than the
# shop), about two in five answered, in line with the stars.
RECOMMEND_DAYS = 365
RECOMMEND_SHARE = 0.4
_RECOMMEND_WEIGHTS: dict[int, dict[int, float]] = {
    5: {7: 0.04, 8: 0.12, 9: 0.34, 10: 0.50},
    4: {7: 0.22, 8: 0.38, 9: 0.27, 10: 0.13},
    3: {5: 0.22, 6: 0.30, 7: 0.30, 8: 0.18},
    2: {0: 0.08, 1: 0.10, 2: 0.20, 3: 0.25, 4: 0.22, 5: 0.15},
    1: {0: 0.30, 1: 0.22, 2: 0.20, 3: 0.14, 4: 0.09, 5: 0.05},
}
# Cases: the unhappy reviews of the last three months; most contacted within the target.
CASE_DAYS = 90
IN_TIME_SHARE = 0.9
COLLEAGUE_SHARE = 0.15
# Of the cases opened in the last days, this share nobody has written to yet (overdue soon).
WAITING_DAYS, WAITING_SHARE = 5, 0.12
OFFICE_OPENS, OFFICE_CLOSES = 8, 19
# A second member of care who takes some cases; cannot log in (like the demo's customers).
COLLEAGUE = "theo.care"
_COLLEAGUE_NAME = ("Théo", "Garnier")


@dataclass(frozen=True)
class PlannedMessage:
    direction: str  # care.models.MessageDirection
    kind: str  # care.models.MessageKind
    body: str
    written_at: datetime
    author: str | None  # a care member's username; None for the customer
    reply_to: int | None = None  # index of the answered message in the case's messages


@dataclass
class PlannedCase:
    review: str  # the review's external_id: the case's natural key
    reason: str
    opened_at: datetime
    due_at: datetime
    assignee: str | None = None
    first_contact_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str = ""
    effort_score: int | None = None
    effort_answered_at: datetime | None = None
    messages: list[PlannedMessage] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.closed_at is not None:
            return CaseState.CLOSED.value
        return CaseState.CONTACTED.value if self.first_contact_at is not None else CaseState.OPEN.value


# --- Recommend answers (part of the plan) ---------------------------------------------------
def recommend_answers_add(reviews: list[PlannedReview], *, anchor: date, policy: GatePolicy) -> None:
    """Gives about two in five reviews of the last twelve months a recommend answer in line
    with their stars. One generator per product, from the constant seed, so a product's
    answers never depend on another's (nor on the other random choices of the plan)."""
    first_day = anchor - timedelta(days=RECOMMEND_DAYS)
    by_sku: dict[str, list[PlannedReview]] = defaultdict(list)
    for review in reviews:
        by_sku[review.sku].append(review)
    for sku, product_reviews in by_sku.items():
        rng = random.Random(f"{SEED}:recommend:{sku}")
        for review in product_reviews:
            answered = rng.random() < RECOMMEND_SHARE
            weights = _RECOMMEND_WEIGHTS[review.rating]
            answer = rng.choices(list(weights), list(weights.values()))[0]
            if answered and policy.day_of(review.created_at) >= first_day:
                review.recommend = answer


# --- Cases (planned from the plan's reviews) -------------------------------------------------
def _hours(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(seconds=round(rng.uniform(low, high) * 3600))


def _triangular_hours(rng: random.Random, low: float, high: float, mode: float) -> timedelta:
    return timedelta(seconds=round(rng.triangular(low, high, mode) * 3600))


@dataclass
class _Story:
    """One case's history as it unfolds, cut at the seeding: what would happen after the
    anchor day began has not happened yet."""

    case: PlannedCase
    cutoff: datetime
    language: str
    values: dict[str, str]

    def happened(self, at: datetime) -> bool:
        return at < self.cutoff

    def office_hours(self, rng: random.Random, at: datetime) -> datetime:
        """Care writes between 8:00 and 19:00: a later moment waits for the next morning."""
        local = at.astimezone(self.cutoff.tzinfo)
        if OFFICE_OPENS <= local.hour < OFFICE_CLOSES:
            return at
        day = local.date() + timedelta(days=1 if local.hour >= OFFICE_CLOSES else 0)
        # The night's cases are spread over the first hours of the morning.
        opening = time(OFFICE_OPENS + rng.randrange(3), rng.randrange(60))
        return datetime.combine(day, opening, tzinfo=self.cutoff.tzinfo)

    def care_writes(self, rng: random.Random, pool: Pool, at: datetime, *, kind: str = "message") -> int:
        staff = self.case.assignee
        body = rng.choice(pool[self.language]).format(**self.values, agent=_first_names[staff or CARE])
        self.case.messages.append(PlannedMessage(MessageDirection.TO_CUSTOMER.value, kind, body, at, staff))
        if self.case.first_contact_at is None:
            self.case.first_contact_at = at
        return len(self.case.messages) - 1

    def customer_answers(self, body: str, at: datetime, *, to: int) -> None:
        message = PlannedMessage(MessageDirection.FROM_CUSTOMER.value, MessageKind.MESSAGE.value, body, at, None, to)
        self.case.messages.append(message)

    def close(self, outcome: str, at: datetime) -> None:
        self.case.outcome, self.case.closed_at = outcome, at


_first_names = {CARE: "Nadia", COLLEAGUE: _COLLEAGUE_NAME[0]}


def cases_plan(
    reviews: list[PlannedReview], *, anchor: date, policy: GatePolicy, hours: int, names: dict[str, str]
) -> list[PlannedCase]:
    """The demo's cases: one per counted review of the last CASE_DAYS days before the anchor
    that care.policy.case_reason calls for, each with its history up to the anchor day.
    ``names`` gives each product's noun ("the earbuds") by SKU and language (``sku:en``)."""
    cutoff = datetime.combine(anchor, time.min, tzinfo=policy.tzinfo)
    first_day = anchor - timedelta(days=CASE_DAYS)
    rng = random.Random(f"{SEED}:care")
    unhappy = [
        review
        for review in reviews
        if review.status == ReviewStatus.PUBLISHED
        and first_day <= policy.day_of(review.created_at) < anchor
        and case_reason(rating=review.rating, recommend=review.recommend, employee=False, source=review.source)
    ]
    planned = []
    for review in sorted(unhappy, key=lambda r: (r.created_at, r.external_id)):
        reason = case_reason(rating=review.rating, recommend=review.recommend, employee=False, source=review.source)
        assert reason is not None
        # In UTC: adding hours to a local time is wall-clock arithmetic in Python, and a
        # night that changes the clocks would make a 23- or 25-hour target.
        opened_at = review.created_at.astimezone(UTC)
        case = PlannedCase(
            review=review.external_id,
            reason=reason.value,
            opened_at=opened_at,
            due_at=first_contact_due(opened_at, hours=hours),
        )
        values = {"name": review.author_name.split(" ")[0], "the": names[f"{review.sku}:{review.language}"]}
        story = _Story(case, cutoff, review.language, values)
        # Who can be written to: an account, or an invited guest's order (care.customers).
        reachable = review.author is not None or review.order_line is not None
        _case_story(rng, story, reachable=reachable, hours=hours)
        planned.append(case)
    return planned


def _case_story(rng: random.Random, story: _Story, *, reachable: bool, hours: int) -> None:
    case = story.case
    staff = COLLEAGUE if rng.random() < COLLEAGUE_SHARE else CARE
    if not reachable:
        # Nobody to write to: closed as not reachable once someone looked at it.
        closed = story.office_hours(rng, case.opened_at + _hours(rng, 0.5, hours - 2))
        case.assignee = staff if story.happened(closed) or rng.random() < 0.5 else None
        if story.happened(closed):
            story.close(CaseOutcome.NOT_REACHABLE.value, closed)
        return
    in_time = rng.random() < IN_TIME_SHARE
    waiting = rng.random() < WAITING_SHARE and case.opened_at > story.cutoff - timedelta(days=WAITING_DAYS)
    # Mostly within a few hours; the night's reviews wait for the morning (office_hours).
    delay = _triangular_hours(rng, 0.3, hours - 0.5, 2) if in_time else _hours(rng, hours + 0.5, hours * 3)
    first = story.office_hours(rng, case.opened_at + delay)
    if waiting or not story.happened(first):
        case.assignee = staff if rng.random() < 0.5 else None  # taken, not written to yet
        return
    case.assignee = staff
    opening = story.care_writes(rng, FIRST, first)
    outcome = rng.choices(
        (CaseOutcome.SOLVED, CaseOutcome.REFUNDED_REPLACED, CaseOutcome.NO_ANSWER), (0.58, 0.24, 0.18)
    )[0].value
    if outcome == CaseOutcome.NO_ANSWER:
        reminder = story.office_hours(rng, first + _hours(rng, 70, 120))
        if story.happened(reminder):
            story.care_writes(rng, REMINDER, reminder)
            _close(rng, story, outcome, story.office_hours(rng, reminder + _hours(rng, 70, 120)))
        return
    reply = first + _hours(rng, 1, 30)
    if not story.happened(reply):
        return
    story.customer_answers(rng.choice(REPLIES[story.language]), reply, to=opening)
    last = reply
    if rng.random() < 0.4:  # not solved at first contact: care writes again
        second = story.office_hours(rng, reply + _hours(rng, 1, 20))
        if not story.happened(second):
            return
        follow_up = story.care_writes(rng, FOLLOW_UP[outcome], second)
        last = second
        if rng.random() < 0.5:
            last = second + _hours(rng, 2, 30)
            if not story.happened(last):
                return
            story.customer_answers(rng.choice(SECOND_REPLIES[story.language]), last, to=follow_up)
    _close(rng, story, outcome, story.office_hours(rng, last + _hours(rng, 1, 24)))


def _close(rng: random.Random, story: _Story, outcome: str, at: datetime) -> None:
    """Closing: the closing message (its reply page asks the effort question), and the
    effort answer of about two in three helped customers."""
    if not story.happened(at):
        return
    story.close(outcome, at)
    closing = story.care_writes(rng, CLOSING[outcome], at, kind=MessageKind.CLOSING.value)
    if outcome == CaseOutcome.NO_ANSWER or rng.random() >= 0.65:
        return
    answered = at + _hours(rng, 1, 48)
    if not story.happened(answered):
        return
    weights = (1, 1, 2, 4, 5) if outcome == CaseOutcome.SOLVED else (1, 2, 3, 4, 3)
    story.case.effort_score = rng.choices((3, 4, 5, 6, 7), weights)[0]
    story.case.effort_answered_at = answered
    text = rng.choice(EFFORT_REPLIES[story.language]) if rng.random() < 0.5 else ""
    story.customer_answers(text, answered, to=closing)


# --- Writing ---------------------------------------------------------------------------------
def product_nouns() -> dict[str, str]:
    return {f"{spec.sku}:en": spec.noun.the_en for spec in PRODUCTS} | {
        f"{spec.sku}:fr": spec.noun.the_fr for spec in PRODUCTS
    }


def demo_care_write(plan: DemoPlan, *, users: dict[str, User], created: Counter[str]) -> None:
    """Writes the planned cases whose review is stored, unchanged since planned (an edited
    demo review, or one stored before recommend answers existed, may no longer call for the
    planned case), and has no case yet; with their messages, as history (no email)."""
    staff = {CARE: users[CARE], COLLEAGUE: _colleague_write(anchor=plan.anchor, policy=plan.policy, created=created)}
    planned = cases_plan(
        plan.reviews,
        anchor=plan.anchor,
        policy=plan.policy,
        hours=settings.CARE_FIRST_CONTACT_HOURS,
        names=product_nouns(),
    )
    stored = _stored_reviews([case.review for case in planned])
    with_case = set(Case.objects.filter(review_id__in=[r.pk for r in stored.values()]).values_list("review", flat=True))
    rows: list[tuple[PlannedCase, Case]] = []
    for case in planned:
        review = stored.get(case.review)
        if review is None or review.pk in with_case or review.status != ReviewStatus.PUBLISHED:
            continue
        reason = case_reason(
            rating=review.rating, recommend=review.recommend, employee=review.employee, source=review.source
        )
        if reason is None or reason.value != case.reason:
            continue
        rows.append((case, _case_row(case, review, staff)))
    if not rows:
        return
    Case.objects.bulk_create([row for _case, row in rows], batch_size=BATCH_SIZE)
    created["care cases"] += len(rows)
    created["care messages"] += _messages_write(rows, staff)


def _stored_reviews(keys: list[str]) -> dict[str, Review]:
    stored: dict[str, Review] = {}
    for offset in range(0, len(keys), BATCH_SIZE):
        for review in Review.objects.filter(external_id__in=keys[offset : offset + BATCH_SIZE]).only(
            "id", "external_id", "product_id", "rating", "recommend", "employee", "source", "status"
        ):
            stored[str(review.external_id)] = review
    return stored


def _case_row(case: PlannedCase, review: Review, staff: dict[str, User]) -> Case:
    assignee = staff[case.assignee] if case.assignee else None
    return Case(
        review_id=review.pk,
        product_id=review.product_id,
        reason=case.reason,
        state=case.state,
        outcome=case.outcome,
        assignee=assignee,
        opened_at=case.opened_at,
        due_at=case.due_at,
        first_contact_at=case.first_contact_at,
        closed_at=case.closed_at,
        closed_by=assignee if case.closed_at else None,
        rating_at_open=review.rating,
        recommend_at_open=review.recommend,
        rating_now=review.rating,
        effort_score=case.effort_score,
        effort_answered_at=case.effort_answered_at,
    )


def _messages_write(rows: list[tuple[PlannedCase, Case]], staff: dict[str, User]) -> int:
    """Care's messages first (their ids are what the customer's answers point to)."""
    written: dict[tuple[int, int], CaseMessage] = {}
    for direction in (MessageDirection.TO_CUSTOMER, MessageDirection.FROM_CUSTOMER):
        batch = []
        for number, (case, row) in enumerate(rows):
            for index, message in enumerate(case.messages):
                if message.direction != direction:
                    continue
                item = CaseMessage(
                    case=row,
                    direction=message.direction,
                    kind=message.kind,
                    author=staff[message.author] if message.author else None,
                    body=message.body,
                    written_at=message.written_at,
                    reply_to=written[(number, message.reply_to)] if message.reply_to is not None else None,
                )
                written[(number, index)] = item
                batch.append(item)
        CaseMessage.objects.bulk_create(batch, batch_size=BATCH_SIZE)
    return len(written)


def _colleague_write(*, anchor: date, policy: GatePolicy, created: Counter[str]) -> User:
    joined = datetime.combine(anchor - timedelta(days=400), time(9), tzinfo=policy.tzinfo)
    first, last = _COLLEAGUE_NAME
    user, made = User.objects.get_or_create(
        username=COLLEAGUE,
        defaults={
            "email": f"{COLLEAGUE}@{EMAIL_DOMAIN}",
            "first_name": first,
            "last_name": last,
            "display_name": f"{first} {last[0]}.",
            "language": "fr",
            "date_joined": joined,
            "email_verified_at": joined,
            "password": make_password(None),  # a colleague the cases name; not a login of the demo
        },
    )
    if made:
        user_add_role(user, CUSTOMER_CARE)
        created["accounts"] += 1
    return user


# --- The report's figures --------------------------------------------------------------------
@dataclass(frozen=True)
class CareSummary:
    states: dict[str, int]
    care: CareCounts
    nps: NpsCounts


def demo_care_summary(*, now: datetime) -> CareSummary:
    """Every case's state, the care figures of the last CASE_DAYS days, and the NPS of the
    counted reviews of the last twelve months (the seed's report line)."""
    states = dict(Case.objects.values_list("state").annotate(n=Count("id")))
    care = CareCounts()
    cases = Case.objects.filter(opened_at__gte=now - timedelta(days=CASE_DAYS)).annotate(
        care_messages=Count(
            "messages", filter=Q(messages__direction="to_customer", messages__kind=MessageKind.MESSAGE.value)
        )
    )
    for case in cases:
        care.add(
            CaseFacts(
                opened_at=case.opened_at,
                due_at=case.due_at,
                first_contact_at=case.first_contact_at,
                closed_at=case.closed_at,
                outcome=case.outcome,
                care_messages=case.care_messages,
                effort_score=case.effort_score,
                rating_at_open=case.rating_at_open,
                rating_now=case.rating_now,
                rating_changed_at=case.rating_changed_at,
            ),
            now=now,
        )
    nps = NpsCounts()
    answers = (
        Review.objects.counted()
        .filter(recommend__isnull=False, published_at__gte=now - timedelta(days=RECOMMEND_DAYS))
        .values_list("recommend")
        .annotate(n=Count("id"))
    )
    for answer, count in answers:
        nps.add(answer, count)
    return CareSummary(states=states, care=care, nps=nps)
