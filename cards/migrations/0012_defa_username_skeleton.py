"""Skeletons of usernames (issue 14, item 4), filled in for existing users.

Existing users whose usernames are already confusable keep their accounts;
the first (lowest id) gets the row, the others none (the sign-up check
computes the keys of users without a row).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    from cards.learner.usernames import username_key

    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    UsernameSkeleton = apps.get_model("cards", "UsernameSkeleton")
    seen, rows = set(), []
    for pk, username in User.objects.order_by("pk").values_list("pk", "username"):
        key = username_key(username)
        if key not in seen:
            seen.add(key)
            rows.append(UsernameSkeleton(user_id=pk, username=username, skeleton=key))
    UsernameSkeleton.objects.bulk_create(rows, batch_size=2_000)


class Migration(migrations.Migration):
    dependencies = [
        ("cards", "0011_defb_theme"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="UsernameSkeleton",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="username_skeleton",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("username", models.CharField(max_length=150)),
                ("skeleton", models.CharField(max_length=600, unique=True)),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
