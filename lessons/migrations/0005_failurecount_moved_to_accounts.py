# FailureCount moved to the accounts app: only Django's record of the model changes here; the table
# (lessons_failurecount) and its rows stay, now owned by accounts.FailureCount.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0004_classsession_class_word_places"),
        ("accounts", "0001_failurecount_from_lessons"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="FailureCount")],
            database_operations=[],
        ),
    ]
