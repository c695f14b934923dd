"""Generate the benchmark's simulated learners (scale XS, S or L)."""

from django.core.management.base import BaseCommand, CommandError

from bench import datagen, simulate


class Command(BaseCommand):
    help = (
        "Replace the database's content with simulated learners and their history "
        "(S: 100 learners x 100 questions x 30 days; L: 2,000 x 500, 1M schedules, "
        "8M+ reviews), plus one learner with a year of 60,000+ reviews. Refuses a "
        "database holding anything it did not generate unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(simulate.SCALES), default="S")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force",
            action="store_true",
            help="wipe users, questions and history even if they are not bench data",
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="keep the data if this scale and seed were generated within a day "
            "and --need learners are still unused by the load harness",
        )
        parser.add_argument("--need", type=int, default=40)

    def handle(self, *args, scale, seed, force, reuse, need, **options):
        if reuse and datagen.is_reusable(scale=scale, seed=seed, need=need):
            self.stdout.write(f"Scale {scale} data from {datagen.meta()['at']} kept.")
            return
        self.stdout.write(f"Generating scale {scale} (seed {seed})...")
        try:
            report = datagen.generate(
                scale=scale, seed=seed, force=force, log=self.stdout.write
            )
        except datagen.NotABenchDatabase as e:
            raise CommandError(str(e)) from None
        counts = ", ".join(f"{k} {v:,}" for k, v in report.counts.items())
        times = ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items())
        self.stdout.write(self.style.SUCCESS(f"Scale {scale}: {counts}"))
        self.stdout.write(f"Time: {times}")
