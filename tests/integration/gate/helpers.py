"""Shared pieces of the gate's database tests: scenarios written as CSV, the golden table,
and the database path (import, evaluate, export) driven through the real commands."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shlex
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db.models import Max

from gate.backtest import backtest_events
from gate.models import Improvement
from gate.policy import GatePolicy
from gate.services import gate_evaluate_through
from products.models import Product
from reviews.models import Review, ReviewSource, ReviewStatus
from reviews.ratings import product_ratings_recompute

# SKUs whose order differs between Python's string order and common database collations
# (case, punctuation, digits), so the export's ordering is really tested.
SCENARIO_SKUS = ("b-2", "B-10", "a_1", "A.3", "Z9", "z-10", "m", "M-1", "E-5", "0-7", "ab", "aB")


@dataclass(frozen=True)
class Scenario:
    reviews: Path
    improvements: Path | None
    first_day: date
    last_day: date


def write_scenario(
    directory: Path,
    *,
    seed: int = 7,
    first_day: date = date(2023, 1, 1),
    days: int = 150,
    with_improvements: bool = True,
) -> Scenario:
    """A small, noisy history: a dozen products whose quality drifts around the threshold,
    reviews at every hour (near midnight too) written as dates, naive times and UTC times,
    and improvements at chosen moments (one close to midnight UTC: the time zone matters).
    """
    rng = random.Random(seed)
    last_day = first_day + timedelta(days=days - 1)
    reviews_path = directory / "reviews.csv"
    with open(reviews_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["review_id", "product_id", "rating", "created_at", "title", "author"])
        n = 0
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            for index, sku in enumerate(SCENARIO_SKUS):
                # Each product's mean rating wanders between about 2 and 4.5.
                phase = offset / (20 + 3 * index) + index / 3
                mean = 2.0 + 2.5 * abs(phase % 2 - 1)
                for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
                    rating = min(5, max(1, round(rng.gauss(mean, 1.0))))
                    moment = datetime.combine(day, time(rng.choice((0, 0, 1, 9, 12, 18, 22, 23)), rng.randrange(60)))
                    style = rng.randrange(3)
                    if style == 0:
                        written = day.isoformat()
                    elif style == 1:
                        written = moment.isoformat()
                    else:
                        written = moment.replace(tzinfo=ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")
                    n += 1
                    writer.writerow([f"r-{n}", sku, rating, written, f"Review {n}", f"author {n % 97}"])
    improvements_path = None
    if with_improvements:
        improvements_path = directory / "improvements.csv"
        with open(improvements_path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["product_id", "logged_at", "description"])
            for offset, sku, clock in (
                (20, "b-2", "T12:00:00"),
                (45, "a_1", "T23:30:00+00:00"),
                (60, "Z9", "T00:10:00"),
                (61, "Z9", "T08:00:00Z"),
                (90, "E-5", "T23:30:00+00:00"),
                (120, "B-10", "T06:00:00"),
            ):
                day = first_day + timedelta(days=offset)
                writer.writerow([sku, f"{day.isoformat()}{clock}", f"Fix {sku}"])
    return Scenario(reviews_path, improvements_path, first_day, last_day)


def policy_settings(settings: Any, policy: GatePolicy) -> None:
    """Put ``policy`` in force the way production reads it: GATE_* settings and TIME_ZONE."""
    settings.GATE_THRESHOLD = str(policy.as_dict()["threshold"])
    settings.GATE_GRACE_DAYS = policy.grace_days
    settings.GATE_MIN_REVIEWS = policy.min_reviews
    settings.GATE_WINDOW_DAYS = policy.window_days
    settings.TIME_ZONE = policy.timezone


def backtest_lines(scenario: Scenario, policy: GatePolicy, *, to_day: date | None = None) -> list[str]:
    events, _summary = backtest_events(
        scenario.reviews, policy=policy, improvements_path=scenario.improvements, to_day=to_day
    )
    return [event.to_json() for event in events]


def import_history(reviews: Path, improvements: Path | None) -> None:
    call_command("import_reviews", str(reviews), "--create-products", verbosity=0)
    if improvements is not None:
        call_command("import_improvements", str(improvements), verbosity=0)


def last_data_day(policy: GatePolicy) -> date:
    """The latest review or improvement day: gate_backtest's default --to."""
    moments = [
        Review.objects.aggregate(m=Max("published_at"))["m"],
        Improvement.objects.aggregate(m=Max("logged_at"))["m"],
    ]
    return max(policy.day_of(moment) for moment in moments if moment is not None)


def exported_lines(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("gate_events", *args, stdout=out)
    return out.getvalue().splitlines()


def evaluate_in_chunks(policy: GatePolicy, through: date, rng: random.Random, first: date) -> int:
    """Evaluate through ``through`` in random steps (a scheduler that missed days)."""
    runs = 0
    day = first
    while day < through:
        day = min(through, day + timedelta(days=rng.choice((1, 1, 2, 3, 7, 30, 90))))
        gate_evaluate_through(through=day, policy=policy)
        runs += 1
    return runs


# --- The golden files ---------------------------------------------------------------------

_ROW = re.compile(r"^\|\s*`(?P<file>[^`]+\.jsonl)`\s*\|(?P<options>.*)\|\s*$")


@dataclass(frozen=True)
class GoldenCase:
    file: str
    options: dict[str, str] = field(default_factory=dict)

    @property
    def policy(self) -> GatePolicy:
        return GatePolicy.build(
            threshold=self.options.get("threshold", "3.0"),
            grace_days=int(self.options.get("grace-days", "30")),
            min_reviews=int(self.options.get("min-reviews", "25")),
            window_days=int(self.options.get("window-days", "365")),
            timezone=self.options.get("tz", "Europe/Paris"),
        )


def golden_cases(readme: Path) -> list[GoldenCase]:
    """The table of ../shared/gate-golden/README.md: file and gate_backtest options."""
    cases = []
    for line in readme.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line.strip())
        if match is None:
            continue
        words = shlex.split(match["options"].replace("`", " "))
        options: dict[str, str] = {}
        for position, word in enumerate(words):
            if word.startswith("--"):
                options[word[2:]] = words[position + 1]
        cases.append(GoldenCase(match["file"], options))
    return cases


def parsed(lines: list[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in lines if line.strip()]


# --- Stored history for the engine tests ---------------------------------------------------


def add_reviews(product: Product, moment: datetime, ratings: list[int], *, revision: int | None = None) -> list[Review]:
    """Published reviews written and published at ``moment`` (as an import stores them)."""
    reviews = Review.objects.bulk_create(
        Review(
            product=product,
            author_name="Tester",
            rating=rating,
            revision=product.revision if revision is None else revision,
            status=ReviewStatus.PUBLISHED,
            source=ReviewSource.IMPORT,
            created_at=moment,
            published_at=moment,
        )
        for rating in ratings
    )
    product_ratings_recompute(product_ids=[product.pk])
    product.refresh_from_db()
    return reviews


def noon(policy: GatePolicy, day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=policy.tzinfo)
