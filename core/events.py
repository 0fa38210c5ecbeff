"""Domain events: how a lower app tells the apps above it that something happened.

The apps depend one way (docs/architecture.md): reviews may not import the gate, accounts
may not import notifications. When a lower app must let higher ones react to a change (a
review published, a password changed), it declares a :class:`Topic` for it and publishes
a frozen fact on it; a higher app subscribes a handler in its ``AppConfig.ready()``.

Why this and not Django signals: a topic is typed (the handler receives the fact's
dataclass, checked by mypy), declared in one place per app (its ``events.py``, the list of
what it announces), and its rules are the ones the outbox needs:

* handlers run synchronously, in subscription order, inside the publisher's transaction:
  an outbox row a handler writes commits or rolls back with the change that caused it;
* an exception in a handler propagates to the publisher (and so rolls the change back):
  a reaction that must not be lost is never dropped silently;
* subscribing the same handler twice keeps one (``ready()`` may run more than once in tests).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

Fact = TypeVar("Fact")


class Topic(Generic[Fact]):
    """One kind of event: a name, and the handlers subscribed to it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: list[Callable[[Fact], None]] = []

    def __repr__(self) -> str:
        return f"Topic({self.name!r})"

    def subscribe(self, handler: Callable[[Fact], None]) -> None:
        if handler not in self._handlers:
            self._handlers.append(handler)

    def unsubscribe(self, handler: Callable[[Fact], None]) -> None:
        if handler in self._handlers:
            self._handlers.remove(handler)

    @property
    def handlers(self) -> tuple[Callable[[Fact], None], ...]:
        return tuple(self._handlers)

    def publish(self, fact: Fact) -> None:
        """Call every handler with ``fact``, in subscription order, in the caller's transaction."""
        for handler in tuple(self._handlers):
            handler(fact)
