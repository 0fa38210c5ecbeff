"""An index whose key sorts empty values last, where the database can index that order."""

from __future__ import annotations

import copy
from typing import Any

from django.db import models
from django.db.models.expressions import OrderBy


def _plain_order(expression: Any) -> Any:
    if isinstance(expression, OrderBy) and (expression.nulls_last or expression.nulls_first):
        return OrderBy(expression.expression, descending=expression.descending)
    return expression


class NullsLastIndex(models.Index):
    """A `models.Index` whose `OrderBy(..., nulls_last=True)` keys keep NULLS LAST on
    PostgreSQL, where the planner uses the index only for an ORDER BY in the same NULLS
    order (the catalogue's "rating" sort puts unrated products last), and drop it on SQLite,
    which refuses NULLS LAST in CREATE INDEX (the tests' database: the index is a speed-up
    there, not a rule)."""

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = copy.copy(self)
        plain.expressions = tuple(_plain_order(expression) for expression in self.expressions)
        return models.Index.create_sql(plain, model, schema_editor, using=using, **kwargs)
