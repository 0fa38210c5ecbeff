"""The reply link of a care email (issue 16, item 8): tampered 403, expired 410, reused 410,
a plain message's link after the case closed 410; the closing message's link works once.
Each refusal is a page of the site, in the customer's language when the link was ours,
with a way back; nothing is written."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from care.links import ReplyProblem, ReplyRefused, reply_token
from care.models import Case, CaseMessage, MessageDirection
from care.replies import reply_answer, reply_problem
from care.services import case_close, case_message_send
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from orders.links import review_token
from tests.care_factories import care_staff_create, case_create
from tests.factories import user_create

SITE = "https://reviews.example"
LINK = re.compile(rf"{re.escape(SITE)}(/care/reply/[^/\s]+/)")
DAY = timedelta(days=1).total_seconds()


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CARE_REPLY_LINK_DAYS = 14


def sent_link(message: CaseMessage, *, days_ago: float = 0, monkeypatch: Any = None) -> str:
    """The reply link of the message's email, delivered by the worker ``days_ago`` days ago
    (the link is signed at delivery: its clock is the signer's, time.time)."""
    row = OutboxMessage.objects.get(dedupe_key=f"care:message:{message.pk}")
    sent_before = len(mail.outbox)
    if days_ago:
        past = time.time() - days_ago * DAY
        with monkeypatch.context() as patched:
            patched.setattr(time, "time", lambda: past)
            outbox_deliver(message_id=row.pk)
    else:
        outbox_deliver(message_id=row.pk)
    [email] = mail.outbox[sent_before:]
    [link] = LINK.findall(str(email.body))
    return link


def refused(response: Any, *, status: int, problem: ReplyProblem) -> str:
    html = response.content.decode()
    assert response.status_code == status, html
    assert f'data-problem="{problem.value}"' in html
    assert 'href="/products/"' in html  # a way back
    assert "<form" not in html.split('id="main"')[1]  # nothing to fill in
    return html


def answers() -> int:
    return CaseMessage.objects.filter(direction=MessageDirection.FROM_CUSTOMER).count()


@pytest.mark.parametrize(
    ("kind", "answered", "case_state", "problem"),
    [
        ("message", False, "contacted", None),
        ("message", True, "contacted", ReplyProblem.USED),
        ("message", False, "closed", ReplyProblem.CLOSED),
        ("message", True, "closed", ReplyProblem.USED),
        ("closing", False, "closed", None),
        ("closing", True, "closed", ReplyProblem.USED),
    ],
)
def test_what_a_genuine_link_may_still_do(kind: str, answered: bool, case_state: str, problem: Any) -> None:
    assert reply_problem(kind=kind, answered=answered, case_state=case_state) == problem


@pytest.mark.django_db
def test_a_tampered_cut_or_foreign_link_is_refused_with_403() -> None:
    case = case_create()
    message = case_message_send(case=case, by=care_staff_create(), body="How can we help?")
    link = sent_link(message)
    token = link.split("/")[-2]
    payload, stamp, signature = token.split(":")
    other = "A" if signature[-1] != "A" else "B"
    answer = CaseMessage.objects.create(
        case=case, direction=MessageDirection.FROM_CUSTOMER, body="x", written_at=message.written_at, reply_to=message
    )
    forged = [
        f"{payload}:{stamp}:{signature[:-1]}{other}",  # one character changed
        f"{payload.replace('eyJ', 'eyK')}:{stamp}:{signature}",  # another message named
        f"{payload}:{stamp}",  # cut short
        review_token(message.pk),  # one of ours, for something else (another salt)
        reply_token(answer.pk),  # a genuine signature of the customer's own answer
        "not-a-token",
    ]
    client = Client()
    for token in forged:
        html = refused(client.get(f"/care/reply/{token}/"), status=403, problem=ReplyProblem.INVALID)
        assert "This reply link is not valid" in html
        refused(client.post(f"/care/reply/{token}/", {"body": "hello"}), status=403, problem=ReplyProblem.INVALID)
    assert answers() == 1  # only the one made above


@pytest.mark.django_db
def test_a_link_expires_care_reply_link_days_after_its_email_was_sent(monkeypatch: Any, settings: Any) -> None:
    staff = care_staff_create()
    case = case_create(author=user_create(language="fr"), language="fr")
    fresh = sent_link(case_message_send(case=case, by=staff, body="One"), days_ago=13.9, monkeypatch=monkeypatch)
    old = sent_link(case_message_send(case=case, by=staff, body="Two"), days_ago=14.1, monkeypatch=monkeypatch)

    client = Client()
    assert client.get(fresh).status_code == 200
    html = refused(client.get(old), status=410, problem=ReplyProblem.EXPIRED)
    assert '<html lang="fr">' in html  # a genuine link: its customer's language
    refused(client.post(old, {"body": "late"}), status=410, problem=ReplyProblem.EXPIRED)
    assert answers() == 0

    settings.CARE_REPLY_LINK_DAYS = 3  # the setting, read when the link is opened
    refused(client.get(fresh), status=410, problem=ReplyProblem.EXPIRED)


@pytest.mark.django_db
def test_a_used_link_is_refused_with_410_and_writes_nothing() -> None:
    case = case_create()
    message = case_message_send(case=case, by=care_staff_create(), body="How can we help?")
    link = sent_link(message)
    client = Client()
    assert client.post(link, {"body": "A new lid would do."}).status_code == 200

    html = refused(client.get(link), status=410, problem=ReplyProblem.USED)
    assert "You have already answered this message" in html
    refused(client.post(link, {"body": "And another thing."}), status=410, problem=ReplyProblem.USED)
    written = CaseMessage.objects.filter(direction=MessageDirection.FROM_CUSTOMER).values_list("body", flat=True)
    assert list(written) == ["A new lid would do."]
    # Two tabs: the page was opened before the first answer; the second send is refused.
    with pytest.raises(ReplyRefused) as second:
        reply_answer(message=message, body="From the other tab.", effort=None)
    assert second.value.problem is ReplyProblem.USED and answers() == 1


@pytest.mark.django_db
def test_a_message_link_is_closed_with_its_case_and_the_closing_link_works_once() -> None:
    staff = care_staff_create()
    case = case_create()
    message = case_message_send(case=case, by=staff, body="How can we help?")
    link = sent_link(message)
    case_close(case=case, by=staff, outcome="solved")
    closing_link = sent_link(CaseMessage.objects.get(case=case, kind="closing"))

    client = Client()
    html = refused(client.get(link), status=410, problem=ReplyProblem.CLOSED)
    assert "This case is closed" in html
    refused(client.post(link, {"body": "Too late?"}), status=410, problem=ReplyProblem.CLOSED)
    assert answers() == 0

    assert client.post(closing_link, {"effort": "7"}).status_code == 200
    refused(client.get(closing_link), status=410, problem=ReplyProblem.USED)
    refused(client.post(closing_link, {"effort": "1"}), status=410, problem=ReplyProblem.USED)
    assert Case.objects.get(pk=case.pk).effort_score == 7
