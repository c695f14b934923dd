"""One serialised scheduler state per schedule; the log keeps it before and after.

Forward: ReviewSchedule gains `scheduler` ("sm2") and `state`, the SM-2 state
{"ease": "2.50", "interval_days": 6, "repetitions": 2} built from its columns
(which stay: queries read them). ReviewLog gains `scheduler`, `state_before`
and `state_after` from its six repetitions/interval/ease before/after columns,
which go. Backward restores those columns from the JSON. Both directions are
exact: ease is written with its two decimals as text, and read back as a
decimal. The rows are rewritten in primary-key batches by UPDATE statements,
so no row passes through Python; tests/test_migrations.py round-trips a
database with SM-2 history, and bench/state_migration.py times 1,000,000 log
rows on PostgreSQL.
"""

from django.db import migrations, models
from django.db.models import CharField, DecimalField, F, Func, IntegerField, Max, Min
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, JSONObject

BATCH = 100_000  # rows per UPDATE
LOG_COLUMNS = {
    "before": ("repetitions_before", "interval_before", "ease_before"),
    "after": ("repetitions_after", "interval_after", "ease_after"),
}


class Hundredths(Func):
    """A decimal(8, 2) as text with both decimals: '2.50', as SM2.dumps writes it."""

    output_field = CharField()
    template = "CAST(%(expressions)s AS varchar)"  # numeric(8, 2) keeps its scale

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite keeps a decimal as a REAL, which CAST would print as '2.5'.
        return super().as_sql(
            compiler, connection, template="printf('%%.2f', %(expressions)s)"
        )


def sm2_state(repetitions, interval, ease):
    return JSONObject(
        ease=Hundredths(F(ease)),
        interval_days=F(interval),
        repetitions=F(repetitions),
    )


def from_state(field):
    return {
        "repetitions": Cast(KT(f"{field}__repetitions"), IntegerField()),
        "interval": Cast(KT(f"{field}__interval_days"), IntegerField()),
        "ease": Cast(KT(f"{field}__ease"), DecimalField(max_digits=8, decimal_places=2)),
    }


def batches(model, using):
    bounds = model.objects.using(using).aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return
    for start in range(bounds["low"], bounds["high"] + 1, BATCH):
        yield model.objects.using(using).filter(pk__gte=start, pk__lt=start + BATCH)


def forward(apps, schema_editor):
    using = schema_editor.connection.alias
    schedule = apps.get_model("cards", "ReviewSchedule")
    log = apps.get_model("cards", "ReviewLog")
    for rows in batches(schedule, using):
        rows.update(
            scheduler="sm2",
            state=sm2_state("repetitions", "interval_days", "ease"),
        )
    for rows in batches(log, using):
        rows.update(
            scheduler="sm2",
            state_before=sm2_state(*LOG_COLUMNS["before"]),
            state_after=sm2_state(*LOG_COLUMNS["after"]),
        )


def backward(apps, schema_editor):
    using = schema_editor.connection.alias
    log = apps.get_model("cards", "ReviewLog")
    before, after = from_state("state_before"), from_state("state_after")
    for rows in batches(log, using):
        rows.update(
            repetitions_before=before["repetitions"],
            interval_before=before["interval"],
            ease_before=before["ease"],
            repetitions_after=after["repetitions"],
            interval_after=after["interval"],
            ease_after=after["ease"],
        )
    # ReviewSchedule's columns were kept (and equal its state) all along.


def nullable(name):
    field = {"ease": models.DecimalField(decimal_places=2, max_digits=8, null=True)}
    return field.get(name.split("_")[0], models.PositiveIntegerField(null=True))


class Migration(migrations.Migration):
    dependencies = [
        ("cards", "0005_drill_and_mock_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewschedule",
            name="scheduler",
            field=models.CharField(
                default="sm2",
                help_text="The scheduler whose state `state` is (cards/scheduling).",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="reviewschedule",
            name="state",
            field=models.JSONField(
                help_text="The scheduler's whole state, serialised.", null=True
            ),
        ),
        migrations.AddField(
            model_name="reviewlog",
            name="scheduler",
            field=models.CharField(default="sm2", max_length=16),
        ),
        migrations.AddField(
            model_name="reviewlog",
            name="state_before",
            field=models.JSONField(
                help_text="The scheduler's state before.", null=True
            ),
        ),
        migrations.AddField(
            model_name="reviewlog",
            name="state_after",
            field=models.JSONField(help_text="The scheduler's state after.", null=True),
        ),
        # Nullable first, so that going back can add them again to full tables.
        *[
            migrations.AlterField(
                model_name="reviewlog", name=name, field=nullable(name)
            )
            for columns in LOG_COLUMNS.values()
            for name in columns
        ],
        migrations.RunPython(forward, backward, elidable=False),
        *[
            migrations.RemoveField(model_name="reviewlog", name=name)
            for columns in LOG_COLUMNS.values()
            for name in columns
        ],
        migrations.AlterField(
            model_name="reviewschedule",
            name="state",
            field=models.JSONField(help_text="The scheduler's whole state, serialised."),
        ),
        migrations.AlterField(
            model_name="reviewlog",
            name="state_before",
            field=models.JSONField(help_text="The scheduler's state before."),
        ),
        migrations.AlterField(
            model_name="reviewlog",
            name="state_after",
            field=models.JSONField(help_text="The scheduler's state after."),
        ),
    ]
