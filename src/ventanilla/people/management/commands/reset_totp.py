from django.core.management.base import BaseCommand, CommandError

from ventanilla.people.models import User
from ventanilla.people.services import reset_totp, system_account


class Command(BaseCommand):
    help = ("Remove an account's second factor (TOTP), audited: a lost phone or a secret that no longer decrypts. "
            "The person logs in with the password and may enrol again.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no account named {username}")
        if not reset_totp(system_account(), user):
            raise CommandError(f"{username} has no second factor")
        self.stdout.write(f"second factor of {username} removed")
