"""Re-encodes the product images stored before the cleaning (products.image_reencode)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from core.commands import OperatorCommand
from products.image_reencode import Reencoded, product_image_ids, product_image_reencode


class Command(OperatorCommand):
    help = (
        "Re-encode every product image whose stored file is not yet the cleaned WebP (no EXIF or GPS, "
        "at most 2,048 px). Safe to repeat. Progress on stderr; exit code 1 if any image failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say what would be re-encoded, change nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        ids = product_image_ids()
        counts = {outcome: 0 for outcome in Reencoded}
        failed = 0
        verb = "would re-encode" if dry_run else "re-encoded"
        for number, image_id in enumerate(ids, start=1):
            try:
                outcome = product_image_reencode(image_id=image_id, dry_run=dry_run)
            except ValidationError as exc:
                failed += 1
                self.stderr.write(f"[{number}/{len(ids)}] image {image_id}: refused: {' '.join(exc.messages)}")
                continue
            except OSError as exc:  # the file is missing or unreadable: the others go on
                failed += 1
                self.stderr.write(f"[{number}/{len(ids)}] image {image_id}: unreadable: {exc}")
                continue
            counts[outcome] += 1
            said = verb if outcome is Reencoded.REENCODED else "already clean"
            self.stderr.write(f"[{number}/{len(ids)}] image {image_id}: {said}")
        self.stdout.write(
            f"{verb}: {counts[Reencoded.REENCODED]}, already clean: {counts[Reencoded.CLEAN]}, failed: {failed}"
        )
        if failed:
            raise CommandError(f"{failed} product image(s) could not be re-encoded (see above)", returncode=1)
