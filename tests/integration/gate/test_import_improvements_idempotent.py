"""import_improvements is idempotent (issue 12): a row is identified by its improvement_id,
or without one by product, logged_at and description; rows already imported are skipped
and reported before the "day already evaluated" check; the description's limit is the
desk's (one check, one message), an over-long one is malformed, never cut; --skip-invalid;
the ignored columns are named. Every refused run leaves the database as it was."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from accounts.roles import PRODUCT_MANAGER
from core.errors import ValidationFailed
from desk.forms import ImprovementForm
from gate.api.serializers import ImprovementInputSerializer
from gate.models import GateEvent, Improvement
from gate.services import improvement_log
from products.models import Product
from tests.commands import command_refused, csv_file
from tests.factories import product_create, user_create

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
# The desk's message for a description over its limit, written out (not computed by the
# code under test), so the test fails if any of the paths says something else.
TOO_LONG = "At most 5000 characters."


@pytest.fixture(autouse=True)
def _utc(settings: Any) -> None:
    settings.TIME_ZONE = "UTC"
    settings.GATE_MIN_REVIEWS = 2
    settings.GATE_GRACE_DAYS = 5
    settings.GATE_WINDOW_DAYS = 0


@pytest.fixture(autouse=True)
def _products() -> None:
    product_create(sku="TENT-1")
    product_create(sku="STOVE-2")


def database_state() -> tuple[int, int, list[tuple[str, int]]]:
    """What a refused run must leave as it was."""
    return (
        Improvement.objects.count(),
        GateEvent.objects.count(),
        list(Product.objects.order_by("sku").values_list("sku", "revision")),
    )


def run(path: Path, *args: str, verbosity: int = 1) -> str:
    """Run import_improvements, which must succeed (exit 0): its stderr."""
    err = io.StringIO()
    call_command("import_improvements", str(path), *args, verbosity=verbosity, stderr=err)
    return err.getvalue()


def refused(path: Path, *args: str) -> str:
    """Run import_improvements, which must exit 2 and change nothing: its message."""
    before = database_state()
    message = str(command_refused("import_improvements", str(path), *args))
    assert database_state() == before
    return message


IMPROVEMENTS = """
improvement_id,product_id,logged_at,description
IMP-1,TENT-1,2024-03-02T12:00:00,New poles
,STOVE-2,2024-03-04T08:00:00,Brass burner
"""


def test_three_runs_of_the_same_file_log_each_improvement_once(tmp_path: Path) -> None:
    path = csv_file(tmp_path / "improvements.csv", IMPROVEMENTS)

    first = run(path)
    second = run(path)
    third = run(path, verbosity=2)

    rows = Improvement.objects.order_by("logged_at").values_list(
        "external_id", "product__sku", "revision", "description"
    )
    assert list(rows) == [("IMP-1", "TENT-1", 1, "New poles"), (None, "STOVE-2", 1, "Brass burner")]
    assert "logged 2 (of 2 products), already imported 0 (identical), skipped 0" in first
    assert "logged 0 (of 0 products), already imported 2 (identical), skipped 0" in second
    assert "nothing new" in second
    # -v2 names each line skipped as identical.
    assert f"{path}, line 2: already imported (identical)" in third
    assert f"{path}, line 3: already imported (identical)" in third


def test_a_file_imported_again_after_its_days_were_evaluated_is_a_quiet_no_op(tmp_path: Path) -> None:
    path = csv_file(tmp_path / "improvements.csv", IMPROVEMENTS)
    run(path)
    call_command("gate_evaluate", "--through", "2024-03-10", verbosity=0)
    before = database_state()
    assert before[2] == [("STOVE-2", 1), ("TENT-1", 1)]

    output = run(path)  # exit 0: no CommandError

    assert database_state() == before
    assert "logged 0 (of 0 products), already imported 2 (identical), skipped 0" in output
    assert "nothing new: every improvement of the file is already imported" in output


def test_rows_already_imported_are_skipped_before_the_evaluated_day_check_refuses_the_others(
    tmp_path: Path,
) -> None:
    run(csv_file(tmp_path / "first.csv", IMPROVEMENTS))
    call_command("gate_evaluate", "--through", "2024-03-10", verbosity=0)
    again = csv_file(
        tmp_path / "again.csv",
        IMPROVEMENTS.strip() + "\nIMP-9,TENT-1,2024-03-09T10:00:00,Stronger pegs\n",
    )

    message = refused(again)

    # The two known rows pass; the new one, on an evaluated day, refuses the file.
    assert message.startswith(f"{again}, line 4: logged_at 2024-03-09T10:00:00+00:00 falls on 2024-03-09")
    assert "on or before the last evaluated day 2024-03-10" in message


def test_an_improvement_id_reused_for_another_product_is_refused_naming_the_line(tmp_path: Path) -> None:
    run(csv_file(tmp_path / "first.csv", IMPROVEMENTS))
    reused = csv_file(
        tmp_path / "reused.csv",
        "improvement_id,product_id,logged_at,description\n"
        "IMP-2,TENT-1,2024-03-05,Other\n"
        "IMP-1,STOVE-2,2024-03-02T12:00:00,New poles\n",
    )

    message = refused(reused)

    assert message == (
        f"{reused}, line 3: improvement_id IMP-1 names another improvement (TENT-1 at "
        "2024-03-02T12:00:00+00:00, already imported): one id, one product, logged_at and description"
    )


@pytest.mark.parametrize(
    "second_row",
    [
        "IMP-1,STOVE-2,2024-03-02T12:00:00,New poles",  # another product
        "IMP-1,TENT-1,2024-03-02T12:00:01,New poles",  # another moment
        "IMP-1,TENT-1,2024-03-02T12:00:00,New pegs",  # another description
    ],
)
def test_an_improvement_id_reused_in_the_same_file_with_other_content_is_refused(
    tmp_path: Path, second_row: str
) -> None:
    path = csv_file(
        tmp_path / "improvements.csv",
        f"improvement_id,product_id,logged_at,description\nIMP-1,TENT-1,2024-03-02T12:00:00,New poles\n{second_row}\n",
    )

    message = refused(path)

    assert message.startswith(f"{path}, line 3: improvement_id IMP-1 names another improvement (TENT-1 at ")
    assert "on line 2" in message
    assert not Improvement.objects.exists()


def test_without_improvement_id_the_same_product_time_and_description_is_the_same_improvement(
    tmp_path: Path,
) -> None:
    run(csv_file(tmp_path / "first.csv", "product_id,logged_at,description\nTENT-1,2024-03-02T12:00:00,New poles\n"))
    second = csv_file(
        tmp_path / "second.csv",
        "product_id,logged_at,description\n"
        "TENT-1,2024-03-02T12:00:00,New poles\n"  # identical: skipped
        "TENT-1,2024-03-02T12:00:00,New poles and pegs\n",  # another description: a new one
    )

    output = run(second)

    assert "logged 1 (of 1 products), already imported 1 (identical), skipped 0" in output
    assert list(Improvement.objects.order_by("revision").values_list("revision", "description")) == [
        (1, "New poles"),
        (2, "New poles and pegs"),
    ]


def test_a_row_repeated_in_the_same_file_is_logged_once(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "improvements.csv",
        "improvement_id,product_id,logged_at,description\n"
        "IMP-1,TENT-1,2024-03-02T12:00:00,New poles\n"
        ",STOVE-2,2024-03-04,Burner\n"
        "IMP-1,TENT-1,2024-03-02T12:00:00,New poles\n"
        ",STOVE-2,2024-03-04,Burner\n",
    )

    output = run(path, verbosity=2)

    assert Improvement.objects.count() == 2
    assert "logged 2 (of 2 products), already imported 2 (identical), skipped 0" in output
    assert f"{path}, line 4: already imported (identical)" in output
    assert f"{path}, line 5: already imported (identical)" in output


def test_a_description_over_the_desks_limit_is_malformed_and_never_cut(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "improvements.csv",
        f"product_id,logged_at,description\nTENT-1,2024-03-02,Fine\nSTOVE-2,2024-03-03,{'x' * 5001}\n",
    )

    message = refused(path)

    assert message == f"{path}, line 3: description (5,001 characters): {TOO_LONG}"
    assert not Improvement.objects.exists()


def test_a_description_of_exactly_the_limit_is_imported_whole(tmp_path: Path) -> None:
    text = f"product_id,logged_at,description\nTENT-1,2024-03-02,{'y' * 5000}\n"
    path = csv_file(tmp_path / "improvements.csv", text)

    run(path)

    assert Improvement.objects.get().description == "y" * 5000


def test_the_desk_the_api_and_the_service_refuse_the_same_length_with_the_same_message() -> None:
    manager = user_create(PRODUCT_MANAGER)
    product = product_create(sku="BOOT-3", managers=[manager])
    form = ImprovementForm(data={"description": "x" * 5001})
    serializer = ImprovementInputSerializer(data={"description": "x" * 5001})

    assert not form.is_valid()
    assert form.errors["description"] == [TOO_LONG]
    assert 'maxlength="5000"' in str(form["description"])
    assert not serializer.is_valid()
    assert serializer.errors["description"] == [TOO_LONG]
    with pytest.raises(ValidationFailed) as caught:
        improvement_log(product=product, by=manager, description="x" * 5001, now=datetime(2024, 3, 2, tzinfo=UTC))
    assert caught.value.fields == {"description": [TOO_LONG]}
    assert ImprovementForm(data={"description": "x" * 5000}).is_valid()


def test_skip_invalid_skips_the_over_long_row_names_it_and_imports_the_rest(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "improvements.csv",
        f"product_id,logged_at,description\nTENT-1,2024-03-02,Fine\nSTOVE-2,2024-03-03,{'x' * 5001}\n"
        "STOVE-2,2024-03-04,Burner\n",
    )

    output = run(path, "--skip-invalid")

    assert f"skipped {path}, line 3: description (5,001 characters): {TOO_LONG}" in output
    assert "logged 2 (of 2 products), already imported 0 (identical), skipped 1" in output
    assert list(Improvement.objects.order_by("logged_at").values_list("product__sku", "description")) == [
        ("TENT-1", "Fine"),
        ("STOVE-2", "Burner"),
    ]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("TENT-1,2024-03-02,New\x00poles", "NUL"),
        ("TENT-1,2024-03-02", "the row has 2 fields, the header 3"),
        ('TENT-1,2024-03-02,"New poles', "still open at the end of the file"),
        ("TENT/1,2024-03-02,New poles", "product_id"),
    ],
)
def test_a_malformed_row_is_exit_2_or_skipped_with_skip_invalid(tmp_path: Path, row: str, reason: str) -> None:
    path = csv_file(
        tmp_path / "improvements.csv", f"product_id,logged_at,description\n{row}\nSTOVE-2,2024-03-04,Burner\n"
    )
    if "still open" in reason:  # the open quote swallows the last row: put the good one first
        path = csv_file(
            tmp_path / "improvements.csv", f"product_id,logged_at,description\nSTOVE-2,2024-03-04,Burner\n{row}\n"
        )
    line = 3 if "still open" in reason else 2

    message = refused(path)

    assert message.startswith(f"{path}, line {line}: ")
    assert reason in message
    output = run(path, "--skip-invalid")
    assert f"skipped {path}, line {line}: " in output
    assert "logged 1 (of 1 products), already imported 0 (identical), skipped 1" in output
    assert list(Improvement.objects.values_list("product__sku", flat=True)) == ["STOVE-2"]


def test_an_improvement_id_over_its_length_is_malformed(tmp_path: Path) -> None:
    text = f"improvement_id,product_id,logged_at\n{'i' * 101},TENT-1,2024-03-02\n"
    path = csv_file(tmp_path / "improvements.csv", text)

    assert refused(path) == f"{path}, line 2: improvement_id is 101 characters long: at most 100"


def test_the_ignored_columns_are_named_and_a_misspelt_description_is_not_read(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "improvements.csv", "product_id,logged_at,descripton,notes\nTENT-1,2024-03-02,New poles,x\n"
    )

    output = run(path)

    assert f"{path}: ignored columns 'descripton', 'notes'" in output
    assert Improvement.objects.get().description == ""


def test_a_refused_file_after_evaluation_changes_nothing(tmp_path: Path) -> None:
    run(csv_file(tmp_path / "first.csv", IMPROVEMENTS))
    call_command("gate_evaluate", "--through", "2024-03-10", verbosity=0)
    unknown = csv_file(tmp_path / "unknown.csv", "product_id,logged_at\nLAMP-9,2024-03-12\n")

    assert refused(unknown) == f"{unknown}, line 2: unknown product LAMP-9"
    assert GateEvent.objects.filter(day__lte=date(2024, 3, 10)).count() == GateEvent.objects.count()
