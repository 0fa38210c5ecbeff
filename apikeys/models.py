"""Keys that integrators (shops, ERPs, data teams) use to call the API.

A key reads `rg_<prefix>_<secret>`: the prefix finds the row, the secret is checked
against its SHA-256. The secret is 256 random bits, so a fast hash is the right tool (a
slow password hash would only slow every request); it is never stored in clear and is
shown once, when the key is created.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiKeyScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiKey(models.Model):
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Who uses it and for what, e.g. “ERP nightly sync”.")
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    hashed_secret = models.CharField(max_length=64, editable=False)
    scope = models.CharField(_("scope"), max_length=16, choices=ApiKeyScope.choices, default=ApiKeyScope.READ)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("owner"),
        help_text=_("The key acts with this user's rights (a product manager's key sees their notices)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=["read", "read_write"]), name="apikeys_apikey_scope_known"),
            models.CheckConstraint(condition=~Q(hashed_secret=""), name="apikeys_apikey_secret_present"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (rg_{self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == ApiKeyScope.READ_WRITE
