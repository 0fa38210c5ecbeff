"""Forms of the shopper's site: writing a review, voting, reporting.

The forms check what a browser can be told about at once (required fields, lengths,
choices); reviews.services decides everything else, and a service's refusal is put back
on the form with `form_add_domain_error`, so the shopper reads one list of problems.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.errors import DomainError
from core.local_formats import numbers_grouped
from core.text_limits import GroupedNumbersCharField
from core.text_safety import validate_display_name, validate_display_text, validate_written_text
from products.models import STARS
from reviews.models import (
    AUTHOR_NAME_MAX_LENGTH,
    BODY_MIN_LENGTH,
    RECOMMEND_MAX,
    RECOMMEND_MIN,
    REPORT_COMMENT_MAX_LENGTH,
    REPORT_REASONS,
    ReasonCode,
    WrittenLengths,
    written_lengths,
)
from reviews.photo_edits import REMOVE_FIELD, too_many_kept_message
from reviews.photo_rules import MAX_PHOTO_BYTES, MAX_PHOTOS_PER_REVIEW, photo_count_problem
from reviews.photos import too_many_photos_message

# Filled in by static/js/site.js as the shopper types.
COUNTER_TEMPLATE = _("%(count)s of %(max)s characters")


def _interpolate(message: Any, params: dict[str, Any]) -> str:
    # A callable value is read when the page renders (a setting tests and deployments change).
    values = {name: value() if callable(value) else value for name, value in params.items()}
    text = str(message)
    return text % numbers_grouped(values, message=text)


# `_("...") % {...}` would translate once, at import; this translates when the page renders.
interpolate_lazy = lazy(_interpolate, str)


def _rating_choices() -> list[tuple[int, str]]:
    return [(n, ngettext("%(n)d star", "%(n)d stars", n) % {"n": n}) for n in STARS]


def _recommend_choices() -> list[tuple[int | str, str]]:
    """0 to 10, the two ends spelled out, then "No answer" (the question is optional)."""
    ends = {RECOMMEND_MIN: _("0 = not at all likely"), RECOMMEND_MAX: _("10 = extremely likely")}
    scale: list[tuple[int | str, str]] = [(n, str(ends.get(n, n))) for n in range(RECOMMEND_MIN, RECOMMEND_MAX + 1)]
    return [*scale, ("", str(_("No answer")))]


def _title_field(max_length: int) -> forms.CharField:
    # The limit is in the help text, which Django ties to the input with aria-describedby.
    return forms.CharField(
        label=_("Title"),
        max_length=max_length,
        validators=[validate_display_text],
        help_text=format_lazy(
            "{} {}",
            _("Sum up your experience in a few words."),
            interpolate_lazy(_("At most %(max)s characters."), {"max": max_length}),
        ),
        error_messages={"required": _("Give your review a title.")},
    )


def _body_field(max_length: int) -> forms.CharField:
    return GroupedNumbersCharField(
        label=_("Your review"),
        min_length=BODY_MIN_LENGTH,
        max_length=max_length,
        validators=[validate_written_text],
        widget=forms.Textarea(attrs={"rows": 8, "data-counter-template": COUNTER_TEMPLATE}),
        help_text=interpolate_lazy(
            _("Between %(min)s and %(max)s characters. What did you like or dislike? How did you use it?"),
            {"min": BODY_MIN_LENGTH, "max": max_length},
        ),
        error_messages={"required": _("Write a few words about the product.")},
    )


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS_PER_REVIEW files; only their number is checked here. What each file
    is (decoded with Pillow, whatever its name) is reviews.photos', before anything is stored."""

    widget = MultiplePhotoInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if photo_count_problem(len(files)) is not None:
            raise forms.ValidationError(too_many_photos_message(), code="too_many")
        return [super(PhotosField, self).clean(f, initial) for f in files]


def _photos_field() -> PhotosField:
    return PhotosField(
        label=_("Photos"),
        required=False,
        # The browser's picker offers these; the server decodes every file all the same.
        widget=MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=interpolate_lazy(
            _(
                "Optional: up to %(max)s photos of the product, JPEG, PNG or WebP, at most %(mb)s MB each "
                "and %(total_mb)s MB in all with your review. "
                "Location and camera data are removed. Photos are published with your review."
            ),
            {
                "max": MAX_PHOTOS_PER_REVIEW,
                "mb": MAX_PHOTO_BYTES // (1024 * 1024),
                # What core.request_limits lets through for the whole form (a larger photo
                # request is refused with the 413 page before any photo is looked at).
                "total_mb": lambda: settings.UPLOAD_BODY_MAX_BYTES // (1024 * 1024),
            },
        ),
    )


