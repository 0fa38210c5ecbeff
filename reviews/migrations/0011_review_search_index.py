"""The GIN index of the reviews' full-text search, on PostgreSQL only.

Its expression is `reviews.selectors.SEARCH_VECTOR_SQL`, written out here because a migration
must not change when the code does: the planner uses the index only for that exact
expression, and tests/integration/reviews/test_review_search_postgres.py proves it does.
SQLite has no full-text index of this kind (and no to_tsvector): there the migration does
nothing, and the search falls back to matching words (docs/shopper.md). Django's model state
does not know this index (it is no `Meta.indexes` entry, which would be created on SQLite
too), so `makemigrations` never proposes to drop it.
"""

from django.db import migrations

INDEX = "reviews_review_search"
CREATE = f"""
CREATE INDEX IF NOT EXISTS {INDEX} ON reviews_review USING gin (
    to_tsvector(
        CASE "language" WHEN 'fr' THEN 'french'::regconfig ELSE 'english'::regconfig END,
        COALESCE("title", '') || ' ' || COALESCE("body", '')
    )
)
"""
DROP = f"DROP INDEX IF EXISTS {INDEX}"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0010_review_photos")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
