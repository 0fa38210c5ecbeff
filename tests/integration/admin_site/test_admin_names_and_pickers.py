"""Issue 18, item 12: the admin picks people by name and names every model in good English."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(make_user: Callable[..., User]) -> Client:
    client = Client()
    client.force_login(make_user(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_api_key_form_picks_its_owner_by_name(admin_client: Client, make_user: Callable[..., User]) -> None:
    owner = make_user(username="erp-robot", display_name="Warehouse sync")
    make_user(username="someone", display_name="Someone else")

    form = admin_client.get("/admin/apikeys/apikey/add/").content.decode()
    assert re.search(r'<select name="owner"[^>]*class="[^"]*admin-autocomplete', form), "owner is not an autocomplete"
    assert 'name="owner" class="vForeignKeyRawIdAdminField"' not in form

    found = admin_client.get(
        "/admin/autocomplete/",
        {"term": "warehouse", "app_label": "apikeys", "model_name": "apikey", "field_name": "owner"},
    )
    assert found.status_code == 200
    assert found.json()["results"] == [{"id": str(owner.pk), "text": "Warehouse sync (erp-robot)"}]


def test_every_admin_field_that_picks_a_person_searches_by_name() -> None:
    for model, model_admin in admin.site._registry.items():
        raw_ids = set(getattr(model_admin, "raw_id_fields", ()))
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is User:
                assert field.name not in raw_ids, f"{model.__name__}.{field.name} asks for a user's number"


# Endings whose English plural is not the singular plus "s" (reply -> replies, address ->
# addresses, box -> boxes, batch -> batches, dish -> dishes).
_IRREGULAR_ENDING = re.compile(r"([^aeiou]y|s|x|z|ch|sh)$")


def test_every_model_has_a_correct_plural_name() -> None:
    for model in apps.get_models():
        meta = model._meta
        singular, plural = str(meta.verbose_name), str(meta.verbose_name_plural)
        if _IRREGULAR_ENDING.search(singular):
            assert plural != f"{singular}s", f"{meta.label}: {plural!r}"
    assert str(apps.get_model("reviews", "BrandReply")._meta.verbose_name_plural) == "brand replies"
