"""Care's alerts (issue 16, item 2): a new case emails every member of customer care and
the product's managers once, in their language; the daily digest lists to each the cases
still open they follow (care: all; a manager: their products'), once a day whatever reruns.
Emails go through the real outbox delivery (notifications.delivery.outbox_deliver)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR
from care.alerts import CASE_PAGE, QUEUE_PAGE, care_digest_send
from care.models import Case, CaseOutcome, CaseState
from care.services import case_close, case_message_send
from care.tasks import care_digest_task
from config.celery_app import app as celery_app
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from reviews.services import review_edit, review_publish, review_reject
from tests.care_factories import care_staff_create, review_post
from tests.factories import product_create, user_create

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# 08:00 in Paris, the digest's default hour.
NOW = datetime(2026, 3, 10, 8, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _mail_settings(settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Paris"
    settings.SITE_URL = "https://shop.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CARE_FIRST_CONTACT_HOURS = 24


class People:
    """Two care members (one French), the managers of products A and B, a manager of a
    product whose cases are closed, and people who must hear nothing."""

    def __init__(self) -> None:
        self.care_en = care_staff_create(display_name="Ann")
        self.care_fr = care_staff_create(language="fr", display_name="Zoé")
        self.manager_a = user_create(PRODUCT_MANAGER, display_name="Mia")
        self.manager_b = user_create(PRODUCT_MANAGER, language="fr", display_name="Bruno")
        self.manager_c = user_create(PRODUCT_MANAGER, display_name="Carl")
        # Silent: roles without a stake, a care member who left, one without an address.
        self.silent = [
            user_create(MODERATOR),
            user_create(),
            user_create(QUALITY_DIRECTOR),
            care_staff_create(is_active=False),
            care_staff_create(email=""),
        ]
        # Ann also manages A: she still gets one alert per case, one digest per day.
        self.product_a = product_create(name="Trail shoe", managers=[self.manager_a, self.care_en])
        self.product_b = product_create(name="Rain jacket", managers=[self.manager_b])
        self.product_c = product_create(name="Sock", managers=[self.manager_c])


@pytest.fixture
def people() -> People:
    return People()


def emails(kind: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=kind).select_related("recipient").order_by("id"))


def recipients(messages: Iterable[OutboxMessage]) -> list[User | None]:
    return sorted((m.recipient for m in messages), key=lambda user: user.pk if user else 0)


def delivered(message: OutboxMessage) -> mail.EmailMessage:
    assert outbox_deliver(message_id=message.pk, now=message.next_attempt_at + timedelta(seconds=1)) == "sent"
    return mail.outbox[-1]


def to(message: OutboxMessage, user: User) -> bool:
    return message.recipient_id == user.pk


# --- The alert of a new case --------------------------------------------------------------


def test_a_new_case_alerts_each_care_member_and_the_products_managers_once(people: People) -> None:
    review = review_post(product=people.product_a, rating=1, now=NOW)
    first = emails("care_case_opened")
    assert recipients(first) == [people.care_en, people.care_fr, people.manager_a]
    assert {m.dedupe_key for m in first} == {
        f"care:opened:{review.care_case.pk}:{user.pk}" for user in (people.care_en, people.care_fr, people.manager_a)
    }
    # Edited, rejected, re-published: still one case, and not one alert more.
    review_edit(review=review, author=review.author, rating=2, title="Still bad", body=review.body, language="en")
    moderator = people.silent[0]
    review_reject(review=review, reason="spam", by=moderator)
    review_publish(review=review, by=moderator)
    assert emails("care_case_opened") == first
    # A happy review opens nothing and alerts nobody.
    review_post(product=people.product_b, rating=5)
    assert emails("care_case_opened") == first


def test_the_alert_says_product_stars_title_deadline_and_link_in_each_language(people: People) -> None:
    review = review_post(product=people.product_b, rating=1, recommend=3, title="Leaks at the seams", now=NOW)
    case = Case.objects.get(review=review)
    sent: dict[int, mail.EmailMessage] = {m.recipient_id or 0: delivered(m) for m in emails("care_case_opened")}
    assert set(sent) == {people.care_en.pk, people.care_fr.pk, people.manager_b.pk}
    english, french = sent[people.care_en.pk], sent[people.care_fr.pk]
    link = f"https://shop.example/desk/care/{case.pk}/"
    assert english.subject == f"[reviewgate] New care case: Rain jacket ({people.product_b.sku}) rated 1 star"
    assert "A customer rated Rain jacket" in english.body
    assert "they answered 3 out of 10" in english.body
    assert "Review title: Leaks at the seams" in english.body
    assert "within 24 hours: by March 11, 2026, 8 a.m. (Europe/Paris)" in english.body
    assert link in english.body
    # French sets a no-break space before the colon (the subject keeps it: one line all the same).
    sku = people.product_b.sku
    assert french.subject == f"[reviewgate] Nouveau dossier client\u00a0: Rain jacket ({sku}) noté 1 étoile"
    assert "sous 24 heures\u00a0: avant le 11 mars 2026 08:00 (Europe/Paris)" in french.body
    assert link in french.body
    assert sent[people.manager_b.pk].subject.startswith("[reviewgate] Nouveau dossier client")  # Bruno reads French
    # The customer is named nowhere: neither their address nor their account's name.
    customer = review.author
    assert customer is not None
    for user_id, email in sent.items():
        assert email.to == [User.objects.get(pk=user_id).email]
        text = f"{email.subject}\n{email.body}"
        assert customer.email not in text
        assert customer.username not in text


def test_the_case_link_is_the_desks_case_page() -> None:
    """care.alerts writes the desk's paths (care sits below the desk); they must stay the
    desk's routes."""
    assert reverse("desk:care_case", args=[42]) == CASE_PAGE.format(case_id=42)
    assert reverse("desk:care_queue") == QUEUE_PAGE


