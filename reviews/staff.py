"""An account that becomes staff: its reviews become employee reviews from then on.

Employee reviews are marked when written (reviews.services); an account given a staff role
or Django's is_staff later (the admin, a role granted in code) would otherwise keep counted
reviews (issue 13: no staff review counts). Django's own signals tell us, whichever way the
change is made: the groups of a user (m2m_changed) and the user row (post_save). The
products concerned are recounted without those reviews; the gate's events already written
stay (history is never rewritten).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save

from accounts.models import User
from reviews.models import Review
from reviews.ratings import product_ratings_rebuild
from reviews.services import user_is_employee

__all__ = ["staff_reviews_mark", "staff_signals_connect"]


def staff_reviews_mark(user: User) -> int:
    """Mark the reviews of ``user``, now staff, as employee reviews; returns how many."""
    if not user_is_employee(user):
        return 0
    with transaction.atomic():
        reviews = Review.objects.filter(author=user, employee=False)
        product_ids = sorted(set(reviews.values_list("product_id", flat=True)))
        marked = reviews.update(employee=True)
        if product_ids:
            product_ratings_rebuild(product_ids=product_ids)
    return marked


def _groups_changed(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any) -> None:
    if action != "post_add":
        return
    users = [instance] if not reverse else list(User.objects.filter(pk__in=pk_set or ()))
    for user in users:
        if isinstance(user, User):
            staff_reviews_mark(user)


def _user_saved(sender: Any, instance: User, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    # A save naming its fields without these (a sign-in's last_login) cannot make staff.
    if update_fields is not None and not {"is_staff", "is_superuser"} & set(update_fields):
        return
    if not created and (instance.is_staff or instance.is_superuser):
        staff_reviews_mark(instance)


def staff_signals_connect() -> None:
    """Called once by ReviewsConfig.ready()."""
    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="reviews_staff_groups")
    post_save.connect(_user_saved, sender=User, dispatch_uid="reviews_staff_user")
