"""The poor products' stories: the phases of their reviews and the days the gate must act.

Pure data read by `devtools.demo.shaping` (timelines and targets) and `devtools.demo.plan`
(the demo improvement). Days are counted back from the anchor, the day of the first seeding.
"""

from __future__ import annotations

from dataclasses import dataclass

# A phase: reviews spread evenly over [from, to] days before the anchor (inclusive),
# with ratings drawn from a mean (float), the poor products' distribution ("bad") or
# one fixed rating (int).
Ratings = float | str | int


@dataclass(frozen=True)
class Phase:
    days_ago_from: int
    days_ago_to: int
    count: int
    ratings: Ratings
    flavour: str = ""
    revision: int = 0


@dataclass(frozen=True)
class Scenario:
    phases: tuple[Phase, ...]
    # Flagged on (days before the anchor); None: when it first drops below on its own.
    flag_days_ago: int | None = None
    # Recovers on (days before the anchor).
    recover_days_ago: int | None = None
    # An improvement logged on (days before the anchor), starting revision 1.
    improvement_days_ago: int | None = None


SCENARIOS: dict[str, Scenario] = {
    # A good shoe until a faulty batch: flagged 3 days before the anchor, deadline to come,
    # so its notice email goes out on the first `make run`.
    "STL-2041": Scenario(
        (
            Phase(300, 46, 38, 3.9),
            Phase(45, 4, 30, "bad", "issue"),
            Phase(3, 3, 3, 1, "issue"),
            Phase(2, 1, 3, "bad", "issue"),
        ),
        flag_days_ago=3,
    ),
    # A lunch box whose lid leaks: flagged 20 days ago, withdrawal 10 days after the anchor.
    "FRN-9410": Scenario(
        (
            Phase(330, 90, 30, 3.7),
            Phase(89, 21, 22, "bad", "issue"),
            Phase(20, 20, 2, 1, "issue"),
            Phase(19, 1, 8, "bad", "issue"),
        ),
        flag_days_ago=20,
    ),
    # A tent that leaked from the start: flagged when it reached the minimum number of
    # reviews, withdrawn 30 days later, months ago.
    "CFD-4102": Scenario((Phase(330, 175, 50, "bad", "issue"),)),
    # Earbuds broken by a firmware update: flagged 36 days ago, withdrawn 6 days ago.
    "ADR-1250": Scenario(
        (
            Phase(220, 70, 34, 3.8),
            Phase(69, 37, 20, "bad", "issue"),
            Phase(36, 36, 3, 1, "issue"),
            Phase(35, 8, 14, "bad", "issue"),
        ),
        flag_days_ago=36,
    ),
    # A light set that drowned in the rain: withdrawn over a year ago, then improved
    # 35 days ago (sealed charging port); the new revision's reviews are good, but for two
    # low-rated ones about other things, so the desk's "did the fix work?" table compares
    # the addressed complaints against real low-rated reviews of the new version.
    "RAY-6500": Scenario(
        (
            Phase(540, 470, 10, 3.4),
            Phase(469, 380, 38, "bad", "issue"),
            Phase(34, 1, 16, 4.5, "fixed", revision=1),
            Phase(30, 6, 2, 2, "fixed", revision=1),
        ),
        improvement_days_ago=35,
    ),
    # A pan with one bad batch of coating: flagged, then recovered 10 days later on a
    # wave of good reviews; fine since.
    "MCV-8128": Scenario(
        (
            Phase(360, 251, 30, 3.8),
            Phase(250, 214, 22, "bad", "issue"),
            Phase(213, 213, 2, 1, "issue"),
            Phase(212, 204, 5, "bad", "issue"),
            Phase(203, 203, 6, 5, "fixed"),
            Phase(202, 1, 55, 4.3, "fixed"),
        ),
        flag_days_ago=213,
        recover_days_ago=203,
    ),
}
# Its first review's day, minus its planned offset, is the anchor of an earlier seeding.
ANCHOR_REVIEW = "demo-STL-2041-0001"

IMPROVEMENT_TEXT = {
    "RAY-6500": {
        "description": "Rear light housing redesigned: the USB-C port now has a hinged silicone cover and the "
        "lens a new gasket (IPX6 instead of IPX4). Battery cells from a second supplier, tested to 500 cycles. "
        "Front strap in a cold-resistant silicone.",
        "public_note": "Since this date the Urban 500 set has a sealed charging port and a new lens gasket, so "
        "rain no longer reaches the battery. Reviews written before it are about the previous version.",
        # What the fix is about, as the previous version's low-rated reviews say it word for
        # word (the desk counts a phrase where its words follow each other in a sentence):
        # the lens and the rear light that rain got into (phrases the improvement form offers:
        # "fogs up inside" is a title), the battery in English and French, the charging port
        # and the strap (typed in as free phrases when the form does not offer them).
        "phrases": (
            "condensation inside",
            "fogs up inside",
            "rear light",
            "battery lasted",
            "batterie tenait",
            "usb port",
            "silicone strap",
        ),
    },
}
