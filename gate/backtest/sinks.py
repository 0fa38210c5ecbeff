"""Where a replay puts its events, in order."""

from __future__ import annotations

from typing import IO, Protocol

from gate.policy import GateEvent

__all__ = ["EventList", "EventSink", "JsonLinesSink"]


class EventSink(Protocol):
    """Where the engine puts events, in order. ``discard`` forgets them all (a pass restarts)."""

    def add(self, event: GateEvent) -> None: ...

    def discard(self) -> None: ...


class EventList(list[GateEvent]):
    """Events kept in memory (tests, small runs)."""

    def add(self, event: GateEvent) -> None:
        self.append(event)

    def discard(self) -> None:
        self.clear()


class JsonLinesSink:
    """Events written as JSON Lines to a seekable text stream (a spooled temporary file)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def add(self, event: GateEvent) -> None:
        self.stream.write(event.to_json())
        self.stream.write("\n")

    def discard(self) -> None:
        self.stream.seek(0)
        self.stream.truncate()
