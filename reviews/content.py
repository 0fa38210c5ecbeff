"""What a review's content must be: a pure rule (no database), shared by submission and
edits (reviews.services), and the marker of a field an edit leaves as it is."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from core.local_formats import number_text
from reviews.models import BODY_MIN_LENGTH, LANGUAGE_CODES, RECOMMEND_MAX, RECOMMEND_MIN, WrittenLengths


class Unchanged:
    """A field an edit does not touch (the API's PATCH without it): review_edit reads it from
    the row it locked, so an edit committed in between is kept, never overwritten."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = Unchanged()


def _recommend_valid(recommend: Any) -> bool:
    if recommend is None:
        return True
    return (
        not isinstance(recommend, bool) and isinstance(recommend, int) and RECOMMEND_MIN <= recommend <= RECOMMEND_MAX
    )


def content_check(
    *, rating: Any, title: str, body: str, language: str, lengths: WrittenLengths, recommend: Any = None
) -> None:
    """The rating, recommend answer, title, text and language a review may have, within the
    lengths in force when it was written (``lengths``); ValidationFailed names each field
    that is wrong. Pure: no database, so the rule is table-tested alone."""
    errors: dict[str, str] = {}
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = _("Choose a rating from 1 to 5 stars.")
    if not isinstance(recommend, Unchanged) and not _recommend_valid(recommend):
        errors["recommend"] = _("Answer from 0 (not at all likely) to 10 (extremely likely), or leave it blank.")
    title = title.strip()
    if not title:
        errors["title"] = _("Give your review a title.")
    elif len(title) > lengths.title_max:
        errors["title"] = _("The title can be at most %(max)s characters long.") % {
            "max": number_text(lengths.title_max)
        }
    body = body.strip()
    if len(body) < BODY_MIN_LENGTH:
        errors["body"] = _("Tell other customers a little more: at least %(min)d characters.") % {
            "min": BODY_MIN_LENGTH
        }
    elif len(body) > lengths.body_max:
        errors["body"] = _("The text can be at most %(max)s characters long.") % {"max": number_text(lengths.body_max)}
    if language not in LANGUAGE_CODES:
        errors["language"] = _("Choose the language the review is written in.")
    if errors:
        raise ValidationFailed(_("The review could not be saved: please correct the fields shown."), fields=errors)
