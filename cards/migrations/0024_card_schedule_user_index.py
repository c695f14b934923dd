"""Drop the schedule's index on the user alone (issue 12).

Every read of a learner's schedules has an index that leads with the user:
(user, question) unique, (user, due_on) and (user, redrill_on). With a
separate (user) index too, the planner chose it for the next-card statement's
due head and read a learner's whole deck (3,650 rows for the benchmark's heavy
learner, 2.8 ms) where (user, due_on) reads only the due cards (163 rows,
1.9 ms). One index fewer to keep on every grade's write, too.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cards", "0023_search_inline_vector"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="reviewschedule",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="schedules",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
