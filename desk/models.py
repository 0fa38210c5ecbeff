"""The desk's own records: internal comments on a notice, and the audit trail of every
action taken from the desk.

Everything else the desk shows belongs to other apps (notices and improvements to the
gate, reviews and replies to reviews); the desk changes them only through their services.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gate.models import WithdrawalNotice
from products.models import Product

COMMENT_MAX_LENGTH = 2000
# The name kept with a comment or an audit row (it outlives the account).
PERSON_NAME_MAX_LENGTH = 150


class NoticeComment(models.Model):
    """A note the product's team leaves on a notice: internal, never shown to shoppers."""

    notice = models.ForeignKey(WithdrawalNotice, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Kept with the comment, so it still says who wrote it after the account is gone.
    author_name = models.CharField(_("author"), max_length=PERSON_NAME_MAX_LENGTH)
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("notice comment")
        verbose_name_plural = _("notice comments")
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="desk_noticecomment_body_present")]

    def __str__(self) -> str:
        return f"{self.author_name} on notice {self.notice_id} at {self.created_at:%Y-%m-%d %H:%M}"


class AuditAction(models.TextChoices):
    NOTICE_ACKNOWLEDGED = "notice_acknowledged", _("Notice acknowledged")
    NOTICE_ASSIGNED = "notice_assigned", _("Notice assigned")
    NOTICE_COMMENTED = "notice_commented", _("Comment added")
    IMPROVEMENT_LOGGED = "improvement_logged", _("Improvement logged")
    IMPROVEMENT_REQUESTED = "improvement_requested", _("Improvement sent for approval")
    IMPROVEMENT_APPROVED = "improvement_approved", _("Improvement approved")
    IMPROVEMENT_REJECTED = "improvement_rejected", _("Improvement rejected")
    REVIEW_REPLIED = "review_replied", _("Reply posted")
    REVIEW_APPROVED = "review_approved", _("Review approved")
    REVIEW_REJECTED = "review_rejected", _("Review rejected")
    KPIS_EXPORTED = "kpis_exported", _("Figures exported")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Append-only: the trail cannot be rewritten through the ORM's bulk paths.

    (Django's deletion collector uses the base manager, so deleting a user still sets
    ``actor`` to NULL: the entry keeps ``actor_name``.)
    """

    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("audit entries are append-only")

    def delete(self) -> NoReturn:
        raise TypeError("audit entries are append-only")


class AuditEntry(models.Model):
    """Who did what, when, from the desk; written in the same transaction as the action."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("who"), max_length=PERSON_NAME_MAX_LENGTH)
    at = models.DateTimeField(_("when"), db_index=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_entries")
    # The object acted on: a model label ("gate.withdrawalnotice") and its primary key.
    target_type = models.CharField(_("object type"), max_length=64, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["product", "-at"], name="desk_auditentry_product_at"),
            models.Index(fields=["target_type", "target_id"], name="desk_auditentry_target"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    action__in=[
                        "notice_acknowledged",
                        "notice_assigned",
                        "notice_commented",
                        "improvement_logged",
                        "improvement_requested",
                        "improvement_approved",
                        "improvement_rejected",
                        "review_replied",
                        "review_approved",
                        "review_rejected",
                        "kpis_exported",
                    ]
                ),
                name="desk_auditentry_action_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_type}:{self.target_id}"
