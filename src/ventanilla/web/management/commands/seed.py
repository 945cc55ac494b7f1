"""`ventanilla seed --persons N --seed S`: deterministic demo data for every domain."""

import time

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from ventanilla.people.demo import generate_persons
from ventanilla.people.models import Person
from ventanilla.people.services import bulk_insert_persons, system_account
from ventanilla.reference.models import Consulate
from ventanilla.reference.services import load_reference_data
from ventanilla.web.demo_accounts import create_demo_accounts


class Command(BaseCommand):
    help = "Load deterministic demo data: reference tables, persons and one account per role."

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=20261122)
        parser.add_argument("--no-accounts", action="store_true", help="no demo log-ins (benchmarks)")
        parser.add_argument("--imss-affiliates", type=int, default=None,
                            help="workers enrolled in the IMSS abroad (default: 30 %% of persons)")
        parser.add_argument("--history-months", type=int, default=3,
                            help="months of issued and paid IMSS references before today (0: none)")
        parser.add_argument("--no-history", action="store_true", help="affiliations only, nothing issued")
        parser.add_argument("--credits", type=int, default=None,
                            help="Infonavit credits for the seeded persons (default: 10 %% of persons)")

    def handle(self, *args, persons: int, seed: int, no_accounts: bool, imss_affiliates: int | None,
               history_months: int, no_history: bool, credits: int | None, **options):
        console = Console(stderr=True)
        if persons < 0:
            raise CommandError("--persons must be zero or more")
        if credits is not None and credits < 0:
            raise CommandError("--credits must be zero or more")
        if Person.objects.exists():
            raise CommandError("This database already holds persons: seed a fresh database.")
        load_reference_data()
        consulates = list(Consulate.objects.filter(active=True).values_list("id", "code", "country", "region", "city"))
        started = time.perf_counter()
        with console.status(f"Generating and loading {persons:,} persons…"):
            loaded = bulk_insert_persons(generate_persons(persons, seed, consulates))
        elapsed = time.perf_counter() - started
        rate = loaded / elapsed if elapsed else 0
        console.print(f"persons: {loaded:,} in {elapsed:.1f} s ({rate:,.0f}/s)")
        system = system_account()
        if not no_accounts:
            for username, role in create_demo_accounts():
                console.print(f"account: {username} ({role})")
        self._seed_imss(console, system, persons, seed, imss_affiliates, history_months, no_history)
        self._seed_infonavit(console, system, persons, seed, credits)
        from ventanilla.agreements.demo import seed_demo_actions  # working group (agreements app)

        console.print(f"working group: {seed_demo_actions()} example actions (marked as demo data)")

    def _seed_imss(self, console, system, persons, seed, affiliates, history_months, no_history) -> None:
        from django.utils import timezone

        from ventanilla.imss.demo import seed_affiliations, seed_payment_history
        from ventanilla.web.demo_accounts import enrol_demo_citizen

        today = timezone.localdate()
        count = round(persons * 0.3) if affiliates is None else affiliates
        started = time.perf_counter()
        enrolled = seed_affiliations(system, count, seed, latest_enrolment=today)
        enrol_demo_citizen()
        console.print(f"imss affiliations: {enrolled:,} in {time.perf_counter() - started:.1f} s")
        if no_history:
            return
        started = time.perf_counter()
        with console.status("Issuing IMSS references and importing bank files…"):
            history = seed_payment_history(system, today, history_months, paid_share=0.85, seed=seed)
        console.print(f"imss periods issued: {history['issued']:,}, paid: {history['paid']:,} "
                      f"in {time.perf_counter() - started:.1f} s")

    def _seed_infonavit(self, console, system, persons, seed, credits) -> None:
        from ventanilla.infonavit.demo import (
            import_demo_remittances,
            originate_demo_citizen_credit,
            originate_demo_citizen_pesos_credit,
            seed_credits,
            seed_demo_citizen_savings,
        )

        count = round(persons * 0.1) if credits is None else credits
        started = time.perf_counter()
        with console.status(f"Generating and loading {count:,} Infonavit credits…"):
            loaded = seed_credits(system, count, seed)
        elapsed = time.perf_counter() - started
        console.print(f"infonavit credits: {loaded:,} in {elapsed:.1f} s ({loaded / elapsed if elapsed else 0:,.0f}/s)")
        originate_demo_citizen_credit()
        originate_demo_citizen_pesos_credit()
        import_demo_remittances()  # Sin Fronteras settlement files for the demo citizen's credits
        seed_demo_citizen_savings()  # the demo citizen's SCV: employment history, a deposit, returns