# --- The daily digest ---------------------------------------------------------------------


class Cases:
    def __init__(self, people: People) -> None:
        # A: one open case past its target, one contacted. B: one open within its target.
        # C: closed (its manager hears nothing).
        self.a_overdue = review_post(product=people.product_a, rating=1, now=NOW - timedelta(hours=30)).care_case
        self.b_open = review_post(product=people.product_b, rating=2, now=NOW - timedelta(hours=2)).care_case
        self.a_contacted = review_post(product=people.product_a, rating=2, now=NOW - timedelta(hours=10)).care_case
        case_message_send(case=self.a_contacted, by=people.care_fr, body="Sorry: what went wrong?", now=NOW)
        self.c_closed = review_post(product=people.product_c, rating=1, now=NOW - timedelta(hours=5)).care_case
        case_close(case=self.c_closed, by=people.care_en, outcome=CaseOutcome.NOT_REACHABLE, now=NOW)


def digest_cases(message: OutboxMessage) -> list[int]:
    return [line["case_id"] for line in message.payload["cases"]]


def test_the_digest_lists_each_recipients_open_cases_once_a_day(people: People) -> None:
    cases = Cases(people)
    assert Case.objects.get(pk=cases.a_contacted.pk).state == CaseState.CONTACTED
    assert care_digest_send(now=NOW) == 4
    assert care_digest_send(now=NOW + timedelta(hours=15)) == 4  # 23:00, the same day: nothing new
    first = emails("care_digest")
    everything = [cases.a_overdue.pk, cases.b_open.pk, cases.a_contacted.pk]  # overdue first, contacted last
    assert {m.recipient_id: digest_cases(m) for m in first} == {
        people.care_en.pk: everything,
        people.care_fr.pk: everything,
        people.manager_a.pk: [cases.a_overdue.pk, cases.a_contacted.pk],
        people.manager_b.pk: [cases.b_open.pk],
    }
    assert [m.payload["overdue_count"] for m in first] == [1, 1, 1, 0]
    # The next day: again, to the same people.
    care_digest_send(now=NOW + timedelta(days=1))
    assert len(emails("care_digest")) == 8
    assert {m.dedupe_key for m in emails("care_digest")[4:]} == {
        f"care:digest:2026-03-11:{user.pk}"
        for user in (people.care_en, people.care_fr, people.manager_a, people.manager_b)
    }


def test_the_digest_reads_in_each_recipients_language_most_urgent_first(people: People) -> None:
    cases = Cases(people)
    care_digest_send(now=NOW)
    sent = {m.recipient_id: delivered(m) for m in emails("care_digest")}
    english, french = sent[people.care_en.pk], sent[people.care_fr.pk]
    assert english.subject == "[reviewgate] Customer care: 3 cases still open"
    assert "1 of them is past its first-contact target" in english.body
    overdue = english.body.index("OVERDUE by 6\xa0hours: the customer has not been contacted yet.")
    waiting = english.body.index("22\xa0hours left for the first contact.")
    contacted = english.body.index("Contacted on March 10, 2026, 8 a.m., not closed yet.")
    assert overdue < waiting < contacted
    assert f"https://shop.example/desk/care/{cases.a_overdue.pk}/" in english.body
    assert "Handled by Zoé." in english.body and "Nobody has taken it yet." in english.body
    assert french.subject == "[reviewgate] Service client\u00a0: 3 dossiers encore ouverts"
    assert "EN RETARD de 6\xa0heures" in french.body
    assert "Premier contact attendu dans 22\xa0heures." in french.body
    assert sent[people.manager_b.pk].subject == "[reviewgate] Service client\u00a0: 1 dossier encore ouvert"
    assert "https://shop.example/desk/care/" in sent[people.manager_b.pk].body


def test_nobody_gets_a_digest_when_no_case_is_open(people: People) -> None:
    review_post(product=people.product_a, rating=4)
    assert care_digest_send(now=NOW) == 0
    assert not emails("care_digest")


def test_the_daily_task_and_its_beat_entry(settings: Any, people: People) -> None:
    review_post(product=people.product_b, rating=1)
    assert care_digest_task() == 3  # Ann, Zoé, Bruno
    assert care_digest_task() == 3
    assert len(emails("care_digest")) == 3  # a rerun (a retry, a restarted beat) writes nothing
    entry = celery_app.conf.beat_schedule["care-digest-daily"]
    assert entry["task"] == care_digest_task.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({settings.CARE_DIGEST_HOUR}, {0})


def test_a_long_digest_lists_the_most_urgent_and_counts_the_rest(monkeypatch: Any, people: People) -> None:
    monkeypatch.setattr("care.alerts.DIGEST_MAX_CASES", 2)
    cases = Cases(people)
    care_digest_send(now=NOW)
    [to_ann] = [m for m in emails("care_digest") if to(m, people.care_en)]
    assert digest_cases(to_ann) == [cases.a_overdue.pk, cases.b_open.pk]
    assert (to_ann.payload["total"], to_ann.payload["hidden_count"]) == (3, 1)
    body = delivered(to_ann).body
    assert "And 1 more case in the queue." in body
    assert f"/desk/care/{cases.a_contacted.pk}/" not in body
