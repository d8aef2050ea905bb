"""A random reference for each class session, for results bundles.

Added in three steps, as Django's documentation describes for a unique field on a table that has rows: a
nullable column, a fresh UUID for every existing row, then unique and required.
"""

import uuid

from django.db import migrations, models


def give_each_session_a_reference(apps, schema_editor):
    ClassSession = apps.get_model("lessons", "ClassSession")
    for class_session in ClassSession.objects.filter(reference__isnull=True).only("pk"):
        class_session.reference = uuid.uuid4()
        class_session.save(update_fields=["reference"])


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0002_package_drafts"),
    ]

    operations = [
        migrations.AddField(
            model_name="classsession",
            name="reference",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_each_session_a_reference, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="classsession",
            name="reference",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
