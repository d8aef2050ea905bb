# FailureCount moved here from the lessons app. Only Django's record of the model changes: the table
# lessons_failurecount (made by lessons 0001) and its rows (live cool-offs) stay as they are.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("lessons", "0001_initial"),  # the table exists before this app claims it
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FailureCount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=64)),
                        ('window_start', models.DateTimeField()),
                        ('count', models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        'db_table': 'lessons_failurecount',
                        'constraints': [models.UniqueConstraint(fields=('key', 'window_start'), name='failure_unique_window'), models.CheckConstraint(condition=models.Q(('count__gte', 0)), name='failure_count_positive')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
