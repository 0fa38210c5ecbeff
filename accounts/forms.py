"""Sign-up, profile and password forms of the shopper's site."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import (
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
    UsernameField,
)
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import password_reset_request
from core.text_safety import validate_display_name

DISPLAY_NAME_HELP = _("Shown with your reviews, at most 60 characters. Your username stays private.")
DISPLAY_NAME_REQUIRED = _("Choose the name shown with your reviews.")
DISPLAY_NAME_IS_USERNAME = _("Choose a display name other than your username: your username stays private.")
EMAIL_TAKEN = _("Another account already uses this email address. Enter another one.")


def _display_name_checked(display_name: str, username: str) -> str:
    validate_display_name(display_name)
    if display_name.strip().casefold() == username.strip().casefold():
        raise ValidationError(DISPLAY_NAME_IS_USERNAME, code="display_name_is_username")
    return display_name


class _DisplayNameMixin(forms.ModelForm):
    def _display_name_field_set_up(self) -> None:
        field = self.fields["display_name"]
        field.required = True
        field.help_text = DISPLAY_NAME_HELP
        field.error_messages["required"] = DISPLAY_NAME_REQUIRED
        field.widget.attrs["autocomplete"] = "nickname"

    def _get_validation_exclusions(self) -> set[str]:
        # The address's uniqueness is checked by each form its own way (the sign-up must not
        # tell, the profile says it clearly); the database constraint is the backstop.
        return {*super()._get_validation_exclusions(), "email"}  # type: ignore[misc]


class LanguageSelect(forms.Select):
    """Each language in its own name, marked with its ``lang`` ("Français", lang="fr"), as
    the header's language switcher shows them: a reader finds their language whatever the
    page's language is."""

    def create_option(self, name: str, value: Any, label: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, label, *args, **kwargs)
        if value:
            option["label"] = capfirst(get_language_info(str(value))["name_local"])
            option["attrs"]["lang"] = str(value)
        return option


class SignupForm(_DisplayNameMixin, UserCreationForm):
    """A new shopper's account. An address already in use is NOT an error here: the page
    must not tell who has an account (accounts.signup sends its owner a word instead)."""

    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send you a link to confirm it, then write only about your reviews."),
    )

    class Meta:
        model = User
        fields = ("username", "email", "display_name", "language")
        field_classes = {"username": UsernameField}
        labels = {"language": _("Language for pages and emails")}
        widgets = {"language": LanguageSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["username"].help_text = _(
            "To sign in; never shown to others. 150 characters or fewer: letters, digits and @/./+/-/_ only."
        )
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self._display_name_field_set_up()

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"].strip())

    def clean_display_name(self) -> str:
        return _display_name_checked(self.cleaned_data["display_name"], self.data.get("username", ""))


class ProfileForm(_DisplayNameMixin):
    class Meta:
        model = User
        fields = ("display_name", "email", "language", "review_thanks_emails")
        widgets = {"language": LanguageSelect}
        labels = {
            "language": _("Language for pages and emails"),
            # care.thanks: read when each thanks email is sent, so unticking stops one already queued.
            "review_thanks_emails": _("Email me a thank-you when a review I wrote is published"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _("A new address must be confirmed: we send it a link.")
        self._display_name_field_set_up()

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"].strip())
        taken = (
            User.objects.alias(email_lower=Lower("email"))
            .filter(email_lower=email.lower())
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if taken:
            raise ValidationError(EMAIL_TAKEN, code="email_taken")
        return email

    def clean_display_name(self) -> str:
        return _display_name_checked(self.cleaned_data["display_name"], self.instance.username)


class PasswordResetRequestForm(PasswordResetForm):
    """Asks for the account's email address; save() queues the reset email through the
    outbox, the same work whether or not an account uses it (accounts.services)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "autofocus": True})

    def save(self, **_django_options: Any) -> None:  # type: ignore[override]
        # The view passes Django's template names, domain, token generator and request:
        # unused, the worker builds the email and its link on SITE_URL.
        password_reset_request(address=self.cleaned_data["email"])


class NewPasswordForm(SetPasswordForm):
    """The new password, twice, chosen from a reset link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].widget.attrs["autofocus"] = True


class PasswordChangeWithCurrentForm(PasswordChangeForm):
    """The current password, then the new one twice."""

    # Django's message says "old password"; the field is labelled "Current password".
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("The current password you entered is wrong. Please enter it again."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
