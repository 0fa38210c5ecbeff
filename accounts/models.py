from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account: shopper, moderator, product manager or quality director.

    The role is a group (see accounts.roles); the language is stored so pages and emails
    reach each user in the language they chose, even when sent by a background task.
    """

    display_name = models.CharField(
        _("display name"),
        max_length=60,
        blank=True,
        help_text=_("Shown with your reviews. Your username is used when empty."),
    )
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
    )
    # When the account proved it owns its email address (a signed link): until then its
    # reviews wait, unpublished and counted nowhere (a real account per reviewer).
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=["en", "fr"]),
                name="accounts_user_language_known",
            ),
        ]

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def public_name(self) -> str:
        return self.display_name or self.username
