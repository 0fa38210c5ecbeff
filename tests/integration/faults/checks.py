"""What every gate fault test checks afterwards: days committed once, notices once each,
each sent once (in the database and in the emails the workers wrote)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from gate.models import GateEvent
from notifications.models import DeliveryAttempt, OutboxMessage


def days_committed(day_log: Path) -> tuple[Counter[str], set[str]]:
    """From worker_settings' FAULTS_DAY_LOG: how many times each day was committed, and
    the worker processes that committed them."""
    lines = [line.split() for line in day_log.read_text().splitlines()]
    return Counter(day for day, _pid in lines), {pid for _day, pid in lines}


def assert_each_day_once(day_log: Path, *, first_day: date, last_day: date) -> Counter[str]:
    """Every day from ``first_day`` to ``last_day`` was committed exactly once."""
    logged, _pids = days_committed(day_log)
    days = (last_day - first_day).days + 1
    assert set(logged) == {(first_day + timedelta(days=n)).isoformat() for n in range(days)}
    assert {day: n for day, n in logged.items() if n != 1} == {}
    return logged


def emails_in(email_dir: Path) -> Counter[tuple[str, str]]:
    """(recipient, subject) of each email Django's file-based backend wrote, counted."""
    found: Counter[tuple[str, str]] = Counter()
    for path in email_dir.glob("*.log"):
        # One file per connection; messages separated by a line of 79 dashes.
        for message in path.read_text(errors="replace").split("\n" + "-" * 79 + "\n"):
            headers = dict(line.split(": ", 1) for line in message.split("\n\n", 1)[0].splitlines() if ": " in line)
            if "Message-ID" in headers:
                found[(headers.get("To", ""), headers.get("Message-ID", ""))] += 1
    return found


def assert_notices_sent_once(email_dir: Path, *, notify_days: int, recipients: int) -> tuple[int, int]:
    """One email per event of the last ``notify_days`` days and recipient, never written
    twice (one row per dedupe key), each message (reminders too) delivered by exactly one
    successful attempt, and as many emails out of the workers as messages. Returns
    (messages, emails)."""
    cutoff = timezone.localdate() - timedelta(days=notify_days)
    notifying = GateEvent.objects.filter(day__gte=cutoff).count()
    assert notifying > 0
    keys = Counter(OutboxMessage.objects.values_list("dedupe_key", flat=True))
    assert {key: n for key, n in keys.items() if n != 1} == {}
    assert sum(1 for key in keys if key.startswith("email:")) == notifying * recipients
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    per_message = Counter(DeliveryAttempt.objects.filter(succeeded=True).values_list("message_id", flat=True))
    assert sorted(per_message) == sorted(OutboxMessage.objects.values_list("pk", flat=True))
    assert {pk: n for pk, n in per_message.items() if n != 1} == {}
    emails = emails_in(email_dir)
    assert {key: n for key, n in emails.items() if n != 1} == {}
    assert len(emails) == len(keys)
    return len(keys), sum(emails.values())
