"""On PostgreSQL, no two live slots of one host may overlap (an exclusion constraint).

Not declared in the model's Meta because SQLite, the embedded default, has no exclusion
constraints; there the services' lock on the host's diary is the guard.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE meetings_slot ADD CONSTRAINT slot_no_overlap_per_host
    EXCLUDE USING gist (host_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
    WHERE (withdrawn_at IS NULL);
"""
DROP = "ALTER TABLE meetings_slot DROP CONSTRAINT IF EXISTS slot_no_overlap_per_host;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
