from django.core.management.base import BaseCommand, CommandError

from ventanilla.people.models import User
from ventanilla.people.services import issue_api_token


class Command(BaseCommand):
    help = "Issue an API token for an account; the secret is printed once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no account named {username}")
        _token, secret = issue_api_token(None, user, name)
        self.stdout.write(secret)
