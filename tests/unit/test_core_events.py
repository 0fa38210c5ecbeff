"""core.events.Topic: the registry through which a lower app tells the apps above it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from core.events import Topic


@dataclass(frozen=True)
class Happened:
    what: str


def test_handlers_run_in_subscription_order_with_the_fact() -> None:
    topic: Topic[Happened] = Topic("test.happened")
    calls: list[tuple[str, str]] = []
    topic.subscribe(lambda fact: calls.append(("first", fact.what)))
    topic.subscribe(lambda fact: calls.append(("second", fact.what)))
    topic.publish(Happened("x"))
    assert calls == [("first", "x"), ("second", "x")]


def test_subscribing_a_handler_twice_keeps_one() -> None:
    topic: Topic[Happened] = Topic("test.happened")
    calls: list[str] = []

    def handler(fact: Happened) -> None:
        calls.append(fact.what)

    topic.subscribe(handler)
    topic.subscribe(handler)  # ready() may run twice
    topic.publish(Happened("once"))
    assert calls == ["once"]
    topic.unsubscribe(handler)
    topic.publish(Happened("gone"))
    assert calls == ["once"]


def test_a_failing_handler_fails_the_publisher_so_its_transaction_rolls_back() -> None:
    topic: Topic[Happened] = Topic("test.happened")
    later: list[str] = []

    def broken(fact: Happened) -> None:
        raise RuntimeError("outbox unavailable")

    topic.subscribe(broken)
    topic.subscribe(lambda fact: later.append(fact.what))
    with pytest.raises(RuntimeError, match="outbox unavailable"):
        topic.publish(Happened("x"))
    assert later == []


def test_publishing_with_no_subscriber_does_nothing() -> None:
    topic: Topic[Happened] = Topic("test.nobody")
    topic.publish(Happened("x"))  # no error
    assert topic.handlers == ()


def test_the_password_change_notice_is_subscribed_by_notifications() -> None:
    from accounts.events import password_changed
    from notifications.accounts import password_changed_email

    assert password_changed_email in password_changed.handlers
