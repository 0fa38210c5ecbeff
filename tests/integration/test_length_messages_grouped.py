"""Counts are grouped everywhere (issue 18, item 5): a length message says "5 000" in French
(U+202F), "5,000" in English, never "5000": every form and serializer field with a long
limit (1000 characters or more) is found and tried here, the request-size 413 and the
emails' counts too."""

from __future__ import annotations

import copy
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as ApiValidationError

from core.local_formats import number_text

ROOT = Path(__file__).resolve().parents[2]
LONG = 1000
NNBSP = "\u202f"


def _project_modules_imported() -> set[str]:
    names = set()
    for config in apps.get_app_configs():
        path = Path(config.path)
        if not path.is_relative_to(ROOT) or path.relative_to(ROOT).parts[0].startswith("."):
            continue  # a library's app (the virtualenv is inside the checkout)
        names.add(config.name)
        for module in pkgutil.walk_packages([config.path], f"{config.name}."):
            if ".migrations" not in module.name and not module.name.endswith("__main__"):
                importlib.import_module(module.name)
    return names


APPS = _project_modules_imported()


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _ours(cls: type) -> bool:
    return cls.__module__.split(".")[0] in APPS


def _form_fields() -> list[Any]:
    found = []
    for form in sorted({f for f in _subclasses(forms.BaseForm) if _ours(f)}, key=lambda f: f.__qualname__):
        for name, field in getattr(form, "base_fields", {}).items():
            if (getattr(field, "max_length", None) or 0) >= LONG:
                found.append(pytest.param(field, id=f"{form.__module__}.{form.__name__}.{name}"))
    return found


def _serializer_fields() -> list[Any]:
    found = []
    for serializer in sorted(
        {s for s in _subclasses(serializers.Serializer) if _ours(s)}, key=lambda s: s.__qualname__
    ):
        # "...Schema" serializers only describe a body for the OpenAPI schema
        # (reviews.api.serializers.ReportInputSchema): they never validate one.
        if serializer.__name__.endswith("Schema"):
            continue
        for name, field in serializer().fields.items():
            if (getattr(field, "max_length", None) or 0) >= LONG:
                found.append(pytest.param(field, id=f"{serializer.__module__}.{serializer.__name__}.{name}"))
    return found


def _admin_fields() -> list[Any]:
    """The form fields the admin makes from models' long fields it lets staff edit."""
    found = []
    for model, model_admin in admin.site._registry.items():
        for db_field in model._meta.fields:
            limit = getattr(db_field, "max_length", None) or 0
            editable = db_field.editable and db_field.name not in model_admin.readonly_fields
            if limit >= LONG and editable:
                field = model_admin.formfield_for_dbfield(db_field, RequestFactory().get("/admin/"))
                found.append(pytest.param(field, id=f"admin.{model.__name__}.{db_field.name}"))
    return found


FORM_FIELDS = _form_fields() + _admin_fields()
SERIALIZER_FIELDS = _serializer_fields()


def test_the_scan_finds_the_long_fields() -> None:
    ids = {param.id for param in FORM_FIELDS + SERIALIZER_FIELDS}
    assert "reviews.forms.ReviewForm.body" in ids and "desk.care_forms.CaseMessageForm.body" in ids
    assert "reviews.api.serializers.ReviewInputSerializer.body" in ids
    assert "gate.api.serializers.ImprovementRejectSerializer.reason" in ids
    assert "admin.Review.body" in ids and "admin.BrandReply.body" in ids


def _too_long(limit: int) -> str:
    return "Plenty of words. " * ((limit + 12) // 17 + 1)


@pytest.mark.parametrize("field", FORM_FIELDS)
def test_each_long_form_field_groups_its_numbers_in_french(field: forms.Field) -> None:
    field = copy.deepcopy(field)
    value = _too_long(field.max_length)  # type: ignore[attr-defined]
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        field.clean(value)
    with translation.override("fr"):
        text = " ".join(refused.value.messages)
        limit = field.max_length  # type: ignore[attr-defined]
        assert f"au plus {number_text(limit)} caractères" in text, text
        assert NNBSP in number_text(limit) and str(limit) not in text


@pytest.mark.parametrize("field", SERIALIZER_FIELDS)
def test_each_long_api_field_groups_its_numbers_in_french(field: serializers.Field) -> None:
    with translation.override("fr"):
        with pytest.raises(ApiValidationError) as refused:
            field.run_validation(_too_long(field.max_length))  # type: ignore[attr-defined]
        text = " ".join(str(detail) for detail in refused.value.detail)  # type: ignore[union-attr]
        limit = field.max_length  # type: ignore[attr-defined]
        assert f"au plus {number_text(limit)} caractères" in text, text
        assert str(limit) not in text


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Ensure this value has at most 5,000 characters (it has 5,012)."),
        ("fr", f"Assurez-vous que cette valeur comporte au plus 5{NNBSP}000 caractères (actuellement 5{NNBSP}012)."),
    ],
)
def test_the_review_form_says_the_limit_and_the_length_grouped(language: str, message: str) -> None:
    from reviews.forms import ReviewForm

    # The numbers are written in the language of the request that validates, as it is
    # the one its answer is shown in.
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            ReviewForm.base_fields["body"].clean("y" * 5012)
        assert refused.value.messages == [message]


@pytest.mark.django_db
def test_the_api_request_too_large_message_groups_its_kilobytes_in_french(settings: Any) -> None:
    settings.API_JSON_BODY_MAX_BYTES = 5_000_000
    response = Client().post(
        "/api/v1/reviews/",
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(6_000_000),
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 413
    assert response.json()["error"]["message"] == (
        f"Le corps de la requête dépasse ce que ce point d’accès accepte\u00a0: 4{NNBSP}882 Ko au plus."
    )


@pytest.mark.parametrize(
    ("template", "context", "french"),
    [
        ("emails/care_digest_subject.txt", {"total": 3763}, f"Service client : 3{NNBSP}763 dossiers encore ouverts"),
        (
            "emails/team_digest_subject.txt",
            {"total": 1200, "published_on": None},
            f"Vos équipes : 1{NNBSP}200 nouveaux avis publiés",
        ),
        (
            "emails/care_digest_body.txt",
            {"total": 2500, "overdue_count": 1001, "hidden_count": 1499, "cases": [], "time_zone": "Europe/Paris"},
            f"2{NNBSP}500 dossiers",
        ),
        (
            "emails/care_digest_body.txt",
            {"total": 2500, "overdue_count": 1001, "hidden_count": 1499, "cases": [], "time_zone": "Europe/Paris"},
            f"1{NNBSP}001 d’entre eux",
        ),
        (
            "emails/care_digest_body.txt",
            {"total": 2500, "overdue_count": 1001, "hidden_count": 1499, "cases": [], "time_zone": "Europe/Paris"},
            f"Et 1{NNBSP}499 dossiers de plus",
        ),
    ],
)
def test_email_counts_are_grouped_in_french(template: str, context: dict[str, Any], french: str) -> None:
    with translation.override("fr"):
        text = render_to_string(template, context)
    assert french.replace(" : ", "\u00a0: ") in text or french in text, text
    with translation.override("en"):
        assert "," in render_to_string(template, context)
