"""notice_reminders_send: 7 days and 1 day before a notice's deadline, once each."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail

from accounts.models import User
from gate import notify
from gate.models import WithdrawalNotice
from gate.notify import notice_reminders_send
from gate.tasks import notice_reminders_task
from notifications.delivery import outbox_sweep
from notifications.models import OutboxMessage
from products.models import Product

from .factories import NOW, flag

pytestmark = pytest.mark.django_db

FLAGGED_ON = date(2026, 3, 1)
DEADLINE = date(2026, 3, 31)


@pytest.fixture
def notice(product: Product) -> WithdrawalNotice:
    return flag(product, day=FLAGGED_ON).notice


def reminders() -> list[tuple[str, int]]:
    return sorted(OutboxMessage.objects.filter(kind="reminder").values_list("dedupe_key", "recipient_id"))


def test_reminders_go_out_seven_days_and_one_day_before_the_deadline_exactly_once(
    notice: WithdrawalNotice, manager: User, director: User
) -> None:
    sent_on: dict[date, int] = {}
    day = FLAGGED_ON
    while day <= DEADLINE + timedelta(days=3):
        # The daily task runs, and a duplicate run the same day changes nothing.
        sent_on[day] = notice_reminders_send(today=day, now=NOW) + notice_reminders_send(today=day, now=NOW)
        day += timedelta(days=1)

    assert {d: n for d, n in sent_on.items() if n} == {date(2026, 3, 24): 2, date(2026, 3, 30): 2}
    assert reminders() == sorted(
        [(f"reminder{k}:{notice.pk}:{user.pk}", user.pk) for k in (7, 1) for user in (manager, director)]
    )


def test_reminder_email_names_the_days_left_and_the_date_in_the_recipients_language(
    notice: WithdrawalNotice, manager: User, director: User
) -> None:
    notice_reminders_send(today=date(2026, 3, 24), now=NOW)
    outbox_sweep(now=NOW)
    [french] = [m for m in mail.outbox if m.to == [manager.email]]
    [english] = [m for m in mail.outbox if m.to == [director.email]]
    assert french.extra_headers["Content-Language"] == "fr"
    assert "31 mars 2026" in french.subject
    assert "7 days left" in english.subject and "March 31, 2026" in english.subject
    assert f"https://shop.example/desk/notices/{notice.pk}/" in english.body
    assert "since March 1, 2026" in english.body


def test_one_day_reminder_is_singular(notice: WithdrawalNotice, director: User) -> None:
    notice_reminders_send(today=date(2026, 3, 30), now=NOW)
    outbox_sweep(now=NOW)
    [english] = [m for m in mail.outbox if m.to == [director.email]]
    assert "1 day left" in english.subject
    assert "in 1 day," in english.body


@pytest.mark.parametrize("state", ["recovered", "withdrawn"])
def test_closed_notices_get_no_reminder(notice: WithdrawalNotice, state: str) -> None:
    WithdrawalNotice.objects.filter(pk=notice.pk).update(state=state)
    assert notice_reminders_send(today=date(2026, 3, 24), now=NOW) == 0
    assert reminders() == []


def test_a_missed_reminder_day_is_caught_up_and_the_seven_day_reminder_yields_to_the_one_day_one(
    notice: WithdrawalNotice,
) -> None:
    # The task did not run from 24 to 26 March: the 7-day reminder still goes out on the 27th.
    assert notice_reminders_send(today=date(2026, 3, 27), now=NOW) == 2
    assert {key.split(":")[0] for key, _ in reminders()} == {"reminder7"}
    # And had it not run until the 30th, only the 1-day reminder would be sent.
    OutboxMessage.objects.all().delete()
    assert notice_reminders_send(today=date(2026, 3, 30), now=NOW) == 2
    assert {key.split(":")[0] for key, _ in reminders()} == {"reminder1"}


def test_no_reminder_on_or_before_the_flagging_day(product: Product, settings: Any) -> None:
    # Grace of 5 days: the 7-day reminder would fall before the flag; the 1-day one is fine.
    short = flag(product, day=FLAGGED_ON, grace=5).notice
    for offset in range(6):
        notice_reminders_send(today=FLAGGED_ON + timedelta(days=offset), now=NOW)
    assert {key.split(":")[0] for key, _ in reminders()} == {"reminder1"}
    assert short.deadline == FLAGGED_ON + timedelta(days=5)


def test_the_daily_task_sends_the_reminders_due_today_in_the_policy_time_zone(
    notice: WithdrawalNotice, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 23:30 UTC on 23 March is already 24 March in Paris: seven days before the deadline.
    monkeypatch.setattr(notify.timezone, "now", lambda: datetime(2026, 3, 23, 23, 30, tzinfo=UTC))
    assert notice_reminders_task() == 2
    assert notice_reminders_task() == 0
