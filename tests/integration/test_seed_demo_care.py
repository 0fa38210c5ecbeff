"""`seed_demo`'s customer care: a care account, recommend answers on recent reviews (the NPS),
and a believable history of cases on the demo's unhappy reviews, written once."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from accounts.roles import CUSTOMER_CARE
from care.models import Case, CaseMessage, CaseOutcome, CaseState, MessageDirection, MessageKind
from care.policy import case_reason
from devtools.demo.care import CASE_DAYS, RECOMMEND_DAYS, demo_care_summary
from devtools.demo.plan import build_plan
from devtools.demo.rows import CARE, DEMO_ACCOUNTS
from gate.services import gate_policy_from_settings
from reviews.models import Review

SMALL = 0.2
# Anything shaped like an address: the demo's texts are written through the platform.
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# The stars' usual recommend answers (devtools.demo.care).
ANSWER_RANGES = {5: range(7, 11), 4: range(7, 11), 3: range(5, 9), 2: range(0, 6), 1: range(0, 6)}


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", scale=str(SMALL), no_gate=True, force=True, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    user_model = get_user_model()
    return {
        "cases": Case.objects.count(),
        "messages": CaseMessage.objects.count(),
        "users": user_model.objects.count(),
        "answers": Review.objects.filter(recommend__isnull=False).count(),
    }


def test_recommend_answers_follow_the_stars_on_the_last_twelve_months_only() -> None:
    policy = gate_policy_from_settings()
    anchor = timezone.localdate()
    plan = build_plan(anchor=anchor, scale=SMALL, policy=policy)
    first_day = anchor - timedelta(days=RECOMMEND_DAYS)
    recent = [r for r in plan.reviews if policy.day_of(r.created_at) >= first_day]
    older = [r for r in plan.reviews if policy.day_of(r.created_at) < first_day]
    answered = [r for r in recent if r.recommend is not None]
    assert older and not any(r.recommend is not None for r in older)
    assert 0.33 <= len(answered) / len(recent) <= 0.47
    for review in answered:
        assert review.recommend in ANSWER_RANGES[review.rating], (review.rating, review.recommend)
    # Deterministic: the same plan gives the same answers.
    again = build_plan(anchor=anchor, scale=SMALL, policy=policy)
    assert [r.recommend for r in again.reviews] == [r.recommend for r in plan.reviews]


@pytest.mark.django_db
def test_the_demo_gives_care_an_account_believable_cases_and_the_nps_and_writes_them_once() -> None:
    """One small seeding, checked from every side; then the re-runs."""
    output = _seed()
    now = timezone.now()
    _assert_the_care_account_can_log_in()
    _assert_every_case_is_one_care_policy_would_open()
    _assert_the_history_is_believable(now=now)
    assert not CaseMessage.objects.filter(body__contains="@").exists()
    assert not [m.body for m in CaseMessage.objects.all() if ADDRESS.search(m.body)]
    summary = demo_care_summary(now=now)
    assert summary.nps.answers > 0 and summary.nps.score is not None
    assert "Customer care in the demo:" in output and f"NPS {summary.nps.score:+}" in output
    assert f" {CARE} " in output

    # A second run creates nothing.
    before = _counts()
    assert "nothing created" in _seed()
    assert _counts() == before

    # A demo seeded before recommend answers existed (no answers, no cases): a re-run adds
    # no answer to a stored review (idempotence over back-filling) and opens cases only on
    # what the stored reviews call for; never on an employee review.
    Case.objects.all().delete()
    Review.objects.update(recommend=None)
    employee_review = Review.objects.filter(rating=1, status="published").order_by("-created_at").first()
    assert employee_review is not None
    Review.objects.filter(pk=employee_review.pk).update(employee=True)
    _seed()
    assert not Review.objects.filter(recommend__isnull=False).exists()
    assert not Case.objects.filter(review=employee_review).exists()
    assert Case.objects.exists() and not Case.objects.filter(reason="low_recommend").exists()
    _assert_every_case_is_one_care_policy_would_open()


def _assert_the_care_account_can_log_in() -> None:
    account = next(a for a in DEMO_ACCOUNTS if a.role == CUSTOMER_CARE)
    user = get_user_model().objects.get(username=account.username)
    assert list(user.groups.values_list("name", flat=True)) == [CUSTOMER_CARE]
    assert user.has_perm("care.handle_case")
    assert Client().login(username=account.username, password=account.password)


def _assert_every_case_is_one_care_policy_would_open() -> None:
    cases = Case.objects.select_related("review")
    assert cases.exists()
    for case in cases:
        review = case.review
        reason = case_reason(
            rating=review.rating, recommend=review.recommend, employee=review.employee, source=review.source
        )
        assert reason is not None and reason.value == case.reason, review.external_id
        assert review.status == "published" and not review.employee
        assert str(review.external_id).startswith("demo-")
        assert case.product_id == review.product_id
        assert (case.rating_at_open, case.rating_now, case.recommend_at_open) == (
            review.rating,
            review.rating,
            review.recommend,
        )
        assert case.opened_at == review.published_at
        assert case.due_at - case.opened_at == timedelta(hours=settings.CARE_FIRST_CONTACT_HOURS)
    assert not Case.objects.values("review").annotate(n=Count("id")).filter(n__gt=1).exists()


def _assert_the_history_is_believable(*, now: Any) -> None:
    """Most contacted in time, a few open (overdue and fresh), outcomes, effort answers,
    most cases with the demo's care account; messages that fit their case."""
    cases = list(Case.objects.prefetch_related("messages"))
    states = Counter(case.state for case in cases)
    assert states[CaseState.CLOSED] > states[CaseState.CONTACTED] + states[CaseState.OPEN]
    outcomes = Counter(case.outcome for case in cases if case.outcome)
    assert outcomes.most_common(1)[0][0] == CaseOutcome.SOLVED
    assert outcomes[CaseOutcome.REFUNDED_REPLACED] and outcomes[CaseOutcome.NO_ANSWER]
    closed = [case for case in cases if case.state == CaseState.CLOSED]
    assert 0.3 <= sum(case.effort_score is not None for case in closed) / len(closed) <= 0.7
    assigned = Counter(case.assignee.username if case.assignee else None for case in cases)
    assert assigned.most_common(1)[0][0] == CARE
    summary = demo_care_summary(now=now)
    assert 0 < summary.care.cases <= len(cases)
    assert summary.care.in_time_share is not None and 65 <= summary.care.in_time_share <= 92
    assert all(now - case.opened_at < timedelta(days=CASE_DAYS + 2) for case in cases)
    assert not any(case.rating_changed_at for case in cases)  # history raises no rating
    for case in cases:
        messages = list(case.messages.all())
        to_customer = [m for m in messages if m.direction == MessageDirection.TO_CUSTOMER]
        assert (case.first_contact_at is None) == (not to_customer)
        if to_customer:
            assert to_customer[0].written_at == case.first_contact_at and to_customer[0].author_id == case.assignee_id
            assert case.first_contact_at is not None and case.first_contact_at < now
        closing = [m for m in messages if m.kind == MessageKind.CLOSING]
        assert len(closing) == (1 if case.state == CaseState.CLOSED and case.first_contact_at else 0)
        for message in messages:
            if message.direction == MessageDirection.FROM_CUSTOMER:
                assert message.reply_to is not None and message.reply_to.written_at < message.written_at
            else:
                assert "{" not in message.body and message.body
        if case.effort_score is not None:
            assert closing and CaseMessage.objects.filter(reply_to=closing[0]).exists()
