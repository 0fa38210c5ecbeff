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
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import password_reset_email_send


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We write to you only about your reviews (for example, when a moderator has decided)."),
    )

    class Meta:
        model = User
        fields = ("username", "email", "display_name", "language")
        field_classes = {"username": UsernameField}
        labels = {"language": _("Language for pages and emails")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["display_name"].widget.attrs["autocomplete"] = "nickname"


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("display_name", "email", "language")
        labels = {"language": _("Language for pages and emails")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["display_name"].widget.attrs["autocomplete"] = "nickname"


class PasswordResetRequestForm(PasswordResetForm):
    """Asks for the account's email address and mails a reset link to every active account
    using it. Django's own save() builds the link from the request's host and renders the
    email in the page's language; this one uses SITE_URL and each account's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "autofocus": True})

    def save(  # type: ignore[override]
        self, *, token_generator: PasswordResetTokenGenerator = default_token_generator, **_django_options: Any
    ) -> None:
        # The view passes Django's template names, domain and request too: unused here.
        for user in self.get_users(self.cleaned_data["email"]):
            password_reset_email_send(user=user, token_generator=token_generator)


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
