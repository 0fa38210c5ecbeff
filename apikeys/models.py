"""Keys that integrators (shops, ERPs, data teams) use to call the API.

A key reads `rg_<prefix>_<secret>`: the prefix finds the row, the secret is checked
against its SHA-256. The secret is 256 random bits, so a fast hash is the right tool (a
slow password hash would only slow every request); it is never stored in clear and is
shown once, when the key is created.

A key holds a set of scopes (ApiKeyScope), stored as a JSON list, sorted and without
duplicates (scopes_normalised). Because the form is canonical, "non-empty, known values
only, no duplicates" is one portable check: the list is one of the sorted non-empty
subsets of the known scopes (SCOPE_SETS). PostgreSQL's jsonb `<@` would say "known values
only" but SQLite has no such operator, and neither can say "no duplicates"; an IN over the
few canonical lists works on both. Adding a scope is one line in ApiKeyScope (and the
migration makemigrations writes for the new constraint). With n scopes there are 2**n - 1
lists: 31 for five scopes, still a short constraint.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ApiKeyScope(models.TextChoices):
    """What a key may do (apikeys.permissions says where each one is needed)."""

    READ = "read", _("Read: GET the API's data")
    WRITE = "write", _("Write: post, change and delete as the owner")
    ORDERS = "orders", _("Orders: send the shop's orders (the orders API)")
    CARE = "care", _("Care: read customer care's figures (the care figures API)")
    TOPICS = "topics", _("Topics: read what customers talk about (the topic figures API)")


def scopes_normalised(scopes: Iterable[str]) -> list[str]:
    """The stored form of a set of scopes: sorted, each once."""
    return sorted({str(scope) for scope in scopes})


def scope_sets(known: Iterable[str]) -> list[list[str]]:
    """Every stored form a key's scopes may take: the sorted non-empty subsets of ``known``."""
    ordered = sorted(set(known))
    return [list(subset) for size in range(1, len(ordered) + 1) for subset in combinations(ordered, size)]


SCOPE_SETS = scope_sets(ApiKeyScope.values)


def scopes_problem(scopes: Iterable[object]) -> str | None:
    """Why ``scopes`` cannot be a key's scopes, or None (the database's check is the backstop)."""
    listed = list(scopes)
    if not all(isinstance(scope, str) for scope in listed):
        return gettext("List the scopes by name.")
    chosen = {str(scope) for scope in listed}
    if not chosen:
        return gettext("Choose at least one scope.")
    unknown = sorted(chosen - set(ApiKeyScope.values))
    if unknown:
        return gettext("Unknown scope(s): %(unknown)s. Known: %(known)s.") % {
            "unknown": ", ".join(map(str, unknown)),
            "known": ", ".join(ApiKeyScope.values),
        }
    return None


def scope_sets_holding(scope: str) -> list[list[str]]:
    """The stored forms that include ``scope``: `scopes__in=` filters keys holding it on
    every database (JSON `contains` is PostgreSQL-only)."""
    return [scopes for scopes in SCOPE_SETS if scope in scopes]


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def holding(self, scope: str) -> ApiKeyQuerySet:
        return self.filter(scopes__in=scope_sets_holding(scope))


def default_scopes() -> list[str]:
    return [ApiKeyScope.READ.value]


class ApiKey(models.Model):
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Who uses it and for what, e.g. “ERP nightly sync”.")
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    hashed_secret = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(
        _("scopes"),
        default=default_scopes,
        help_text=_("What the key may do; give it only what its integration needs."),
    )
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

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            # Non-empty, known scopes only, sorted, no duplicates: see the module's docstring.
            models.CheckConstraint(condition=Q(scopes__in=SCOPE_SETS), name="apikeys_apikey_scopes_known"),
            models.CheckConstraint(condition=~Q(hashed_secret=""), name="apikeys_apikey_secret_present"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (rg_{self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def clean(self) -> None:
        # The admin's form and api_key_create validate the same way; this covers the rest
        # (a shell, a fixture) before the database's check refuses it less kindly.
        if not isinstance(self.scopes, list):
            raise ValidationError({"scopes": gettext("List the scopes by name.")})
        if (problem := scopes_problem(self.scopes)) is not None:
            raise ValidationError({"scopes": problem})
        self.scopes = scopes_normalised(self.scopes)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
