"""`ventanilla demo`: what `make run` does — migrate, seed on the first run, print log-ins, serve."""

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand

from ventanilla.people.models import Person
from ventanilla.web.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Prepare the embedded demo database and serve the application."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--persons", type=int, default=2000)
        parser.add_argument("--no-serve", action="store_true")

    def handle(self, *args, host, port, persons, no_serve, **options):
        from django.conf import settings

        os.makedirs(settings.STATIC_ROOT, exist_ok=True)  # also creates var/ for the SQLite file
        call_command("build_locale", verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        if not Person.objects.exists():
            self.stdout.write(f"First run: loading demo data ({persons:,} persons)…")
            call_command("seed", persons=persons)
        self.stdout.write(f"\nDemo log-ins (password for all: {DEMO_PASSWORD})")
        for username, role, consulate in DEMO_ACCOUNTS:
            where = f" · {consulate}" if consulate else ""
            self.stdout.write(f"  {username:<16} {role}{where}")
        self.stdout.write(f"\nVentanilla on http://{host}:{port}/  (API docs: /api/v1/docs)\n")
        if not no_serve:
            call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