class ReviewForm(forms.Form):
    """A review's content. `ask_author_name=True` adds the display name, for writers without
    an account (invited guests), so the same form and template serve both. `lengths` are a
    new review's unless given (editing: reviews.models.written_lengths(review))."""

    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=_rating_choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5 stars.")},
    )
    title = _title_field(written_lengths().title_max)
    body = _body_field(written_lengths().body_max)
    language = forms.ChoiceField(label=_("Language of your review"), choices=settings.LANGUAGES)
    # Optional, and never published (only the author sees it again, on their edit form):
    # counted in the Net Promoter Score, and a detractor's answer opens a care case. A
    # choice, not a number input: only "0" to "10" or "" are accepted ("7.0", "٧", "11": refused).
    recommend = forms.TypedChoiceField(
        label=_("How likely are you to recommend this product to a friend?"),
        choices=_recommend_choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose an answer from 0 to 10, or “No answer”.")},
    )

    def __init__(
        self,
        *args: Any,
        ask_author_name: bool = False,
        lengths: WrittenLengths | None = None,
        accept_photos: bool = False,
        photos_kept: Sequence[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if accept_photos:  # the site's review forms: new, invited, edited (reviews.photos; docs/photos.md)
            self.fields["photos"] = _photos_field()
        self.current_photos = list(photos_kept)
        if self.current_photos:  # editing a review that has photos: the author may remove some
            if "photos" in self.fields:
                self.fields["photos"].label = _("Add photos")
            self.fields[REMOVE_FIELD] = forms.TypedMultipleChoiceField(
                label=_("Remove photos"),
                choices=[(photo.pk, str(photo.pk)) for photo in self.current_photos],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": _("Choose among this review's photos.")},
            )
        if lengths is not None and lengths != written_lengths():
            self.fields["title"] = _title_field(lengths.title_max)
            self.fields["body"] = _body_field(lengths.body_max)
        if ask_author_name:
            self.fields["author_name"] = forms.CharField(
                label=_("Name shown with your review"),
                max_length=AUTHOR_NAME_MAX_LENGTH,
                validators=[validate_display_name],
                help_text=_("A first name or a nickname: do not give your full name or any contact details."),
            )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if self.current_photos and "photos" in self.fields and not self.has_error("photos"):
            kept = len(self.current_photos) - len(set(self.photos_removed()))
            if photo_count_problem(kept + len(self.photo_uploads())) is not None:
                self.add_error("photos", too_many_kept_message(kept=kept))
        return cleaned

    def ask_photos_again(self, files: Any) -> None:
        """A refused form that had files: a browser cannot refill a file input, so say so beside it."""
        if "photos" in self.fields and files:
            self.add_error("photos", _("Choose your photos again: for your safety, browsers do not keep them."))

    def photo_uploads(self) -> list[Any]:
        return list(self.cleaned_data.get("photos") or [])

    def photos_removed(self) -> list[int]:
        """The ids of the photos the author chose to remove (an edit)."""
        return list(self.cleaned_data.get(REMOVE_FIELD) or [])

    def photo_choices(self) -> list[tuple[Any, Any]]:
        """Each current photo with its checkbox, for the edit form's template."""
        if REMOVE_FIELD not in self.fields:
            return []
        boxes = {str(box.data["value"]): box for box in self[REMOVE_FIELD]}
        return [(photo, boxes[str(photo.pk)]) for photo in self.current_photos]

    def review_fields(self) -> dict[str, Any]:
        """The cleaned values, named as reviews.services expects them."""
        data = self.cleaned_data
        fields = {
            "rating": data["rating"],
            "title": data["title"],
            "body": data["body"],
            "language": data["language"],
        }
        if "author_name" in self.fields:
            fields["author_name"] = data["author_name"]
        # Sent by every form this site renders ("No answer" is checked by default); a post
        # without it at all leaves an edited review's answer as it was (the service's default).
        if self.add_prefix("recommend") in self.data:
            fields["recommend"] = data["recommend"]
        return fields


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Was this review helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this review?"),
        choices=[(code.value, code.label) for code in REPORT_REASONS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason from the list.")},
    )
    comment = GroupedNumbersCharField(
        label=_("Details"),
        required=False,
        max_length=REPORT_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "data-counter-template": COUNTER_TEMPLATE}),
        help_text=interpolate_lazy(
            _("Required when the reason is “Other”. At most %(max)s characters."),
            {"max": REPORT_COMMENT_MAX_LENGTH},
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reason") == ReasonCode.OTHER and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Tell us what is wrong with this review."))
        return cleaned


def form_add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Shows a service's refusal on the form: field messages beside their inputs, the rest on top."""
    for name, messages in error.fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
    form.add_error(None, error.message)
