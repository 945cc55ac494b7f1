"""`ventanilla seed --persons N --seed S`: deterministic demo data for every domain."""

import time

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from ventanilla.people.demo import generate_persons
from ventanilla.people.models import Person
from ventanilla.people.services import bulk_insert_persons
from ventanilla.reference.models import Consulate
from ventanilla.reference.services import load_reference_data
from ventanilla.web.demo_accounts import create_demo_accounts


class Command(BaseCommand):
    help = "Load deterministic demo data: reference tables, persons and one account per role."

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=20261122)
        parser.add_argument("--no-accounts", action="store_true", help="persons only (benchmarks)")

    def handle(self, *args, persons: int, seed: int, no_accounts: bool, **options):
        console = Console(stderr=True)
        if persons < 0:
            raise CommandError("--persons must be zero or more")
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
        if not no_accounts:
            for username, role in create_demo_accounts():
                console.print(f"account: {username} ({role})")
