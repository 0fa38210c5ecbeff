"""``manage.py tag_reviews [--all]``: tag reviews with their topics (topics.tags)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from core.commands import OperatorCommand, bad_input
from reviews.models import Review
from topics.models import TopicPhrase
from topics.services import TAG_BATCH_SIZE, reviews_tag
from topics.tags import untagged_published_reviews

# A batch is one query's id list and one transaction: larger would hold locks for long and,
# past 64 bits, overflow the database's LIMIT.
MAX_BATCH_SIZE = 100_000

HELP = """Tag published reviews with the topics they speak of, by the phrase lists.

By default only the published reviews without a tag: imported history (an import publishes
nothing, so it is never tagged on the way in) and any review whose tagging task was lost.
With --all, every review is read again (after the lists changed while the worker was down,
or to check): a review whose tags are already right is left as it is, one no longer
published loses its tags. Reviews are read in batches of --batch-size, one transaction per
batch, so memory stays flat and an interrupted run keeps what it did: run it again.
Progress goes to stderr, a summary line at the end; exit status 2 when the input is refused."""


class Command(OperatorCommand):
    help = HELP
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="re-tag every review, not only untagged published ones")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=TAG_BATCH_SIZE,
            help=f"reviews per batch, 1 to {MAX_BATCH_SIZE:,} (default {TAG_BATCH_SIZE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = int(options["batch_size"])
        if not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise bad_input(f"--batch-size must be a whole number from 1 to {MAX_BATCH_SIZE:,}, got {batch_size}")
        if not TopicPhrase.objects.exists():
            raise bad_input(
                "tag_reviews: the phrase lists are empty, so every review would be tagged “other”; "
                "run manage.py migrate (it writes the default lists) or add phrases on the desk first"
            )
        verbosity = int(options["verbosity"])
        show_progress = verbosity >= 2 or (verbosity >= 1 and self.stderr.isatty())

        def progress(done: int, total: int) -> None:
            if show_progress:
                self.stderr.write(f"tagged {done:,} of {total:,} reviews")

        reviews = Review.objects.all() if options["all"] else untagged_published_reviews()
        summary = reviews_tag(reviews, progress=progress, batch_size=batch_size)
        if verbosity >= 1:
            self.stderr.write(
                f"tag_reviews: {summary.reviews:,} reviews read in {summary.batches:,} batches, "
                f"{summary.changed:,} with new tags"
            )
