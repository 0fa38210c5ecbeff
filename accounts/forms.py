"""Sign-up and profile forms of the shopper's site."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm, UsernameField
from django.utils.translation import gettext_lazy as _

from accounts.models import User


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
