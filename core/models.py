"""The database's rate-limit counters, for deployments without Redis (core.ratelimit)."""

from __future__ import annotations

from django.db import models


class RateLimitCounter(models.Model):
    """How many requests one client made in one fixed window of one limit.

    One row per (scope, client, window), incremented by a single upsert statement so two
    processes can never both read the same count; rows whose window has ended are deleted
    when a new window starts (core.ratelimit.rate_limit_counters_purge).
    """

    scope = models.CharField(max_length=40)
    # A hash of the client (user, address, account name, API key): never the raw value.
    ident = models.CharField(max_length=64)
    window = models.BigIntegerField(help_text="Start of the window, in periods since the epoch.")
    count = models.IntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "core_ratelimitcounter"  # named in core.ratelimit_counters' SQL
        constraints = [
            models.UniqueConstraint(fields=["scope", "ident", "window"], name="core_ratelimitcounter_one_per_window"),
            models.CheckConstraint(condition=models.Q(count__gte=0), name="core_ratelimitcounter_count_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.ident}:{self.window} = {self.count}"
