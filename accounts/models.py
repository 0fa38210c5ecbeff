from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.text_safety import validate_display_name

DISPLAY_NAME_MAX_LENGTH = 60


def placeholder_display_name(account_id: int | None) -> str:
    """The neutral name of an account that has none: "Customer 1234", from its id.

    Never the username: the login name is half of the credentials and stays private. The
    migration that made display names required filled every blank one with this, so it is
    shown only for an account created without one since (a script, the admin's add form).
    """
    return f"Customer {account_id}" if account_id is not None else "Customer"


class User(AbstractUser):
    """A person with an account: shopper, moderator, product manager or quality director.

    The role is a group (see accounts.roles); the language is stored so pages and emails
    reach each user in the language they chose, even when sent by a background task.
    """

    display_name = models.CharField(
        _("display name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        # Plain visible text (core.text_safety): checked by every form, the admin's included.
        validators=[validate_display_name],
        help_text=_("Shown with your reviews instead of your username, which stays private."),
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
    # The thanks email after each published review (care.thanks): the author turns it off on
    # their profile or by the link in the email itself.
    review_thanks_emails = models.BooleanField(_("thank me by email for each published review"), default=True)

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=["en", "fr"]),
                name="accounts_user_language_known",
            ),
            # One account per address, whatever its case ("Sam@X.com" is "sam@x.com"); an
            # account may have none (staff created by a script).
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_unique",
                violation_error_message=_("Another account already uses this email address."),
            ),
        ]

    def __str__(self) -> str:
        # What the admin shows for an account (its lists, and the people pickers that search
        # by name): the name with the login, so that "Warehouse sync" is found and told apart.
        # Pages never show it: they use public_name.
        return f"{self.display_name} ({self.username})" if self.display_name else self.username

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def public_name(self) -> str:
        """The name shown with what the account writes: its display name, never its username."""
        return self.display_name or placeholder_display_name(self.pk)
